"""Conditions: testing a scenario's `if` against a reply and the run's state, and saying it in words.

`evaluate()` is what the engine uses to pick variants, offer options and choose responses;
`describe()` gives the plain-words version the graph view and the debrief show ("empathy and trust at
least 4"). Neither knows anything about the scorer: scores and cues arrive as plain values.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterator, Mapping

from trainer.scenario.schema import Condition, Scenario

#: The score at or above which a signal counts as present, when a condition sets no `min`.
SIGNAL_THRESHOLD = 0.5


class ConditionError(ValueError):
    """A condition that cannot be evaluated (it names a variable the run does not have)."""


def evaluate(
    cond: Condition,
    scores: Mapping[str, float],
    cues: Collection[str],
    variables: Mapping[str, int],
) -> bool:
    """Whether `cond` holds.

    Args:
        cond: the condition as the author wrote it.
        scores: the reply's signal scores, 0-1; a missing signal (or a score that is not a number)
            counts as 0.
        cues: the ids of the scenario cues the reply matched.
        variables: the run's state variables.
    Returns: True when it holds. A signal holds when its score is at least `min` (0.5 unless set) and
        at most `max` if set; a var when it is within min/max and equal to `equals` if set; `all` of an
        empty list holds, `any` of an empty list does not.
    Raises: ConditionError when a `var` condition names a variable not in `variables` (the engine
        checks scenarios for this before playing them, so a run never meets it).
    """
    if cond.signal is not None:
        score = _number(scores.get(cond.signal, 0.0))
        # With only a maximum ("sympathy at most 0.2") the author means "low"; the 0.5 default would
        # make such a condition impossible.
        low = cond.min if cond.min is not None else (0.0 if cond.max is not None else SIGNAL_THRESHOLD)
        return score >= low and (cond.max is None or score <= cond.max)
    if cond.cue is not None:
        return cond.cue in cues
    if cond.var is not None:
        if cond.var not in variables:
            raise ConditionError(f"the condition tests '{cond.var}', a variable the run does not have")
        value = variables[cond.var]
        return (
            (cond.min is None or value >= cond.min)
            and (cond.max is None or value <= cond.max)
            and (cond.equals is None or value == cond.equals)
        )
    if cond.all is not None:
        return all(evaluate(c, scores, cues, variables) for c in cond.all)
    if cond.any is not None:
        return any(evaluate(c, scores, cues, variables) for c in cond.any)
    if cond.not_ is not None:
        return not evaluate(cond.not_, scores, cues, variables)
    # The schema guarantees exactly one kind; this is only reached by a model built without validation.
    raise ConditionError("the condition is empty: it needs one of signal, cue, var, all, any or not")


def _number(value: object) -> float:
    # A score that is not a finite number cannot pass a threshold honestly: treat it as absent.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    value = float(value)
    return value if math.isfinite(value) else 0.0


def describe(cond: Condition) -> str:
    """The condition in plain words, e.g. "empathy", "not purpose", "trust at least 6",
    "empathy and trust at least 4", "cue mentions_school", "sympathy at least 0.8",
    "empathy or (purpose and not overstep)"."""
    if cond.signal is not None:
        # No bound at all means "present" (the bare name); a maximum alone means "at most".
        low = None if cond.min == SIGNAL_THRESHOLD and cond.max is None else cond.min
        return _bounds(cond.signal, low, cond.max, None, bare=cond.signal)
    if cond.cue is not None:
        return f"cue {cond.cue}"
    if cond.var is not None:
        # A variable tested with no bound always holds; say so rather than print a bare name.
        return _bounds(cond.var, cond.min, cond.max, cond.equals, bare=f"{cond.var} (any value)")
    if cond.all is not None:
        return " and ".join(_part(c) for c in cond.all) if cond.all else "always"
    if cond.any is not None:
        return " or ".join(_part(c) for c in cond.any) if cond.any else "never"
    if cond.not_ is not None:
        return f"not {_part(cond.not_)}"
    return "never"


def subconditions(cond: Condition) -> Iterator[Condition]:
    """The conditions directly inside `cond`: those of `all`, then `any`, then `not` (none for a leaf)."""
    yield from cond.all or ()
    yield from cond.any or ()
    if cond.not_ is not None:
        yield cond.not_


def cues_in(cond: Condition | None) -> set[str]:
    """Every cue `cond` tests, at any depth (under `not` too)."""
    if cond is None:
        return set()
    found = {cond.cue} if cond.cue is not None else set()
    for sub in subconditions(cond):
        found |= cues_in(sub)
    return found


def nodes_testing(scenario: Scenario, cue_id: str) -> list[str]:
    """The nodes (in order) whose responses test the cue: where the author's rules give it meaning."""
    return [n for n, node in scenario.nodes.items() if any(cue_id in cues_in(r.if_) for r in node.responses)]


def cue_means_here(scenario: Scenario, cue_id: str, node: str) -> bool:
    """Whether a reply at `node` matching the cue means what the cue says: at a node whose rules test it,
    when any node's do, else anywhere ("tells someone other than Jordan why you are calling" is said to
    whoever answers, at the first line, not to Jordan)."""
    tested = nodes_testing(scenario, cue_id)
    return not tested or node in tested


def _part(cond: Condition) -> str:
    # Bracket a compound inside another so that "a and (b or c)" cannot be misread.
    text = describe(cond)
    compound = (cond.all is not None and len(cond.all) > 1) or (cond.any is not None and len(cond.any) > 1)
    return f"({text})" if compound else text


def _bounds(name: str, low: float | None, high: float | None, equals: int | None, bare: str) -> str:
    parts: list[str] = []
    if equals is not None:
        parts.append(f"is {equals}")
    if low is not None and high is not None:
        parts.append(f"between {_num(low)} and {_num(high)}")
    elif low is not None:
        parts.append(f"at least {_num(low)}")
    elif high is not None:
        parts.append(f"at most {_num(high)}")
    if not parts:
        return bare
    return f"{name} {' and '.join(parts)}"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
