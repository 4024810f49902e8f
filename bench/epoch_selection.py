"""Which epoch to keep: the mean of the two sentence heads' dev macro-F1 (``framing train`` today) against the
mean of those two and the dev cue word F1, the score by which seeds and recipes are compared.

Choosing by a score on dev and reporting that score on dev flatters whichever score chose, so the two are
compared by cross-validation within dev: dev is cut in halves by cue family (literal rows by text) many times
at random; each way chooses its epoch on one half and is scored on the other. Every epoch's weights come from
``bench/epoch_snapshots.py``; all scores are PyTorch fp32, cues decoded as the runtime decodes them (only on
sentences read as coded, at the default threshold). The test split is not read.

The rule, set before any snapshot was scored: choose by the mean of three if, averaged over the seeds and the
halvings, the held-out cue word F1 rises by at least 0.5 points and the held-out mean of the two sentence heads
falls by at most 0.5 points.

    python bench/epoch_selection.py runs/epochs-7 runs/epochs-13 runs/epochs-21 [--halvings 50]
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
WAYS = {"two heads (now)": ("stance", "subtext"), "two heads and cues": ("stance", "subtext", "cue")}


def epoch_predictions(folder: Path, dev: list, encoded: list, offsets: list, pad_id: int) -> list[dict]:
    """Per epoch: predicted stance, subtext and cue span of every dev sentence."""
    from safetensors.torch import load_file

    from framing.classifier import softmax
    from framing.cues import cue_span
    from framing.labels import LITERAL, STANCES, SUBTEXTS
    from training.modeling import FramingModel
    from training.trainer import predict

    model = FramingModel.from_base()
    epochs = []
    for path in sorted(folder.glob("epoch*.safetensors")):
        model.load_state_dict(load_file(str(path)))
        logits = predict(model, encoded, pad_id)
        subtexts = [SUBTEXTS[i] for i in logits["subtext"].argmax(1)]
        spans = [
            None if s == LITERAL else cue_span(softmax(c), o, e.text)
            for e, s, c, o in zip(dev, subtexts, logits["cue"], offsets)
        ]
        epochs.append({"stance": [STANCES[i] for i in logits["stance"].argmax(1)], "subtext": subtexts, "cue": spans})
    return epochs


def scores(dev: list, predicted: dict, rows: list[int]) -> dict[str, float]:
    """Stance and subtext macro-F1 and cue word F1 over ``rows`` of dev."""
    from framing.labels import STANCES, SUBTEXTS
    from framing.metrics import head_report, span_scores

    pick = [dev[i] for i in rows]
    return {
        "stance": head_report([e.stance for e in pick], [predicted["stance"][i] for i in rows], STANCES)["macro_f1"],
        "subtext": head_report([e.subtext for e in pick], [predicted["subtext"][i] for i in rows], SUBTEXTS)[
            "macro_f1"
        ],
        "cue": span_scores([e.text for e in pick], [e.cue_span() for e in pick], [predicted["cue"][i] for i in rows])[
            "f1"
        ],
    }


def group(example) -> str:
    """Halves keep a cue family together, so each half holds phrases the other never saw."""
    return (example.extra.get("cue_family") or example.cue).lower() if example.cue else example.text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshots", nargs="+", type=Path, help="folders written by bench/epoch_snapshots.py")
    parser.add_argument("--data", type=Path, default=ROOT / "seeds" / "data")
    parser.add_argument("--halvings", type=int, default=50)
    args = parser.parse_args()

    from framing.tokens import TextEncoder
    from training.config import TrainConfig
    from training.data import by_split, load_examples
    from training.modeling import base_model_path
    from training.trainer import encode

    dev = by_split(load_examples([args.data]))["dev"]
    encoder = TextEncoder(base_model_path() / "tokenizer.json", TrainConfig().max_length)
    encoded = encode(encoder, dev)
    offsets = [list(enc.offsets) for enc in encoder.encode([e.text for e in dev])]
    groups = sorted({group(e) for e in dev})
    rng = random.Random(0)
    held_out: dict[str, list[dict[str, float]]] = {way: [] for way in WAYS}
    everything = list(range(len(dev)))
    for folder in args.snapshots:
        epochs = epoch_predictions(folder, dev, encoded, offsets, encoder.pad_id)
        kept = json.loads((folder / "history.json").read_text("utf-8"))["kept_epoch"]
        print(f"\n{folder}: {len(epochs)} epochs, framing train keeps epoch {kept}")
        print("epoch  stance  subtext  cue F1  (all of dev)")
        for n, predicted in enumerate(epochs, 1):
            s = scores(dev, predicted, everything)
            print(f"{n:5d}  {s['stance']:.4f}  {s['subtext']:.4f}   {s['cue']:.4f}")
        for _ in range(args.halvings):
            chosen = set(rng.sample(groups, len(groups) // 2))
            halves = [[i for i in everything if (group(dev[i]) in chosen) == side] for side in (True, False)]
            for pick, score in (halves, halves[::-1]):
                on_pick = [scores(dev, p, pick) for p in epochs]
                for way, heads in WAYS.items():
                    best = max(range(len(epochs)), key=lambda k: np.mean([on_pick[k][h] for h in heads]))
                    held_out[way].append(scores(dev, epochs[best], score) | {"epoch": best + 1})
    print(f"\nheld-out half, mean over {len(args.snapshots)} seeds x {args.halvings} halvings x 2 halves:")
    means = {way: {k: float(np.mean([r[k] for r in rows])) for k in rows[0]} for way, rows in held_out.items()}
    for way, m in means.items():
        print(
            f"  {way:20s} stance {m['stance']:.4f}  subtext {m['subtext']:.4f}  cue F1 {m['cue']:.4f}  "
            f"mean epoch {m['epoch']:.1f}"
        )
    now, new = means.values()
    cue_gain = 100 * (new["cue"] - now["cue"])
    heads_change = 50 * (new["stance"] + new["subtext"] - now["stance"] - now["subtext"])
    verdict = "adopt" if cue_gain >= 0.5 and heads_change >= -0.5 else "keep the two heads"
    print(f"cue word F1 {cue_gain:+.2f} points, sentence heads {heads_change:+.2f} points: {verdict}")


if __name__ == "__main__":
    main()
