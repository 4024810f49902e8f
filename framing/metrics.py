"""Classification metrics on top of scikit-learn: per-class scores, macro-F1, confusion, euphemism F1, ECE.

scikit-learn is imported inside the functions so that scoring articles never pays for it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np


def expected_calibration_error(probs: np.ndarray, labels: Sequence[int], bins: int = 15) -> float:
    """ECE with equal-width confidence bins: the weighted mean |accuracy - confidence| over bins."""
    probs = np.asarray(probs, dtype=np.float64)
    labels = np.asarray(labels)
    if len(labels) == 0:
        return 0.0
    confidence = probs.max(axis=1)
    correct = (probs.argmax(axis=1) == labels).astype(np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    # A confidence of exactly 0 goes to the first bin, everything else to (lo, hi].
    index = np.clip(np.searchsorted(edges, confidence, side="left") - 1, 0, bins - 1)
    ece = 0.0
    for b in range(bins):
        members = index == b
        if members.any():
            ece += members.mean() * abs(correct[members].mean() - confidence[members].mean())
    return float(ece)


def head_report(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str]) -> dict:
    """Per-class precision/recall/F1/support, macro-F1, accuracy and the confusion matrix (rows = truth)."""
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

    labels = list(labels)
    precision, recall, f1, support = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    return {
        "macro_f1": float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)),
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "per_class": {
            name: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
            for name, p, r, f, s in zip(labels, precision, recall, f1, support)
        },
        "confusion": {"labels": labels, "matrix": confusion_matrix(y_true, y_pred, labels=labels).tolist()},
    }


def binary_f1(y_true: Sequence[bool], y_pred: Sequence[bool]) -> float:
    """F1 of the positive class (used for coded vs literal)."""
    from sklearn.metrics import f1_score

    return float(f1_score(list(y_true), list(y_pred), zero_division=0))


def _words_in(text: str, span: tuple[int, int] | None) -> set[int]:
    """Indices of the whitespace-separated words of ``text`` that overlap ``span``."""
    if span is None:
        return set()
    return {i for i, m in enumerate(re.finditer(r"\S+", text)) if m.start() < span[1] and m.end() > span[0]}


def _dice(a: set[int], b: set[int]) -> float:
    """Word-level F1 of two word sets."""
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


#: How a predicted cue can miss the annotated one, in the order ``span_scores`` reports them.
SPAN_ERRORS = ("missed", "too_long", "too_short", "shifted", "disjoint")


def _span_error(gold: set[int], pred: set[int]) -> str | None:
    """How the predicted words ``pred`` miss the annotated words ``gold`` (None when they are the same)."""
    if not pred:
        return "missed"
    if pred == gold:
        return None
    if pred > gold:
        return "too_long"
    if pred < gold:
        return "too_short"
    return "shifted" if pred & gold else "disjoint"


def span_scores(
    texts: Sequence[str],
    gold: Sequence[tuple[int, int] | None],
    pred: Sequence[tuple[int, int] | None],
    alternatives: Sequence[Sequence[tuple[int, int]]] | None = None,
) -> dict:
    """Cue span quality over sentences with a gold cue: exact-match rate, word-level micro P/R/F1 and how
    the misses went wrong (``errors``: no cue predicted, too long or too short by whole words, overlapping
    but shifted, or disjoint; an exact-word match that differs only in edge characters counts as none).

    With ``alternatives`` (other annotated spans per sentence), each prediction is scored against whichever
    annotated span, the cue or one of its alternatives, it matches best (word-level F1; ties keep the cue).
    """
    exact = hits = gold_words = pred_words = n = 0
    errors = dict.fromkeys(SPAN_ERRORS, 0)
    for i, (text, g, p) in enumerate(zip(texts, gold, pred)):
        if g is None:
            continue
        n += 1
        pw = _words_in(text, p)
        if alternatives is not None and alternatives[i]:
            g = max([g, *alternatives[i]], key=lambda c: _dice(_words_in(text, c), pw))  # first of equals: the cue
        same = p is not None and tuple(p) == tuple(g)
        exact += same
        gw = _words_in(text, g)
        kind = None if same else _span_error(gw, pw)
        if kind is not None:
            errors[kind] += 1
        hits += len(gw & pw)
        gold_words += len(gw)
        pred_words += len(pw)
    precision = hits / pred_words if pred_words else 0.0
    recall = hits / gold_words if gold_words else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "exact_match": exact / n if n else 0.0,
        "f1": f1,
        "precision": precision,
        "recall": recall,
        "n": n,
        "errors": errors,
    }
