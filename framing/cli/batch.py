"""``framing batch``: score a large corpus on Ray (needs the ray extra)."""

from __future__ import annotations

import click

from framing.cli import app, model_option

_COUNT = click.IntRange(min=1)


@app.command()
@click.argument("source")
@click.option("--output", required=True, help="Folder for sentences/, articles/ and errors/.")
@click.option("--text-field", default="text", show_default=True, help="Field holding the article text.")
@click.option("--id-field", default="id", show_default=True, help="Field naming each article.")
@click.option("--address", default=None, help="Join this Ray cluster (default: start a local one).")
@click.option("--actors", type=_COUNT, default=1, show_default=True, help="Classifier actors.")
@click.option("--threads-per-actor", type=_COUNT, default=1, show_default=True, help="Threads of each actor.")
@click.option("--batch-size", type=_COUNT, default=32, show_default=True, help="Sentences per model batch.")
@model_option
@click.option("--format", "fmt", type=click.Choice(["parquet", "jsonl"]), default="parquet", show_default=True)
def batch(
    source: str,
    output: str,
    text_field: str,
    id_field: str,
    address: str | None,
    actors: int,
    threads_per_actor: int,
    batch_size: int,
    model: str | None,
    fmt: str,
) -> None:
    """Label a whole corpus on Ray Data, like `framing score`, at scale.

    SOURCE is JSONL or Parquet: a file, a folder, or any path Ray Data reads.
    """
    from framing.errors import FramingError

    try:
        import ray  # noqa: F401

        from framing.distributed import run_batch
    except ImportError:
        raise FramingError("framing batch needs Ray: pip install -e '.[ray]'") from None
    summary = run_batch(
        source, output, text_field, id_field, address, actors, threads_per_actor, batch_size, model, fmt
    )
    click.echo(summary.line(), err=True)
