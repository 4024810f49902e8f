"""The cue head ablation's summary, its checks on the model it describes, and the model card section."""

import importlib.util
import json
from pathlib import Path

import pytest

from training.card import model_card

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("cue_head_ablation", ROOT / "bench" / "cue_head_ablation.py")
ablation = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ablation)


def _summary():
    deltas = {
        ("dev", "stance"): [-0.5, 0.25, -1.0],
        ("dev", "subtext"): [0.5, 0.5, 0.5],
        ("test", "stance"): [0.0, -2.0, 1.0],
        ("test", "subtext"): [1.0, 2.0, 3.0],
    }
    return ablation.summarise(deltas, [21, 13, 7], 3.0)


def test_summary_counts_the_seeds_where_a_head_got_worse():
    summary = _summary()
    assert summary["dev"]["stance"] == {"mean": -0.42, "sd": 0.63, "worse": 2, "differences": [-0.5, 0.25, -1.0]}
    assert summary["dev"]["subtext"]["worse"] == 0 and summary["dev"]["subtext"]["sd"] == 0.0
    assert summary["test"]["stance"]["worse"] == 1 and summary["test"]["subtext"]["mean"] == 2.0


def test_model_card_reports_the_cost_of_the_cue_head():
    metrics = json.loads((ROOT / "models" / "default" / "metrics.json").read_text())
    metrics["cue_head_ablation"] = _summary()
    card = model_card(metrics)
    section = card.split("## Cost of the cue head", 1)[1]
    assert "seeds 21, 13, 7" in section
    assert "| dev | -0.42 ± 0.63 (worse for 2 of 3 seeds) | +0.50 ± 0.00 (worse for 0 of 3 seeds) |" in section


def test_model_card_reports_one_seed_without_a_spread():
    metrics = json.loads((ROOT / "models" / "default" / "metrics.json").read_text())
    metrics["cue_head_ablation"] = ablation.summarise(
        {(split, head): [0.5] for split in ("dev", "test") for head in ("stance", "subtext")}, [7], 3.0
    )
    section = model_card(metrics).split("## Cost of the cue head", 1)[1]
    assert "for seed 7," in section and "a single seed" in section and "| dev | +0.50 | +0.50 |" in section


def test_model_card_says_when_the_cost_of_the_cue_head_was_not_measured():
    metrics = json.loads((ROOT / "models" / "default" / "metrics.json").read_text())
    metrics.pop("cue_head_ablation", None)
    section = model_card(metrics).split("## Cost of the cue head", 1)[1]
    assert section.lstrip().startswith("Not measured for this model")


def test_recording_refuses_a_model_of_another_recipe(tmp_path):
    metrics = json.loads((ROOT / "models" / "default" / "metrics.json").read_text())
    metrics["training"]["config"]["cue_weight"] = 1.0
    (tmp_path / "metrics.json").write_text(json.dumps(metrics))
    with pytest.raises(SystemExit, match="not trained with the default recipe"):
        ablation.load_model_metrics(tmp_path, [21, 13, 7])
    with pytest.raises(SystemExit, match="not found"):
        ablation.load_model_metrics(tmp_path / "missing", [21])
