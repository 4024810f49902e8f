"""Where texts come from: article files, standard input, one-sentence-per-line files, JSONL corpora."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from framing.errors import InputError

STDIN = "-"


@dataclass
class Document:
    """One unit of input: an article to split, or ready-made sentences."""

    doc: str
    text: str = ""
    sentences: list[str] | None = None


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data:
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text (invalid byte at offset {exc.start})") from None


def read_text(source: str) -> str:
    """The text of a file, or of standard input for ``-``; raise :class:`InputError` on anything unusable."""
    if source == STDIN:
        return _decode(sys.stdin.buffer.read(), "standard input")
    path = Path(source)
    if path.is_dir():
        raise InputError(f"{source}: is a directory, not a file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{source}: no such file") from None
    except PermissionError:
        raise InputError(f"{source}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror})") from None
    return _decode(data, source)


def _require_text(text: str, name: str) -> str:
    if not text.strip():
        raise InputError(f"{name}: empty input, nothing to score")
    return text


def articles(sources: list[str]) -> Iterator[Document]:
    """Each file (or stdin) as one article."""
    for source in sources:
        yield Document(doc=_name(source), text=_require_text(read_text(source), _name(source)))


def sentence_files(sources: list[str]) -> Iterator[Document]:
    """Each file (or stdin) as ready-made sentences, one per non-blank line."""
    for source in sources:
        lines = [line.strip() for line in read_text(source).splitlines() if line.strip()]
        if not lines:
            raise InputError(f"{_name(source)}: empty input, nothing to score")
        yield Document(doc=_name(source), sentences=lines)


def jsonl_corpus(sources: list[str], text_field: str, id_field: str = "id") -> Iterator[Document]:
    """Stream a JSONL corpus one record at a time (constant memory); bad rows raise with ``file:line``."""
    for source in sources:
        name = _name(source)
        handle = sys.stdin.buffer if source == STDIN else _open_binary(source)
        count = 0
        try:
            for number, raw in enumerate(handle, 1):
                if not raw.strip():
                    continue
                where = f"{name}:{number}"
                try:
                    row = json.loads(_decode(raw, where))
                except json.JSONDecodeError as exc:
                    raise InputError(f"{where}: not valid JSON ({exc.msg})") from None
                if not isinstance(row, dict):
                    raise InputError(f"{where}: expected a JSON object")
                text = row.get(text_field)
                if not isinstance(text, str):
                    raise InputError(f"{where}: no text field {text_field!r} (use --jsonl FIELD to name it)")
                doc = row.get(id_field, f"{name}:{number}")
                count += 1
                yield Document(doc=str(doc), text=text)
        finally:
            if handle is not sys.stdin.buffer:
                handle.close()
        if count == 0:
            raise InputError(f"{name}: empty input, nothing to score")


def _open_binary(source: str):
    path = Path(source)
    if path.is_dir():
        raise InputError(f"{source}: is a directory, not a file")
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise InputError(f"{source}: no such file") from None
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror})") from None


def _name(source: str) -> str:
    return "<stdin>" if source == STDIN else source
