"""Stage 3, normalize: canonical whitespace and punctuation, boilerplate lines removed (and logged), and
the Simplified script for the columns that want it."""

from transforms.kit.script import to_simplified
from transforms.normalize.boilerplate import strip_boilerplate
from transforms.normalize.canonical import normalize_text

__all__ = ["normalize_text", "strip_boilerplate", "to_simplified"]
