"""What the normalize tests share: messy text to generate (blanks, line breaks, ASCII and CJK punctuation)."""

from __future__ import annotations

from hypothesis import strategies as st

MESSY = st.text(
    alphabet=st.sampled_from(
        list("全國文明城市创建工作会议召开李国胜讲话（）()，。、“”《》,;:!?-_ Aa1")
        + list("\t\n\r\u00a0\u3000\u200b\ufeff")
    ),
    max_size=60,
)
