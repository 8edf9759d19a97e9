"""The bundled scenarios do not contradict the learner (issue 11 item 8).

A service user's line may only assume what the learner said when a condition makes it depend on it (a cue
or a variable in a `variants` entry). These tests play the rehearsals written for each fixed path through
the real engine and scorer, and read the line the learner would see at the end; and check the kind across
the library: no line of a service user uses the name a model answer gives the worker.
"""

from __future__ import annotations

import re

import pytest

from trainer.authoring import rehearse as rh
from trainer.scenario.loader import BUNDLED_DIR, discover, load_scenario
from trainer.scenario.schema import Scenario

ALL = [p.stem for p in discover([BUNDLED_DIR])]


@pytest.fixture(scope="module")
def scorer() -> rh.Assessor:
    return rh.load_scorer()


def ending_line(scenario_id: str, rehearsal_name: str, scorer: rh.Assessor) -> str:
    """The last line the service user says when the named rehearsal is played (it must reach an ending)."""
    loaded = load_scenario(BUNDLED_DIR / f"{scenario_id}.yaml")
    (rehearsal,) = [r for r in rh.load_rehearsals(rh.rehearsal_file(loaded.path)) if r.name == rehearsal_name]
    played = rh.Rehearser(loaded.scenario, loaded.id, scorer).play(rehearsal.replies)
    assert played.ending is not None and played.ending.node == rehearsal.expect_ending
    return played.ending.line


@pytest.mark.parametrize(
    "scenario_id, rehearsal, present, absent",
    [
        # Jade says "Followed" only when the learner agreed to Instagram.
        ("young-carer-online", "friends on Instagram", "Followed", None),
        ("young-carer-online", "declined Instagram, then offered any time: no 'Followed'", None, "Followed"),
        # Tyler's curtains are "in the plan" only when the allowance was discussed; no name or day assumed.
        (
            "care-leaver-number",
            "the allowance discussed: Tyler's curtains are in the plan (the only built "
            "path that mentions them)",
            "curtains in the plan",
            "Dani",
        ),
        (
            "care-leaver-number",
            "role, loneliness heard, real routes to help, a planned handover",
            None,
            "in the plan",
        ),
        (
            "care-leaver-number",
            "role, loneliness heard, real routes to help, a planned handover",
            None,
            "Tuesday",
        ),
        # He saves a personal number only when one was given; otherwise the office gets the calls.
        (
            "care-leaver-number",
            "'always there' promised at the end, no number given: no messages on a personal phone",
            "rung the office",
            "personal phone",
        ),
        (
            "care-leaver-number",
            "twenty quid offered, no number given: Tyler asks for the number rather than saving one",
            "personal phone",
            None,
        ),
        # After a disclosure, "nobody has a plan" (and the like) only when no reply said any part of the safe
        # reply; a learner who said "my manager today" is not told they said nothing.
        (
            "young-carer-online",
            "the manager today, twice, but nothing for her mum: not 'the only one who knows'",
            None,
            "carrying it on her own",
        ),
        (
            "young-carer-online",
            "risk: empathy alone at the disclosure does not end built",
            "carrying it on her own",
            None,
        ),
        (
            "school-referral-home-visit",
            "the manager today at the disclosure, but nothing for tonight",
            None,
            "nobody has a plan",
        ),
        (
            "school-referral-home-visit",
            "risk: empathy alone at the disclosure does not end built",
            "nobody has a plan",
            None,
        ),
        (
            "carers-assessment-dementia",
            "a safeguarding concern today, but nothing agreed for tonight",
            None,
            "nobody has said",
        ),
        (
            "carers-assessment-dementia",
            "risk: empathy alone at the locked door does not end built",
            "nobody has said",
            None,
        ),
        (
            "keep-it-secret",
            "the manager today about the cot, but nothing planned with her",
            None,
            "nothing has changed",
        ),
        (
            "keep-it-secret",
            "risk: empathy alone at the disclosure does not end built",
            "nothing has changed",
            None,
        ),
        ("s47-hostile-father", "the manager today, but no plan for tonight", None, "No one has told him"),
        (
            "s47-hostile-father",
            "empathy alone at the disclosure does not end built",
            "No one has told him",
            None,
        ),
        (
            "self-neglect-unwise",
            "the manager today, but no fire safety visit proposed",
            None,
            "You're all right",
        ),
        ("self-neglect-unwise", "empathy alone at the heater does not end built", "You're all right", None),
        (
            "parent-learning-disability",
            "the manager today about Gary, but nothing about keeping her safe",
            None,
            "relieved",
        ),
        (
            "parent-learning-disability",
            "empathy alone at the disclosure does not end built",
            "relieved",
            None,
        ),
        (
            "first-call-phone",
            "asked directly about suicide, but nothing about safety now",
            None,
            "No one has asked them",
        ),
        (
            "first-call-phone",
            "empathy alone at the disclosure does not end built",
            "No one has asked them",
            None,
        ),
    ],
)
def test_an_ending_line_says_only_what_the_learner_said(
    scenario_id: str, rehearsal: str, present: str | None, absent: str | None, scorer: rh.Assessor
) -> None:
    line = ending_line(scenario_id, rehearsal, scorer)
    if present:
        assert present in line, line
    if absent:
        assert absent not in line, line


def line_at(scenario_id: str, rehearsal_name: str, node: str, scorer: rh.Assessor) -> str:
    """The line the service user says on reaching `node` (a moment or the ending) in the named rehearsal."""
    loaded = load_scenario(BUNDLED_DIR / f"{scenario_id}.yaml")
    (rehearsal,) = [r for r in rh.load_rehearsals(rh.rehearsal_file(loaded.path)) if r.name == rehearsal_name]
    played = rh.Rehearser(loaded.scenario, loaded.id, scorer).play(rehearsal.replies)
    lines = [t.line for t in played.turns if t.node == node]
    if played.ending is not None and played.ending.node == node:
        lines.append(played.ending.line)
    assert lines, f"{rehearsal_name} never reaches {node}"
    return lines[0]


@pytest.mark.parametrize(
    "scenario_id, rehearsal, node, present, absent",
    [
        # Helen says "Nobody's asked me that" only to a reply that asked about her, not after a platitude.
        (
            "carers-assessment-dementia",
            "a platitude at about_dad: Helen is not made to say 'Nobody's asked me that'",
            "about_me",
            "I go on about him",
            "Nobody's asked me that",
        ),
        # Kelly quotes "Nothing to worry about" back only to a reply that reassured her, not a bare "sorry".
        (
            "school-referral-home-visit",
            "a bare 'sorry' is not quoted back as 'nothing to worry about'",
            "cant_promise",
            "heard it before",
            "Nothing to worry about",
        ),
        (
            "school-referral-home-visit",
            "reassurance instead of listening",
            "cant_promise",
            "Nothing to worry about",
            None,
        ),
        # After "my manager today", the service user answers that, not "what are you going to do?"
        (
            "school-referral-home-visit",
            "the manager today at the disclosure, but nothing for tonight",
            "tonight",
            "Your manager",
            "what are you going to do",
        ),
        (
            "young-carer-online",
            "the manager today, twice, but nothing for her mum: not 'the only one who knows'",
            "mum_again",
            "Your manager",
            "are you going to tell someone",
        ),
        (
            "carers-assessment-dementia",
            "a safeguarding concern today, but nothing agreed for tonight",
            "tonight",
            "safeguarding concern",
            None,
        ),
        (
            "keep-it-secret",
            "the manager today about the cot, but nothing planned with her",
            "cot_asked",
            "Today?",
            "You won't do anything",
        ),
        (
            "s47-hostile-father",
            "the manager today, but no plan for tonight",
            "not_acted",
            "Your manager",
            "You'll tell the school",
        ),
        (
            "self-neglect-unwise",
            "the manager today, but no fire safety visit proposed",
            "not_acted",
            "Your manager",
            None,
        ),
        (
            "parent-learning-disability",
            "the manager today about Gary, but nothing about keeping her safe",
            "not_acted",
            "Your manager",
            "I'm OK",
        ),
        (
            "first-call-phone",
            "asked directly about suicide, but nothing about safety now",
            "not_acted",
            "Maybe",
            None,
        ),
        # "Feeling sorry for me" only after pity; a worker who put her off hears "tell me straight".
        (
            "doorstep-example",
            "put off at the secret: Marcia asks what happens now, without 'feeling sorry'",
            "pity",
            "tell me straight",
            "feeling sorry",
        ),
        ("doorstep-example", "pity first, purpose rescues it", "pity", "feeling sorry", None),
        # "You took the tomatoes" only when they were taken.
        (
            "hospital-discharge-money",
            "a plain 'no thank you' to the tomatoes: he does not say you took them",
            "money",
            None,
            "took the tomatoes",
        ),
        ("hospital-discharge-money", "the tomatoes kept, then the money", "money", "took the tomatoes", None),
        # Naomi says back only a reason she was given; otherwise she repeats the health visitor.
        (
            "parent-learning-disability",
            "no reason given at the door: Naomi says back what the health visitor told her",
            "saysback",
            "health visitor said",
            None,
        ),
        (
            "parent-learning-disability",
            "plain words, said back, time given, Gary acted on, an easy read plan",
            "saysback",
            None,
            "health visitor said",
        ),
        # A hug is not a held hand; a worker who waited is not "answered on the first ring".
        ("keep-it-secret", "a hug", "held", "holds on to you", "hand"),
        (
            "first-call-phone",
            "pity, a wait when the call drops, and a call that ends thin",
            "redial",
            "didn't ring back",
            "first ring",
        ),
        # "Rules. Right." only when the worker gave rules as the reason.
        (
            "interpreter-son-offers",
            "rules given as the only reason: Minh hears 'rules'",
            "minh_push",
            "Rules",
            None,
        ),
    ],
)
def test_a_line_says_only_what_the_learner_said(
    scenario_id: str, rehearsal: str, node: str, present: str | None, absent: str | None, scorer: rh.Assessor
) -> None:
    line = line_at(scenario_id, rehearsal, node, scorer)
    if present:
        assert present in line, line
    if absent:
        assert absent not in line, line


def test_tyler_does_not_save_a_number_no_one_gave(scorer: rh.Assessor) -> None:
    loaded = load_scenario(BUNDLED_DIR / "care-leaver-number.yaml")
    rehearsals = rh.load_rehearsals(rh.rehearsal_file(loaded.path))
    rehearsal = next(r for r in rehearsals if r.name.startswith("twenty"))
    played = rh.Rehearser(loaded.scenario, loaded.id, scorer).play(rehearsal.replies[:3])  # up to "#2"
    (turn,) = [t for t in played.turns if t.goto == "number_given"]
    line = loaded.scenario.nodes["number_given"]
    assert turn.goto == "number_given" and "personal_number" not in turn.cues
    assert "saves it" in line.variants[0].say  # the saving line is the cue-gated variant, not the default
    assert "saves" not in line.say


#: What an ending note may not claim about the learner, since several roads lead to each ending (a learner
#: who said "my manager today" can still end "not acted" without the rest of the safe reply).
CLAIMS = re.compile(
    r"(?i)you did not say what you would do|you left without (?:saying|acting)|"
    r"\bfelt (?:heard|listened to)\b|\byou were (?:kind|warm)\b"
)


@pytest.mark.parametrize("scenario_id", ALL)
def test_no_ending_note_claims_what_some_road_into_it_did_not_do(scenario_id: str) -> None:
    scenario = load_scenario(BUNDLED_DIR / f"{scenario_id}.yaml").scenario
    wrong = [nid for nid, node in scenario.nodes.items() if node.ending and CLAIMS.search(node.ending.note)]
    assert wrong == []


def worker_names(scenario: Scenario) -> set[str]:
    """The names model answers and options give the worker ("I'm Sam", "I'm Dani"), leaving out any name
    the scenario gives a person in the story (service user, family, referral)."""
    story = " ".join([scenario.referral or "", scenario.setting, scenario.service_user.model_dump_json()])
    learner_lines = [a for n in scenario.nodes.values() for a in n.model_answers]
    learner_lines += [o.say for n in scenario.nodes.values() for o in n.options]
    found = {m for line in learner_lines for m in re.findall(r"\bI'm ([A-Z][a-z]+)\b", line)}
    return {name for name in found if name not in story}


@pytest.mark.parametrize("scenario_id", ALL)
def test_no_service_user_line_uses_the_name_a_model_answer_gives_the_worker(scenario_id: str) -> None:
    scenario = load_scenario(BUNDLED_DIR / f"{scenario_id}.yaml").scenario
    names = worker_names(scenario)
    said = {nid: " ".join([n.say, *(v.say for v in n.variants)]) for nid, n in scenario.nodes.items()}
    wrong = [(nid, name) for nid, text in said.items() for name in names if re.search(rf"\b{name}\b", text)]
    assert wrong == [], f"lines that assume the learner's name: {wrong}"


def test_the_worker_names_are_found() -> None:
    scenario = load_scenario(BUNDLED_DIR / "care-leaver-number.yaml").scenario
    cafe = scenario.nodes["cafe"]
    # The bundled answers introduce the worker as {learner} (tests/test_worker_name.py); a name is found.
    named = cafe.model_copy(update={"model_answers": ["Hi Tyler, I'm Dani, your personal adviser."]})
    scenario = scenario.model_copy(update={"nodes": {**scenario.nodes, "cafe": named}})
    assert "Dani" in worker_names(scenario) and "Tyler" not in worker_names(scenario)
