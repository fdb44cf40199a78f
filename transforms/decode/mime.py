"""E-mail (.eml) and MHTML (a page saved with its resources) → the subject, date and text parts.

Parsed with the standard library's `email` package from memory; each text part is decoded with the
charset it declares (GB2312 is read as GB18030, its superset).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from email.utils import parsedate_to_datetime
from typing import NamedTuple

from transforms.decode.feeds import BEIJING

_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030"}


class Message(NamedTuple):
    subject: str | None
    date: dt.date | None
    charset: str
    parts: list[tuple[str, str]]  # (content type, text) of each text/html or text/plain part


def _date(value: str | None) -> dt.date | None:
    try:
        stamp = parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError):
        return None
    return (stamp.astimezone(BEIJING) if stamp and stamp.tzinfo else stamp).date() if stamp else None


def read_message(raw: bytes) -> Message:
    """The subject, date and text parts of a MIME message.

    >>> raw = ("Subject: =?utf-8?b?5Lya6K6u?=\\nDate: Fri, 05 Jan 2024 09:00:00 +0800\\nMIME-Version: 1.0\\n"
    ...        "Content-Type: text/plain; charset=gb2312\\n\\n").encode() + "会议召开。".encode("gb2312")
    >>> message = read_message(raw)
    >>> message.subject, message.date, message.charset, message.parts
    ('会议', datetime.date(2024, 1, 5), 'gb18030', [('text/plain', '会议召开。')])
    """
    message = email.message_from_bytes(raw, policy=email.policy.default)
    parts: list[tuple[str, str]] = []
    charsets: list[str] = []
    for part in message.walk():
        kind = part.get_content_type()
        if kind not in ("text/html", "text/plain") or part.is_attachment():
            continue
        charset = (part.get_content_charset() or "utf-8").lower()
        charset = _WIDER.get(charset, charset)
        payload = part.get_payload(decode=True) or b""
        try:
            text = payload.decode(charset, errors="replace")
        except LookupError:
            charset, text = "utf-8", payload.decode("utf-8", errors="replace")
        parts.append((kind, text))
        charsets.append(charset)
    subject = str(message["subject"]).strip() if message["subject"] else None
    return Message(subject, _date(message["date"]), charsets[0] if charsets else "ascii", parts)
