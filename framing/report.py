"""What the classifier returns: a label per sentence, and the aggregate report of an article."""

from __future__ import annotations

from dataclasses import dataclass, field

from framing.labels import STANCES, TONE_WEIGHTS


@dataclass
class SentenceLabel:
    """The labels of one sentence. ``cue_start``/``cue_end`` are offsets in ``text`` ([start, end))."""

    text: str
    stance: str
    stance_probs: dict[str, float]
    subtext: str
    subtext_probs: dict[str, float]
    euphemism: bool
    euphemism_prob: float
    meaning: str
    truncated: bool
    cue: str = ""
    cue_start: int | None = None
    cue_end: int | None = None
    start: int = 0  # offset of the sentence in its article
    end: int = 0

    def cue_span(self) -> tuple[int, int] | None:
        """``[cue_start, cue_end)`` in ``text``, or None when no cue was found."""
        return (self.cue_start, self.cue_end) if self.cue_start is not None and self.cue_end is not None else None

    @property
    def tone(self) -> float:
        """Expected tone of this sentence in [-1, 1] (cooperative +1, confrontational -1)."""
        return sum(TONE_WEIGHTS[s] * p for s, p in self.stance_probs.items())

    def record(self, doc: str, index: int) -> dict:
        """The documented sentence record of jsonl/csv output."""
        return {
            "doc": doc,
            "index": index,
            "text": self.text,
            "stance": self.stance,
            "stance_probs": self.stance_probs,
            "subtext": self.subtext,
            "subtext_probs": self.subtext_probs,
            "euphemism": self.euphemism,
            "euphemism_prob": self.euphemism_prob,
            "meaning": self.meaning,
            "truncated": self.truncated,
            "cue": self.cue,
            "cue_start": self.cue_start,
            "cue_end": self.cue_end,
        }


@dataclass
class ArticleReport:
    """An article's sentences with their labels, and the aggregates an analyst reads first."""

    doc: str
    text: str
    sentences: list[SentenceLabel] = field(default_factory=list)

    @property
    def stance_counts(self) -> dict[str, int]:
        return {s: sum(x.stance == s for x in self.sentences) for s in STANCES}

    @property
    def stance_shares(self) -> dict[str, float]:
        n = len(self.sentences)
        return {s: (c / n if n else 0.0) for s, c in self.stance_counts.items()}

    @property
    def tone_index(self) -> float:
        """Mean expected tone over sentences, in [-1, 1]; 0 for an empty article."""
        n = len(self.sentences)
        return sum(x.tone for x in self.sentences) / n if n else 0.0

    @property
    def coded(self) -> list[SentenceLabel]:
        """The sentences whose subtext is not literal."""
        return [x for x in self.sentences if x.euphemism]

    @property
    def euphemism_rate(self) -> float:
        n = len(self.sentences)
        return len(self.coded) / n if n else 0.0

    def summary(self) -> dict:
        """The article-level numbers (one row per article in tables)."""
        return {
            "doc": self.doc,
            "sentence_count": len(self.sentences),
            "stance_counts": self.stance_counts,
            "stance_shares": self.stance_shares,
            "tone_index": self.tone_index,
            "euphemism_rate": self.euphemism_rate,
            "coded": len(self.coded),
        }

    def to_dict(self) -> dict:
        """The whole report (``--format json``)."""
        data = self.summary()
        data["coded_sentences"] = [
            {"index": i, "text": x.text, "subtext": x.subtext, "meaning": x.meaning, "cue": x.cue}
            for i, x in enumerate(self.sentences)
            if x.euphemism
        ]
        data["sentences"] = [
            dict(x.record(self.doc, i), start=x.start, end=x.end) for i, x in enumerate(self.sentences)
        ]
        return data
