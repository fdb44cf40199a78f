"""transforms.entities.events: named meetings and campaigns."""

from __future__ import annotations

from transforms.entities.events import find_events, is_meeting


def test_events_start_after_the_verb_that_opens_them() -> None:
    found = [
        found.normalized
        for found in find_events("楼阳生主持召开省委常委会会议，会议强调。在北京人民大会堂举行")
    ]
    assert found == ["省委常委会会议"]


def test_meetings_and_campaigns() -> None:
    assert is_meeting("全省经济工作会议") and not is_meeting("党史学习教育")
