"""Sentences to token batches: the model's tokenizer, sorted by length and padded per batch."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tokenizers import Encoding, Tokenizer


@dataclass
class TokenBatch:
    """A padded batch and where its rows came from."""

    rows: list[int]  # positions of these sentences in the caller's list
    input_ids: np.ndarray  # (batch, length) int64
    attention_mask: np.ndarray  # (batch, length) int64
    offsets: list[list[tuple[int, int]]]  # character span of each token in its sentence; (0, 0) = special
    truncated: list[bool]


class TextEncoder:
    """Wraps a ``tokenizer.json``: no fixed padding, truncation at ``max_length`` with a flag."""

    def __init__(self, tokenizer_file: str | Path, max_length: int) -> None:
        tokenizer = Tokenizer.from_file(str(tokenizer_file))
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=max_length)
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.pad_id = tokenizer.token_to_id("[PAD]") or 0

    def encode(self, texts: Sequence[str]) -> list[Encoding]:
        """Tokenize without padding (truncated to ``max_length``)."""
        return self.tokenizer.encode_batch(list(texts))

    def pad(self, encodings: Sequence[Encoding], rows: list[int]) -> TokenBatch:
        """Pad the given encodings to the longest among them."""
        length = max(len(encodings[i].ids) for i in rows)
        ids = np.full((len(rows), length), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(rows), length), dtype=np.int64)
        for r, i in enumerate(rows):
            n = len(encodings[i].ids)
            ids[r, :n] = encodings[i].ids
            mask[r, :n] = 1
        return TokenBatch(
            rows=rows,
            input_ids=ids,
            attention_mask=mask,
            offsets=[list(encodings[i].offsets) for i in rows],
            truncated=[bool(encodings[i].overflowing) for i in rows],
        )

    def batches(self, texts: Sequence[str], batch_size: int) -> Iterator[TokenBatch]:
        """Batches of ``texts`` in ascending token length, each padded to its own longest sentence."""
        encodings = self.encode(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), batch_size):
            yield self.pad(encodings, order[start : start + batch_size])
