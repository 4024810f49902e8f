import numpy as np
import pytest

from framing.metrics import binary_f1, expected_calibration_error, head_report, span_scores


def test_head_report_known_values():
    truth = ["a", "a", "b", "b", "c", "c"]
    pred = ["a", "b", "b", "b", "c", "a"]
    report = head_report(truth, pred, ["a", "b", "c"])
    # a: P 1/2 R 1/2 F 0.5; b: P 2/3 R 1 F 0.8; c: P 1 R 1/2 F 2/3
    assert report["per_class"]["a"]["f1"] == pytest.approx(0.5)
    assert report["per_class"]["b"]["f1"] == pytest.approx(0.8)
    assert report["per_class"]["c"]["f1"] == pytest.approx(2 / 3)
    assert report["macro_f1"] == pytest.approx((0.5 + 0.8 + 2 / 3) / 3)
    assert report["accuracy"] == pytest.approx(4 / 6)
    assert report["confusion"]["matrix"] == [[1, 1, 0], [0, 2, 0], [1, 0, 1]]


def test_ece_perfectly_calibrated_and_overconfident():
    # Two bins' worth: confidence 0.75 with 3 of 4 correct is calibrated.
    probs = np.array([[0.75, 0.25]] * 4)
    assert expected_calibration_error(probs, [0, 0, 0, 1]) == pytest.approx(0.0)
    # Confidence 0.9 but half wrong: ECE = |0.5 - 0.9| = 0.4.
    probs = np.array([[0.9, 0.1]] * 4)
    assert expected_calibration_error(probs, [0, 1, 0, 1]) == pytest.approx(0.4)


def test_binary_f1():
    assert binary_f1([True, True, False, False], [True, False, True, False]) == pytest.approx(0.5)


def test_span_scores_word_level():
    text = "the talks were constructive and useful today"
    gold = [(15, 38)]  # "constructive and useful"
    exact = span_scores([text], gold, [(15, 38)])
    assert exact["exact_match"] == 1.0 and exact["f1"] == 1.0
    partial = span_scores([text], gold, [(15, 27)])  # "constructive": 1 of 3 words, precision 1
    assert partial["exact_match"] == 0.0
    assert partial["precision"] == pytest.approx(1.0)
    assert partial["recall"] == pytest.approx(1 / 3)
    assert span_scores([text], gold, [None])["f1"] == 0.0
    assert span_scores([text], [None], [(0, 3)])["n"] == 0


def test_span_scores_say_how_the_misses_went_wrong():
    text = "the talks were constructive and useful today"
    gold = (15, 38)  # "constructive and useful"
    predictions = {
        "exact": gold,
        "missed": None,
        "too_long": (10, 38),  # "were constructive and useful"
        "too_short": (15, 27),  # "constructive"
        "shifted": (28, 44),  # "and useful today"
        "disjoint": (0, 9),  # "the talks"
    }
    scores = span_scores([text] * len(predictions), [gold] * len(predictions), list(predictions.values()))
    assert scores["errors"] == {"missed": 1, "too_long": 1, "too_short": 1, "shifted": 1, "disjoint": 1}
    assert scores["exact_match"] == pytest.approx(1 / 6)


def test_span_scores_against_any_annotated_phrase():
    text = "They exchanged views and agreed to remain seized of the matter."
    cue = (text.index("remain"), text.index(" of the"))  # "remain seized"
    other = (text.index("exchanged"), text.index(" and"))  # "exchanged views"
    on_other = span_scores([text], [cue], [other], [[other]])
    assert on_other["exact_match"] == 1.0 and on_other["f1"] == 1.0
    assert span_scores([text], [cue], [other])["f1"] == 0.0  # the cue alone
    # a prediction matching the cue keeps the cue; alternatives never lower a score
    assert span_scores([text], [cue], [cue], [[other]])["exact_match"] == 1.0
    partial = span_scores([text], [cue], [(other[0], text.index(" views"))], [[other]])
    assert partial["precision"] == pytest.approx(1.0) and partial["recall"] == pytest.approx(0.5)


def test_temperature_recovers_known_scale():
    pytest.importorskip("scipy")
    from training.calibration import fit_temperature

    rng = np.random.default_rng(0)
    true_logits = rng.normal(size=(4000, 3)) * 2
    probs = np.exp(true_logits) / np.exp(true_logits).sum(1, keepdims=True)
    labels = [rng.choice(3, p=p) for p in probs]
    # The model is 3x overconfident: the fitted temperature should be close to 3.
    assert fit_temperature(true_logits * 3, labels) == pytest.approx(3.0, rel=0.1)
