"""Fitted on dev: a temperature per head (minimising the NLL) and the cue-span threshold (maximising cue F1)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import minimize_scalar

from framing.classifier import softmax
from framing.model import DEFAULT_CUE_THRESHOLD


def nll(logits: np.ndarray, labels: Sequence[int], temperature: float) -> float:
    probs = softmax(logits, temperature)
    return float(-np.log(probs[np.arange(len(labels)), np.asarray(labels)] + 1e-12).mean())


def fit_temperature(logits: np.ndarray, labels: Sequence[int]) -> float:
    """The temperature in [0.05, 20] that minimises the negative log-likelihood (searched in log space)."""
    result = minimize_scalar(
        lambda log_t: nll(logits, labels, float(np.exp(log_t))), bounds=(np.log(0.05), np.log(20.0)), method="bounded"
    )
    return float(np.exp(result.x))


#: Cue thresholds tried on dev: a token is in the cue when P(B or I) exceeds the threshold.
CUE_THRESHOLDS = tuple(round(0.1 + 0.05 * i, 2) for i in range(13))  # 0.1 to 0.7


#: One sentence as the cue decoder sees it: read as literal, cue tag probabilities (tokens x O/B/I), token offsets.
CueTags = tuple[bool, np.ndarray, list[tuple[int, int]]]


#: One sentence as the model reads it: subtext probabilities, cue tag probabilities (tokens x O/B/I), token offsets.
SentenceProbabilities = tuple[np.ndarray, np.ndarray, list[tuple[int, int]]]


def sentence_probabilities(classifier, texts: Sequence[str]) -> list[SentenceProbabilities]:
    """One pass of ``classifier`` over ``texts``, batched as the runtime batches: per sentence, the subtext
    probabilities (uncalibrated), the cue head's tag probabilities and the token offsets."""
    out: list = [None] * len(texts)
    for batch in classifier.encoder.batches(list(texts), classifier.batch_size):
        logits = classifier.run_batch(batch)
        subtext, cue = softmax(logits["subtext"]), softmax(logits["cue"])
        for r, row in enumerate(batch.rows):
            out[row] = (subtext[r], cue[r], batch.offsets[r])
    return out


def cue_tags(classifier, texts: Sequence[str]) -> list[CueTags]:
    """One pass of ``classifier`` over ``texts``: per sentence, whether it is read as literal (the runtime's subtext
    label; temperature keeps the argmax) and the cue head's tag probabilities."""
    from framing.labels import LITERAL

    literal_index = classifier.config.subtext_labels.index(LITERAL)
    return [
        (int(subtext.argmax()) == literal_index, cue, offsets)
        for subtext, cue, offsets in sentence_probabilities(classifier, texts)
    ]


def cue_scores(examples: Sequence, tags: Sequence[CueTags], threshold: float, decode=None) -> dict:
    """Cue span scores (``framing.metrics.span_scores``) of ``decode`` (default: the runtime's ``cue_span``) at
    ``threshold``, with cues only on sentences read as coded, as the runtime does."""
    from framing.cues import cue_span
    from framing.metrics import span_scores

    decode = decode or cue_span
    texts = [e.text for e in examples]
    spans = [None if literal else decode(p, o, t, threshold) for t, (literal, p, o) in zip(texts, tags)]
    return span_scores(texts, [e.cue_span() for e in examples], spans)


def fit_cue_threshold(
    classifier, examples: Sequence, decode=None, tags: Sequence[CueTags] | None = None
) -> tuple[float, dict[float, float]]:
    """The cue threshold with the best word-level cue F1 on ``examples`` (dev), decoded by ``decode`` (default: the
    runtime's ``cue_span``) with cues only on sentences the model reads as coded; ``tags`` reuses a pass of
    :func:`cue_tags`. Returns it and the F1 of every threshold tried (a tie goes to the one nearest the default)."""
    tags = tags if tags is not None else cue_tags(classifier, [e.text for e in examples])
    scores = {t: cue_scores(examples, tags, t, decode)["f1"] for t in CUE_THRESHOLDS}
    best = max(CUE_THRESHOLDS, key=lambda t: (round(scores[t], 6), -abs(t - DEFAULT_CUE_THRESHOLD)))
    return best, scores
