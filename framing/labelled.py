"""Labelled sentences: the row format shared by training and ``framing evaluate``, checks, splits."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from framing.errors import InputError
from framing.labels import LITERAL, STANCES, SUBTEXTS

SPLITS = ("train", "dev", "test")
#: Share of split keys sent to dev and test when a file carries no ``split`` column.
DEV_SHARE, TEST_SHARE = 0.10, 0.20


class DataError(InputError):
    """A labelled file or row that cannot be used; the message starts with ``file:line``."""


@dataclass
class Example:
    """One labelled sentence."""

    text: str
    stance: str
    subtext: str
    cue: str = ""
    split: str = ""
    source: str = ""
    extra: dict = field(default_factory=dict)


def normalise(text: str) -> str:
    """Lower-case letters and digits only, single-spaced: the key used for duplicates and cue identity."""
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def split_key(cue_family: str, cue: str, text: str) -> str:
    """What a split is decided on: the cue family (whole cue phrases are held out), else the sentence."""
    return normalise(cue_family) or normalise(cue) or "text:" + normalise(text)


def assign_split(key: str, salt: str = "framing") -> str:
    """Deterministic train/dev/test assignment of a split key by hashing."""
    digest = hashlib.sha256(f"{salt}:{key}".encode()).digest()
    u = int.from_bytes(digest[:8], "big") / 2**64
    if u < TEST_SHARE:
        return "test"
    if u < TEST_SHARE + DEV_SHARE:
        return "dev"
    return "train"


def check_row(row: dict, where: str) -> Example:
    """Validate one row and return it as an :class:`Example`; raise :class:`DataError` naming ``where``."""
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise DataError(f"{where}: 'text' is missing or empty")
    for name, allowed in (("stance", STANCES), ("subtext", SUBTEXTS)):
        value = row.get(name)
        if value not in allowed:
            raise DataError(f"{where}: {name} {value!r} is not one of {', '.join(allowed)}")
    cue = row.get("cue") or ""
    if not isinstance(cue, str):
        raise DataError(f"{where}: 'cue' must be a string")
    if cue and cue not in text:
        raise DataError(f"{where}: cue {cue!r} is not a substring of the text")
    if row["subtext"] == LITERAL and cue:
        raise DataError(f"{where}: a literal sentence must have an empty cue")
    split = row.get("split") or ""
    if split and split not in SPLITS:
        raise DataError(f"{where}: split {split!r} is not one of {', '.join(SPLITS)}")
    known = {"text", "stance", "subtext", "cue", "split"}
    extra = {k: v for k, v in row.items() if k not in known}
    if not split:
        split = assign_split(split_key(str(row.get("cue_family") or ""), cue, text))
    return Example(text, row["stance"], row["subtext"], cue, split, where, extra)


def json_lines(path: Path, allow_blank: bool = True) -> Iterator[tuple[int, dict]]:
    """``(line number, object)`` for each line of a JSONL file; malformed lines raise with ``file:line``."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                if allow_blank:
                    continue
                raise DataError(f"{path}:{number}: empty line")
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise DataError(f"{path}:{number}: expected a JSON object")
            yield number, row


def read_jsonl(path: str | Path) -> list[Example]:
    """Read a labelled JSONL file without ``datasets`` (used by ``framing evaluate``)."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file" if not path.exists() else f"{path}: not a file")
    try:
        examples = [check_row(row, f"{path}:{number}") for number, row in json_lines(path)]
    except UnicodeDecodeError:
        raise DataError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror})") from None
    if not examples:
        raise DataError(f"{path}: no rows")
    return examples
