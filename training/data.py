"""Training files: JSONL, CSV or Parquet read with ``datasets``, every row checked, grouped by split."""

from __future__ import annotations

from pathlib import Path

from framing.labelled import SPLITS, DataError, Example, check_row, json_lines

SUFFIXES = {".jsonl": "json", ".json": "json", ".csv": "csv", ".parquet": "parquet"}


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files as given, and the data files inside any directory given."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in SUFFIXES)
            if not found:
                raise DataError(f"{path}: no .jsonl, .csv or .parquet files in this directory")
            files.extend(found)
        elif path.is_file():
            if path.suffix not in SUFFIXES:
                raise DataError(f"{path}: unsupported file type (use .jsonl, .csv or .parquet)")
            files.append(path)
        else:
            raise DataError(f"{path}: no such file or directory")
    return files


def read_file(path: Path) -> list[Example]:
    """Read one data file with ``datasets`` and check every row."""
    import datasets

    kind = SUFFIXES[path.suffix]
    try:
        if kind == "json":  # report a malformed line as file:line before datasets sees the file
            for _ in json_lines(path, allow_blank=False):
                pass
        else:
            path.open("rb").close()
    except UnicodeDecodeError:
        raise DataError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror})") from None
    datasets.disable_progress_bars()
    try:
        table = datasets.load_dataset(kind, data_files=str(path), split="train", keep_in_memory=True)
    except Exception as exc:  # datasets wraps parser errors in many types
        raise DataError(f"{path}: cannot be parsed as {kind} ({type(exc).__name__})") from None
    # Line numbers as a person sees them: JSONL rows start on line 1, CSV rows after the header.
    first = {"json": 1, "csv": 2, "parquet": 1}[kind]
    label = "line" if kind != "parquet" else "row"
    examples = []
    for offset, row in enumerate(table):
        where = f"{path}:{offset + first}" if label == "line" else f"{path}: row {offset + 1}"
        examples.append(check_row(row, where))
    if not examples:
        raise DataError(f"{path}: no rows")
    return examples


def load_examples(paths: list[str | Path]) -> list[Example]:
    """Read and check every file; the result keeps file order."""
    examples: list[Example] = []
    for path in expand_paths(paths):
        examples.extend(read_file(path))
    return examples


def by_split(examples: list[Example]) -> dict[str, list[Example]]:
    """Group examples by split; every split must be non-empty for training."""
    groups: dict[str, list[Example]] = {name: [] for name in SPLITS}
    for example in examples:
        groups[example.split].append(example)
    missing = [name for name, rows in groups.items() if not rows]
    if missing:
        raise DataError(f"no {' or '.join(missing)} rows: add a 'split' column or more data")
    return groups
