"""Stage 5, entities: mentions and roles of an article."""

from transforms.entities.components import Entities, Mention, extract, extract_all, model_tokens

__all__ = ["Entities", "Mention", "extract", "extract_all", "model_tokens"]
