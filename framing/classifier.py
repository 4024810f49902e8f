"""The classifier: token batches through the ONNX session to calibrated labels, cue spans and reports."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

from framing.cues import cue_span
from framing.labels import LITERAL, MEANINGS
from framing.model import (
    OUTPUTS,
    TOKENIZER_FILE,
    ModelConfig,
    create_session,
    default_model_path,
)
from framing.report import ArticleReport, SentenceLabel
from framing.sentences import Sentence, split_sentences
from framing.tokens import TextEncoder, TokenBatch

DEFAULT_BATCH_SIZE = 32
#: Sentences gathered across documents before they are labelled together (see ``label_documents``).
GATHER_SENTENCES = 256
#: onnxruntime intra-op threads when none are given: None lets onnxruntime use one per physical core
#: (measured on the 2-core development machine at batch 32: 2 threads gave 1.65x the throughput of 1; see bench/).
DEFAULT_THREADS: int | None = None


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Row-wise softmax of ``logits / temperature``."""
    z = logits.astype(np.float64) / temperature
    z -= z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


class Classifier:
    """Labels sentences by stance and subtext with a framing ONNX model.

    Thread-safe, and picklable: the onnxruntime session is created on first use in each process.
    """

    def __init__(
        self,
        path: str | Path | None = None,
        device: str = "auto",
        threads: int | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        self.config = ModelConfig.read(path if path is not None else default_model_path())
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.device = device
        self.threads = threads if threads is not None else DEFAULT_THREADS
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self._session = None
        self._encoder: TextEncoder | None = None

    @classmethod
    def load(
        cls,
        path: str | Path | None = None,
        device: str = "auto",
        threads: int | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> Classifier:
        """Open a model folder (the shipped default when ``path`` is None) and check it loads."""
        classifier = cls(path, device=device, threads=threads, batch_size=batch_size)
        classifier._ensure_session()
        return classifier

    # -- pickling: ship the settings, not the session -------------------------------------------------
    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.update(_lock=None, _session=None, _encoder=None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def _ensure_session(self):
        if self._session is None:
            with self._lock:
                if self._session is None:
                    self._encoder = TextEncoder(self.config.path / TOKENIZER_FILE, self.config.max_length)
                    self._session = create_session(self.config, self.device, self.threads)
        return self._session

    @property
    def providers(self) -> list[str]:
        """The execution providers the session actually runs on."""
        return list(self._ensure_session().get_providers())

    @property
    def encoder(self) -> TextEncoder:
        self._ensure_session()
        assert self._encoder is not None
        return self._encoder

    def run_batch(self, batch: TokenBatch) -> dict[str, np.ndarray]:
        """Raw logits of one token batch, by head name."""
        session = self._ensure_session()
        names = [OUTPUTS["stance"], OUTPUTS["subtext"], OUTPUTS["cue"]]
        outputs = session.run(names, {"input_ids": batch.input_ids, "attention_mask": batch.attention_mask})
        return dict(zip(("stance", "subtext", "cue"), outputs))

    def classify(self, sentences: Sequence[str], progress: Callable[[int], None] | None = None) -> list[SentenceLabel]:
        """Label each sentence; ``progress`` (if given) is called with the number done after each batch."""
        sentences = [str(s) for s in sentences]
        results: list[SentenceLabel | None] = [None] * len(sentences)
        if not sentences:
            return []
        config = self.config
        literal = config.subtext_labels.index(LITERAL)
        for batch in self.encoder.batches(sentences, self.batch_size):
            logits = self.run_batch(batch)
            stance_p = softmax(logits["stance"], config.temperature("stance"))
            subtext_p = softmax(logits["subtext"], config.temperature("subtext"))
            stances, subtexts = stance_p.argmax(axis=1).tolist(), subtext_p.argmax(axis=1).tolist()
            stance_rows, subtext_rows = np.round(stance_p, 6).tolist(), np.round(subtext_p, 6).tolist()
            coded_probs = np.round(1.0 - subtext_p[:, literal], 6).tolist()
            for r, row in enumerate(batch.rows):
                text = sentences[row]
                subtext = config.subtext_labels[subtexts[r]]
                label = SentenceLabel(
                    text=text,
                    stance=config.stance_labels[stances[r]],
                    stance_probs=dict(zip(config.stance_labels, stance_rows[r])),
                    subtext=subtext,
                    subtext_probs=dict(zip(config.subtext_labels, subtext_rows[r])),
                    euphemism=subtext != LITERAL,
                    euphemism_prob=coded_probs[r],
                    meaning=MEANINGS[subtext],
                    truncated=batch.truncated[r],
                    end=len(text),
                )
                if label.euphemism:
                    tag_probs = softmax(logits["cue"][r])
                    span = cue_span(tag_probs, batch.offsets[r], text, config.cue_threshold)
                    if span is not None:
                        label.cue, label.cue_start, label.cue_end = text[span[0] : span[1]], span[0], span[1]
                results[row] = label
            if progress is not None:
                progress(len(batch.rows))
        return [r for r in results if r is not None]

    def score(self, text: str, doc: str = "", progress: Callable[[int], None] | None = None) -> ArticleReport:
        """Split an article into sentences, label them, and aggregate the report."""
        return next(self.label_documents([(doc, text, split_sentences(text))], progress=progress))

    def score_many(
        self, docs: Iterable[tuple[str, str]], progress: Callable[[int], None] | None = None
    ) -> Iterator[ArticleReport]:
        """Score ``(doc, text)`` pairs lazily, in order; sentences are batched across documents."""
        return self.label_documents(((doc, text, split_sentences(text)) for doc, text in docs), progress=progress)

    def label_documents(
        self,
        documents: Iterable[tuple[str, str, Sequence[Sentence]]],
        progress: Callable[[int], None] | None = None,
    ) -> Iterator[ArticleReport]:
        """Reports for ``(doc, text, sentences)`` triples, in input order.

        Documents are gathered until :data:`GATHER_SENTENCES` sentences are pending and labelled together, so
        a corpus of short documents still runs in full batches while memory stays bounded.
        """
        pending: list[tuple[str, str, Sequence[Sentence]]] = []
        count = 0
        for document in documents:
            pending.append(document)
            count += len(document[2])
            if count >= GATHER_SENTENCES:
                yield from self._label_pending(pending, progress)
                pending, count = [], 0
        if pending:
            yield from self._label_pending(pending, progress)

    def _label_pending(
        self, pending: list[tuple[str, str, Sequence[Sentence]]], progress: Callable[[int], None] | None
    ) -> Iterator[ArticleReport]:
        labels = self.classify([s.text for _, _, sentences in pending for s in sentences], progress=progress)
        cursor = 0
        for doc, text, sentences in pending:
            mine = labels[cursor : cursor + len(sentences)]
            cursor += len(sentences)
            for sentence, label in zip(sentences, mine):
                label.start, label.end = sentence.start, sentence.end
            yield ArticleReport(doc=doc, text=text, sentences=mine)
