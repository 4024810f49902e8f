"""Article text to sentences with their character offsets: paragraphs first, then pysbd."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences: each non-empty line is a paragraph, segmented by pysbd.

    pysbd handles abbreviations (U.S., Mr., Jan.) and quotations; offsets index into ``text``.
    """
    sentences: list[Sentence] = []
    for paragraph in re.finditer(r"[^\n]+", text):
        body = paragraph.group()
        if not body.strip():
            continue
        cursor = 0
        for piece in _segmenter().segment(body):
            piece = piece.strip()
            if not piece:
                continue
            found = body.find(piece, cursor)
            if found < 0:  # pysbd changed the text: fall back to the rest of the paragraph
                found = cursor
            cursor = found + len(piece)
            start = paragraph.start() + found
            sentences.append(Sentence(piece, start, start + len(piece)))
    return sentences
