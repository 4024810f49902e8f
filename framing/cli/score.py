"""``framing score``: label articles, sentence files or a JSONL corpus."""

from __future__ import annotations

from typing import Annotated

import typer

from framing.cli import app


@app.command()
def score(
    paths: Annotated[list[str], typer.Argument(help="Article files, or - for standard input.", show_default=False)],
    sentences: Annotated[
        bool, typer.Option("--sentences", help="Input is one sentence per line; no splitting.")
    ] = False,
    jsonl: Annotated[
        str | None, typer.Option("--jsonl", metavar="FIELD", help="Input is a JSONL corpus; FIELD holds the text.")
    ] = None,
    id_field: Annotated[str, typer.Option("--id-field", help="JSONL field naming each document.")] = "id",
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, jsonl, csv or html.")] = "table",
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write here (atomically) instead of stdout.")
    ] = None,
    model: Annotated[str | None, typer.Option("--model", help="Model folder (default: the shipped model).")] = None,
    device: Annotated[str, typer.Option("--device", help="auto, cpu or cuda.")] = "auto",
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Sentences per batch.")] = 32,
    threads: Annotated[int | None, typer.Option("--threads", min=1, help="onnxruntime intra-op threads.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Label every sentence by stance and subtext."""
    from framing import __version__
    from framing.classifier import Classifier
    from framing.errors import InputError
    from framing.formats import FORMATS, make_writer, open_output
    from framing.inputs import articles, jsonl_corpus, sentence_files
    from framing.scoring import preflight, score_into

    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if sentences and jsonl:
        raise InputError("--sentences and --jsonl cannot be combined")
    preflight(paths)
    classifier = Classifier.load(model, device=device, threads=threads, batch_size=batch_size)
    if jsonl:
        documents = jsonl_corpus(paths, jsonl, id_field)
    elif sentences:
        documents = sentence_files(paths)
    else:
        documents = articles(paths)
    meta = {"framing_version": __version__, "model": classifier.config.raw.get("name", "")}
    with open_output(output) as stream:
        score_into(classifier, documents, make_writer(fmt, stream, meta), show_progress=not quiet)
