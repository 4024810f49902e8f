"""The project corpus obeys its rules; bad records are reported with file:line."""

import json

import pytest

from training import corpus


@pytest.fixture(scope="module")
def rows():
    return corpus.load_corpus()


def test_corpus_has_no_problems(rows):
    found = corpus.problems(rows)
    assert not found, "\n".join(found[:30])


def test_data_card_counts_match_files(rows):
    assert corpus.card_counts() == corpus.count_tables([row for _, row in rows])


def test_splits_are_deterministic_and_hold_out_cues(rows):
    for where, row in rows:
        assert row["split"] == corpus.expected_split(row), where
    test_cues = {corpus.family(r) for _, r in rows if r["split"] == "test" and r["cue"]}
    other_cues = {corpus.family(r) for _, r in rows if r["split"] != "test" and r["cue"]}
    assert test_cues and not test_cues & other_cues


def _write(tmp_path, records):
    path = tmp_path / "slice.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


GOOD = {
    "id": "x-1", "text": "The talks were constructive and useful, the ministry said.", "stance": "neutral",
    "subtext": "no_progress", "cue": "constructive and useful", "cue_family": "constructive and useful",
    "split": "", "hard_negative": False,
}  # fmt: skip


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"stance": "hostile"}, "stance 'hostile' is not one of"),
        ({"subtext": "sarcasm"}, "subtext 'sarcasm' is not one of"),
        ({"cue": "productive talks"}, "is not a substring"),
        ({"subtext": "literal"}, "literal sentence must have an empty cue"),
        ({"text": "Talks: constructive and useful."}, "4 words, outside 5 to 60"),
        ({"hard_negative": "yes"}, "hard_negative must be true or false"),
        ({"split": "holdout"}, "split 'holdout' is not one of"),
    ],
)
def test_bad_record_is_reported_with_file_and_line(tmp_path, change, reason):
    good = dict(GOOD, split=corpus.expected_split(GOOD))
    other = dict(GOOD, id="x-2", text="Both delegations said the meeting in Geneva was useful and constructive.")
    other["split"] = corpus.expected_split(other)
    path = _write(tmp_path, [other, dict(good, **change)])
    found = corpus.problems(corpus.read_rows(path))
    assert any(f.startswith(f"{path}:2:") and reason in f for f in found), found


def test_duplicates_and_missing_fields(tmp_path):
    good = dict(GOOD, split=corpus.expected_split(GOOD))
    path = _write(tmp_path, [good, dict(good, id="x-2", text=good["text"].upper())])
    assert any(f.startswith(f"{path}:2:") and "duplicate" in f for f in corpus.problems(corpus.read_rows(path)))
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps({"id": "y", "text": "hello there"}) + "\n", encoding="utf-8")
    with pytest.raises(corpus.DataError, match=rf"{broken}:1: missing field"):
        corpus.read_rows(broken)


@pytest.mark.parametrize(
    "cue, expected",
    [
        ("a frank exchange of views", "frank exchange of views"),
        ("An unfriendly act", "unfriendly act"),
        ("the ball is in their court", "ball is in their court"),
        ("THE window is closing", "window is closing"),
        ("We have our reservations", "our reservations"),
        ("had been productive", "productive"),
        ("was deeply disappointed", "deeply disappointed"),
        ("held a candid exchange", "candid exchange"),
        ("took place in a brotherly atmosphere", "in a brotherly atmosphere"),
        ("are not there yet", "not there yet"),
        ("had words", "had words"),
        ("held in abeyance", "held in abeyance"),
        ("have been warned", "have been warned"),
        ("Is Ankara hedging", "Is Ankara hedging"),
        ("Be careful what you wish for", "Be careful what you wish for"),
        ("summoned the ambassador", "summoned the ambassador"),
        ("is", "is"),
        ("had been", "had been"),
        ("He made his position clear", "made his position clear"),
        ("I won't speculate", "won't speculate"),
        ("takes issue with", "takes issue with"),
        ("not conducive to", "not conducive to"),
        ("We take note of", "take note of"),
        ("uncalled for", "uncalled for"),
        ("This is not on", "This is not on"),
        ("Dug in", "Dug in"),
        ("will not stand idly by", "will not stand idly by"),
        ("There's more where that came from", "There's more where that came from"),
        ("Let's put a pin in that", "Let's put a pin in that"),
        ("will have no choice but to", "no choice but to"),
        ("we will study the", "study"),
        ("will respond firmly", "respond firmly"),
        ("will be held accountable", "held accountable"),
        ("will never accept", "will never accept"),
        ("Will Ankara back down", "Will Ankara back down"),
        ("would have preferred", "would have preferred"),
        ("political will", "political will"),
        ("will of the people", "will of the people"),
        ("We will", "We will"),
        ("frank and candid and", "frank and candid"),
        ("We will not start a fight, but", "will not start a fight"),
        ("respond accordingly or", "respond accordingly"),
        ("draw a line in the sand, a", "draw a line in the sand"),
        ("take note of the", "take note"),  # the object begins after "of"
        ("\u201cThe time is not ripe,\u201d", "time is not ripe"),
        ("We'll come back to that", "We'll come back to that"),
        ("We'll see", "We'll see"),
        ("we're not there yet", "we're not there yet"),
        ("I'm not going to be happy", "I'm not going to be happy"),
        ("It is premature", "It is premature"),
        ("There is no hurry", "There is no hurry"),
        ("Dug", "Dug"),
        ("we", "we"),
        ("the of", "the of"),
        ("We for", "We for"),
        ("the and", "the and"),
        ('"!"', '"!"'),
    ],
)
def test_normalise_cue(cue, expected):
    assert corpus.normalise_cue(cue) == expected
    assert expected in cue
    assert corpus.normalise_cue(expected) == expected


@pytest.mark.parametrize(
    ("cue", "text", "expected"),
    [
        ("takes issue with", "Ankara takes issue with the report.", "takes issue"),
        ("fell short of", "The offer fell short of what Kyiv wanted.", "fell short"),
        ("troubled by", 'Delhi is troubled by "an ally\'s" silence.', "troubled"),
        ("no choice but to", "We will have no choice but to respond.", "no choice"),  # then "but" goes too
        ("takes issue with", "It is one Ankara takes issue with.", "takes issue with"),  # stranded
        ("uncalled for", "The remark was uncalled for, the ministry said.", "uncalled for"),
        ("stand idly by", "We will not stand idly by while it burns.", "stand idly by"),  # a conjunction follows
        ("sitting on", "It is sawing off the branch it is sitting on in the Caucasus.", "sitting on"),
        ("of", "Speaking of which, nothing was agreed.", "of"),  # never emptied
    ],
)
def test_normalise_cue_drops_a_trailing_preposition_before_its_object(cue, text, expected):
    assert corpus.normalise_cue(cue, text) == expected
    assert corpus.normalise_cue(cue) == corpus.normalise_cue(cue, cue)  # on its own, nothing follows it


def test_check_flags_a_cue_that_is_not_normalised(tmp_path):
    row = dict(GOOD, text="Both sides described it as a constructive and useful meeting, the ministry said.")
    row["cue"] = "a constructive and useful"
    row["split"] = corpus.expected_split(row)
    path = _write(tmp_path, [row])
    expected = f'{path}:1: cue "a constructive and useful" is not normalised (expected "constructive and useful")'
    assert expected in corpus.problems(corpus.read_rows(path))
    fixed = _write(tmp_path, [dict(row, cue="constructive and useful")])
    assert not [f for f in corpus.problems(corpus.read_rows(fixed)) if "normalised" in f]
    other = _write(tmp_path, [dict(row, cue="constructive and useful", other_cues=["the ministry said."])])
    expected = f'{other}:1: other cue "the ministry said." is not normalised (expected "ministry said")'
    assert expected in corpus.problems(corpus.read_rows(other))


def test_check_and_normalise_read_a_trailing_preposition_in_its_sentence(tmp_path):
    text = "Seoul took issue with the timing, and the ministry took issue with it too, officials said."
    row = dict(GOOD, text=text, subtext="protest", cue="took issue with", other_cues=["with it too"])
    row["split"] = corpus.expected_split(row)
    path = _write(tmp_path, [row])
    assert f'{path}:1: cue "took issue with" is not normalised (expected "took issue")' in corpus.problems(
        corpus.read_rows(path)
    )
    assert corpus.write_normalised_cues(tmp_path) == {path: 1}
    (_, fixed), *_ = corpus.read_rows(path)
    assert (fixed["cue"], fixed["other_cues"]) == ("took issue", ["with it too"])  # "with" leads: it stays
    assert not [f for f in corpus.problems(corpus.read_rows(path)) if "normalised" in f]


def test_normalise_rewrites_only_cues(tmp_path):
    other = dict(GOOD, id="x-2", text="«We agreed to stay in contact», the minister said after the Geneva round.")
    other["cue"] = "«We agreed to stay in contact»"
    other["other_cues"] = ["the minister said"]
    rows = [GOOD, other, dict(GOOD, id="x-3", subtext="literal", cue="", text="Talks ended with a signed deal.")]
    path = tmp_path / "slice.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    assert corpus.write_normalised_cues(tmp_path) == {path: 1}
    after = path.read_text(encoding="utf-8")
    assert after == before.replace('"«We agreed to stay in contact»"', '"agreed to stay in contact"').replace(
        '"the minister said"', '"minister said"'
    )
    assert corpus.write_normalised_cues(tmp_path) == {path: 0}
