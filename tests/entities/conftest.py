"""What the entity tests share: the characters their generated texts are made of."""

from __future__ import annotations

ALPHABET = "市委书记李国胜讲话摆向阳主持出席商丘河南省人民政府会议召开10月8日下午《条例》“文明”、，。 \n"
