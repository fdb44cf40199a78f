"""Stage 2, repair: undo what scrapers and wrong codecs did to a text, every change logged
(`transforms.repair.passes` runs the passes in order)."""

from transforms.repair.passes import PASSES, repair_text

__all__ = ["PASSES", "repair_text"]
