"""Cautions a rule is sure of are always shown.

The combiner weighs a rule hit against the classifier; on a short or oddly typed reply ("ye its 07700900123
x") the classifier knows none of the words and can outweigh a rule that is nearly always right. For the
signals held against a learner (sympathy, overstep: `scoring.api.AGAINST`), a hit of a rule whose precision
on the training split is at least SURE is therefore shown whatever the classifier says: the score is at
least that precision, and the rule's words are the evidence. Precision is measured by the build on the
training data (`build.rule_precisions`), never set by hand. Used by the combiner
(`trainer.scoring.components.CombinerComponent`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from trainer.scoring.api import AGAINST

SURE = 0.85
"""The training precision from which a caution rule decides on its own."""


def sure_cautions(scores: dict[str, float], hits: Iterable[Any], precision: Mapping[str, float]) -> None:
    """Raise `scores` (in place) for the AGAINST signals of the hits whose rule is SURE."""
    for hit in hits:
        if hit.signal in AGAINST:
            p = precision.get(hit.rule, 0.0)
            if p >= SURE and scores.get(hit.signal, 0.0) < p:
                scores[hit.signal] = round(p, 4)
