"""The bundled scenario library: well-formed, rich enough to teach with, rehearsed and fully reachable.

Each scenario must load with no diagnostics, have 10-25 nodes and the three decisive endings, carry the
teaching material (objectives, tips, model answers, expectations, cues with debrief notes, trust variants),
pass all its rehearsals with the real scorer (every ending covered), and have every node and ending
reachable in a bounded exploration. Between them the scenarios must test every part of Moss's
professional frame.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.authoring import explore as rx
from trainer.authoring import rehearse as rh
from trainer.scenario.loader import BUNDLED_DIR, discover, load_scenario
from trainer.scenario.schema import Condition, Scenario

ALL = [p.stem for p in discover([BUNDLED_DIR])]
#: The teaching library (the doorstep example is a small format example, held to a lighter standard).
LIBRARY = [s for s in ALL if s != "doorstep-example"]
MODELINE = "# yaml-language-server: $schema=./scenario.schema.json\nschema_version: 1\n"


def load(scenario_id: str) -> Scenario:
    return load_scenario(BUNDLED_DIR / f"{scenario_id}.yaml").scenario


@pytest.fixture(scope="module")
def scorer() -> rh.Assessor:
    return rh.load_scorer()


def conditions(cond: Condition | None) -> list[Condition]:
    if cond is None:
        return []
    found = [cond]
    for sub in (*(cond.all or ()), *(cond.any or ()), *((cond.not_,) if cond.not_ is not None else ())):
        found += conditions(sub)
    return found


def test_there_are_at_least_six_teaching_scenarios() -> None:
    assert len(LIBRARY) >= 6, LIBRARY


@pytest.mark.parametrize("scenario_id", ALL)
def test_loads_without_any_diagnostic_and_starts_with_the_modeline(scenario_id: str) -> None:
    path = BUNDLED_DIR / f"{scenario_id}.yaml"
    assert path.read_text(encoding="utf-8").startswith(MODELINE)
    assert load_scenario(path).warnings == []


@pytest.mark.parametrize("scenario_id", LIBRARY)
def test_shape_ten_to_twenty_five_nodes_and_the_three_decisive_endings(scenario_id: str) -> None:
    scenario = load(scenario_id)
    assert 10 <= len(scenario.nodes) <= 25
    outcomes = {n.ending.outcome.value for n in scenario.nodes.values() if n.ending}
    assert {"built", "broke_down", "boundary_crossed"} <= outcomes


@pytest.mark.parametrize("scenario_id", LIBRARY)
def test_carries_the_teaching_material(scenario_id: str) -> None:
    scenario = load(scenario_id)
    assert len(scenario.objectives) >= 3
    profile = scenario.service_user
    assert profile.history and profile.wants and profile.fears and profile.age
    moments = {nid: n for nid, n in scenario.nodes.items() if n.ending is None}
    for nid, node in moments.items():
        assert node.expect, f"{nid} has no expect"
        assert node.tip and node.model_answers, f"{nid} has no tip or model answer"
    assert sum(bool(n.options) for n in moments.values()) >= 2  # some moments offer options
    trust_variants = [v for n in scenario.nodes.values() for v in n.variants
                      if any(c.var == "trust" for c in conditions(v.if_))]
    assert len(trust_variants) >= 3
    feels = [v for n in scenario.nodes.values() for v in n.variants
             if any(c.var == "distress" for c in conditions(v.if_))]
    assert feels, "distress never changes what the service user says"
    assert len(scenario.cues) >= 3 and all(c.missing_note for c in scenario.cues.values())
    used = {c.cue for n in scenario.nodes.values() for r in n.responses for c in conditions(r.if_) if c.cue}
    assert used, "no transition listens for a cue"
    tested = {c.signal for n in scenario.nodes.values() for r in n.responses for c in conditions(r.if_)}
    assert {"empathy", "purpose", "boundaries", "overstep"} <= tested
    for node in scenario.nodes.values():
        if node.ending is not None:
            assert len(node.ending.note) > 80, "an ending's note should explain what happened and why"


#: Each part of the professional frame (Moss; scoring-notes.md) and words that show a moment tests it,
#: searched in the service user's lines and the coaching tips.
FRAME = {
    "purpose and time": ["how long"],
    "confidentiality and its limits": ["secret", "off the record", "confidential"],
    "a gift": ["gift"],
    "an offer of money": ["money", "twenty-pound", "ten-pound"],
    "friendship or a personal number": ["personal number", "your number", "insta", "friends"],
    "physical contact": ["physical contact", "without touching", "hug", "hold my hand"],
    "accountability to a manager": ["your manager", "accountable to a manager", "who's your manager"],
    "a colleague sharing the work": ["colleague"],
    "the ending in sight from the start": ["end in sight", "how long do i get you", "how long are you going"],
}


def test_between_them_the_scenarios_test_every_part_of_the_frame() -> None:
    texts = {sid: " ".join(
        " ".join([n.say, *(v.say for v in n.variants), n.tip or ""]) for n in load(sid).nodes.values()
    ).lower() for sid in LIBRARY}
    missing = [part for part, words in FRAME.items()
               if not any(w in text for w in words for text in texts.values())]
    assert missing == []
    # and no single scenario carries it all: each tests at least three parts
    for sid, text in texts.items():
        parts = [part for part, words in FRAME.items() if any(w in text for w in words)]
        assert len(parts) >= 3, (sid, parts)


@pytest.mark.parametrize("scenario_id", ALL)
def test_rehearsals_pass_and_reach_every_ending(scenario_id: str, scorer: rh.Assessor) -> None:
    loaded = load_scenario(BUNDLED_DIR / f"{scenario_id}.yaml")
    rehearsals = rh.load_rehearsals(rh.rehearsal_file(loaded.path))
    rehearser = rh.Rehearser(loaded.scenario, loaded.id, scorer)
    results = [rh.check_rehearsal(rehearser, r) for r in rehearsals]
    failures = [rh.format_check(r) for r in results if not r.ok]
    assert failures == [], "\n".join(failures)
    assert rh.uncovered_endings(loaded.scenario, results) == []


@pytest.mark.parametrize("scenario_id", ALL)
def test_exploration_reaches_every_node_and_ending_with_no_dead_loops(
    scenario_id: str, scorer: rh.Assessor
) -> None:
    loaded = load_scenario(BUNDLED_DIR / f"{scenario_id}.yaml")
    ex = rx.explore(rh.Rehearser(loaded.scenario, loaded.id, scorer))
    assert not ex.truncated
    assert ex.unreached_endings == [] and ex.unreached_nodes == [] and ex.stuck == []


def test_every_rehearsal_file_belongs_to_a_scenario() -> None:
    files = sorted(Path(BUNDLED_DIR / "rehearsals").glob("*.yaml"))
    assert files and [f.stem for f in files if f.stem not in ALL] == []


@pytest.mark.parametrize("scenario_id", ALL)
def test_model_answers_show_what_their_moment_expects_and_never_break_the_frame(
    scenario_id: str, scorer: rh.Assessor
) -> None:
    scenario = load(scenario_id)
    items = [(nid, answer, node) for nid, node in scenario.nodes.items() for answer in node.model_answers]
    results = scorer.assess_many([(answer, node.say) for _n, answer, node in items])
    wrong = []
    for (nid, answer, node), assessment in zip(items, results, strict=True):
        present = assessment.present()
        if "overstep" in present or not set(node.expect) & set(present):
            wrong.append(f"{nid}: expects {node.expect}, scored {present}: {answer[:70]}")
    assert wrong == [], "\n".join(wrong)
