"""The second cue annotation: it still matches the corpus, and the bench scores it and the model."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("cue_agreement", ROOT / "bench" / "cue_agreement.py")
agreement = importlib.util.module_from_spec(spec)
spec.loader.exec_module(agreement)


def test_a_second_cue_is_placed_at_its_first_occurrence_or_nowhere():
    from framing.labelled import Example

    def span(text: str, cue: str):
        return Example(text=text, stance="neutral", subtext="stalling", cue=cue).cue_span()

    assert span("not now, not yet", "not") == (0, 3)
    assert span("not now", "later") is None
    assert span("not now", "") is None


@pytest.mark.parametrize("split", ["dev", "test"])
def test_every_second_cue_is_in_a_coded_sentence_of_its_split(split):
    from training.corpus import load_corpus

    corpus = {row["id"]: row for _, row in load_corpus()}
    second = [json.loads(line) for line in agreement.SECOND[split].open(encoding="utf-8")]
    assert len(second) == 200 and len({r["id"] for r in second}) == 200
    for r in second:
        row = corpus[r["id"]]
        assert row["split"] == split and row["cue"] and r["cue"] and r["cue"] in row["text"], r["id"]


@pytest.mark.parametrize("split", ["dev", "test"])
def test_bench_scores_the_second_annotation_and_the_model(split):
    lines, results = agreement.measure(ROOT / "models" / "default", split)
    assert results["sentences"] == 200 and results["skipped"] == 0
    second = results["second_vs_corpus"]
    assert second["n"] == 200 and second["errors"]["missed"] == 0 and 0 < second["f1"] < 1
    assert sum(second["errors"].values()) <= round(200 * (1 - second["exact_match"]))
    table = [line for line in lines if line.startswith("| ")]
    assert len(table) == 6 and "model (default) vs second annotation" in table[-1]
