"""Cautions a rule is sure of are always shown.

The combiner weighs a rule hit against the classifier; on a short or oddly typed reply ("ye its 07700900123
x") the classifier knows none of the words and can outweigh a rule that is nearly always right. For the
signals held against a learner (sympathy, overstep: `scoring.api.AGAINST`), a hit of a rule whose precision
on the training split is at least SURE is therefore shown whatever the classifier says: the score is at
least that precision, and the rule's words are the evidence. Precision is measured by the build on the
training data (`build.rule_precisions`), never set by hand. Used by the combiner
(`trainer.scoring.components.CombinerComponent`).

A sentence holding a sure sympathy rule's words is that sympathy, whatever else the classifier reads in it:
"She's in a better place now." after "My mum died" echoes nothing and names no feeling of theirs, however
much its form ("she's in...") looks like a reflection. Its empathy is withdrawn unless another sentence of
the reply is a reflection (`withdraws_empathy`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from trainer.scoring.acts import VETOED, family_labels
from trainer.scoring.api import AGAINST, THRESHOLD

REFLECTIONS = ("reflection_simple", "reflection_complex")
SYMPATHY_ACTS = ("sympathy", "reassurance", "self_disclosure")
"""The acts that carry the sympathy signal (`acts.SIGNAL_ACTS`), in the order a tie goes."""

SURE = 0.85
"""The training precision from which a caution rule decides on its own."""


def sure_cautions(scores: dict[str, float], hits: Iterable[Any], precision: Mapping[str, float]) -> list[Any]:
    """Raise `scores` (in place) for the AGAINST signals of the hits whose rule is SURE; returns those
    hits."""
    sure = []
    for hit in hits:
        if hit.signal in AGAINST:
            p = precision.get(hit.rule, 0.0)
            if p >= SURE:
                sure.append(hit)
                if scores.get(hit.signal, 0.0) < p:
                    scores[hit.signal] = round(p, 4)
    return sure


def withdraws_empathy(
    sure: Iterable[Any], sentences: Sequence[tuple[int, int]], labels: Sequence[str]
) -> bool:
    """Whether sure sympathy hits (`sure`, from `sure_cautions`) take the empathy away: every sentence that
    could carry it holds one. `sentences` are the reply's sentence spans (character offsets) and `labels`
    their acts by family (`acts.family_labels`), in the same order; a sentence without a sure sympathy hit
    keeps the empathy when its act is a reflection. False when no sympathy hit is sure."""
    marked = [h.start for h in sure if h.signal == "sympathy"]
    if not marked:
        return False
    for (start, end), label in zip(sentences, labels, strict=False):
        if label in REFLECTIONS and not any(start <= at < end for at in marked):
            return False
    return True


def settle_sympathy(
    scores: dict[str, float],
    sure: Sequence[Any],
    acts: Sequence[Any],
    act_probs: Sequence[dict[str, float]] | None,
    promoted: dict[str, Any],
) -> list[Any]:
    """After the acts are applied: withdraw the empathy (in `scores` and `promoted`, in place) when
    `withdraws_empathy` says so, and return the acts with each reflection act of a sentence holding a sure
    sympathy hit replaced by its most probable sympathy, reassurance or self-disclosure act (so that the
    reply is not shown as a reflection and scored as sympathy). `acts` are api.Act, one per sentence;
    `act_probs` their probabilities, when the act layer gave them."""
    marked = [h.start for h in sure if h.signal == "sympathy"]
    if not marked or not acts:
        return list(acts)
    pooled = act_probs is not None and len(act_probs) == len(acts)
    labels = family_labels(act_probs) if pooled and act_probs else [a.label for a in acts]
    if scores.get("empathy", 0.0) >= THRESHOLD and withdraws_empathy(sure, [(a.start, a.end) for a in acts],
                                                                      labels):
        scores["empathy"] = VETOED
        promoted.pop("empathy", None)
    out = []
    for i, act in enumerate(acts):
        if act.label in REFLECTIONS and any(act.start <= at < act.end for at in marked):
            probs = act_probs[i] if pooled and act_probs else {}
            best = max(SYMPATHY_ACTS, key=lambda a: probs.get(a, 0.0))
            act = replace(act, label=best, confidence=round(float(probs.get(best, 0.0)), 4))
        out.append(act)
    return out
