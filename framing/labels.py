"""The label schema: stance and subtext values, what each coded subtext means, and the cue tags."""

from __future__ import annotations

STANCES: tuple[str, ...] = ("cooperative", "neutral", "confrontational")
SUBTEXTS: tuple[str, ...] = ("literal", "no_progress", "disagreement", "stalling", "warning", "protest")
LITERAL = "literal"

#: BIO tags over the tokens of the cue phrase.
CUE_TAGS: tuple[str, ...] = ("O", "B-CUE", "I-CUE")

#: Weight of each stance in the tone index (-1 confrontational ... +1 cooperative).
TONE_WEIGHTS: dict[str, float] = {"cooperative": 1.0, "neutral": 0.0, "confrontational": -1.0}

#: The decoded meaning of each subtext, in words an analyst would use.
MEANINGS: dict[str, str] = {
    "literal": "says what it means",
    "no_progress": "the talks produced no agreement",
    "disagreement": "the sides disagreed sharply",
    "stalling": "a deferral: not now, no commitment",
    "warning": "a veiled threat of retaliation",
    "protest": "a formal protest or displeasure",
}

DEFINITIONS: dict[str, str] = {
    "cooperative": "agreement, conciliation, praise, offers, concessions, de-escalation",
    "neutral": "procedural, factual, scheduling; talks that produced nothing without hostility",
    "confrontational": "criticism, accusation, threats, sanctions, tariffs, refusals, attacks, protests",
    "literal": "says what it means",
    "no_progress": "talks described in process or positive words that signal no agreement",
    "disagreement": "coded admission of a row",
    "stalling": "deferral, non-commitment",
    "warning": "veiled threat",
    "protest": "formal displeasure in understated words",
}


def is_euphemism(subtext: str) -> bool:
    """True when the subtext is a coded one (anything but ``literal``)."""
    return subtext != LITERAL


def check_label(field: str, value: object) -> str:
    """Return ``value`` if it is a valid label for ``field``, else raise ``ValueError`` saying what is allowed."""
    allowed = {"stance": STANCES, "subtext": SUBTEXTS}[field]
    if value not in allowed:
        raise ValueError(f"{field} {value!r} is not one of {', '.join(allowed)}")
    return value  # type: ignore[return-value]
