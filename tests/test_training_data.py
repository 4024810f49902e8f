"""Training files: JSONL, CSV and Parquet are read with datasets; bad rows fail with file:line."""

import json

import pytest

from framing.labelled import DataError, assign_split
from training.data import by_split, load_examples

ROW = {"text": "The two sides signed a trade agreement on Monday.", "stance": "cooperative", "subtext": "literal"}


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_reads_jsonl_csv_and_parquet(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    write_jsonl(tmp_path / "a.jsonl", [ROW, dict(ROW, text="Talks will resume in Vienna next week.", stance="neutral")])
    (tmp_path / "b.csv").write_text(
        "text,stance,subtext,cue\n"
        '"We will study the proposal, the minister said.",neutral,stalling,will study the proposal\n',
        encoding="utf-8",
    )
    pq.write_table(
        pa.Table.from_pylist([dict(ROW, text="Ministers agreed on a ceasefire in Doha.")]), tmp_path / "c.parquet"
    )
    examples = load_examples([tmp_path])
    assert [e.subtext for e in examples] == ["literal", "literal", "stalling", "literal"]
    assert examples[2].cue == "will study the proposal"
    assert all(e.split in ("train", "dev", "test") for e in examples)


@pytest.mark.parametrize(
    "line, reason",
    [
        ('{"text": "x y z", "stance": "neutral"', "not valid JSON"),
        (json.dumps(dict(ROW, stance="angry")), "stance 'angry' is not one of"),
        (json.dumps(dict(ROW, subtext="irony")), "subtext 'irony' is not one of"),
        (json.dumps(dict(ROW, text="")), "'text' is missing or empty"),
        (json.dumps(dict(ROW, subtext="stalling", cue="not in the text")), "is not a substring"),
        (json.dumps(dict(ROW, split="validation")), "split 'validation' is not one of"),
    ],
)
def test_bad_jsonl_rows_name_file_and_line(tmp_path, line, reason):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(ROW) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=rf"^{path}:2: .*{reason}"):
        load_examples([path])


def test_bad_csv_row_names_its_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("text,stance,subtext\nFine sentence with words here.,neutral,literal\nAnother one.,nice,literal\n")
    with pytest.raises(DataError, match=rf"^{path}:3: stance 'nice'"):
        load_examples([path])


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("notes.txt", "hello", "unsupported file type"),
        ("latin.jsonl", b'{"text": "caf\xe9"}\n', "not UTF-8"),
    ],
)
def test_unusable_files(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(DataError, match=reason):
        load_examples([path])


def test_missing_paths_and_empty_folders(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        load_examples([tmp_path / "nope.jsonl"])
    with pytest.raises(DataError, match="no .jsonl, .csv or .parquet files"):
        load_examples([tmp_path])


def test_split_assignment_is_deterministic_and_every_split_needed(tmp_path):
    assert assign_split("constructive and useful") == assign_split("constructive and useful")
    path = write_jsonl(tmp_path / "one.jsonl", [dict(ROW, split="train")])
    with pytest.raises(DataError, match="no dev or test rows"):
        by_split(load_examples([path]))
