"""Replaying scripted replies through the engine and a scorer, to the debrief they would earn.

    debrief = replay_debrief(scenario, "doorstep-example", [("Hello, I'm Sam...", None), ("#2", 2)], scorer)
    problems = session_check(scenario, rehearsals, play)   # for `trainer rehearse --check`

The session scores are tested this way (tests/test_session_scores.py): for every bundled scenario, its
*built rehearsal* (the first rehearsal in its file whose expected ending has the outcome "built") must score
at least 4 of 5 on every skill the scenario expects somewhere (a node's `expect`); a rehearsal ending in
"boundary_crossed" must score at most 2 of 5 on boundaries; and a rehearsal that reached its ending through
a response that asks for sympathy (`if: {signal: sympathy}`), or an option read as sympathy, and did not end
"built" must score at most 2 of 5 on empathy. `session_check` applies the same rules to any scenario,
so new scenarios get them from `trainer rehearse --check`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from trainer.debrief.compute import compute_debrief
from trainer.debrief.model import Debrief
from trainer.scenario.engine import EndingReached, Session
from trainer.scenario.schema import Condition, Scenario

#: The lowest level (1-5) a built rehearsal may score on a skill its scenario expects.
BUILT_AT_LEAST = 4
#: The highest level a rehearsal that went wrong may score on the skill that went wrong.
WRONG_AT_MOST = 2


class Scorer(Protocol):
    """What replaying needs of a scorer (trainer.scoring.scorer.Scorer, and rehearse's Assessor, have it)."""

    def compile_cues(self, cues: Mapping[str, Any]) -> Any: ...
    def assess_many(self, items: Iterable[Any], batch_size: int = ..., cues: Any = ...) -> list[Any]: ...


def replay_debrief(
    scenario: Scenario, scenario_id: str, replies: Iterable[tuple[str, int | None]], scorer: Scorer
) -> Debrief:
    """Play (text, option) pairs from the start (an option's text is the option's), scoring each reply with
    its evidence, and return the debrief (no self-assessment). Stops at an ending; raises the engine's
    EngineError when the scenario refuses a reply."""
    session = Session(scenario, scenario_id)
    cues = scorer.compile_cues(scenario.cues)
    for text, option in replies:
        step = session.current()
        if isinstance(step, EndingReached):
            break
        if option is not None and 0 < option <= len(step.options):
            text = step.options[option - 1].text
        (assessment,) = scorer.assess_many([(text, step.line)], cues=cues)
        session.submit(text, assessment.as_mapping(), option=option)
    return compute_debrief(scenario, session.state)


def expected_skills(scenario: Scenario) -> list[str]:
    """The skills (empathy, purpose, boundaries) some node of the scenario expects, in that order."""
    wanted = {s for node in scenario.nodes.values() for s in node.expect}
    return [s for s in ("empathy", "purpose", "boundaries") if s in wanted]


def _asks_for(cond: Condition | None, signal: str) -> bool:
    """Whether a condition holds only when `signal` is shown (a positive test of it, not under `not`)."""
    if cond is None:
        return False
    if cond.signal == signal:
        return True
    return any(_asks_for(c, signal) for c in cond.all or [])


def went_wrong(scenario: Scenario, debrief: Debrief) -> list[str]:
    """The skills a replayed session got wrong by its own path: boundaries when it ended "boundary_crossed";
    otherwise empathy when it did not end "built" and some reply moved on through a response that asks for
    sympathy, or was an option the scorer read as sympathy."""
    out = []
    outcome = debrief.outcome.outcome
    if outcome == "boundary_crossed":
        out.append("boundaries")
    elif outcome not in (None, "built"):
        lines = {line.index: line for line in debrief.transcript}
        for i, turn in enumerate(debrief.run_state.transcript):
            node = scenario.nodes.get(turn.node)
            rule = turn.rule or ""
            if node is None or turn.speaker != "learner":
                continue
            if rule.startswith("response "):
                index = int(rule.split()[1]) - 1
                pity = 0 <= index < len(node.responses) and _asks_for(node.responses[index].if_, "sympathy")
            else:  # an option picked (or the default taken) with a reply the scorer read as sympathy
                pity = i in lines and "sympathy" in lines[i].present and turn.option is not None
            if pity:
                out.append("empathy")
                break
    return out


@dataclass(frozen=True)
class Verdict:
    """One rehearsal's session scores against the rules above."""

    name: str
    ending: str
    levels: dict[str, int | None]
    problems: list[str]


def session_check(
    scenario: Scenario,
    rehearsals: Sequence[tuple[str, str, Sequence[tuple[str, int | None]]]],
    play: Callable[[Sequence[tuple[str, int | None]]], Debrief],
) -> list[Verdict]:
    """Check the session scores of a scenario's rehearsals.

    Args:
        scenario: the scenario.
        rehearsals: (name, expected ending, replies as (text, option)) in file order.
        play: replays replies to a debrief (e.g. `replay_debrief` with the real scorer, bound).
    Returns: a Verdict per rehearsal checked (the built one and every one that went wrong).
    """
    built = next((r for r in rehearsals if _outcome(scenario, r[1]) == "built"), None)
    verdicts = []
    for name, _ending, replies in rehearsals:
        try:
            debrief = play(replies)
        except ValueError:  # a reply the scenario refuses: the rehearsal check itself reports it
            continue
        levels = {s.skill: s.level for s in debrief.skills}
        problems = []
        if built is not None and name == built[0]:
            for skill in expected_skills(scenario):
                level = levels.get(skill)
                if level is None or level < BUILT_AT_LEAST:
                    problems.append(
                        f"the built rehearsal scores {level}/5 on {skill}, which the scenario expects "
                        f"(at least {BUILT_AT_LEAST}/5 wanted): {debrief.skill(skill).facts}"
                    )
        wrong = went_wrong(scenario, debrief)
        for skill in wrong:
            level = levels.get(skill)
            if level is not None and level > WRONG_AT_MOST:
                problems.append(
                    f"it went wrong on {skill} but scores {level}/5 there "
                    f"(at most {WRONG_AT_MOST}/5 wanted): "
                    f"{debrief.skill(skill).facts}"
                )
        if (built is not None and name == built[0]) or wrong:
            verdicts.append(Verdict(name, debrief.outcome.node, levels, problems))
    return verdicts


def _outcome(scenario: Scenario, ending: str) -> str | None:
    node = scenario.nodes.get(ending)
    return node.ending.outcome.value if node is not None and node.ending is not None else None


def session_score_problems(
    scenario: Scenario,
    scenario_id: str,
    scorer: Scorer,
    rehearsals: Sequence[tuple[str, str, Sequence[tuple[str, int | None]]]],
) -> list[str]:
    """What `trainer rehearse --check` prints for the session scores: one "FAIL ..." line per problem of
    `session_check` (empty when all is well). `rehearsals` as for session_check: (name, expected ending,
    replies as (text, option))."""

    def play(replies: Sequence[tuple[str, int | None]]) -> Debrief:
        return replay_debrief(scenario, scenario_id, replies, scorer)

    verdicts = session_check(scenario, rehearsals, play)
    return [f"FAIL session scores of '{v.name}': {p}" for v in verdicts for p in v.problems]
