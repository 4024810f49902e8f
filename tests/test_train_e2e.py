"""A small end-to-end run: training, calibration, export, the parity and int8 gates, and the model folder."""

import json
import random

import pytest

from framing import Classifier
from framing.labels import SUBTEXTS
from framing.model import ModelConfig
from tests.conftest import ROOT
from training.corpus import expected_split

pytest.importorskip("torch")


def small_slice(path, per_class=(24, 6, 6), seed=0):
    """A few sentences of every subtext from each split of the corpus."""
    rows = [json.loads(line) for f in sorted((ROOT / "seeds" / "data").glob("*.jsonl")) for line in f.open()]
    random.Random(seed).shuffle(rows)
    for row in rows:
        row["split"] = expected_split(row)
    chosen = []
    for split, n in zip(("train", "dev", "test"), per_class):
        for subtext in SUBTEXTS:
            chosen += [r for r in rows if r["split"] == split and r["subtext"] == subtext][:n]
    path.write_text("".join(json.dumps(r) + "\n" for r in chosen), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    from training.pipeline import train_model
    from training.trainer import TrainConfig

    tmp = tmp_path_factory.mktemp("train")
    data = small_slice(tmp / "slice.jsonl")
    out = tmp / "models" / "tiny"
    lines = []
    metrics = train_model([data], out, TrainConfig(epochs=3, batch_size=16, lr=1e-4, seed=3), log=lines.append)
    return out, metrics, lines


def test_model_folder_is_complete_and_loadable(trained):
    out, metrics, lines = trained
    names = {p.name for p in out.iterdir()}
    assert {
        "model.int8.onnx",
        "model.fp16.onnx",
        "tokenizer.json",
        "config.json",
        "metrics.json",
        "MODEL_CARD.md",
    } <= names
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")], "temporary folders left behind"
    config = ModelConfig.read(out)
    assert config.max_length == 128 and set(config.temperatures) == {"stance", "subtext"}
    tokenizer = json.loads((out / "tokenizer.json").read_text())
    assert tokenizer["padding"] is None and tokenizer["truncation"] is None
    labels = Classifier.load(out, device="cpu").classify(["The ministers signed the accord in Nairobi on Friday."])
    assert labels[0].stance in ("cooperative", "neutral", "confrontational")
    assert any(line.startswith("epoch 1:") for line in lines)


def test_gates_and_metrics_were_measured(trained):
    _, metrics, _ = trained
    gates = metrics["export"]
    assert gates["fp32_vs_torch_max_abs_logit_diff"] <= 1e-4
    assert min(gates["int8_vs_fp32_agreement"].values()) >= 0.98
    for split in ("dev", "test"):
        assert 0.0 <= metrics[split]["stance"]["macro_f1"] <= 1.0
        assert "cue" in metrics[split]
    assert set(metrics["baselines"]) == {"majority", "tfidf_logreg"}
    card = (trained[0] / "MODEL_CARD.md").read_text()
    assert "## Baselines" in card and "Export gates" in card


def test_training_is_deterministic(trained, tmp_path):
    from training.pipeline import train_model
    from training.trainer import TrainConfig

    data = small_slice(tmp_path / "slice.jsonl")
    config = TrainConfig(epochs=1, batch_size=16, lr=1e-4, seed=3, max_steps=3)
    a = train_model([data], tmp_path / "a", config, log=lambda _: None)
    b = train_model([data], tmp_path / "b", config, log=lambda _: None)
    assert a["training"]["history"] == [
        dict(h, seconds=h2["seconds"]) for h, h2 in zip(b["training"]["history"], a["training"]["history"])
    ]


def test_failed_gate_leaves_no_model_folder(tmp_path, monkeypatch):
    from training import export, pipeline
    from training.trainer import TrainConfig

    monkeypatch.setattr(export, "PARITY_TOLERANCE", -1.0)  # impossible: every export must now fail
    data = small_slice(tmp_path / "slice.jsonl", per_class=(4, 2, 2))
    out = tmp_path / "models" / "broken"
    with pytest.raises(export.GateError, match="fp32 ONNX differs from PyTorch"):
        pipeline.train_model([data], out, TrainConfig(epochs=1, max_steps=1), log=lambda _: None)
    assert not out.exists()
    assert list((tmp_path / "models").iterdir()) == []
