"""Stage 4, segment: bulletin → articles → paragraphs and sentences → words, all as exact offsets.

The pipeline calls these functions; each lives in the module that does its job: `articles` (article
boundaries, titles, leads, ToC summary), `sentences` (paragraphs and sentences) and `tokens` (rjieba
words with POS tags and the user dictionary; `tokenize_all` does the words of all articles of a file in
one call).

>>> body = "市委副书记、市长摆向阳主持。会议19:00开始。"
>>> sentences = split_sentences(body)
>>> [body[start:end] for _, start, end in sentences]
['市委副书记、市长摆向阳主持。', '会议19:00开始。']
>>> tokenize(body, sentences).data["token"][:4]
['市委副书记', '、', '市长', '摆向阳']
"""

from __future__ import annotations

from transforms.segment.articles import ArticleSpan, Bulletin, split_articles
from transforms.segment.sentences import split_sentences
from transforms.segment.tokens import tokenize, tokenize_all

__all__ = ["ArticleSpan", "Bulletin", "split_articles", "split_sentences", "tokenize", "tokenize_all"]
