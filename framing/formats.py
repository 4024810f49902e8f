"""Reports to output: terminal table, JSON, JSONL and CSV sentence records, HTML; files written atomically."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from framing.errors import InputError
from framing.report import ArticleReport

FORMATS = ("table", "json", "jsonl", "csv", "html")
RECORD_FIELDS = (
    "doc", "index", "text", "stance", "stance_probs", "subtext", "subtext_probs",
    "euphemism", "euphemism_prob", "meaning", "truncated", "cue", "cue_start", "cue_end",
)  # fmt: skip


@contextlib.contextmanager
def open_output(path: str | None) -> Iterator[IO[str]]:
    """Standard output, or a file that appears only when writing finished (temporary file, then rename)."""
    if path is None or path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{path}: is a directory; give a file name for --output")
    if not target.parent.exists():
        raise InputError(f"{path}: folder {target.parent} does not exist")
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class Writer:
    """Receives article reports one by one and writes them in one format."""

    def __init__(self, stream: IO[str], meta: dict) -> None:
        self.stream = stream
        self.meta = meta

    def write(self, report: ArticleReport) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Finish the output (closing brackets, footers)."""


class JsonlWriter(Writer):
    """One sentence record per line."""

    def write(self, report: ArticleReport) -> None:
        for i, sentence in enumerate(report.sentences):
            self.stream.write(json.dumps(sentence.record(report.doc, i), ensure_ascii=False) + "\n")


class CsvWriter(Writer):
    """One sentence record per row; probability maps as JSON strings."""

    def __init__(self, stream: IO[str], meta: dict) -> None:
        super().__init__(stream, meta)
        self.csv = csv.DictWriter(stream, fieldnames=RECORD_FIELDS)
        self.csv.writeheader()

    def write(self, report: ArticleReport) -> None:
        for i, sentence in enumerate(report.sentences):
            record = sentence.record(report.doc, i)
            record["stance_probs"] = json.dumps(record["stance_probs"])
            record["subtext_probs"] = json.dumps(record["subtext_probs"])
            self.csv.writerow(record)


class JsonWriter(Writer):
    """``{"framing_version", "model", "articles": [...]}``, each article its whole report (streamed)."""

    def __init__(self, stream: IO[str], meta: dict) -> None:
        super().__init__(stream, meta)
        head = json.dumps(meta, ensure_ascii=False)[:-1]
        stream.write(head + (", " if meta else "") + '"articles": [')
        self.count = 0

    def write(self, report: ArticleReport) -> None:
        self.stream.write((",\n" if self.count else "\n") + json.dumps(report.to_dict(), ensure_ascii=False))
        self.count += 1

    def close(self) -> None:
        self.stream.write("\n]}\n")


class TableWriter(Writer):
    """A readable terminal table per article (colour when the output is a terminal)."""

    def __init__(self, stream: IO[str], meta: dict) -> None:
        from rich.console import Console

        super().__init__(stream, meta)
        self.console = Console(file=stream, highlight=False, soft_wrap=False)

    def write(self, report: ArticleReport) -> None:
        from rich.markup import escape
        from rich.table import Table

        colours = {"cooperative": "green", "neutral": "bright_black", "confrontational": "red"}
        shares = ", ".join(f"{k} {v:.0%}" for k, v in report.stance_shares.items())
        title = (
            f"{escape(report.doc)}: {len(report.sentences)} sentences, tone {report.tone_index:+.2f}, "
            f"coded {len(report.coded)} ({report.euphemism_rate:.0%}); {shares}"
        )
        table = Table(title=title, title_justify="left", show_lines=False, expand=False)
        table.add_column("#", justify="right")
        table.add_column("sentence", overflow="fold", ratio=4)
        table.add_column("stance")
        table.add_column("subtext")
        table.add_column("cue -> meaning", overflow="fold", ratio=2)
        for i, s in enumerate(report.sentences):
            cue = f"\u201c{escape(s.cue)}\u201d -> {escape(s.meaning)}" if s.euphemism else ""
            stance = f"[{colours[s.stance]}]{s.stance}[/] {s.stance_probs[s.stance]:.2f}"
            subtext = f"[bold]{s.subtext}[/] {s.subtext_probs[s.subtext]:.2f}" if s.euphemism else "literal"
            table.add_row(
                str(i), escape(s.text) + (" [dim](truncated)[/]" if s.truncated else ""), stance, subtext, cue
            )
        self.console.print(table)


WRITERS: dict[str, type[Writer]] = {"jsonl": JsonlWriter, "csv": CsvWriter, "json": JsonWriter, "table": TableWriter}


def make_writer(fmt: str, stream: IO[str], meta: dict) -> Writer:
    """The writer for ``fmt``; raise :class:`InputError` for an unknown format."""
    if fmt == "html":
        from framing.html import HtmlWriter

        return HtmlWriter(stream, meta)
    if fmt not in WRITERS:
        raise InputError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    return WRITERS[fmt](stream, meta)
