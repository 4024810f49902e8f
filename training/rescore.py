"""Re-measure a trained model without retraining it, after the corpus or the runtime's decoding changed.

The cue threshold is fitted again on dev, dev and test are scored again with the int8 model as shipped, the
baselines are refitted on the same splits, and ``config.json``, ``metrics.json`` and ``MODEL_CARD.md`` are
rewritten in a copy of the folder that replaces the original only when all of it is written. The training
history, the calibration temperatures and the export gates stay as measured at training; the card says so.

    python -m training.rescore models/default [--data seeds/data] [--external stance.jsonl]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import framing
from framing.errors import FramingError, InputError
from framing.model import METRICS_FILE
from training.data import by_split, load_examples
from training.pipeline import building_folder, measure_model, write_metrics


def rescore_model(
    model: str | Path,
    data: Sequence[str | Path],
    external: str | Path | None = None,
    log: Callable[[str], None] = print,
) -> dict:
    """Re-measure the model folder ``model`` on the labelled ``data`` (dev and test splits, by their
    ``split`` field) with the current decoder, and its stance agreement with the externally coded
    sentences in ``external`` when given; returns the new metrics."""
    model = Path(model)
    if not (model / METRICS_FILE).is_file():
        raise InputError(f"{model}: no {METRICS_FILE}; rescore needs a model folder written by `framing train`")
    metrics = json.loads((model / METRICS_FILE).read_text(encoding="utf-8"))
    splits = by_split(load_examples(list(data)))
    with building_folder(model) as work:
        shutil.copytree(model, work, dirs_exist_ok=True)
        measured = measure_model(work, splits, metrics["training"]["seed"], external, log)
        metrics["calibration"]["cue_threshold"] = measured.pop("cue_threshold")
        metrics["rescored"] = {
            "framing_version": framing.__version__,
            "trained_on": metrics.get("rescored", {}).get("trained_on", metrics["data"]),
        }
        metrics.update(measured)
        write_metrics(work, metrics)
    log(f"rescored {model}")
    return metrics


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.rescore", description=__doc__.splitlines()[0])
    parser.add_argument("model", help="Model folder written by `framing train`, e.g. models/default.")
    parser.add_argument("--data", nargs="+", default=["seeds/data"], help="Labelled files or folders.")
    parser.add_argument("--external", help="JSONL with text and stance, for an agreement figure (evaluation only).")
    args = parser.parse_args(argv)
    try:
        metrics = rescore_model(args.model, args.data, args.external)
    except FramingError as exc:
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
