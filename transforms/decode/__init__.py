"""Stage 1, bytes → text: the encoding with its evidence, archives member by member, the main text of an
HTML page."""

from transforms.decode.encoding import archive_members, decode_bytes, sniff_format
from transforms.decode.html import extract_html

__all__ = ["archive_members", "decode_bytes", "extract_html", "sniff_format"]
