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


def fit_cue_threshold(classifier, examples: Sequence) -> tuple[float, dict[float, float]]:
    """The cue threshold with the best word-level cue F1 on ``examples`` (dev), decoded as the runtime does
    (cues only on sentences the model reads as coded). Returns it and the F1 of every threshold tried."""
    from framing.cues import cue_span
    from framing.labels import LITERAL
    from framing.metrics import span_scores

    texts = [e.text for e in examples]
    literal_index = classifier.config.subtext_labels.index(LITERAL)
    literal: list = [None] * len(texts)
    tag_probs: list = [None] * len(texts)
    offsets: list = [None] * len(texts)
    for batch in classifier.encoder.batches(texts, classifier.batch_size):  # one pass of the model
        logits = classifier.run_batch(batch)
        probs = softmax(logits["cue"])
        for r, row in enumerate(batch.rows):  # the runtime's subtext label (temperature keeps the argmax)
            literal[row] = int(logits["subtext"][r].argmax()) == literal_index
            tag_probs[row], offsets[row] = probs[r], batch.offsets[r]
    gold = [e.cue_span() for e in examples]
    scores = {}
    for threshold in CUE_THRESHOLDS:
        spans = [
            None if is_literal else cue_span(p, o, t, threshold)
            for is_literal, p, o, t in zip(literal, tag_probs, offsets, texts)
        ]
        scores[threshold] = span_scores(texts, gold, spans)["f1"]
    best = max(CUE_THRESHOLDS, key=lambda t: (round(scores[t], 6), -abs(t - DEFAULT_CUE_THRESHOLD)))
    return best, scores
