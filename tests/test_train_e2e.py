"""A small end-to-end run: training, calibration, export, the parity and int8 gates, and the model folder."""

import json

import pytest

from framing import Classifier
from framing.model import ModelConfig
from tests.conftest import ROOT

pytest.importorskip("torch")


#: 16 training sentences of each subtext taken from the corpus; dev and test reuse some of them, so a few
#: steps give confident predictions. This run checks the mechanics of training, export and the gates;
#: generalisation is measured on the real corpus, not here.
TINY = ROOT / "tests" / "data" / "tiny.jsonl"


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    from training.pipeline import train_model
    from training.trainer import TrainConfig

    tmp = tmp_path_factory.mktemp("train")
    data = TINY
    out = tmp / "models" / "tiny"
    lines = []
    metrics = train_model([data], out, TrainConfig(epochs=8, batch_size=16, lr=3e-4, seed=3), log=lines.append)
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
    assert min(gates["int8_vs_fp32_sure_agreement"].values()) >= 0.98
    assert gates["int8_vs_fp32_agreement"]["cue_tokens"] >= 0.98
    assert gates["quantisation"]["level"] in gates["quantisation"]["dev"]
    for split in ("dev", "test"):
        assert 0.0 <= metrics[split]["stance"]["macro_f1"] <= 1.0
        assert "cue" in metrics[split]
    assert set(metrics["baselines"]) == {"majority", "tfidf_logreg"}
    card = (trained[0] / "MODEL_CARD.md").read_text()
    assert "## Baselines" in card and "Export gates" in card
    chosen = metrics["calibration"]["cue_threshold"]  # picked on dev, written to the config the runtime reads
    assert chosen["dev_cue_f1"][str(chosen["chosen"])] == max(chosen["dev_cue_f1"].values())
    assert ModelConfig.read(trained[0]).cue_threshold == chosen["chosen"] and "Cue threshold" in card
    misses = metrics["test"]["cue"]["errors"]  # how the cues went wrong, counted per coded test sentence
    assert sum(misses.values()) <= metrics["test"]["cue"]["n"] and f"(test {metrics['test']['cue']['n']} / dev" in card


def test_training_is_deterministic():
    import torch

    from framing.tokens import TextEncoder
    from training.data import by_split, load_examples
    from training.modeling import FramingModel, base_model_path
    from training.trainer import TrainConfig, encode, fit

    splits = by_split(load_examples([TINY]))
    encoder = TextEncoder(base_model_path() / "tokenizer.json", 128)
    train, dev = encode(encoder, splits["train"]), encode(encoder, splits["dev"])
    config = TrainConfig(epochs=1, batch_size=16, lr=5e-4, seed=7, max_steps=3)
    runs = []
    for _ in range(2):
        torch.manual_seed(config.seed)
        model = FramingModel.from_base()
        history = fit(model, train, dev, config, encoder.pad_id, log=lambda _: None)
        runs.append((history, model.state_dict()))
    (h1, s1), (h2, s2) = runs
    assert [h["loss"] for h in h1] == [h["loss"] for h in h2]
    assert all(torch.equal(s1[name], s2[name]) for name in s1)


@pytest.mark.parametrize("freeze", [True, False])
def test_freeze_embeddings_keeps_the_word_table(freeze):
    import torch

    from framing.tokens import TextEncoder
    from training.data import by_split, load_examples
    from training.modeling import FramingModel, base_model_path
    from training.trainer import TrainConfig, encode, fit

    splits = by_split(load_examples([TINY]))
    encoder = TextEncoder(base_model_path() / "tokenizer.json", 128)
    train, dev = encode(encoder, splits["train"]), encode(encoder, splits["dev"])
    model = FramingModel.from_base()
    table = model.encoder.get_input_embeddings().weight.detach().clone()
    layer = model.encoder.encoder.layer[0].attention.self.query.weight.detach().clone()
    config = TrainConfig(epochs=1, batch_size=16, lr=5e-4, seed=7, max_steps=2, freeze_embeddings=freeze)
    fit(model, train, dev, config, encoder.pad_id, log=lambda _: None)
    assert torch.equal(model.encoder.get_input_embeddings().weight, table) is freeze
    assert not torch.equal(model.encoder.encoder.layer[0].attention.self.query.weight, layer)


def test_failed_gate_leaves_no_model_folder(tmp_path, monkeypatch):
    from training import export, pipeline
    from training.trainer import TrainConfig

    monkeypatch.setattr(export, "PARITY_TOLERANCE", -1.0)  # impossible: every export must now fail
    data = TINY
    out = tmp_path / "models" / "broken"
    with pytest.raises(export.GateError, match="fp32 ONNX differs from PyTorch"):
        pipeline.train_model([data], out, TrainConfig(epochs=1, max_steps=1), log=lambda _: None)
    assert not out.exists()
    assert list((tmp_path / "models").iterdir()) == []


def test_rescore_measures_again_without_retraining(trained, tmp_path):
    import shutil

    from framing.errors import InputError
    from training.rescore import rescore_model

    model = tmp_path / "tiny"
    shutil.copytree(trained[0], model)
    rows = [json.loads(line) for line in TINY.read_text(encoding="utf-8").splitlines() if line.strip()]
    kept = [r for r in rows if r["split"] != "test"] + [r for r in rows if r["split"] == "test"][:5]
    data = tmp_path / "fewer.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in kept), encoding="utf-8")
    weights = (model / "model.int8.onnx").read_bytes()

    external = tmp_path / "coded.jsonl"
    coded = [
        ("Troops shelled the border town overnight.", "confrontational"),
        ("The two sides signed a deal.", "cooperative"),
    ]
    external.write_text("".join(json.dumps({"text": t, "stance": s}) + "\n" for t, s in coded), encoding="utf-8")

    metrics = rescore_model(model, [data], external, log=lambda _: None)
    assert metrics["data"]["test"] == 5 and metrics["test"]["n"] == 5
    assert metrics["external_stance"]["n"] == 2 and metrics["external_stance"]["source"] == "coded.jsonl"
    assert metrics["rescored"]["trained_on"] == trained[1]["data"]
    assert json.loads((model / "metrics.json").read_text()) == metrics
    assert (model / "model.int8.onnx").read_bytes() == weights  # not retrained
    assert ModelConfig.read(model).cue_threshold == metrics["calibration"]["cue_threshold"]["chosen"]
    card = (model / "MODEL_CARD.md").read_text()
    assert "training.rescore" in card and f"trained on train {trained[1]['data']['train']}" in card
    assert sorted(p.name for p in tmp_path.iterdir()) == ["coded.jsonl", "fewer.jsonl", "tiny"]  # no temporary folder
    with pytest.raises(InputError, match="no metrics.json"):
        rescore_model(tmp_path, [data], log=lambda _: None)
