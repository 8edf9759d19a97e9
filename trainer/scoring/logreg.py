"""A tiny L2-regularised logistic regression in numpy, one per signal, for the combiner.

Fitted by Newton's method (a few dozen features, a few thousand rows: milliseconds, and the same answer
every time, which a deterministic build needs). The intercept is not penalised.

Used by `trainer.scoring.build` (fit) and, through `LabelWeights`, by the act and combiner components
(predict, save, load).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

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


class LabelWeights:
    """One fitted logistic regression per label over the same named features, as the act model (one per
    act) and the combiner (one per signal) keep them.

        w = LabelWeights(ACTS, feature_names, "act")
        w.set({"advice": (intercept, [weight per feature]), ...})   # ValueError when a label or length is off
        w.probabilities(rows)   -> (rows x labels) array, or None until every label has weights
        w.as_json() / w.load_json(data)   # {"features": [...], "weights": {label: {intercept, weights}}}
    """

    def __init__(self, labels: Sequence[str], names: Sequence[str], what: str) -> None:
        self.labels = tuple(labels)
        self.names = list(names)
        self.what = what
        """Named in the errors: "act" -> "the saved act weights were fitted on other features"."""
        self.weights: dict[str, tuple[float, list[float]]] = {}
        self._matrix: FloatArray | None = None
        self._intercepts: FloatArray | None = None

    def set(self, weights: Mapping[str, tuple[float, Sequence[float]]]) -> None:
        """Install fitted weights: per label, (intercept, weights over `names`)."""
        for label, (_b, w) in weights.items():
            if label not in self.labels or len(w) != len(self.names):
                n = len(self.names)
                raise ValueError(f"weights for {label!r} do not fit the {n} {self.what} features")
        self.weights = {lab: (float(b), [float(x) for x in w]) for lab, (b, w) in weights.items()}
        if set(self.weights) == set(self.labels):
            self._matrix = np.array([self.weights[lab][1] for lab in self.labels], dtype=np.float64).T
            self._intercepts = np.array([self.weights[lab][0] for lab in self.labels], dtype=np.float64)
        else:
            self._matrix = self._intercepts = None

    def probabilities(self, rows: Any) -> FloatArray | None:
        """Each label's probability for each row of features (rows x labels); None before the fit."""
        if self._matrix is None or self._intercepts is None:
            return None
        return sigmoid(np.asarray(rows, dtype=np.float64) @ self._matrix + self._intercepts)

    def as_json(self) -> dict[str, Any]:
        return {
            "features": self.names,
            "weights": {lab: {"intercept": b, "weights": w} for lab, (b, w) in self.weights.items()},
        }

    def load_json(self, data: Mapping[str, Any]) -> None:
        """Install weights saved by `as_json`. Raises ValueError when they were fitted on other features."""
        if data["features"] != self.names:
            raise ValueError(f"the saved {self.what} weights were fitted on other features: run `make model`")
        self.set({lab: (v["intercept"], v["weights"]) for lab, v in data["weights"].items()})
