"""Which run of cue tokens to keep: the runtime's largest total against the earliest strong run.

A sentence can carry two coded phrases; the corpus marks the one named by its subtext as the cue and the
other in ``other_cues``, which is not trained as ``O``, so the cue head rates both. The runtime keeps the run
of tokens above the threshold with the largest total, which favours the longer phrase; in the corpus the cue
comes first in about four sentences of five that have another one. This script scores, per model, the
runtime's choice and "the earliest run whose total is at least ``r`` times the largest", each with its own
threshold fitted on dev as ``framing train`` fits it, decoded only where the sentence is read as coded, and
scored on ``--split`` (dev by default) at that threshold.

    python bench/cue_run_choice.py MODEL [MODEL ...] [--split dev] [--ratios 0 0.25 0.5 0.75]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import numpy as np

from framing.classifier import Classifier
from framing.cues import cue_runs, cue_span, tokens_to_cue
from training.calibration import cue_scores, cue_tags, fit_cue_threshold
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+", help="model folders")
    parser.add_argument("--data", default="seeds/data")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--ratios", type=float, nargs="+", default=[0.0, 0.25, 0.5, 0.75])
    args = parser.parse_args()
    splits = by_split(load_examples([args.data]))
    dev, scored = splits["dev"], splits[args.split]
    decoders: dict[str, Decoder] = {"largest total (runtime)": cue_span}
    decoders |= {f"earliest run >= {r:g} x largest": earliest_strong(r) for r in args.ratios}
    gains: dict[str, list[float]] = {name: [] for name in decoders}
    for model in args.models:
        classifier = Classifier.load(model, device="cpu")
        dev_tags = cue_tags(classifier, [e.text for e in dev])
        tags = dev_tags if args.split == "dev" else cue_tags(classifier, [e.text for e in scored])
        print(f"\n{model}, {args.split} ({len(scored)} sentences), thresholds fitted on dev")
        base = None
        for name, decode in decoders.items():
            threshold, _ = fit_cue_threshold(classifier, dev, decode, dev_tags)
            result = cue_scores(scored, tags, threshold, decode)
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
