"""How far apart can two annotators put a cue? A second annotation of cue spans, made blind (sentence and
subtext given, the corpus cue hidden) on 200 coded sentences of dev and 200 of test, scored against the
corpus's cues with the model card's cue metrics, next to the model's cues on the same sentences. It bounds what
cue word-level F1 can mean: the model is measured against one annotator's boundaries. Prints the tables and
writes bench/cue_agreement.md. Nothing is asserted: this only measures, and nothing here chooses a model.

    python bench/cue_agreement.py [--model models/default]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The second annotation of each split: 200 coded sentences drawn at random (test: ``random.Random(0).sample`` of
#: the coded test rows in id order).
SECOND = {
    "dev": Path(__file__).resolve().parent / "cue_agreement" / "second_annotation.jsonl",
    "test": Path(__file__).resolve().parent / "cue_agreement" / "second_annotation_test.jsonl",
}
NOTES = [
    "The second annotation followed `docs/annotation-guide.md` with the corpus cue hidden; precision and",
    'recall treat the second cue as the prediction. "Any annotated phrase" credits a cue that matches one',
    "of the sentence's `other_cues` instead. Dev chooses recipes and seeds; the test sentences were annotated",
    "after the shipped model was chosen and are only measured here.",
]


def measure(model_dir: Path, split: str) -> tuple[list[str], dict]:
    """Score the second annotation of ``split`` and the model against the corpus on the annotated sentences."""
    from framing import Classifier
    from framing.labelled import check_row
    from framing.metrics import span_scores
    from training.corpus import load_corpus

    corpus = {row["id"]: check_row(row, where) for where, row in load_corpus() if row["cue"]}
    second = [json.loads(line) for line in SECOND[split].open(encoding="utf-8")]
    rows = [(corpus[r["id"]], r["cue"]) for r in second if r["id"] in corpus and r["cue"] in corpus[r["id"]].text]
    texts = [e.text for e, _ in rows]
    gold = [e.cue_span() for e, _ in rows]
    others = [e.other_spans() for e, _ in rows]
    annotated = [replace(e, cue=cue).cue_span() for e, cue in rows]
    labels = Classifier.load(model_dir).classify(texts)
    predicted = [x.cue_span() for x in labels]
    model = f"model ({model_dir.name})"
    comparisons = {  # key: (row name, reference spans, compared spans, alternatives credited)
        "second_vs_corpus": ("second annotation vs corpus cue", gold, annotated, None),
        "second_vs_any_corpus_phrase": ("second annotation vs any annotated phrase", gold, annotated, others),
        "model_vs_corpus": (f"{model} vs corpus cue", gold, predicted, None),
        "model_vs_any_corpus_phrase": (f"{model} vs any annotated phrase", gold, predicted, others),
        "model_vs_second": (f"{model} vs second annotation", annotated, predicted, None),
    }
    results = {"sentences": len(rows), "skipped": len(second) - len(rows)}
    results |= {key: span_scores(texts, ref, spans, alt) for key, (_, ref, spans, alt) in comparisons.items()}
    lines = [
        f"## {split.capitalize()}",
        "",
        f"{len(rows)} coded {split} sentences ({results['skipped']} skipped: no longer in the corpus as annotated).",
        "",
        "| comparison | word F1 | precision | recall | exact match | missed | too long | too short | shifted "
        "| disjoint |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for key, (name, *_) in comparisons.items():
        s = results[key]
        e = s["errors"]
        lines.append(
            f"| {name} | {s['f1']:.3f} | {s['precision']:.3f} | {s['recall']:.3f} | {s['exact_match']:.3f} | "
            f"{e['missed']} | {e['too_long']} | {e['too_short']} | {e['shifted']} | {e['disjoint']} |"
        )
    return lines, results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "default")
    args = parser.parse_args(argv)
    if not (args.model / "config.json").is_file():
        print(f"error: {args.model} is not a model folder (no config.json)", file=sys.stderr)
        return 1
    from training.corpus import write_atomic

    lines = ["# Cue boundaries: a second annotation against the corpus, and the model against both", ""]
    for split in SECOND:
        table, _ = measure(args.model, split)
        lines += [*table, ""]
    text = "\n".join(lines + NOTES) + "\n"
    print(text)
    write_atomic(Path(__file__).resolve().parent / "cue_agreement.md", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
