"""transforms.entities.posts: posts with and without their body, and the body a post names."""

from __future__ import annotations

from transforms.entities.posts import body_of_post, find_posts


def test_posts_with_and_without_their_body() -> None:
    found = [
        found.normalized for found in find_posts("市委副书记、市长摆向阳主持，市人大常委会主任周树群出席")
    ]
    assert found == ["市委副书记", "市长", "市人大常委会主任"]


def test_a_committee_is_not_a_member() -> None:
    assert find_posts("成立专家委员会") == []


def test_the_body_named_by_a_post() -> None:
    assert [body_of_post(p) for p in ("市委书记", "商丘市委书记", "市长", "总经理")] == [
        "市委",
        "商丘市委",
        None,
        None,
    ]


def test_a_central_body_and_a_member_name_their_body_but_a_bare_unit_does_not() -> None:
    posts = (
        "全国人大常委会副委员长",
        "外交部发言人",
        "全国人大代表",
        "新华社记者",
        "纪委书记",
        "党委宣传部部长",
    )
    assert [body_of_post(p) for p in posts] == ["全国人大常委会", "外交部", "全国人大", "新华社", None, None]
