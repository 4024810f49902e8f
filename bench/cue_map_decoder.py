"""Single-span MAP cue decoding, a decoder tried and not adopted (``bench/cue_sweep.md``).

The runtime takes the run of tokens whose P(B or I) passes a threshold with the largest total. This decoder
instead takes the span [s, e] whose tagging "O .. O B I .. I O .. O" is the likeliest under the cue head,
log P(B_s) + sum log P(I) inside + sum log P(O) outside, with ``bias`` added to every log P(O) (a negative bias
favours longer cues). Both are scored on the same sentences, decoded only where the sentence is read as coded,
as the runtime does, and trimmed by the cue-boundary rule.

    python bench/cue_map_decoder.py [MODEL] [--split dev] [--bias -1 -0.5 0 0.5]
"""

from __future__ import annotations

import argparse

import numpy as np

from framing.classifier import Classifier
from framing.cues import tokens_to_cue
from training.calibration import cue_scores, cue_tags
from training.data import by_split, load_examples

MAX_TOKENS = 30


def map_span(tag_probs: np.ndarray, offsets: list[tuple[int, int]], text: str, bias: float) -> tuple[int, int] | None:
    """The likeliest single cue span of ``text`` under the tag probabilities (columns O, B, I)."""
    logs = np.log(tag_probs + 1e-9)
    outside, begin, inside = logs[:, 0] + bias, logs[:, 1], logs[:, 2]
    usable = [k for k, span in enumerate(offsets) if span != (0, 0)]
    best: tuple[float, int, int] | None = None
    for i, start in enumerate(usable):
        score, previous = begin[start] - outside[start], start
        for end in usable[i : i + MAX_TOKENS]:
            if end > start:
                if end != previous + 1:
                    break
                score += inside[end] - outside[end]
            previous = end
            if best is None or score > best[0]:
                best = (score, start, end)
    return None if best is None else tokens_to_cue(text, offsets, best[1], best[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", nargs="?", default=None, help="model folder (default: the shipped model)")
    parser.add_argument("--data", default="seeds/data")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--bias", type=float, nargs="+", default=[-3, -2, -1.5, -1, -0.5, 0, 0.5, 1])
    args = parser.parse_args()
    examples = by_split(load_examples([args.data]))[args.split]
    classifier = Classifier.load(args.model) if args.model else Classifier.load()
    tags = cue_tags(classifier, [e.text for e in examples])

    def score(threshold: float, decode=None) -> str:
        result = cue_scores(examples, tags, threshold, decode)
        return f"word F1 {result['f1']:.4f}, exact {result['exact_match']:.4f}"

    print(f"{args.split}, {len(examples)} sentences")
    threshold = classifier.config.cue_threshold
    print(f"runtime decoder, threshold {threshold}: {score(threshold)}")
    for bias in args.bias:  # the MAP decoder has no threshold
        print(f"MAP single span, bias {bias:+.1f}: {score(0.0, lambda p, o, t, _, b=bias: map_span(p, o, t, b))}")


if __name__ == "__main__":
    main()
