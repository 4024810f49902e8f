"""The Python API: classify, score, batching invariance, truncation, threads and pickling."""

import pickle
import threading

import pytest

from framing import Classifier
from framing.sentences import split_sentences
from tests.conftest import SEED_ARTICLE, SHIPPED

SENTENCES = [
    "The talks were constructive and useful, the Kremlin said.",
    "Washington imposed an additional 25% tariff on Indian imports.",
    "Ministers signed a free-trade agreement in Canberra on Tuesday.",
    "All options remain on the table, the defence secretary told reporters.",
]


def test_classify_returns_consistent_labels(classifier):
    labels = classifier.classify(SENTENCES)
    assert [x.text for x in labels] == SENTENCES
    for x in labels:
        assert x.stance == max(x.stance_probs, key=x.stance_probs.get)
        assert x.subtext == max(x.subtext_probs, key=x.subtext_probs.get)
        assert x.euphemism == (x.subtext != "literal")
        assert not x.truncated
    assert classifier.classify([]) == []


def test_batch_size_does_not_change_answers(classifier):
    # int8 dynamic quantisation scales activations per batch: probabilities move a little, so labels hold
    # wherever the top two are not a near tie.
    a = Classifier.load(SHIPPED, device="cpu", batch_size=1).classify(SENTENCES)
    b = Classifier.load(SHIPPED, device="cpu", batch_size=64).classify(SENTENCES)

    def clear(probs: dict) -> bool:
        top = sorted(probs.values())
        return top[-1] - top[-2] >= 0.2

    for x, y in zip(a, b):
        assert x.stance_probs == pytest.approx(y.stance_probs, abs=0.1)
        assert x.subtext_probs == pytest.approx(y.subtext_probs, abs=0.1)
        assert x.stance == y.stance or not clear(y.stance_probs)
        assert x.subtext == y.subtext or not clear(y.subtext_probs)


def test_score_many_batches_across_documents_and_keeps_order(classifier, monkeypatch):
    import framing.classifier as module

    docs = [(f"d{i}", text) for i, text in enumerate(SENTENCES * 3)]
    docs.append(("article", SEED_ARTICLE.read_text(encoding="utf-8")))
    calls = []
    original = Classifier.classify

    def counting(self, sentences, progress=None):
        calls.append(len(sentences))
        return original(self, sentences, progress)

    monkeypatch.setattr(module, "GATHER_SENTENCES", 8)
    monkeypatch.setattr(Classifier, "classify", counting)
    reports = list(classifier.score_many(iter(docs)))
    assert [r.doc for r in reports] == [d for d, _ in docs]
    assert len(calls) < len(docs) and max(calls[:-1]) >= 8  # documents were gathered, bounded by the limit
    alone = [original(classifier, [text])[0] for _, text in docs[:-1]]
    for report, single in zip(reports, alone):
        assert [s.text for s in report.sentences] == [single.text]
        assert report.sentences[0].subtext_probs == pytest.approx(single.subtext_probs, abs=0.1)
    article = reports[-1]
    for label in article.sentences:
        assert article.text[label.start : label.end] == label.text


def test_long_sentences_are_truncated_and_flagged(classifier):
    long = "The delegations discussed " + ", ".join(f"item number {i}" for i in range(200)) + "."
    label = classifier.classify([long])[0]
    assert label.truncated


def test_score_aggregates(classifier):
    report = classifier.score(SEED_ARTICLE.read_text(encoding="utf-8"), doc="seed")
    n = len(report.sentences)
    assert n > 15 and sum(report.stance_counts.values()) == n
    assert sum(report.stance_shares.values()) == pytest.approx(1.0)
    assert -1.0 <= report.tone_index <= 1.0
    assert report.euphemism_rate == pytest.approx(len(report.coded) / n)
    text = report.text
    for s in report.sentences:
        assert text[s.start : s.end] == s.text


def test_pickle_round_trip_and_threads(classifier):
    clone = pickle.loads(pickle.dumps(Classifier(SHIPPED, device="cpu")))
    expected = [(x.stance, x.subtext) for x in classifier.classify(SENTENCES)]
    assert [(x.stance, x.subtext) for x in clone.classify(SENTENCES)] == expected
    results = []
    threads = [threading.Thread(target=lambda: results.append(clone.classify(SENTENCES))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and all([(x.stance, x.subtext) for x in r] == expected for r in results)


def test_sentence_splitter_handles_abbreviations_and_quotes():
    text = (
        "Mr. Blinken met U.S. and E.U. officials on Jan. 5 in Washington. “We are not there yet,” he said.\n"
        "A new paragraph starts here"
    )
    pieces = [s.text for s in split_sentences(text)]
    assert pieces[0].startswith("Mr. Blinken") and pieces[0].endswith("Washington.")
    assert pieces[1].startswith("“We are not there yet,”")
    assert pieces[-1] == "A new paragraph starts here"
    for s in split_sentences(text):
        assert text[s.start : s.end] == s.text


def _word_tokens(text: str) -> list[tuple[int, int]]:
    import re

    return [(0, 0)] + [(m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", text)] + [(0, 0)]


def test_cue_span_takes_the_strongest_run_and_trims_its_edges():
    import numpy as np

    from framing.cues import cue_span

    text = 'Tehran said it "has the means and the will to" respond, and that all options remain open.'
    offsets = _word_tokens(text)
    probs = np.tile([1.0, 0.0, 0.0], (len(offsets), 1))
    words = [text[a:b] for a, b in offsets]
    first, last = words.index('"'), words.index("to") + 1  # the quote, the phrase, "to", the closing quote
    probs[first : last + 1] = [0.1, 0.5, 0.4]
    weak = words.index("options")
    probs[weak] = [0.6, 0.4, 0.0]  # a weaker run elsewhere loses
    span = cue_span(probs, offsets, text)  # the cue-boundary rule: quotes, a leading "has" and "the" go, and "to",
    assert text[span[0] : span[1]] == "means and the will"  # whose object ("respond") follows past the quote
    probs[:] = [1.0, 0.0, 0.0]
    probs[weak] = [0.8, 0.2, 0.0]  # nothing passes the threshold: the likeliest token
    span = cue_span(probs, offsets, text)
    assert text[span[0] : span[1]] == "options"
    assert cue_span(probs[:1], [(0, 0)], text) is None  # special tokens only


def test_cue_runs_lists_runs_in_order_and_skips_special_tokens():
    import numpy as np

    from framing.cues import cue_runs

    offsets = [(0, 0), (0, 3), (4, 8), (9, 12), (13, 17), (0, 0)]
    inside = np.array([0.9, 0.5, 0.6, 0.1, 0.4, 0.9])
    runs = cue_runs(inside, offsets, 0.3)
    assert [(first, last) for _, first, last in runs] == [(1, 2), (4, 4)]
    assert [round(total, 6) for total, _, _ in runs] == [1.1, 0.4]
    assert cue_runs(inside, offsets, 0.7) == []


@pytest.mark.parametrize(
    ("text", "tagged", "cue"),
    [
        ("The talks had been productive, officials said.", "had been productive", "productive"),
        ("Both sides noted a positive dynamic in the talks.", "a positive dynamic", "positive dynamic"),
        ("We are getting closer, the envoy said.", "We are getting closer", "getting closer"),
        ("The two ministers had words in the corridor.", "had words", "had words"),  # the verb is the idiom
        ("Is Ankara hedging again?", "Is Ankara hedging", "Is Ankara hedging"),  # capitalised: a question
        ("It was, they said.", "was", "was"),  # never reduced to nothing
        ("The remark was uncalled for and the", "uncalled for and the", "uncalled for"),  # a preposition stays
        ("Ankara takes issue with the report.", "takes issue with", "takes issue"),  # ... unless its object follows
        ("They poured cold water on \u201cthe plan\u201d.", "poured cold water on", "poured cold water"),
        ("We will not stand idly by while it burns.", "not stand idly by", "not stand idly by"),  # a conjunction
        ("It is what we stand for in Geneva.", "what we stand for", "what we stand for"),  # another preposition
        ("We will respond firmly, the ministry said.", "We will respond firmly", "respond firmly"),  # future
        ("We will not stand idly by.", "We will not stand idly by", "will not stand idly by"),  # negation stays
    ],
)
def test_cue_span_follows_the_cue_boundary_rule(text, tagged, cue):
    import numpy as np

    from framing.cues import cue_span

    offsets = _word_tokens(text)
    probs = np.tile([1.0, 0.0, 0.0], (len(offsets), 1))
    start = text.index(tagged)
    for k, (a, b) in enumerate(offsets):
        if start <= a and b <= start + len(tagged):
            probs[k] = [0.1, 0.8, 0.1]
    span = cue_span(probs, offsets, text)
    assert text[span[0] : span[1]] == cue


def test_cue_span_covers_whole_words():
    import numpy as np

    from framing.cues import cue_span, snap_to_words

    text = "Beijing resolutely opposes it; we're clear-the-air people."
    #        subword tokens as WordPiece cuts them: resolute|ly, we|'|re, clear|-|the|-|air
    pieces = ["Beijing", "resolute", "ly", "opposes", "it", ";", "we", "'", "re", "clear", "-", "the", "-", "air"]
    offsets, cursor = [(0, 0)], 0
    for piece in pieces:
        cursor = text.index(piece, cursor)
        offsets.append((cursor, cursor + len(piece)))
        cursor += len(piece)
    offsets.append((0, 0))
    probs = np.tile([1.0, 0.0, 0.0], (len(offsets), 1))
    probs[3:5] = [0.0, 0.5, 0.5]  # "ly opposes"
    span = cue_span(probs, offsets, text)
    assert text[span[0] : span[1]] == "resolutely opposes"
    probs[:] = [1.0, 0.0, 0.0]
    probs[9:13] = [0.0, 0.5, 0.5]  # "re clear - the"
    span = cue_span(probs, offsets, text)
    assert text[span[0] : span[1]] == "we're clear-the-air"
    # a dash between words with spaces, and punctuation, are not joiners
    assert snap_to_words("talks - frank", 8, 13) == (8, 13)
    assert snap_to_words("it; we", 4, 6) == (4, 6)


def test_cue_span_keeps_quotes_paired():
    from framing.cues import balance_quotes

    text = 'Moscow sent \u201csignals\u201d and "more details" later.'
    start = text.index("sent")
    assert text[slice(*balance_quotes(text, start, text.index("\u201d")))] == "sent \u201csignals\u201d"
    start = text.index("more")
    assert text[slice(*balance_quotes(text, start, text.index('" later')))] == "more details"
    assert text[slice(*balance_quotes(text, start - 1, text.index('" later')))] == '"more details"'
