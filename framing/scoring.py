"""Scoring a stream of documents into a writer, with a progress bar on stderr for long input."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from framing.classifier import Classifier
from framing.errors import InputError
from framing.formats import Writer
from framing.inputs import STDIN, Document
from framing.sentences import Sentence, split_sentences


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


def sentences_of(document: Document) -> tuple[str, str, list[Sentence]]:
    """``(doc, text, sentences)``: an article is split; ready-made sentences keep their lines."""
    if document.sentences is None:
        return document.doc, document.text, split_sentences(document.text)
    sentences, offset = [], 0
    for line in document.sentences:
        sentences.append(Sentence(line, offset, offset + len(line)))
        offset += len(line) + 1
    return document.doc, "\n".join(document.sentences), sentences


def score_into(
    classifier: Classifier, documents: Iterable[Document], writer: Writer, show_progress: bool = True
) -> dict:
    """Label every document and hand each report to ``writer``. Returns counts."""
    from tqdm import tqdm

    bar = tqdm(unit=" sentences", file=sys.stderr, disable=None if show_progress else True, delay=1.0, leave=False)
    articles = sentences = coded = 0
    try:
        for report in classifier.label_documents(map(sentences_of, documents), progress=bar.update):
            writer.write(report)
            articles += 1
            sentences += len(report.sentences)
            coded += len(report.coded)
        writer.close()
    finally:
        bar.close()
    return {"articles": articles, "sentences": sentences, "coded": coded}
