"""Which run of cue tokens to keep: the runtime's largest total against the earliest strong run.

A sentence can carry two coded phrases; the corpus marks the one named by its subtext as the cue and the
other in ``other_cues``, which is not trained as ``O``, so the cue head rates both. The runtime keeps the run
of tokens above the threshold with the largest total, which favours the longer phrase; in the corpus the cue
comes first in about four sentences of five that have another one. This script scores, per model, the
runtime's choice and "the earliest run whose total is at least ``r`` times the largest", each with its own
threshold fitted on dev over ``framing train``'s grid, decoded only where the sentence is read as coded, and
scored on ``--split`` (dev by default) at that threshold.

    python bench/cue_run_choice.py MODEL [MODEL ...] [--split dev] [--ratios 0 0.25 0.5 0.75]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import numpy as np

from framing.classifier import Classifier, softmax
from framing.cues import cue_runs, cue_span, tokens_to_cue
from framing.labels import LITERAL
from framing.metrics import span_scores
from training.calibration import CUE_THRESHOLDS
from training.data import by_split, load_examples

Decoder = Callable[[np.ndarray, list[tuple[int, int]], str, float], "tuple[int, int] | None"]


def earliest_strong(ratio: float) -> Decoder:
    """The earliest run whose total is at least ``ratio`` times the largest run's; the runtime's fallback (the
    likeliest token) when no run passes the threshold."""

    def decode(tag_probs, offsets, text, threshold):
        runs = cue_runs(1.0 - tag_probs[:, 0], offsets, threshold)
        if not runs:
            return cue_span(tag_probs, offsets, text, threshold)
        top = max(total for total, _, _ in runs)
        _, first, last = next(run for run in runs if run[0] >= ratio * top)
        return tokens_to_cue(text, offsets, first, last)

    return decode


def tagged_rows(classifier: Classifier, texts: list[str]) -> list[tuple[bool, np.ndarray, list[tuple[int, int]]]]:
    """Per sentence: read as coded, cue tag probabilities, token offsets (batched as the runtime batches)."""
    config = classifier.config
    literal = config.subtext_labels.index(LITERAL)
    rows: list = [None] * len(texts)
    for batch in classifier.encoder.batches(texts, classifier.batch_size):
        logits = classifier.run_batch(batch)
        coded = softmax(logits["subtext"], config.temperature("subtext")).argmax(1) != literal
        for r, row in enumerate(batch.rows):
            rows[row] = (bool(coded[r]), softmax(logits["cue"][r]), batch.offsets[r])
    return rows


def score(decode: Decoder, threshold: float, texts, gold, rows) -> dict:
    """Word F1 and exact match of ``decode`` at ``threshold``, cues only where the sentence is read as coded."""
    spans = [decode(p, o, t, threshold) if coded else None for t, (coded, p, o) in zip(texts, rows)]
    return span_scores(texts, gold, spans)


def best_threshold(decode: Decoder, texts, gold, rows) -> float:
    """The threshold of the grid with the best word F1 (the lower one on a tie)."""
    return max(CUE_THRESHOLDS, key=lambda t: (round(score(decode, t, texts, gold, rows)["f1"], 9), -t))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+", help="model folders")
    parser.add_argument("--data", default="seeds/data")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--ratios", type=float, nargs="+", default=[0.0, 0.25, 0.5, 0.75])
    args = parser.parse_args()
    splits = by_split(load_examples([args.data]))
    dev, scored = splits["dev"], splits[args.split]
    dev_texts, dev_gold = [e.text for e in dev], [e.cue_span() for e in dev]
    texts, gold = [e.text for e in scored], [e.cue_span() for e in scored]
    decoders: dict[str, Decoder] = {"largest total (runtime)": cue_span}
    decoders |= {f"earliest run >= {r:g} x largest": earliest_strong(r) for r in args.ratios}
    gains: dict[str, list[float]] = {name: [] for name in decoders}
    for model in args.models:
        classifier = Classifier.load(model, device="cpu")
        dev_rows = tagged_rows(classifier, dev_texts)
        rows = dev_rows if args.split == "dev" else tagged_rows(classifier, texts)
        print(f"\n{model}, {args.split} ({len(texts)} sentences), thresholds fitted on dev")
        base = None
        for name, decode in decoders.items():
            threshold = best_threshold(decode, dev_texts, dev_gold, dev_rows)
            result = score(decode, threshold, texts, gold, rows)
            f1 = result["f1"]
            base = f1 if base is None else base
            gains[name].append(f1 - base)
            print(
                f"  {name:32s} threshold {threshold:.2f}  word F1 {f1:.4f}  "
                f"exact {result['exact_match']:.4f}  ({f1 - base:+.4f})"
            )
    print("\nmean word F1 gain over the models:")
    for name, values in gains.items():
        print(f"  {name:32s} {100 * float(np.mean(values)):+.2f} points")


if __name__ == "__main__":
    main()
