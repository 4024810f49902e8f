"""framing batch on a local Ray (2 CPUs) gives the same sentence records as the single-process CLI."""

import json

import pytest

from framing.cli import main
from tests.conftest import ARTICLES

ray = pytest.importorskip("ray")
pq = pytest.importorskip("pyarrow.parquet")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ray")
    path = tmp / "corpus.jsonl"
    lines = [json.dumps({"id": a.stem, "body": a.read_text(encoding="utf-8")}) for a in sorted(ARTICLES.glob("*.txt"))]
    lines.insert(2, '{"id": "broken", "body": ')  # a corrupt row
    lines.append(json.dumps({"id": "no-text", "title": "missing body"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def key(record):
    return (record["doc"], record["index"])


def test_batch_matches_cli_and_reports_errors(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["batch", str(corpus), "--text-field", "body", "--output", str(out), "--actors", "1"])
    _, err = capsys.readouterr()
    assert code == 0, err
    articles = [a for a in ARTICLES.glob("*.txt")]
    assert f"{len(articles) + 2} rows in, {len(articles)} articles" in err and "2 errors" in err

    distributed = pq.read_table(out / "sentences").to_pylist()
    good = corpus.parent / "good.jsonl"
    good.write_text("".join(line + "\n" for line in corpus.read_text().splitlines() if '"body": "' in line))
    assert main(["score", "--jsonl", "body", str(good), "--format", "jsonl", "-o", str(tmp_path / "cli.jsonl")]) == 0
    single = [json.loads(line) for line in (tmp_path / "cli.jsonl").read_text().splitlines()]
    assert sorted(map(key, distributed)) == sorted(map(key, single))
    by_key = {key(r): r for r in distributed}
    for record in single:
        other = by_key[key(record)]
        for field in ("text", "stance", "subtext", "euphemism", "cue", "cue_start", "cue_end", "truncated"):
            assert other[field] == record[field], (field, record["text"])
        for label, p in record["stance_probs"].items():
            assert other["stance_probs"][label] == pytest.approx(p, abs=1e-5)

    table = pq.read_table(out / "articles").to_pylist()
    assert sorted(row["doc"] for row in table) == sorted(a.stem for a in articles)
    for row in table:
        assert -1 <= row["tone_index"] <= 1
        assert row["cooperative"] + row["neutral"] + row["confrontational"] == pytest.approx(1.0)
    errors = [json.loads(line) for f in sorted((out / "errors").glob("*.json*")) for line in f.read_text().splitlines()]
    assert sorted(e["doc"] for e in errors if not e["doc"].startswith("unparsed")) == ["no-text"]
    assert any(e["doc"].startswith("unparsed") and "JSONDecodeError" in e["error"] for e in errors)


def test_batch_refuses_a_non_empty_output_folder(corpus, tmp_path, capsys):
    (tmp_path / "keep.txt").write_text("x")
    assert main(["batch", str(corpus), "--text-field", "body", "--output", str(tmp_path)]) == 1
    assert "not empty" in capsys.readouterr().err


def test_batch_refuses_actors_that_would_hold_every_cpu(corpus, tmp_path, capsys):
    import os

    cpus = os.cpu_count() or 1
    assert (
        main(["batch", str(corpus), "--text-field", "body", "--output", str(tmp_path / "o"), "--actors", str(cpus)])
        == 1
    )
    assert "leaving none to read and split" in capsys.readouterr().err
