"""The CLI end to end with the shipped model: labels on the seed article, output contract, bad input."""

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from framing.cli import main
from framing.formats import RECORD_FIELDS
from tests.conftest import ARTICLES, SEED_ARTICLE, SHIPPED


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def find(records, needle):
    hits = [r for r in records if needle in r["text"]]
    assert len(hits) == 1, f"{needle!r} in {len(hits)} sentences"
    return hits[0]


@pytest.fixture(scope="module")
def seed_records():
    from framing import Classifier

    report = Classifier.load(SHIPPED, device="cpu").score(SEED_ARTICLE.read_text(encoding="utf-8"), doc="seed")
    return [s.record("seed", i) for i, s in enumerate(report.sentences)]


def test_seed_article_reads_like_an_analyst(seed_records):
    assert find(seed_records, "constructive and useful")["subtext"] == "no_progress"
    assert find(seed_records, "corresponding signals")["subtext"] == "stalling"
    assert find(seed_records, "more details")["subtext"] == "stalling"
    assert find(seed_records, "not going to be happy")["subtext"] == "warning"
    for needle in ("25% tariff", "escalated attacks"):
        record = find(seed_records, needle)
        assert (record["stance"], record["subtext"]) == ("confrontational", "literal"), record


def test_coded_sentences_carry_a_cue_inside_the_sentence(seed_records):
    coded = [r for r in seed_records if r["euphemism"]]
    assert coded
    for r in coded:
        if r["cue"]:
            assert r["text"][r["cue_start"] : r["cue_end"]] == r["cue"]


def test_jsonl_contract(capsys, tmp_path):
    out = tmp_path / "out.jsonl"
    code, stdout, _ = run(capsys, "score", str(SEED_ARTICLE), "--format", "jsonl", "--output", str(out))
    assert code == 0 and stdout == ""
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["index"] for r in records] == list(range(len(records)))
    for r in records:
        assert tuple(r) == RECORD_FIELDS
        assert r["doc"] == str(SEED_ARTICLE)
        assert set(r["stance_probs"]) == {"cooperative", "neutral", "confrontational"}
        assert sum(r["stance_probs"].values()) == pytest.approx(1.0, abs=1e-4)
        assert sum(r["subtext_probs"].values()) == pytest.approx(1.0, abs=1e-4)
        assert r["euphemism"] == (r["subtext"] != "literal")
        assert r["euphemism_prob"] == pytest.approx(1 - r["subtext_probs"]["literal"], abs=1e-5)
        assert isinstance(r["truncated"], bool) and r["meaning"]


def test_csv_and_json_formats(capsys):
    code, out, _ = run(capsys, "score", str(SEED_ARTICLE), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and tuple(rows[0]) == RECORD_FIELDS and json.loads(rows[0]["stance_probs"])
    code, out, _ = run(capsys, "score", *sorted(map(str, ARTICLES.glob("*.txt"))), "--format", "json")
    report = json.loads(out)
    assert code == 0 and len(report["articles"]) == len(list(ARTICLES.glob("*.txt")))
    for article in report["articles"]:
        assert -1.0 <= article["tone_index"] <= 1.0
        assert sum(article["stance_counts"].values()) == len(article["sentences"])
    # The illustrative articles were written with coded phrases: each must show some.
    assert all(article["coded"] >= 1 for article in report["articles"])


def test_sentences_and_jsonl_inputs(capsys, tmp_path):
    lines = tmp_path / "lines.txt"
    lines.write_text("All options are on the table, the minister warned.\nThe summit opens on Monday in Lima.\n")
    code, out, _ = run(capsys, "score", "--sentences", str(lines), "--format", "jsonl")
    assert code == 0 and [json.loads(x)["text"] for x in out.splitlines()][0].startswith("All options")
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "a1", "body": "Talks ended. No deal was reached."}) + "\n")
    code, out, _ = run(capsys, "score", "--jsonl", "body", str(corpus), "--format", "jsonl")
    docs = {json.loads(x)["doc"] for x in out.splitlines()}
    assert code == 0 and docs == {"a1"}


def test_table_format_and_info(capsys):
    code, out, _ = run(capsys, "score", str(SEED_ARTICLE))
    assert code == 0 and "constructive" in out and "no_progress" in out
    code, out, _ = run(capsys, "info")
    assert code == 0 and "CPUExecutionProvider" in out and "subtext labels" in out


def test_evaluate_runs_on_labelled_file(capsys, tmp_path):
    data = tmp_path / "labelled.jsonl"
    rows = [
        {"text": "The two presidents signed a trade pact on Friday.", "stance": "cooperative", "subtext": "literal"},
        {"text": "We will study the proposal carefully, the spokesman said.", "stance": "neutral",
         "subtext": "stalling", "cue": "We will study the proposal"},
    ]  # fmt: skip
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    code, out, _ = run(capsys, "evaluate", "--data", str(data), "--format", "json")
    metrics = json.loads(out)
    assert code == 0 and metrics["n"] == 2 and 0 <= metrics["subtext"]["macro_f1"] <= 1
    (tmp_path / "more.jsonl").write_text(json.dumps(rows[0]) + "\n")  # a folder: all its .jsonl files
    code, out, _ = run(capsys, "evaluate", "--data", str(tmp_path), "--format", "json")
    assert code == 0 and json.loads(out)["n"] == 3
    code, out, _ = run(capsys, "evaluate", "--data", str(data))  # the plain-text report
    errors = sum(metrics["cue"]["errors"].values())
    assert code == 0 and "cue spans (n=1)" in out and "cue misses: missed" in out and errors <= 1


# -- bad input: one line, non-zero exit, no traceback, no partial output ---------------------------------
def bad(capsys, tmp_path, *args, expect):
    out = tmp_path / "report.json"
    code, stdout, err = run(capsys, *args, "--format", "json", "--output", str(out))
    assert code != 0
    assert err.count("\n") == 1 and expect in err and "Traceback" not in err, err
    assert not out.exists() and not list(tmp_path.glob(".report.json*"))


def test_missing_file_directory_binary_nonutf8_empty(capsys, tmp_path):
    bad(capsys, tmp_path, "score", str(tmp_path / "nope.txt"), expect="no such file")
    bad(capsys, tmp_path, "score", str(tmp_path), expect="is a directory")
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x89PNG\x00\x00\x01")
    bad(capsys, tmp_path, "score", str(binary), expect="binary")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 diplomacy is over.".encode("latin-1"))
    bad(capsys, tmp_path, "score", str(latin), expect="not UTF-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n")
    bad(capsys, tmp_path, "score", str(empty), expect="empty input")
    # a good file followed by a bad one still leaves no output file
    bad(capsys, tmp_path, "score", str(SEED_ARTICLE), str(binary), expect="binary")


def test_unknown_format_and_bad_jsonl_row(capsys, tmp_path):
    code, _, err = run(capsys, "score", str(SEED_ARTICLE), "--format", "xml")
    assert code != 0 and "unknown format 'xml'" in err
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": 1, "text": "Fine."}) + "\n{oops\n")
    bad(capsys, tmp_path, "score", "--jsonl", "text", str(corpus), expect=f"{corpus.name}:2: not valid JSON")


@pytest.fixture
def model_copy(tmp_path):
    target = tmp_path / "model"
    shutil.copytree(SHIPPED, target)
    return target


def test_bad_model_folders(capsys, tmp_path, model_copy):
    bad(capsys, tmp_path, "score", str(SEED_ARTICLE), "--model", str(tmp_path / "none"), expect="does not exist")
    (model_copy / "tokenizer.json").unlink()
    bad(capsys, tmp_path, "score", str(SEED_ARTICLE), "--model", str(model_copy), expect="tokenizer.json is missing")
    shutil.copy(SHIPPED / "tokenizer.json", model_copy / "tokenizer.json")
    (model_copy / "model.int8.onnx").write_bytes(b"not an onnx graph")
    bad(capsys, tmp_path, "score", str(SEED_ARTICLE), "--model", str(model_copy), "--device", "cpu",
        expect="cannot be loaded by onnxruntime")  # fmt: skip
    shutil.copy(SHIPPED / "model.int8.onnx", model_copy / "model.int8.onnx")
    config = json.loads((model_copy / "config.json").read_text())
    config["labels"]["subtext"] = config["labels"]["subtext"][:-1]
    (model_copy / "config.json").write_text(json.dumps(config))
    bad(capsys, tmp_path, "score", str(SEED_ARTICLE), "--model", str(model_copy), expect="labels do not match")


def test_cuda_without_cuda_is_a_clear_error(capsys, tmp_path):
    import onnxruntime

    if "CUDAExecutionProvider" in onnxruntime.get_available_providers():
        pytest.skip("this machine offers CUDA")
    bad(capsys, tmp_path, "score", str(SEED_ARTICLE), "--device", "cuda", expect="device cuda requested")


def test_score_imports_only_the_light_runtime(tmp_path):
    out = tmp_path / "r.json"
    code = (
        "import sys\nfrom framing.cli import main\n"
        f"assert main(['score', {str(SEED_ARTICLE)!r}, '--format', 'json', '-o', {str(out)!r}]) == 0\n"
        "heavy = ('torch', 'transformers', 'datasets', 'sklearn', 'pydantic', 'asyncio', 'rich')\n"
        "heavy = [m for m in heavy if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text())["articles"]


def test_console_script_exit_codes(tmp_path):
    script = shutil.which("framing", path=str(Path(sys.executable).parent))
    assert script, "console script not installed"
    result = subprocess.run([script, "score", str(tmp_path / "missing.txt")], capture_output=True, text=True)
    assert result.returncode == 1 and result.stderr.strip().startswith("framing: error:")
    assert "Traceback" not in result.stderr
