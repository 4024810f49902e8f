"""Training files: JSONL, CSV and Parquet are read with datasets; bad rows fail with file:line."""

import json
import re

import pytest

from framing.labelled import DataError, assign_split
from training.data import by_split, load_examples

ROW = {"text": "The two sides signed a trade agreement on Monday.", "stance": "cooperative", "subtext": "literal"}
CODED = {
    "text": "The talks were constructive and useful, and both sides agreed to stay in touch.",
    "stance": "neutral",
    "subtext": "no_progress",
    "cue": "constructive and useful",
}


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
        (json.dumps(dict(ROW, other_cues=["signed"])), "'other_cues' needs a 'cue'"),
        (json.dumps(dict(CODED, other_cues=[""])), "must be a list of non-empty strings"),
        (json.dumps(dict(CODED, other_cues=["not in the text"])), "other cue 'not in the text' is not a substring"),
        (json.dumps(dict(CODED, other_cues=["and useful"])), "other cue 'and useful' overlaps the cue"),
    ],
)
def test_bad_jsonl_rows_name_file_and_line(tmp_path, line, reason):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(ROW) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=rf"^{path}:2: .*{reason}"):
        load_examples([path])


def test_other_cues_from_jsonl_and_csv(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", [dict(CODED, other_cues=["agreed to stay in touch"]), ROW])
    (tmp_path / "b.csv").write_text(
        "text,stance,subtext,cue,other_cues\n"
        '"We will study it and revert in due course.",neutral,stalling,will study it,revert in due course\n',
        encoding="utf-8",
    )
    coded, literal, csv_row = load_examples([tmp_path])
    assert coded.other_cues == ("agreed to stay in touch",) and literal.other_cues == ()
    assert [coded.text[a:b] for a, b in coded.other_spans()] == ["agreed to stay in touch"]
    assert csv_row.other_cues == ("revert in due course",)


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


def test_other_cues_are_left_out_of_the_cue_loss():
    from framing.labelled import check_row
    from framing.labels import CUE_TAGS
    from training.trainer import IGNORE, cue_tags

    example = check_row(dict(CODED, other_cues=["agreed to stay in touch"]), "row")
    words = [(m.start(), m.end()) for m in re.finditer(r"\w+", example.text)]
    tags = cue_tags([(0, 0), *words, (0, 0)], example.cue_span(), example.other_spans())
    by_word = {example.text[a:b]: tag for (a, b), tag in reversed(list(zip(words, tags[1:-1])))}  # first wins
    outside, begin, inside = (CUE_TAGS.index(t) for t in ("O", "B-CUE", "I-CUE"))
    assert tags[0] == tags[-1] == IGNORE
    assert [by_word[w] for w in ("constructive", "and", "useful")] == [begin, inside, inside]
    assert [by_word[w] for w in ("agreed", "stay", "touch")] == [IGNORE] * 3
    assert by_word["talks"] == by_word["sides"] == outside
