"""``framing score``: label articles, sentence files or a JSONL corpus."""

from __future__ import annotations

import click

from framing.cli import app, model_option


@app.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--sentences", is_flag=True, help="Input is one sentence per line; no splitting.")
@click.option("--jsonl", metavar="FIELD", default=None, help="Input is a JSONL corpus; FIELD holds the text.")
@click.option("--id-field", default="id", show_default=True, help="JSONL field naming each document.")
@click.option("--format", "-f", "fmt", default="table", show_default=True, help="table, json, jsonl, csv or html.")
@click.option("--output", "-o", default=None, help="Write here (atomically) instead of stdout.")
@model_option
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True)
@click.option("--batch-size", type=click.IntRange(min=1), default=32, show_default=True, help="Sentences per batch.")
@click.option("--threads", type=click.IntRange(min=1), default=None, help="onnxruntime intra-op threads.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def score(
    paths: tuple[str, ...],
    sentences: bool,
    jsonl: str | None,
    id_field: str,
    fmt: str,
    output: str | None,
    model: str | None,
    device: str,
    batch_size: int,
    threads: int | None,
    quiet: bool,
) -> None:
    """Label every sentence by stance and subtext.

    PATHS are article files, or - for standard input.
    """
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
    sources = list(paths)
    preflight(sources)
    classifier = Classifier.load(model, device=device, threads=threads, batch_size=batch_size)
    if jsonl:
        documents = jsonl_corpus(sources, jsonl, id_field)
    elif sentences:
        documents = sentence_files(sources)
    else:
        documents = articles(sources)
    meta = {"framing_version": __version__, "model": classifier.config.raw.get("name", "")}
    with open_output(output) as stream:
        score_into(classifier, documents, make_writer(fmt, stream, meta), show_progress=not quiet)
