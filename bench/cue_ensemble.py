"""Are the cue head's misses the same from seed to seed? Scores the cue spans of several models and of their
average (cue tag probabilities and subtext probabilities averaged, then decoded as the runtime decodes one
model), each with its cue threshold fitted on dev as ``framing train`` fits it. If averaging seeds beat every
seed, the misses would be noise a seed ensemble, weight average or distillation could remove; if not, they are
shared. The models must share the tokenizer.

    python bench/cue_ensemble.py models/default runs/frozen13 runs/frozen21 [--split dev]
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import numpy as np

from framing.classifier import Classifier
from framing.labels import LITERAL
from training.calibration import CueTags, SentenceProbabilities, cue_scores, fit_cue_threshold, sentence_probabilities
from training.data import by_split, load_examples


def averaged(runs: Sequence[list[SentenceProbabilities]], literal: int) -> list[CueTags]:
    """The cue decoder's input from the mean of several models' probabilities."""
    tags = []
    for items in zip(*runs):
        subtext = np.mean([s for s, _, _ in items], axis=0)
        cue = np.mean([c for _, c, _ in items], axis=0)
        tags.append((int(subtext.argmax()) == literal, cue, items[0][2]))
    return tags


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+", help="model folders (two or more)")
    parser.add_argument("--data", default="seeds/data")
    parser.add_argument("--split", default="dev")
    args = parser.parse_args()
    splits = by_split(load_examples([args.data]))
    dev, scored = splits["dev"], splits[args.split]
    classifiers = [Classifier.load(m, device="cpu") for m in args.models]
    literal = classifiers[0].config.subtext_labels.index(LITERAL)
    dev_runs = [sentence_probabilities(c, [e.text for e in dev]) for c in classifiers]
    scored_texts = [e.text for e in scored]
    runs = dev_runs if args.split == "dev" else [sentence_probabilities(c, scored_texts) for c in classifiers]
    print(f"{args.split} ({len(scored)} sentences), cue thresholds fitted on dev")
    members = {m: ([d], [r]) for m, d, r in zip(args.models, dev_runs, runs)}
    for name, (on_dev, on_scored) in (members | {"mean of all": (dev_runs, runs)}).items():
        threshold, _ = fit_cue_threshold(classifiers[0], dev, tags=averaged(on_dev, literal))
        result = cue_scores(scored, averaged(on_scored, literal), threshold)
        print(f"  {name:24s} threshold {threshold:.2f}  word F1 {result['f1']:.4f}  exact {result['exact_match']:.4f}")


if __name__ == "__main__":
    main()
