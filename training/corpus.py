"""The project's own corpus in ``seeds/data``: split assignment, the quality rules, and data card counts.

Run ``python -m training.corpus normalise`` after editing cues (applies the cue-boundary rule),
``python -m training.corpus split`` after editing the corpus (writes each row's ``split``), and
``python -m training.corpus card`` to refresh the counts in ``seeds/data/README.md``.
"""

from __future__ import annotations

import collections
import json
import os
import sys
import tempfile
from pathlib import Path

from framing.cues import boundary_span, normalise_cue
from framing.labelled import DataError, Example, assign_split, check_row, normalise, split_key
from framing.labels import LITERAL, STANCES, SUBTEXTS

CORPUS_DIR = Path(__file__).resolve().parent.parent / "seeds" / "data"
CARD = CORPUS_DIR / "README.md"
REQUIRED = ("id", "text", "stance", "subtext", "cue", "split", "hard_negative")
CARD_BEGIN, CARD_END = "<!-- counts:begin -->", "<!-- counts:end -->"

# The corpus rules (see docs/annotation-guide.md and the data card).
MIN_TOTAL = 3000
MIN_PER_CODED = 350
MIN_LITERAL = 1200
MIN_HARD_NEGATIVE = 300
MIN_LITERAL_PER_STANCE = 300
MIN_FAMILIES_PER_CODED = 60
MAX_CUE_SHARE = 0.03
MIN_TEST_SHARE = 0.15
MIN_SOURCES = 40
WORDS = (5, 60)
NEAR_DUPLICATE_COSINE = 0.9


def corpus_files(directory: Path = CORPUS_DIR) -> list[Path]:
    """The corpus files, in name order."""
    return sorted(directory.glob("*.jsonl"))


def read_rows(path: Path, required: tuple[str, ...] = REQUIRED) -> list[tuple[str, dict]]:
    """Rows of one corpus file with their ``file:line``; malformed JSON or missing fields raise DataError."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            where = f"{path}:{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{where}: not valid JSON ({exc.msg})") from None
            missing = [name for name in required if name not in row]
            if missing:
                raise DataError(f"{where}: missing field(s) {', '.join(missing)}")
            rows.append((where, row))
    return rows


def load_corpus(directory: Path = CORPUS_DIR) -> list[tuple[str, dict]]:
    """Every row of the corpus with its location."""
    return [item for path in corpus_files(directory) for item in read_rows(path)]


def family(row: dict) -> str:
    """The cue phrase identity used for diversity and split rules."""
    return normalise(row.get("cue_family") or "") or normalise(row["cue"])


#: The cue families that define the classes in the annotation guide (and the issue that set the schema).
#: They are always trained on: the test split measures the phrases beyond the definitions.
GUIDE_FAMILIES = frozenset(
    normalise(name)
    for name in (
        "constructive and useful", "useful exchange of views", "agreed to stay in contact",
        "frank and candid", "full and frank", "businesslike", "we take note of", "positions were clarified",
        "study the proposal", "more details later", "time is not ripe", "sent signals", "corresponding signals",
        "all options are on the table", "draw the appropriate conclusions", "respond accordingly",
        "not going to be happy", "deep concern", "regrets", "unhelpful", "summoned the ambassador",
        "solemn representations",
    )
)  # fmt: skip


def expected_split(row: dict) -> str:
    """The split a row must carry: train for the guide's defining cue families, otherwise a hash of the
    cue family (or, for literal rows, of the text)."""
    if row["cue"] and family(row) in GUIDE_FAMILIES:
        return "train"
    return assign_split(split_key(row.get("cue_family") or "", row["cue"], row["text"]))


def problems(rows: list[tuple[str, dict]]) -> list[str]:
    """Every rule the corpus breaks, each as ``file:line: reason`` or a corpus-wide sentence."""
    found: list[str] = []
    seen_ids: dict[str, str] = {}
    seen_text: dict[str, str] = {}
    for where, row in rows:
        try:
            check_row(row, where)
        except DataError as exc:
            found.append(str(exc))
            continue
        if row["id"] in seen_ids:
            found.append(f"{where}: id {row['id']!r} already used at {seen_ids[row['id']]}")
        seen_ids.setdefault(row["id"], where)
        key = normalise(row["text"])
        if key in seen_text:
            found.append(f"{where}: duplicate of {seen_text[key]}")
        seen_text.setdefault(key, where)
        if row["subtext"] != LITERAL and not row["cue"]:
            found.append(f"{where}: a coded sentence needs its cue")
        elif row["subtext"] != LITERAL:
            cue, others = normalised_cues(row)
            if row["cue"] != cue:
                found.append(f'{where}: cue "{row["cue"]}" is not normalised (expected "{cue}")')
            for other, expected in zip(row.get("other_cues") or [], others):
                if other != expected:
                    found.append(f'{where}: other cue "{other}" is not normalised (expected "{expected}")')
        if not isinstance(row["hard_negative"], bool):
            found.append(f"{where}: hard_negative must be true or false")
        elif row["hard_negative"] and row["subtext"] != LITERAL:
            found.append(f"{where}: only literal sentences can be hard negatives")
        words = len(row["text"].split())
        if not WORDS[0] <= words <= WORDS[1]:
            found.append(f"{where}: {words} words, outside {WORDS[0]} to {WORDS[1]}")
        if row["split"] != expected_split(row):
            found.append(f"{where}: split {row['split']!r}, expected {expected_split(row)!r}")
    found.extend(near_duplicates(rows))
    found.extend(corpus_rules([row for _, row in rows]))
    return found


def near_duplicates(rows: list[tuple[str, dict]]) -> list[str]:
    """Pairs of sentences whose word 1-2-gram TF-IDF cosine is at least ``NEAR_DUPLICATE_COSINE``."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if len(rows) < 2:
        return []
    texts = [normalise(row["text"]) for _, row in rows]
    matrix = TfidfVectorizer(ngram_range=(1, 2)).fit_transform(texts)
    sims = (matrix @ matrix.T).tocoo()
    found = []
    for i, j, value in zip(sims.row, sims.col, sims.data):
        if i < j and value >= NEAR_DUPLICATE_COSINE and texts[i] != texts[j]:
            found.append(f"{rows[j][0]}: near duplicate of {rows[i][0]} (cosine {value:.2f})")
    return found


def corpus_rules(rows: list[dict]) -> list[str]:
    """The corpus-wide minimums, cue diversity and held-out cue rules."""
    found = []
    subtexts = collections.Counter(row["subtext"] for row in rows)
    if len(rows) < MIN_TOTAL:
        found.append(f"corpus has {len(rows)} sentences, needs {MIN_TOTAL}")
    for name in SUBTEXTS:
        if name != LITERAL and subtexts[name] < MIN_PER_CODED:
            found.append(f"{name} has {subtexts[name]} sentences, needs {MIN_PER_CODED}")
    literal = [row for row in rows if row["subtext"] == LITERAL]
    if len(literal) < MIN_LITERAL:
        found.append(f"literal has {len(literal)} sentences, needs {MIN_LITERAL}")
    hard = sum(row["hard_negative"] is True for row in literal)
    if hard < MIN_HARD_NEGATIVE:
        found.append(f"{hard} hard negatives, needs {MIN_HARD_NEGATIVE}")
    literal_stances = collections.Counter(row["stance"] for row in literal)
    for stance in STANCES:
        if literal_stances[stance] < MIN_LITERAL_PER_STANCE:
            found.append(f"literal {stance} has {literal_stances[stance]}, needs {MIN_LITERAL_PER_STANCE}")
    for name in SUBTEXTS:
        if name == LITERAL:
            continue
        families = collections.Counter(family(row) for row in rows if row["subtext"] == name)
        if len(families) < MIN_FAMILIES_PER_CODED:
            found.append(f"{name} has {len(families)} cue families, needs {MIN_FAMILIES_PER_CODED}")
        cap = MAX_CUE_SHARE * subtexts[name]
        for cue, count in families.items():
            if count > cap:
                found.append(f"{name}: cue {cue!r} in {count} sentences, over {MAX_CUE_SHARE:.0%} ({cap:.0f})")
    splits_of: dict[str, set[str]] = collections.defaultdict(set)
    for row in rows:
        if row["subtext"] != LITERAL:
            splits_of[family(row)].add(row["split"])
            splits_of[normalise(row["cue"])].add(row["split"])
    for cue, splits in sorted(splits_of.items()):
        if len(splits) > 1:
            found.append(f"cue {cue!r} occurs in splits {', '.join(sorted(splits))}")
    test_share = sum(row["split"] == "test" for row in rows) / max(len(rows), 1)
    if test_share < MIN_TEST_SHARE:
        found.append(f"test split holds {test_share:.1%} of the corpus, needs {MIN_TEST_SHARE:.0%}")
    sources = {row.get("country") for row in rows if row.get("country")}
    if len(sources) < MIN_SOURCES:
        found.append(f"{len(sources)} countries and organisations, needs {MIN_SOURCES}")
    return found


def count_tables(rows: list[dict]) -> str:
    """The data card's count tables (Markdown), computed from the rows."""
    lines = ["| split | stance | " + " | ".join(SUBTEXTS) + " | total |", "|---" * (len(SUBTEXTS) + 3) + "|"]
    cells = collections.Counter((r["split"], r["stance"], r["subtext"]) for r in rows)
    for split in ("train", "dev", "test"):
        for stance in STANCES:
            counts = [cells[(split, stance, s)] for s in SUBTEXTS]
            lines.append(f"| {split} | {stance} | " + " | ".join(map(str, counts)) + f" | {sum(counts)} |")
    totals = [sum(r["subtext"] == s for r in rows) for s in SUBTEXTS]
    lines.append("| all | all | " + " | ".join(map(str, totals)) + f" | {len(rows)} |")
    lines += [
        "",
        "| subtext | cue families | largest family | sentences with other cues | hard negatives |",
        "|---|---|---|---|---|",
    ]
    for name in SUBTEXTS:
        members = [r for r in rows if r["subtext"] == name]
        if name == LITERAL:
            hard = sum(r["hard_negative"] is True for r in members)
            lines.append(f"| {name} | - | - | - | {hard} |")
            continue
        families = collections.Counter(family(r) for r in members)
        others = sum(bool(r.get("other_cues")) for r in members)
        lines.append(f"| {name} | {len(families)} | {max(families.values(), default=0)} | {others} | - |")
    sources = {r.get("country") for r in rows if r.get("country")}
    lines += ["", f"Sentences: {len(rows)}. Countries and organisations: {len(sources)}."]
    return "\n".join(lines)


def card_counts(card: Path = CARD) -> str:
    """The count tables currently written in the data card."""
    text = card.read_text(encoding="utf-8")
    return text.split(CARD_BEGIN, 1)[1].split(CARD_END, 1)[0].strip()


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` through a temporary file in the same folder."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def write_rows(path: Path, rows: list[dict]) -> None:
    """Write corpus rows to ``path`` atomically, one JSON object a line, in the corpus files' formatting."""
    write_atomic(path, "\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n")


def write_splits(directory: Path = CORPUS_DIR) -> None:
    """Set every row's ``split`` to its deterministic value, in place."""
    for path in corpus_files(directory):
        rows = [row for _, row in read_rows(path, required=tuple(name for name in REQUIRED if name != "split"))]
        for row in rows:
            row["split"] = expected_split(row)
        write_rows(path, rows)


def normalised_cues(row: dict) -> tuple[str, list[str]]:
    """A coded row's cue and other cues under the cue-boundary rule, each read where it stands in the
    sentence (the other cues at their first occurrence outside the cue), so that a trailing preposition
    leaves the cue only when its object follows."""
    text, cue = row["text"], row["cue"]
    others = []
    for other in row.get("other_cues") or []:
        spans = Example(text, "", "", cue, other_cues=(other,)).other_spans()
        others.append(normalise_cue(other, text, spans[0][0] if spans else None))
    return normalise_cue(cue, text), others


def write_normalised_cues(directory: Path = CORPUS_DIR) -> dict[Path, int]:
    """Apply :func:`normalised_cues` to every coded row's cue and other cues, in place; return how many rows
    changed per file. Files keep their row order, key order and formatting; only cue values change, and files with
    nothing to change are not rewritten. Cues the rule would empty or reduce to one function word are kept
    and printed."""
    changed: dict[Path, int] = {}
    for path in corpus_files(directory):
        rows, count = [], 0
        for where, row in read_rows(path):
            cue, others = row["cue"], row.get("other_cues")
            if row["subtext"] != LITERAL and cue:
                row["cue"], new_others = normalised_cues(row)
                start = row["text"].find(cue)
                if row["cue"] == cue and start >= 0:
                    stripped = row["text"][slice(*boundary_span(row["text"], start, start + len(cue)))]
                    if stripped != cue:
                        print(f'{where}: cue "{cue}" kept: the rule would leave "{stripped}"', file=sys.stderr)
                if others:
                    row["other_cues"] = new_others
            count += row["cue"] != cue or row.get("other_cues") != others
            rows.append(row)
        if count:
            write_rows(path, rows)
        changed[path] = count
    return changed


def write_card(card: Path = CARD) -> None:
    """Refresh the count tables in the data card."""
    text = card.read_text(encoding="utf-8")
    head, rest = text.split(CARD_BEGIN, 1)
    tail = rest.split(CARD_END, 1)[1]
    tables = count_tables([row for _, row in load_corpus(card.parent)])
    write_atomic(card, f"{head}{CARD_BEGIN}\n{tables}\n{CARD_END}{tail}")


def main(argv: list[str]) -> int:
    try:
        return run(argv)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def run(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "split":
        write_splits()
    elif command == "card":
        write_card()
    elif command == "normalise":
        changed = write_normalised_cues()
        for path, count in changed.items():
            print(f"{path.name}: {count} cue(s) changed")
        print(f"total: {sum(changed.values())} cue(s) changed")
    elif command == "check":
        found = problems(load_corpus())
        print("\n".join(found) if found else "corpus: no problems")
        return 1 if found else 0
    else:
        print("usage: python -m training.corpus [check|split|card|normalise]", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
