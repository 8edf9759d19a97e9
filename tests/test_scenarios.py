"""The bundled scenario library: well-formed, rich enough to teach with, rehearsed and fully reachable.

Each scenario must load with no diagnostics, have 10-25 nodes and the three decisive endings, carry the
teaching material (objectives, tips, model answers, expectations, cues with debrief notes, trust variants),
pass all its rehearsals with the real scorer (every ending covered), and have every node and ending
reachable in a bounded exploration. Between them the scenarios must test every part of Moss's
professional frame.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trainer.authoring import explore as rx
from trainer.authoring import rehearse as rh
from trainer.scenario.loader import BUNDLED_DIR, discover, load_scenario
from trainer.scenario.placeholders import fill
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
    # every cue says something in the debrief: what was missing, or (for a cue that hears what a reply should
    # not do) what the reply did; only a cue no rule tests (a variant's alone) may say nothing
    ruled = {c.cue for n in scenario.nodes.values() for r in n.responses for c in conditions(r.if_) if c.cue}
    assert len(scenario.cues) >= 3
    assert all(c.missing_note or c.matched_note or cid not in ruled for cid, c in scenario.cues.items())
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
    assert ex.cycles == [], rx.format_exploration(ex)  # no loop a student can go round without limit
    assert ex.unsafe == {}, rx.format_exploration(ex)  # no built ending after a disclosure by warmth alone


#: Issue 15: the reply a student learns "warmth is enough" from.
EMPATHY_ONLY = "That sounds really frightening, and it sounds like you've been carrying this on your own."


@pytest.mark.parametrize("scenario_id", ALL)
def test_warmth_alone_at_a_disclosure_no_longer_ends_built(scenario_id: str, scorer: rh.Assessor) -> None:
    """Each built rehearsal that acts on a disclosure at the moment itself, replayed with the reply there
    swapped for empathy alone, ends anywhere but `built` (or stops short of an ending)."""
    loaded = load_scenario(BUNDLED_DIR / f"{scenario_id}.yaml")
    scenario = loaded.scenario
    risks = {n: set(node.risk.safe_reply) for n, node in scenario.nodes.items() if node.risk is not None}
    rehearser = rh.Rehearser(scenario, loaded.id, scorer)
    swapped = []
    for rehearsal in rh.load_rehearsals(rh.rehearsal_file(loaded.path)):
        ending = scenario.nodes[rehearsal.expect_ending].ending
        if ending is None or ending.outcome != "built":
            continue
        for i, turn in enumerate(rehearser.play(rehearsal.replies).turns):
            if turn.node in risks and risks[turn.node] <= set(turn.cues):
                replies = list(rehearsal.replies)
                replies[i] = rh.parse_reply(EMPATHY_ONLY, f"{rehearsal.where} (swapped)")
                try:
                    played = rehearser.play(replies)
                except rh.RehearsalError:  # a later reply no longer fits (an option where none is offered)
                    played = None
                outcome = played.ending.ending.outcome if played and played.ending else None
                assert outcome != "built", f"{rehearsal.name}: swapped at '{turn.node}', still ends built"
                swapped.append(rehearsal.name)
                break
    if risks:
        assert swapped, "no built rehearsal acts on a disclosure at the moment itself"


def test_every_rehearsal_file_belongs_to_a_scenario() -> None:
    files = sorted(Path(BUNDLED_DIR / "rehearsals").glob("*.yaml"))
    assert files and [f.stem for f in files if f.stem not in ALL] == []


@pytest.mark.parametrize("scenario_id", ALL)
def test_model_answers_show_what_their_moment_expects_and_never_break_the_frame(
    scenario_id: str, scorer: rh.Assessor
) -> None:
    scenario = load(scenario_id)
    # As shown: `{learner}` filled with a name, and with its fallback (a student who gave no name).
    items = [
        (nid, shown, node)
        for nid, node in scenario.nodes.items()
        for answer in node.model_answers
        for shown in dict.fromkeys(fill(answer, name) for name in (None, "Sam"))
    ]
    results = scorer.assess_many([(answer, node.say) for _n, answer, node in items])
    wrong = []
    for (nid, answer, node), assessment in zip(items, results, strict=True):
        present = assessment.present()
        if "overstep" in present or not set(node.expect) & set(present):
            wrong.append(f"{nid}: expects {node.expect}, scored {present}: {answer[:70]}")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("scenario_id, node", [
    ("school-referral-home-visit", "secret_told"), ("keep-it-secret", "told"),
    ("carers-assessment-dementia", "locks"), ("young-carer-online", "secret_told"),
])
def test_the_four_disclosures_of_issue_15_are_marked_as_risk(scenario_id: str, node: str) -> None:
    assert load(scenario_id).nodes[node].risk is not None


@pytest.mark.parametrize("scenario_id", LIBRARY)
def test_every_ending_note_has_a_line_on_the_use_of_self(scenario_id: str) -> None:
    missing = [nid for nid, node in load(scenario_id).nodes.items()
               if node.ending is not None and "use of self" not in node.ending.note.lower()]
    assert missing == []


def _reachable(scenario: Scenario, start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        node = scenario.nodes.get(todo.pop())
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        gotos = [r.goto for r in node.responses] + [o.goto for o in node.options if o.goto]
        todo += gotos + ([node.default.goto] if node.default else [])
    return {nid for nid, n in scenario.nodes.items() if id(n) in seen}


@pytest.mark.parametrize("scenario_id", ALL)
def test_no_ending_praises_what_a_path_into_it_did_not_do(scenario_id: str) -> None:
    """An ending reachable after a reply of sympathy (the node a `{signal: sympathy}` rule leads to) must
    not tell the student they listened without pity: the note has to be true on every path into it."""
    scenario = load(scenario_id)

    def asks_for_sympathy(cond: Condition) -> bool:  # a positive test, not one under `not`
        subs = (*(cond.all or ()), *(cond.any or ()))
        return (cond.signal == "sympathy" and cond.max is None) or any(asks_for_sympathy(c) for c in subs)

    after_pity = {r.goto for node in scenario.nodes.values() for r in node.responses
                  if asks_for_sympathy(r.if_)}
    claims = {nid for nid, node in scenario.nodes.items()
              if node.ending is not None and node.ending.outcome in ("built", "partial")
              and re.search(r"(?i)without pity|no pity", node.ending.note)}
    wrong = sorted((start, end) for start in after_pity for end in claims & _reachable(scenario, start))
    assert wrong == []


def _positive_cues(cond: Condition | None) -> set[str]:
    """The cues a condition needs to have matched (not those under a `not`)."""
    if cond is None:
        return set()
    found = {cond.cue} if cond.cue else set()
    for part in (cond.all or []) + (cond.any or []):
        found |= _positive_cues(part)
    return found


@pytest.mark.parametrize("path", sorted(BUNDLED_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_a_cue_that_leads_to_a_crossed_or_broken_ending_is_never_a_missed_moment(path: Path) -> None:
    # "You never agreed to keep what Helen told you out of your notes." was a cue's missing_note: the
    # debrief listed not colluding as a missed moment (the kind of "You offered no false reassurance.").
    scenario = load_scenario(path).scenario
    bad = {"boundary_crossed", "broke_down"}
    leading: set[str] = set()
    for node in scenario.nodes.values():
        for response in node.responses:
            target = scenario.nodes.get(response.goto)
            if target is not None and target.ending is not None and target.ending.outcome in bad:
                leading |= _positive_cues(response.if_)
    praised = sorted(c for c in leading if scenario.cues[c].missing_note)
    assert praised == [], f"cues to avoid with a missing_note (shown as a miss): {praised}"
