"""A tiny L2-regularised logistic regression in numpy, one per signal, for the combiner.

Fitted by Newton's method (a few dozen features, a few thousand rows: milliseconds, and the same answer
every time, which a deterministic build needs). The intercept is not penalised.

Used by `trainer.scoring.build` (fit) and the combiner component (predict).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


def sigmoid(z: FloatArray) -> FloatArray:
    """The logistic function, safe for large |z|."""
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * z)), dtype=np.float64)


def fit(x: FloatArray, y: FloatArray, l2: float = 1.0, iterations: int = 50) -> tuple[float, FloatArray]:
    """Fit weights for features `x` (rows x features) and 0/1 targets `y`; returns (intercept, weights)."""
    n, k = x.shape
    xb = np.hstack([np.ones((n, 1)), x])
    w = np.zeros(k + 1)
    penalty = np.full(k + 1, l2)
    penalty[0] = 0.0
    for _ in range(iterations):
        p = sigmoid(xb @ w)
        grad = xb.T @ (p - y) + penalty * w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(penalty) + 1e-9 * np.eye(k + 1)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.max(np.abs(step))) < 1e-8:
            break
    return float(w[0]), w[1:].copy()


def predict(x: FloatArray, intercept: float, weights: FloatArray) -> FloatArray:
    """Probabilities for the rows of `x`."""
    return sigmoid(x @ weights + intercept)
