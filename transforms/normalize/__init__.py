"""Stage 3, normalize: canonical whitespace and punctuation, boilerplate lines removed (and logged), and
the Simplified script for the columns that want it."""

from transforms.normalize.boilerplate import normalize_text, strip_boilerplate, to_simplified

__all__ = ["normalize_text", "strip_boilerplate", "to_simplified"]
