"""The int8 fidelity measures used to pick a quantisation level and to gate an export."""

import numpy as np
import pytest

from training.export import GateError, agreement, check_gates, sure_agreement


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
