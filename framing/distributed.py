"""``framing batch``: score a large corpus on Ray Data, one :class:`~framing.Classifier` per actor.

Rows flow: JSONL lines or Parquet rows -> parsed articles (bad rows kept aside with their id and reason)
-> an actor pool that splits and labels each article -> sentence records (the CLI's contract), an
article table, and an errors file.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from framing.errors import InputError
from framing.report import ArticleReport

OUTPUT_FORMATS = ("parquet", "jsonl")
SUMMARY_COLUMNS = ("sentence_count", "cooperative", "neutral", "confrontational", "tone_index", "euphemism_rate")


@dataclass
class BatchSummary:
    """What a batch run read, wrote and skipped."""

    rows_in: int
    articles: int
    sentences_out: int
    errors: int
    output: str

    def line(self) -> str:
        return (
            f"{self.rows_in} rows in, {self.articles} articles and {self.sentences_out} sentences out, "
            f"{self.errors} errors; results in {self.output}"
        )


def parse_lines(batch: dict, text_field: str, id_field: str) -> dict:
    """JSONL lines to ``doc``/``text``/``error`` columns; a bad line becomes an error row, never an exception."""
    docs, texts, errors = [], [], []
    for number, line in enumerate(batch["text"]):
        doc, text, error = f"line-{number}", "", ""
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError("not a JSON object")
            doc = str(row.get(id_field, doc))
            value = row.get(text_field)
            if not isinstance(value, str):
                raise ValueError(f"no text field {text_field!r}")
            text = value
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            error = f"{type(exc).__name__}: {exc}"[:300]
            if doc.startswith("line-"):
                doc = f"unparsed: {line[:80]}"
        docs.append(doc)
        texts.append(text)
        errors.append(error)
    return {"doc": docs, "text": texts, "error": errors}


def parse_table(batch: dict, text_field: str, id_field: str) -> dict:
    """Parquet rows to ``doc``/``text``/``error`` columns."""
    if text_field not in batch:
        raise InputError(f"the input has no column {text_field!r} (use --text-field)")
    n = len(batch[text_field])
    ids = batch.get(id_field, [None] * n)
    docs, texts, errors = [], [], []
    for i in range(n):
        value, doc = batch[text_field][i], ids[i]
        ok = isinstance(value, str)
        docs.append(str(doc) if doc is not None else f"row-{i}")
        texts.append(value if ok else "")
        errors.append("" if ok else f"text is {type(value).__name__}, not a string")
    return {"doc": docs, "text": texts, "error": errors}


class Scorer:
    """The actor: one classifier, loaded once, labels whole articles."""

    def __init__(self, model: str | None, threads: int, batch_size: int) -> None:
        from framing.classifier import Classifier

        self.classifier = Classifier.load(model, device="cpu", threads=threads, batch_size=batch_size)

    def __call__(self, batch: dict) -> dict:
        rows = list(zip(batch["doc"], batch["text"], batch["error"]))
        errors = [error or ("" if text.strip() else "empty text") for _, text, error in rows]
        good = [(doc, text) for (doc, text, _), error in zip(rows, errors) if not error]
        try:  # sentences of the whole batch share token batches
            reports = iter(list(self.classifier.score_many(good)))
        except Exception:  # one bad article must not stop the corpus: retry one by one to find it
            reports = iter([self._score_one(doc, text) for doc, text in good])
        out: dict[str, list] = {"doc": [], "error": [], "records": [], **{c: [] for c in SUMMARY_COLUMNS}}
        for (doc, _, _), error in zip(rows, errors):
            records, summary = "[]", {c: 0.0 for c in SUMMARY_COLUMNS}
            if not error:
                report = next(reports)
                if isinstance(report, str):
                    error = report
                else:
                    records = json.dumps([s.record(doc, i) for i, s in enumerate(report.sentences)])
                    summary = dict(report.stance_shares, sentence_count=len(report.sentences))
                    summary.update(tone_index=report.tone_index, euphemism_rate=report.euphemism_rate)
            out["doc"].append(doc)
            out["error"].append(error)
            out["records"].append(records)
            for column in SUMMARY_COLUMNS:
                out[column].append(summary[column])
        return out

    def _score_one(self, doc: str, text: str) -> ArticleReport | str:
        """The report, or the error as a short string."""
        try:
            return self.classifier.score(text, doc=doc)
        except Exception as exc:
            return f"{type(exc).__name__}: {exc}"[:300]


def explode(row: dict) -> list[dict]:
    return json.loads(row["records"])


def run_batch(
    source: str,
    output: str,
    text_field: str = "text",
    id_field: str = "id",
    address: str | None = None,
    actors: int = 1,
    threads_per_actor: int = 1,
    batch_size: int = 32,
    model: str | None = None,
    output_format: str = "parquet",
) -> BatchSummary:
    """Score ``source`` (JSONL or Parquet, a path or anything Ray Data reads) into the folder ``output``.

    ``output`` is a local path; on a cluster it must be storage every node can write to (a shared
    filesystem mounted at the same path).
    """
    import ray

    from framing.model import ModelConfig, default_model_path

    if output_format not in OUTPUT_FORMATS:
        raise InputError(f"unknown output format {output_format!r}: use parquet or jsonl")
    if actors < 1 or threads_per_actor < 1:
        raise InputError("--actors and --threads-per-actor must be at least 1")
    model_path = str(Path(model or default_model_path()).resolve())
    ModelConfig.read(model_path)  # fail before starting Ray if the model folder is unusable
    out = Path(output)
    if out.exists() and any(out.iterdir()):
        raise InputError(f"{output}: output folder exists and is not empty")
    local = "://" not in source
    if local and not Path(source).exists():
        raise InputError(f"{source}: no such file or folder")
    is_parquet = source.endswith(".parquet") or (
        local and Path(source).is_dir() and any(Path(source).glob("*.parquet"))
    )

    ray.init(address=address, ignore_reinit_error=True, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"OMP_NUM_THREADS": str(threads_per_actor)}})  # fmt: skip
    try:
        cpus = int(ray.cluster_resources().get("CPU", 0))
        if actors * threads_per_actor >= cpus:
            raise InputError(
                f"{actors} actor(s) x {threads_per_actor} thread(s) would hold all {cpus} CPUs of the Ray cluster, "
                "leaving none to read and split the input: use fewer actors or threads"
            )
        if is_parquet:
            rows = ray.data.read_parquet(source)
            parsed = rows.map_batches(parse_table, fn_kwargs={"text_field": text_field, "id_field": id_field},
                                      batch_format="numpy")  # fmt: skip
        else:
            rows = ray.data.read_text(source)
            parsed = rows.map_batches(parse_lines, fn_kwargs={"text_field": text_field, "id_field": id_field},
                                      batch_format="numpy")  # fmt: skip
        scored = parsed.map_batches(
            Scorer,
            fn_constructor_kwargs={"model": model_path, "threads": threads_per_actor, "batch_size": batch_size},
            compute=ray.data.ActorPoolStrategy(size=actors),
            num_cpus=threads_per_actor,
            batch_size=16,
            batch_format="numpy",
        ).materialize()
        good = scored.filter(lambda row: not row["error"])
        bad = scored.filter(lambda row: bool(row["error"]))
        sentences = good.flat_map(explode)
        articles = good.drop_columns(["records", "error"])
        errors = bad.select_columns(["doc", "error"])
        counts = {"rows": scored.count(), "articles": articles.count(), "errors": errors.count()}
        n_sentences = int(articles.sum("sentence_count") or 0) if counts["articles"] else 0
        tmp = out.with_name(f".{out.name}.partial")
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            for name, dataset in (("sentences", sentences), ("articles", articles), ("errors", errors)):
                if name == "errors" or output_format == "jsonl":
                    dataset.write_json(str(tmp / name))
                else:
                    dataset.write_parquet(str(tmp / name))
            out.parent.mkdir(parents=True, exist_ok=True)
            if out.exists():
                out.rmdir()  # empty: checked above
            tmp.rename(out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    finally:
        if address is None:
            ray.shutdown()
    return BatchSummary(counts["rows"], counts["articles"], n_sentences, counts["errors"], str(out))
