"""The int8 fidelity measures used to pick a quantisation level and to gate an export."""

import numpy as np
import pytest

from training.export import GateError, agreement, check_gates, level_passes, more_errors_p, sure_agreement


def logits(stance_rows, subtext_rows):
    cue = [np.array([[5.0, 0.0, 0.0], [0.0, 5.0, 0.0]])]
    return {"stance": np.array(stance_rows, float), "subtext": np.array(subtext_rows, float), "cue": cue}


SURE, TIE = [4.0, 0.0, 0.0], [1.0, 0.98, 0.0]  # top two far apart / nearly equal
SUB = [[4.0, 0, 0, 0, 0, 0]] * 4


def test_sure_agreement_ignores_near_ties_only():
    reference = logits([SURE, SURE, SURE, TIE], SUB)
    flipped_tie = logits([SURE, SURE, SURE, [0.98, 1.0, 0.0]], SUB)
    assert agreement(reference, flipped_tie)["stance"] == 0.75
    assert sure_agreement(reference, flipped_tie)["stance"] == 1.0
    flipped_sure = logits([[0.0, 4.0, 0.0], SURE, SURE, TIE], SUB)
    assert sure_agreement(reference, flipped_sure)["stance"] == pytest.approx(2 / 3)


def test_gate_fails_when_a_sure_label_flips():
    reference = logits([SURE] * 4, SUB)
    other = logits([[0.0, 4.0, 0.0]] + [SURE] * 3, SUB)
    truth = (["cooperative"] * 4, ["literal"] * 4)
    check_gates(reference, reference, reference, *truth)
    with pytest.raises(GateError, match="int8 agrees with fp32 on 75.0% of stance"):
        check_gates(reference, reference, other, *truth)


def test_more_errors_p_is_the_exact_one_sided_mcnemar_test():
    truth = [0] * 10
    assert more_errors_p(truth, [1, 1, 1] + [0] * 7, truth) == pytest.approx(1 / 8)  # 3 lost, none won
    assert more_errors_p(truth, [1] * 5 + [0] * 5, truth) == pytest.approx(1 / 32)
    # 6 lost, 1 won: P(X >= 6) for X ~ Binomial(7, 1/2) = 8 / 128
    reference = [0] * 9 + [1]
    assert more_errors_p(reference, [1] * 6 + [0] * 4, truth) == pytest.approx(8 / 128)
    assert more_errors_p(reference, [1] + [0] * 9, truth) == 1.0  # as many won as lost
    assert more_errors_p(truth, truth, truth) == 1.0


def test_level_passes_small_drops_and_larger_ones_only_within_noise():
    sure = {"stance": 1.0, "subtext": 0.99}
    assert level_passes(sure, {"stance": 0.004, "subtext": -0.01}, {"stance": 0.01, "subtext": 1.0})
    assert level_passes(sure, {"stance": 0.007, "subtext": 0.0}, {"stance": 0.2, "subtext": 1.0})
    assert not level_passes(sure, {"stance": 0.007, "subtext": 0.0}, {"stance": 0.03, "subtext": 1.0})
    assert not level_passes(sure, {"stance": 0.012, "subtext": 0.0}, {"stance": 0.9, "subtext": 1.0})
    assert not level_passes(
        {"stance": 0.98, "subtext": 1.0}, {"stance": 0.0, "subtext": 0.0}, {"stance": 1, "subtext": 1}
    )
