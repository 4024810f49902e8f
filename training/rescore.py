"""Re-measure a trained model without retraining it, after the corpus or the runtime's decoding changed.

The cue threshold is fitted again on dev, dev and test are scored again with the int8 model as shipped, the
baselines are refitted on the same splits, and ``config.json``, ``metrics.json`` and ``MODEL_CARD.md`` are
rewritten in a copy of the folder that replaces the original only when all of it is written. The training
history, the calibration temperatures and the export gates stay as measured at training; the card says so.

    python -m training.rescore models/default [--data seeds/data]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import framing
from framing.classifier import Classifier
from framing.errors import InputError
from framing.evaluation import evaluate_classifier
from framing.model import CARD_FILE, CONFIG_FILE, METRICS_FILE
from training import baselines
from training.calibration import fit_cue_threshold
from training.card import model_card
from training.data import by_split, load_examples
from training.pipeline import replace_folder


def rescore_model(model: str | Path, data: Sequence[str | Path], log: Callable[[str], None] = print) -> dict:
    """Re-measure the model folder ``model`` on the labelled ``data`` (dev and test splits, by their
    ``split`` field) with the current decoder; returns the new metrics."""
    model = Path(model)
    if not (model / METRICS_FILE).is_file():
        raise InputError(f"{model}: no {METRICS_FILE}; rescore needs a model folder written by `framing train`")
    metrics = json.loads((model / METRICS_FILE).read_text(encoding="utf-8"))
    splits = by_split(load_examples(list(data)))
    missing = [name for name in ("train", "dev", "test") if not splits.get(name)]
    if missing:
        raise InputError(f"{', '.join(map(str, data))}: no {' or '.join(missing)} rows (the split field)")
    work = Path(tempfile.mkdtemp(prefix=f".{model.name}.", dir=model.parent))
    try:
        shutil.copytree(model, work, dirs_exist_ok=True)
        config = json.loads((work / CONFIG_FILE).read_text(encoding="utf-8"))
        threshold, tried = fit_cue_threshold(Classifier.load(work, device="cpu"), splits["dev"])
        log(f"cue threshold {threshold} (dev cue F1 {tried[threshold]:.3f})")
        config["cue_threshold"] = threshold
        (work / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
        metrics["calibration"]["cue_threshold"] = {
            "chosen": threshold,
            "dev_cue_f1": {str(t): f for t, f in tried.items()},
        }
        log("evaluating the int8 model as shipped on dev and test")
        shipped = Classifier.load(work, device="cpu")
        counts = {name: len(rows) for name, rows in splits.items()}
        metrics["rescored"] = {
            "framing_version": framing.__version__,
            "trained_on": metrics.get("rescored", {}).get("trained_on", metrics["data"]),
            "data": counts,
        }
        metrics.update(
            model=config,
            data=counts,
            test=evaluate_classifier(shipped, splits["test"]),
            dev=evaluate_classifier(shipped, splits["dev"]),
            baselines={
                "majority": baselines.majority(splits["train"], {"dev": splits["dev"], "test": splits["test"]}),
                "tfidf_logreg": baselines.tfidf_logreg(
                    splits["train"],
                    {"dev": splits["dev"], "test": splits["test"]},
                    seed=metrics["training"]["seed"],
                ),
            },
        )
        (work / METRICS_FILE).write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
        (work / CARD_FILE).write_text(model_card(metrics), encoding="utf-8")
        replace_folder(work, model)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    log(f"rescored {model}")
    return metrics


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.rescore", description=__doc__.splitlines()[0])
    parser.add_argument("model", help="Model folder written by `framing train`, e.g. models/default.")
    parser.add_argument("--data", nargs="+", default=["seeds/data"], help="Labelled files or folders.")
    args = parser.parse_args(argv)
    try:
        metrics = rescore_model(args.model, args.data)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    test, dev = metrics["test"], metrics["dev"]
    print(
        f"test: stance {test['stance']['macro_f1']:.3f}, subtext {test['subtext']['macro_f1']:.3f}, "
        f"cue F1 {test['cue']['f1']:.3f}; dev: stance {dev['stance']['macro_f1']:.3f}, "
        f"subtext {dev['subtext']['macro_f1']:.3f}, cue F1 {dev['cue']['f1']:.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
