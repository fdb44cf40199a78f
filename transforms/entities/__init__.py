"""Stage 5, entities: mentions and roles of an article, found by `COMPONENTS` run in order over an
`Article` (`transforms.entities.components`)."""

from transforms.entities.article import Article, Label, Mention, Span
from transforms.entities.components import COMPONENTS, Entities, extract, extract_all, extract_texts
from transforms.entities.spans import model_tokens

__all__ = [
    "COMPONENTS",
    "Article",
    "Entities",
    "Label",
    "Mention",
    "Span",
    "extract",
    "extract_all",
    "extract_texts",
    "model_tokens",
]
