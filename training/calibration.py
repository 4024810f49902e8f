"""Temperature scaling: one temperature per head, fitted on dev logits by minimising the NLL."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import minimize_scalar

from framing.classifier import softmax


def nll(logits: np.ndarray, labels: Sequence[int], temperature: float) -> float:
    probs = softmax(logits, temperature)
    return float(-np.log(probs[np.arange(len(labels)), np.asarray(labels)] + 1e-12).mean())


def fit_temperature(logits: np.ndarray, labels: Sequence[int]) -> float:
    """The temperature in [0.05, 20] that minimises the negative log-likelihood (searched in log space)."""
    result = minimize_scalar(
        lambda log_t: nll(logits, labels, float(np.exp(log_t))), bounds=(np.log(0.05), np.log(20.0)), method="bounded"
    )
    return float(np.exp(result.x))
