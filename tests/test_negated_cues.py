"""A cue said only to be refused is not heard (`negated: ignore`, trainer.scenario.negation).

A new-user tester declined Sophie's hand ("I don't think I should hold your hand") and was told "(She holds
on to you, hard...)": the cue `offers_touch` heard "hold your hand" whatever the reply did with it. These
tests hold the reading of a refusal, the engine's use of it, the practice layer's, and the validator's
warning (SCN053) to authors whose cues hear an act; tests/test_scenario_heard.py plays the bundled roads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.practice.play import ScorerHolder
from trainer.scenario import negation
from trainer.scenario.engine import Session
from trainer.scenario.loader import BUNDLED_DIR, load_scenario, validate_paths
from trainer.scenario.negation import heard, only_refused, undecided
from trainer.scenario.schema import Cue, Scenario
from trainer.scoring.api import Assessment

TOUCH = Cue(phrases=["hug", "hold your hand", "come here", "her hand"], negated="ignore")


@pytest.mark.parametrize(
    "reply",
    [
        "I don't think I should hold your hand, but take all the time you need.",
        "I'd love to give you a hug but I shouldn't.",
        "Would a hug help? Actually, maybe not - I'm right here.",
        "I won't hug you, but I'm here.",
        "No, I'm sorry, I can't hold your hand.",
        "Maybe not a hug, but I'm right here with you.",
        "Instead of a hug, let me pass you the tissues.",
        "(I don't take her hand; I slide the tissues across.) Take your time.",
        "I don\u2019t think I should hold your hand.",  # a curly apostrophe, as phones type it
    ],
)
def test_a_refusal_of_touch_is_read_as_one(reply: str) -> None:
    assert only_refused(reply, TOUCH)


@pytest.mark.parametrize(
    "reply",
    [
        "Come here, let me give you a hug.",
        "Why don't I give you a hug?",
        "I don't mind giving you a hug.",
        "Can I hold your hand?",
        "I'm not sure, but a hug might help.",
        "(I take her hand.) I'm here.",
        "I won't let go - come here, I'll hold your hand.",  # one occurrence is not refused: heard
        "Take your time, there's no rush.",  # no phrase at all: nothing to drop
    ],
)
def test_an_offer_of_touch_is_not_read_as_a_refusal(reply: str) -> None:
    assert not only_refused(reply, TOUCH)


@pytest.mark.parametrize(
    "reply",
    [
        # the tester's: refused as "I won't hug you" is, and as the scorer reads them
        "i wont hug u",
        "i dont think i shud hug u",
        "i dont think i shud hold ur hand",
        "I WONT HUG U",
        "i cant hold ur hand, sorry",
        "id love to give u a hug but i shouldnt",
        "i dnt think i shud hug u",
        "i shudnt give u a hug",
        "dontttt think i should hold ur hand",
        "i wont huggg u but im here",
        "instead of a hug, lets get u a tissue",
    ],
)
def test_a_refusal_typed_in_the_chat_register_is_read_as_one(reply: str) -> None:
    assert only_refused(reply, TOUCH)


@pytest.mark.parametrize(
    "reply",
    [
        "why dont i give u a hug",
        "i dont mind giving u a hug",
        "come here u",
        "i wont let go, come here, ill hold ur hand",
        "can i hold ur hand?",
    ],
)
def test_an_offer_typed_in_the_chat_register_is_not_read_as_a_refusal(reply: str) -> None:
    assert not only_refused(reply, TOUCH)


def test_the_negative_contractions_are_those_the_scorers_tokenizer_reads_a_not_in() -> None:
    from trainer.scoring.chatnorms import chat_blank

    nlp = chat_blank()
    read_not = {
        form.lower()
        for form in nlp.tokenizer.rules
        if "'" not in form and "\u2019" not in form
        and not form.lower().endswith("ve") and form.lower() != "cannot"
        and any(token.norm_ == "not" for token in nlp.make_doc(form))
    }
    assert negation._CONTRACTED_NOT == read_not


_IGNORED_PHRASES = sorted({
    phrase
    for path in sorted(BUNDLED_DIR.glob("*.yaml"))
    for cue in load_scenario(path).scenario.cues.values()
    if cue.negated == "ignore"
    for phrase in cue.phrases
})
_SAID = [
    "I won't {}.", "I don't think I should {}.", "No, I can't {}, sorry.", "I'd {}, but I shouldn't.",
    "Maybe {}? Actually, maybe not.", "Why don't I {}?", "I don't mind, {}.", "{}, if you'd like.",
    "Instead of that, {}.", "You're right, we won't {} today.",
]
_CHAT_FORMS = {"you": "u", "your": "ur", "with": "wiv", "because": "cos", "please": "pls", "today": "2day"}


def _chat(text: str, stretch: int | None, forms: bool) -> str:
    """`text` as typed in chat: lower case, no apostrophes, the chat forms, a word's last letter stretched."""
    words = text.lower().replace("'", "").split(" ")
    if forms:
        words = [_CHAT_FORMS.get(w.strip(".,?"), w.strip(".,?")) + w[len(w.strip(".,?")):] for w in words]
    if stretch is not None:
        i = stretch % len(words)
        bare = words[i].rstrip(".,?")
        if bare[-1:].isalpha():
            words[i] = bare + bare[-1] * 3 + words[i][len(bare):]
    return " ".join(words)


@settings(max_examples=300, deadline=None)
@given(
    phrase=st.sampled_from(_IGNORED_PHRASES),
    said=st.sampled_from(_SAID),
    stretch=st.none() | st.integers(0, 20),
    forms=st.booleans(),
)
def test_a_reply_typed_in_chat_is_refused_or_not_as_it_is_typed_in_full(
    phrase: str, said: str, stretch: int | None, forms: bool
) -> None:
    # every phrase of every bundled cue that is dropped when refused, said in ways that refuse it or not:
    # typed as students type, the reading is the same ("i wont hug u" as "I won't hug you")
    cue = Cue(phrases=[phrase], negated="ignore")
    reply = said.format(phrase)
    typed = _chat(reply, stretch, forms)
    assert only_refused(typed, cue) == only_refused(reply, cue), (reply, typed)


def test_the_cues_own_negation_is_not_a_refusal_of_it() -> None:
    # Phrases written as refusals ("can't take") are what the cue listens for; a negation before them is
    # the reply refusing the refusal, which is rare and read as such.
    declines = Cue(phrases=["can't take", "won't take"], negated="ignore")
    assert not only_refused("That's kind, but I can't take money.", declines)
    assert not only_refused("That's kind, but I cannot take money.", declines)


def test_only_cues_marked_ignore_are_dropped() -> None:
    cues = {"touch": TOUCH, "limits": Cue(phrases=["keep it secret"], negated="match"),
            "plain": Cue(phrases=["hug"])}
    text = "I can't keep it secret, and I won't hug you."
    assert heard(cues, text, ["touch", "limits", "plain", "unknown"]) == ["limits", "plain", "unknown"]


def hug_scenario() -> Scenario:
    return Scenario.model_validate({
        "schema_version": 1, "title": "Hand", "summary": "s", "setting": "s", "objectives": ["o"],
        "service_user": {"name": "Sophie", "situation": "s", "wants": "w", "fears": "f"},
        "cues": {"offers_touch": {"phrases": ["hug", "hold your hand"], "negated": "ignore"}},
        "start": "hand",
        "nodes": {
            "hand": {"say": "Can you just hold my hand a minute?",
                     "responses": [{"if": {"cue": "offers_touch"}, "goto": "held"}],
                     "default": {"goto": "steady"}},
            "held": {"say": "(She holds on to you, hard.)", "default": {"goto": "end"}},
            "steady": {"say": "(She takes a tissue.) Sorry.",
                       "variants": [{"if": {"cue": "offers_touch"}, "say": "(She lets go of you.)"}],
                       "default": {"goto": "end"}},
            "end": {"say": "Bye.", "ending": {"outcome": "partial", "title": "t", "note": "n"}},
        },
    })


def test_the_engine_does_not_route_or_speak_on_a_refused_cue_and_stores_what_it_heard() -> None:
    session = Session(hug_scenario(), "hand")
    reply = "I don't think I should hold your hand, but take all the time you need."
    step = session.submit(reply, {"scores": {}, "cues": ["offers_touch"]})
    assert step.node == "steady" and step.line == "(She takes a tissue.) Sorry."  # not the variant either
    learner = session.state.transcript[-2]
    assert learner.rule == "default" and learner.assessment is not None
    assert learner.assessment["cues"] == []  # the debrief reads what the engine heard


def test_the_engine_still_hears_an_offer() -> None:
    session = Session(hug_scenario(), "hand")
    step = session.submit("Come here, let me give you a hug.", {"scores": {}, "cues": ["offers_touch"]})
    assert step.node == "held"
    assert session.state.transcript[-2].assessment == {"scores": {}, "cues": ["offers_touch"]}


class _FakeScorer:
    def compile_cues(self, cues: Any) -> Any:
        return cues

    def assess(self, text: str, context: str | None = None, cues: Any = None) -> Assessment:
        return Assessment(text=text, scores={}, cues=["offers_touch"])


def test_the_practice_layer_coaches_on_what_the_engine_will_hear() -> None:
    holder = ScorerHolder(factory=_FakeScorer)
    refused = holder.assess("I won't hug you, but I'm here.", None, "hand", hug_scenario())
    offered = holder.assess("Can I give you a hug?", None, "hand", hug_scenario())
    assert refused.cues == [] and offered.cues == ["offers_touch"]


# --- SCN053: the author is asked to decide ------------------------------------------------------------


def test_a_cue_hearing_an_act_with_no_decision_is_warned_about_until_marked(tmp_path: Path) -> None:
    bad = Path(__file__).parent / "fixtures" / "bad" / "SCN053.yaml"
    (d,) = validate_paths([bad])
    assert d.code == "SCN053" and "negated: ignore" in d.message and "offers_touch" in d.format()
    for value in ("ignore", "match"):
        fixed = tmp_path / f"{value}.yaml"
        fixed.write_text(bad.read_text(encoding="utf-8").replace(
            "    matched_note:", f"    negated: {value}\n    matched_note:"), encoding="utf-8")
        assert validate_paths([fixed]) == []


def test_a_cue_a_rule_takes_to_a_breach_is_warned_about_even_without_a_note(tmp_path: Path) -> None:
    text = (Path(__file__).parent / "fixtures" / "bad" / "SCN053.yaml").read_text(encoding="utf-8")
    text = text.replace("    matched_note: You spoke of touch.\n", "")
    text = text.replace("outcome: partial", "outcome: boundary_crossed")
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    (d,) = validate_paths([path])
    assert d.code == "SCN053" and "'hand' > response 1" in d.message and "'held'" in d.message


def test_every_bundled_cue_that_hears_an_act_has_a_decision() -> None:
    for path in sorted(BUNDLED_DIR.glob("*.yaml")):
        assert undecided(load_scenario(path).scenario) == {}, path.name
