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
    #: Other phrases of the sentence that carry the same code (optional): not trained as ``O``, and a
    #: predicted cue matching one of them counts in the "any annotated cue" score.
    other_cues: tuple[str, ...] = ()

    def cue_span(self) -> tuple[int, int] | None:
        """``[start, end)`` of the cue's first occurrence in ``text``, or None for a literal sentence."""
        start = self.text.find(self.cue) if self.cue else -1
        return (start, start + len(self.cue)) if start >= 0 else None

    def other_spans(self) -> list[tuple[int, int]]:
        """``[start, end)`` of each other cue: its first occurrence that does not overlap the cue."""
        cue = self.cue_span()
        spans = []
        for other in self.other_cues:
            for k in _occurrences(self.text, other):
                if cue is None or k + len(other) <= cue[0] or k >= cue[1]:
                    spans.append((k, k + len(other)))
                    break
        return spans


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
    other_cues = parse_other_cues(row.get("other_cues"), text, cue, where)
    split = row.get("split") or ""
    if split and split not in SPLITS:
        raise DataError(f"{where}: split {split!r} is not one of {', '.join(SPLITS)}")
    known = {"text", "stance", "subtext", "cue", "split", "other_cues"}
    extra = {k: v for k, v in row.items() if k not in known}
    if not split:
        split = assign_split(split_key(str(row.get("cue_family") or ""), cue, text))
    return Example(text, row["stance"], row["subtext"], cue, split, where, extra, other_cues)


def parse_other_cues(value: object, text: str, cue: str, where: str) -> tuple[str, ...]:
    """The optional ``other_cues`` of a row: a list of substrings of ``text`` (in CSV, one string with the
    phrases separated by ``|``); they need a ``cue`` and may not overlap its first occurrence."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = [part.strip() for part in value.split("|")]
    if not isinstance(value, list) or not all(isinstance(c, str) and c.strip() for c in value):
        raise DataError(f"{where}: 'other_cues' must be a list of non-empty strings")
    if value and not cue:
        raise DataError(f"{where}: 'other_cues' needs a 'cue' (literal sentences have neither)")
    for other in value:
        if other not in text:
            raise DataError(f"{where}: other cue {other!r} is not a substring of the text")
        if not Example(text, "", "", cue, other_cues=(other,)).other_spans():
            raise DataError(f"{where}: other cue {other!r} overlaps the cue {cue!r}")
    return tuple(value)


def _occurrences(text: str, part: str) -> list[int]:
    """Start offsets of every occurrence of ``part`` in ``text``."""
    found, k = [], text.find(part)
    while k >= 0:
        found.append(k)
        k = text.find(part, k + 1)
    return found


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
