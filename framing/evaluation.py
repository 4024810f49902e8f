"""Scoring a model against labelled sentences: both heads, coded-vs-literal, calibration and cue spans."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from framing.labelled import Example
from framing.labels import LITERAL, STANCES, SUBTEXTS
from framing.metrics import binary_f1, expected_calibration_error, head_report, span_scores


def evaluate_predictions(
    examples: Sequence[Example],
    stance_probs: np.ndarray,
    subtext_probs: np.ndarray,
    cue_spans: Sequence[tuple[int, int] | None] | None = None,
) -> dict:
    """All metrics for one split. Probabilities are (n, classes) in schema order (STANCES, SUBTEXTS)."""
    stance_true = [e.stance for e in examples]
    subtext_true = [e.subtext for e in examples]
    stance_pred = [STANCES[i] for i in np.asarray(stance_probs).argmax(1)]
    subtext_pred = [SUBTEXTS[i] for i in np.asarray(subtext_probs).argmax(1)]
    result = {
        "n": len(examples),
        "stance": head_report(stance_true, stance_pred, STANCES),
        "subtext": head_report(subtext_true, subtext_pred, SUBTEXTS),
        "euphemism_f1": binary_f1([s != LITERAL for s in subtext_true], [s != LITERAL for s in subtext_pred]),
    }
    result["stance"]["ece"] = expected_calibration_error(stance_probs, [STANCES.index(s) for s in stance_true])
    result["subtext"]["ece"] = expected_calibration_error(subtext_probs, [SUBTEXTS.index(s) for s in subtext_true])
    if cue_spans is not None:
        texts, gold = [e.text for e in examples], [e.cue_span() for e in examples]
        result["cue"] = span_scores(texts, gold, cue_spans)
        if any(e.other_cues for e in examples):
            result["cue_any"] = span_scores(texts, gold, cue_spans, [e.other_spans() for e in examples])
    return result


def evaluate_classifier(classifier, examples: Sequence[Example], progress=None) -> dict:
    """Run a :class:`framing.Classifier` on labelled examples and score it."""
    labels = classifier.classify([e.text for e in examples], progress=progress)
    stance = np.array([[x.stance_probs[s] for s in STANCES] for x in labels])
    subtext = np.array([[x.subtext_probs[s] for s in SUBTEXTS] for x in labels])
    return evaluate_predictions(examples, stance, subtext, [x.cue_span() for x in labels])


def stance_agreement(classifier, texts: Sequence[str], stances: Sequence[str]) -> dict:
    """Agreement of the stance head with externally coded stances (e.g. professional event coders)."""
    labels = classifier.classify(list(texts))
    predicted = [x.stance for x in labels]
    agree = sum(p == g for p, g in zip(predicted, stances))
    polar = [(p, g) for p, g in zip(predicted, stances) if p != "neutral"]
    return {
        "n": len(stances),
        "agreement": agree / len(stances) if stances else 0.0,
        "predicted_neutral": sum(p == "neutral" for p in predicted) / len(stances) if stances else 0.0,
        "agreement_when_not_neutral": sum(p == g for p, g in polar) / len(polar) if polar else 0.0,
        "by_gold": {
            g: {p: sum(1 for pp, gg in zip(predicted, stances) if gg == g and pp == p) for p in STANCES}
            for g in sorted(set(stances))
        },
    }


def evaluate_file(classifier, path: str, split: str | None = None) -> dict:
    """Metrics of ``classifier`` on a labelled JSONL file, or a folder of them (optionally one split)."""
    from pathlib import Path

    from framing.errors import InputError
    from framing.labelled import read_jsonl

    folder = Path(path)
    if folder.is_dir():
        files = sorted(folder.glob("*.jsonl"))
        if not files:
            raise InputError(f"{path}: a folder with no .jsonl files")
        examples = [e for file in files for e in read_jsonl(file)]
    else:
        examples = read_jsonl(path)
    if split:
        examples = [e for e in examples if e.split == split]
        if not examples:
            raise InputError(f"{path}: no rows in split {split!r}")
    return evaluate_classifier(classifier, examples)


def format_metrics(metrics: dict, fmt: str = "text") -> str:
    """Metrics as JSON, or as a short plain-text report."""
    import json

    if fmt == "json":
        return json.dumps(metrics, indent=2)
    lines = [f"sentences: {metrics['n']}"]
    for head, labels in (("stance", STANCES), ("subtext", SUBTEXTS)):
        report = metrics[head]
        lines.append(
            f"{head}: macro-F1 {report['macro_f1']:.3f}, accuracy {report['accuracy']:.3f}, ECE {report['ece']:.3f}"
        )
        for name in labels:
            c = report["per_class"][name]
            lines.append(
                f"  {name:<16} P {c['precision']:.3f}  R {c['recall']:.3f}  F1 {c['f1']:.3f}  n {c['support']}"
            )
    lines.append(f"euphemism F1 (coded vs literal): {metrics['euphemism_f1']:.3f}")
    if "cue" in metrics:
        cue = metrics["cue"]
        lines.append(f"cue spans (n={cue['n']}): exact match {cue['exact_match']:.3f}, word-level F1 {cue['f1']:.3f}")
        if "errors" in cue:
            misses = ", ".join(f"{kind.replace('_', ' ')} {count}" for kind, count in cue["errors"].items())
            lines.append(f"  cue misses: {misses}")
    if "cue_any" in metrics:
        cue = metrics["cue_any"]
        lines.append(
            f"cue spans, any annotated phrase: exact match {cue['exact_match']:.3f}, word-level F1 {cue['f1']:.3f}"
        )
    return "\n".join(lines)
