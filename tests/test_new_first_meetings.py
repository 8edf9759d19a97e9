"""The five first meetings added for issue 15 (item 4): England's law, the disclosures marked as risk, and
warmth alone never enough.

For each disclosure, every rehearsal that passes through it and ends "built" is played again with the reply
at the disclosure swapped for the issue's empathic-only sentence; none may still end "built". Swapping in
the moment's own model answer instead must keep the built ending (the model answer is the safe reply).
"""

from __future__ import annotations

import pytest

from trainer.authoring import rehearse as rh
from trainer.scenario.loader import BUNDLED_DIR, load_scenario

NEW = ["s47-hostile-father", "interpreter-son-offers", "self-neglect-unwise", "parent-learning-disability",
       "first-call-phone"]

#: (scenario, the moment of disclosure)
DISCLOSURES = [
    ("s47-hostile-father", "admits"),
    ("self-neglect-unwise", "heater"),
    ("parent-learning-disability", "money"),
    ("first-call-phone", "redial"),
]

#: The reply issue 15 swapped in at each disclosure: warm, and doing nothing.
EMPATHY_ALONE = "That sounds really frightening, and it sounds like you've been carrying this on your own"


@pytest.fixture(scope="module")
def scorer() -> rh.Assessor:
    return rh.load_scorer()


Run = tuple[rh.Rehearsal, int, list[str]]


def built_runs_acting_at(scenario_id: str, node: str, scorer: rh.Assessor) -> tuple[rh.Rehearser, list[Run]]:
    """The rehearser, and each built rehearsal whose reply at `node` is the safe one (it matches every
    safe_reply cue), with the index of that reply and the nodes each reply was given at."""
    loaded = load_scenario(BUNDLED_DIR / f"{scenario_id}.yaml")
    rehearser = rh.Rehearser(loaded.scenario, loaded.id, scorer)
    risk = loaded.scenario.nodes[node].risk
    assert risk is not None
    runs = []
    for rehearsal in rh.load_rehearsals(rh.rehearsal_file(loaded.path)):
        played = rehearser.play(rehearsal.replies)
        if played.ending is None or played.ending.ending.outcome.value != "built":
            continue
        at = [i for i, turn in enumerate(played.turns)
              if turn.node == node and set(risk.safe_reply) <= set(turn.cues)]
        if at:
            runs.append((rehearsal, at[0], [turn.node for turn in played.turns]))
    return rehearser, runs


def play_swapped(rehearser: rh.Rehearser, run: Run, text: str) -> rh.Played:
    """Play the rehearsal with its reply at the disclosure swapped for `text`. Where the conversation then
    goes elsewhere, the learner's later picks are said in their own words (the option's text), so they can
    be given wherever the conversation now is."""
    rehearsal, index, nodes = run
    replies = list(rehearsal.replies)
    replies[index] = rh.parse_reply(text, f"{rehearsal.where} (swapped)")
    try:
        return rehearser.play(replies)
    except rh.RehearsalError:
        for i in range(index + 1, len(replies)):
            option = replies[i].option
            if option is not None:
                said = rehearser.scenario.nodes[nodes[i]].options[option - 1].say
                replies[i] = rh.parse_reply(said, replies[i].where)
        return rehearser.play(replies)


@pytest.mark.parametrize("scenario_id", NEW)
def test_each_says_its_law_is_englands_and_cites_it(scenario_id: str) -> None:
    scenario = load_scenario(BUNDLED_DIR / f"{scenario_id}.yaml").scenario
    assert scenario.jurisdiction == "England"
    assert len(scenario.references) >= 3
    assert all(any(ch.isdigit() for ch in ref) for ref in scenario.references
               if not ref.startswith("Moss")), "each citation carries its year or section"


@pytest.mark.parametrize("scenario_id, node", DISCLOSURES)
def test_the_disclosure_is_marked_as_risk_with_a_safe_reply(scenario_id: str, node: str) -> None:
    scenario = load_scenario(BUNDLED_DIR / f"{scenario_id}.yaml").scenario
    risk = scenario.nodes[node].risk
    assert risk is not None and len(risk.safe_reply) >= 2
    assert set(risk.safe_reply) <= set(scenario.cues)


@pytest.mark.parametrize("scenario_id, node", DISCLOSURES)
def test_empathy_alone_at_the_disclosure_never_ends_built(
    scenario_id: str, node: str, scorer: rh.Assessor
) -> None:
    rehearser, runs = built_runs_acting_at(scenario_id, node, scorer)
    assert runs, f"no built rehearsal of {scenario_id} acts on the disclosure at '{node}'"
    for run in runs:
        played = play_swapped(rehearser, run, EMPATHY_ALONE)
        assert played.turns[run[1]].node == node
        outcome = played.ending.ending.outcome.value if played.ending else None
        assert outcome != "built", f"{run[0].name}: {' > '.join(played.path)}"


@pytest.mark.parametrize("scenario_id, node", DISCLOSURES)
def test_the_model_answer_at_the_disclosure_keeps_the_built_ending(
    scenario_id: str, node: str, scorer: rh.Assessor
) -> None:
    rehearser, runs = built_runs_acting_at(scenario_id, node, scorer)
    answer = rehearser.scenario.nodes[node].model_answers[0]
    for run in runs:
        played = play_swapped(rehearser, run, answer)
        assert played.ending is not None, f"{run[0].name}: stopped at {played.last_node}"
        assert played.ending.ending.outcome.value == "built", f"{run[0].name}: {' > '.join(played.path)}"
