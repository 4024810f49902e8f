"""Cue spans: the cue-boundary rule of the annotation guide, and decoding the cue head's token tags into
a character span of the sentence that follows it."""

from __future__ import annotations

import numpy as np

from framing.model import DEFAULT_CUE_THRESHOLD

#: Characters trimmed from both edges of a cue (whitespace, quotes, punctuation, dashes).
EDGE_CHARACTERS = " \t\n\"'\u201c\u201d\u2018\u2019\u00ab\u00bb,.;:!?()[]\u2014\u2013-"
#: Characters that join the parts of one word ("We're", "clear-the-air") when letters or digits stand on both sides.
JOINERS = "'\u2019-"
#: Quote pairs a cue keeps whole: a cue holding an opening quote ends with its closing one (and vice versa).
QUOTE_PAIRS = (("\u201c", "\u201d"), ("\u00ab", "\u00bb"), ('"', '"'))

# The cue-boundary rule (docs/annotation-guide.md, "Cue boundaries").
LEADING_ARTICLES = frozenset({"a", "an", "the"})
#: Subject pronouns dropped from the front of a cue when they stand alone ("We'll", "I'm" are kept).
LEADING_PRONOUNS = frozenset({"i", "we", "you", "he", "she", "they"})
#: Words dropped from the end of a cue.
TRAILING_WORDS = frozenset({"a", "an", "the", "and", "or", "but"})
#: Prepositions dropped from the end of a cue when their object follows it in the sentence ("fell short [of]
#: expectations"); a stranded one, with no object after it, is a particle of the idiom and stays ("uncalled for").
TRAILING_PREPOSITIONS = frozenset(
    "about against among at between by for from in into of on onto over to toward towards upon with".split()
)
#: Words after a trailing preposition that show it has no object: a conjunction or another preposition
#: ("stand idly by while ...", "sitting on in the Caucasus").
NOT_AN_OBJECT = TRAILING_PREPOSITIONS | frozenset(
    "and or but nor so yet as if than then when while because unless until though although whereas".split()
)
#: Opening quotes and brackets skipped when looking for the object after a trailing preposition.
OPENERS = " \t\n\"'\u201c\u2018\u00ab("
#: Copulas, auxiliaries and light verbs dropped from the front of a cue when written in lower case (a
#: capitalised one opens a question or a command and stays): "was [deeply disappointed]", "held [candid talks]".
LEADING_VERBS = frozenset(
    {"am", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "having", "held"}
)
#: The future auxiliary dropped from the front of a cue like ``LEADING_VERBS`` ("will [respond firmly]"), unless
#: a word in ``KEEPS_WILL`` follows it; other modals carry the code and stay.
LEADING_FUTURE = "will"
#: Words after ``LEADING_FUTURE`` that keep it: a negation ("will not", "will never") or a word that shows it is
#: the noun ("will of the people", "will to act").
KEEPS_WILL = frozenset({"not", "never", "of", "to", "and", "or", "for"})
#: Leading phrases dropped like ``LEADING_VERBS``.
LEADING_PHRASES = ("took place ",)
#: Idioms whose leading verb is part of the code and stays.
VERB_IDIOMS = (
    "had better ",
    "had it out",
    "had words",
    "have words",
    "held in abeyance",
    "held to ",
    "held accountable",
    "held responsible",
    "held liable",
    "have been warned",
    "has been warned",
)
#: What a cue may not be reduced to: a single one of these words.
FUNCTION_WORDS = (
    frozenset("and as at but by for from in of on or that to with".split())
    | LEADING_ARTICLES
    | LEADING_PRONOUNS
    | LEADING_VERBS
    | {LEADING_FUTURE}
)


def _leading_verb(cue: str) -> int:
    """Length of the copula, auxiliary, light verb or future "will" (with its space) that opens ``cue``, or 0."""
    if cue.lower().startswith(VERB_IDIOMS):
        return 0
    for phrase in LEADING_PHRASES:
        if cue.startswith(phrase) and len(cue) > len(phrase):
            return len(phrase)
    first = cue.find(" ")
    if first > 0 and cue[:first] == LEADING_FUTURE:
        second = cue.split(" ", 2)[1].lower()
        return 0 if second in KEEPS_WILL else first + 1
    return first + 1 if first > 0 and cue[:first] in LEADING_VERBS else 0


def _object_follows(text: str, end: int) -> bool:
    """Whether a word that can be the object of a preposition follows ``text[:end]``: a word, past spaces and
    opening quotes, that is not a conjunction or another preposition (``NOT_AN_OBJECT``)."""
    rest = text[end:].lstrip(OPENERS)
    word = rest.split(maxsplit=1)[0].lower() if rest else ""
    return bool(word) and word[0].isalnum() and word.strip(EDGE_CHARACTERS) not in NOT_AN_OBJECT


def _strip_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without ``EDGE_CHARACTERS`` at either edge."""
    while start < end and text[start] in EDGE_CHARACTERS:
        start += 1
    while end > start and text[end - 1] in EDGE_CHARACTERS:
        end -= 1
    return start, end


def boundary_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` narrowed by the cue-boundary rule: edge characters, a leading article, subject pronoun
    or lower-case copula, auxiliary, light verb or future "will", a trailing article or coordinating
    conjunction and a trailing preposition whose object follows in ``text`` removed, repeatedly until nothing
    changes; words are only removed while another word remains."""
    while True:
        before = (start, end)
        start, end = _strip_edges(text, start, end)
        cue = text[start:end]
        first = cue.find(" ")
        if first > 0 and cue[:first].lower() in LEADING_ARTICLES | LEADING_PRONOUNS:
            start, end = _strip_edges(text, start + first + 1, end)
        if verb := _leading_verb(text[start:end]):
            start, end = _strip_edges(text, start + verb, end)
        last = text.rfind(" ", start, end)
        if last > start and text[last + 1 : end].lower() in TRAILING_WORDS:
            start, end = _strip_edges(text, start, last)
        last = text.rfind(" ", start, end)
        if last > start and text[last + 1 : end].lower() in TRAILING_PREPOSITIONS and _object_follows(text, end):
            start, end = _strip_edges(text, start, last)
        if (start, end) == before:
            return start, end


def follows_rule(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` under the cue-boundary rule, or unchanged when the rule would empty it or leave a
    single function word."""
    narrowed = boundary_span(text, start, end)
    kept = text[narrowed[0] : narrowed[1]]
    return (start, end) if not kept or kept.lower() in FUNCTION_WORDS else narrowed


def normalise_cue(cue: str, text: str | None = None, start: int | None = None) -> str:
    """The cue under the cue-boundary rule: the phrase that carries the code, without a leading article
    ("a", "an", "the"), a leading subject pronoun ("I", "we", "you", "he", "she", "they" as a word of its
    own; contractions such as "We'll" stay), a leading copula, auxiliary or light verb in lower case
    (``LEADING_VERBS``, "took place"; idioms in ``VERB_IDIOMS`` such as "held in abeyance" keep theirs), a
    leading future "will" (kept before a word of ``KEEPS_WILL``: "not", "never", "of", ...), a trailing article
    or coordinating conjunction (``TRAILING_WORDS``: "a", "an", "the", "and", "or", "but"), a trailing
    preposition whose object follows the cue in ``text`` (``TRAILING_PREPOSITIONS``; a stranded one stays, as
    in "uncalled for") or quotes and punctuation at either edge (``EDGE_CHARACTERS``), applied until stable.
    ``start`` is where the cue stands in ``text`` (default: its first occurrence); without ``text`` the cue is
    read on its own, so nothing follows it. Words match case-insensitively, verbs only in lower case; what
    remains keeps its case and is a substring of ``cue``. A cue that would be emptied or left as a single
    function word is returned unchanged (``python -m training.corpus normalise`` reports those).

    >>> normalise_cue("We have our reservations")
    'our reservations'
    >>> normalise_cue("had been productive")
    'productive'
    >>> normalise_cue("We will respond firmly")
    'respond firmly'
    >>> normalise_cue("will not stand idly by")
    'will not stand idly by'
    >>> normalise_cue("held in abeyance")
    'held in abeyance'
    >>> normalise_cue("a frank exchange and")
    'frank exchange'
    >>> normalise_cue("That remark was uncalled for")
    'That remark was uncalled for'
    >>> normalise_cue("fell short of", "Exports fell short of expectations.")
    'fell short'
    >>> normalise_cue("uncalled for", "The remark was uncalled for, he said.")
    'uncalled for'
    """
    if text is None or (start is None and (start := text.find(cue)) < 0):
        text, start = cue, 0
    begin, end = follows_rule(text, start, start + len(cue))
    return text[begin:end]


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` so that it neither starts nor ends inside a word: a cue of subword tokens
    ("utely opposes") becomes whole words ("resolutely opposes")."""

    def joined(i: int) -> bool:  # is text[i] part of the word around it?
        return 0 <= i < len(text) and (
            text[i].isalnum()
            or (text[i] in JOINERS and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum())
        )

    while start > 0 and joined(start - 1) and joined(start):
        start -= 1
    while end < len(text) and joined(end) and joined(end - 1):
        end += 1
    return start, end


def balance_quotes(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in the quote just outside ``[start, end)`` that closes (or opens) one left unpaired inside it:
    'sent \u201csignals' becomes 'sent \u201csignals\u201d'."""
    for opening, closing in QUOTE_PAIRS:
        inner = text[start:end]
        if opening == closing:
            unpaired = inner.count(opening) % 2 == 1
            if unpaired and end < len(text) and text[end] == closing:
                end += 1
            elif unpaired and start > 0 and text[start - 1] == opening:
                start -= 1
        elif inner.count(opening) > inner.count(closing) and end < len(text) and text[end] == closing:
            end += 1
        elif inner.count(closing) > inner.count(opening) and start > 0 and text[start - 1] == opening:
            start -= 1
    return start, end


def tokens_to_cue(text: str, offsets: list[tuple[int, int]], first: int, last: int) -> tuple[int, int] | None:
    """The character span of tokens ``first`` to ``last`` of ``text`` as a cue: widened to whole words, trimmed by
    the cue-boundary rule and with a quote opened inside it closed; None when nothing is left."""
    start, end = follows_rule(text, *snap_to_words(text, offsets[first][0], offsets[last][1]))
    return balance_quotes(text, start, end) if end > start else None


def cue_runs(inside: np.ndarray, offsets: list[tuple[int, int]], threshold: float) -> list[tuple[float, int, int]]:
    """The runs of consecutive tokens (special tokens, with offsets ``(0, 0)``, excluded) whose probability of being
    in a cue, ``inside``, passes ``threshold``, in sentence order: ``(total probability, first token, last token)``."""
    usable = [k for k, span in enumerate(offsets) if span != (0, 0)]
    runs, k = [], 0
    while k < len(usable):
        if inside[usable[k]] > threshold:
            j = k
            while j + 1 < len(usable) and usable[j + 1] == usable[j] + 1 and inside[usable[j + 1]] > threshold:
                j += 1
            runs.append((float(inside[usable[k] : usable[j] + 1].sum()), usable[k], usable[j]))
            k = j + 1
        else:
            k += 1
    return runs


def cue_span(
    tag_probs: np.ndarray, offsets: list[tuple[int, int]], text: str, threshold: float = DEFAULT_CUE_THRESHOLD
) -> tuple[int, int] | None:
    """The cue as a character span of ``text``: the run of consecutive tokens whose probability of being
    in a cue (tags B or I) passes ``threshold`` with the largest total, or the single likeliest token
    when none passes, widened to whole words and trimmed by the cue-boundary rule ("had been productive
    and" -> "productive"). Special tokens are never part of a cue; a quote opened inside the cue keeps its
    closing one."""
    inside = 1.0 - tag_probs[:, 0]
    runs = cue_runs(inside, offsets, threshold)
    if runs:
        _, first, last = max(runs, key=lambda run: run[0])  # the earliest of equal totals
    else:
        usable = [k for k, span in enumerate(offsets) if span != (0, 0)]
        if not usable:
            return None
        first = last = max(usable, key=lambda i: inside[i])
    return tokens_to_cue(text, offsets, first, last)
