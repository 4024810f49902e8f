"""Scoring a stream of documents into a writer, with a progress bar on stderr for long input."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from framing.classifier import Classifier
from framing.errors import InputError
from framing.formats import Writer
from framing.inputs import STDIN, Document
from framing.report import ArticleReport


def preflight(sources: list[str]) -> None:
    """Fail before any output if a named file is missing, a directory, or unreadable."""
    if not sources:
        raise InputError("no input: give one or more files, or - for standard input")
    for source in sources:
        if source == STDIN:
            continue
        path = Path(source)
        if not path.exists():
            raise InputError(f"{source}: no such file")
        if path.is_dir():
            raise InputError(f"{source}: is a directory, not a file")


def label_document(classifier: Classifier, document: Document, progress=None) -> ArticleReport:
    """An article is split into sentences; ready-made sentences are labelled as they are."""
    if document.sentences is None:
        return classifier.score(document.text, doc=document.doc, progress=progress)
    labels = classifier.classify(document.sentences, progress=progress)
    offset = 0
    for label in labels:
        label.start, label.end = offset, offset + len(label.text)
        offset = label.end + 1
    return ArticleReport(doc=document.doc, text="\n".join(document.sentences), sentences=labels)


def score_into(
    classifier: Classifier, documents: Iterable[Document], writer: Writer, show_progress: bool = True
) -> dict:
    """Label every document and hand each report to ``writer``. Returns counts."""
    from tqdm.auto import tqdm

    bar = tqdm(unit=" sentences", file=sys.stderr, disable=None if show_progress else True, delay=1.0, leave=False)
    articles = sentences = coded = 0
    try:
        for document in documents:
            report = label_document(classifier, document, progress=bar.update)
            writer.write(report)
            articles += 1
            sentences += len(report.sentences)
            coded += len(report.coded)
        writer.close()
    finally:
        bar.close()
    return {"articles": articles, "sentences": sentences, "coded": coded}
