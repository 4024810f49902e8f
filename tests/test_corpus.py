"""The project corpus obeys its rules; bad records are reported with file:line."""

import json

import pytest

from training import corpus


@pytest.fixture(scope="module")
def rows():
    return corpus.load_corpus()


def test_corpus_has_no_problems(rows):
    found = corpus.problems(rows)
    assert not found, "\n".join(found[:30])


def test_data_card_counts_match_files(rows):
    assert corpus.card_counts() == corpus.count_tables([row for _, row in rows])


def test_splits_are_deterministic_and_hold_out_cues(rows):
    for where, row in rows:
        assert row["split"] == corpus.expected_split(row), where
    test_cues = {corpus.family(r) for _, r in rows if r["split"] == "test" and r["cue"]}
    other_cues = {corpus.family(r) for _, r in rows if r["split"] != "test" and r["cue"]}
    assert test_cues and not test_cues & other_cues


def _write(tmp_path, records):
    path = tmp_path / "slice.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


GOOD = {
    "id": "x-1", "text": "The talks were constructive and useful, the ministry said.", "stance": "neutral",
    "subtext": "no_progress", "cue": "constructive and useful", "cue_family": "constructive and useful",
    "split": "", "hard_negative": False,
}  # fmt: skip


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"stance": "hostile"}, "stance 'hostile' is not one of"),
        ({"subtext": "sarcasm"}, "subtext 'sarcasm' is not one of"),
        ({"cue": "productive talks"}, "is not a substring"),
        ({"subtext": "literal"}, "literal sentence must have an empty cue"),
        ({"text": "Talks: constructive and useful."}, "4 words, outside 5 to 60"),
        ({"hard_negative": "yes"}, "hard_negative must be true or false"),
        ({"split": "holdout"}, "split 'holdout' is not one of"),
    ],
)
def test_bad_record_is_reported_with_file_and_line(tmp_path, change, reason):
    good = dict(GOOD, split=corpus.expected_split(GOOD))
    other = dict(GOOD, id="x-2", text="Both delegations said the meeting in Geneva was useful and constructive.")
    other["split"] = corpus.expected_split(other)
    path = _write(tmp_path, [other, dict(good, **change)])
    found = corpus.problems(corpus.read_rows(path))
    assert any(f.startswith(f"{path}:2:") and reason in f for f in found), found


def test_duplicates_and_missing_fields(tmp_path):
    good = dict(GOOD, split=corpus.expected_split(GOOD))
    path = _write(tmp_path, [good, dict(good, id="x-2", text=good["text"].upper())])
    assert any(f.startswith(f"{path}:2:") and "duplicate" in f for f in corpus.problems(corpus.read_rows(path)))
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps({"id": "y", "text": "hello there"}) + "\n", encoding="utf-8")
    with pytest.raises(corpus.DataError, match=rf"{broken}:1: missing field"):
        corpus.read_rows(broken)
