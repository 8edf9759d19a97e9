"""The built scorer: what it says about replies, how it explains itself, round trip and staleness."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from trainer.scoring.api import SIGNALS, THRESHOLD

MODEL = Path(__file__).resolve().parents[1] / "models" / "scorer"


def test_committed_model_is_built_from_the_current_inputs() -> None:
    from trainer.scoring.build import inputs_hash

    meta = json.loads((MODEL / "meta.json").read_text())
    assert meta["trainer"]["inputs_hash"] == inputs_hash(), (
        "models/scorer is stale: its patterns, training data, config or scorer code changed since it was "
        "built. Run `make model` and commit models/scorer."
    )
    assert not meta["trainer"]["rules_only"]


def test_the_pipeline_loads_with_spacy_alone() -> None:
    import spacy

    nlp = spacy.load(MODEL)
    assert nlp.pipe_names == [
        "sentencizer", "trainer_rules", "textcat_multilabel", "trainer_context", "trainer_acts",
        "trainer_combiner",
    ]
    doc = nlp("I promise I won't tell anyone.")
    assert set(doc.cats) == set(SIGNALS)
    assert doc.cats["overstep"] >= THRESHOLD


def test_save_and_load_give_identical_scores_and_evidence(scorer: Any, tmp_path: Path) -> None:
    from trainer.scoring.scorer import Scorer

    scorer.nlp.to_disk(tmp_path / "copy")
    again = Scorer.load(tmp_path / "copy", cache=False)
    items = [
        ("It sounds like you're exhausted.", "I haven't slept for weeks."),
        ("Poor you. Don't worry, I can give you my personal number.", None),
        ("I'm here because your GP referred you; we have about an hour.", "Why are you here?"),
        ("Sorry, could you say that again? I can't promise to keep secrets, though.", None),
    ]
    for text, context in items:
        a, b = scorer.assess(text, context), again.assess(text, context)
        assert a.scores == b.scores
        assert a.evidence == b.evidence


@pytest.mark.parametrize(
    ("text", "context", "present"),
    [
        ("It sounds like you're worried they'll take the children.", "What if they take the kids off me?",
         {"empathy"}),
        ("Poor you, I know exactly how you feel.", "My husband walked out last month.", {"sympathy"}),
        ("I'm here because the school contacted us, and I'd like to hear your side.", "Why are you here?",
         {"purpose"}),
        ("I can't accept money, but thank you for offering.", "Please take this twenty.", {"boundaries"}),
        ("Ring me any time, day or night, on my personal mobile.", "What if I need you at night?",
         {"overstep"}),
        ("How old are the children?", "I've got three kids.", set()),
        ("Sorry, could you say that again?", "It's... complicated.", set()),
    ],
)
def test_typical_replies(scorer: Any, text: str, context: str, present: set[str]) -> None:
    assert set(scorer.assess(text, context).present()) == present


def test_a_reply_can_carry_several_signals(scorer: Any) -> None:
    text = ("It sounds like the last few months have been exhausting. I'm here because your GP referred "
            "you, and what you tell me stays with my team unless someone is at risk.")
    a = scorer.assess(text, "I'm so tired. I can't keep going like this.")
    assert {"empathy", "purpose", "boundaries"} <= set(a.present())


def test_negation_turns_an_overstep_into_a_boundary(scorer: Any) -> None:
    secret = scorer.assess("I promise to keep this secret.", "Please don't tell anyone.")
    honest = scorer.assess("I can't promise to keep this secret.", "Please don't tell anyone.")
    assert secret.present() == ["overstep"]
    assert honest.present() == ["boundaries"]


def test_the_context_is_how_a_bare_reflection_is_recognised(scorer: Any) -> None:
    reply = "Three kids, and all of it on your own."
    linked = scorer.assess(reply, "I've got three kids and no help from anyone.")
    unlinked = scorer.assess(reply, "Can you tell me where the bus stop is?")
    assert linked.scores["empathy"] >= THRESHOLD
    assert linked.scores["empathy"] > unlinked.scores["empathy"]
    sources = [e.source for e in linked.evidence if e.signal == "empathy"]
    assert any(s.startswith("context:") for s in sources), sources


def test_every_present_signal_has_evidence_pointing_into_the_reply(scorer: Any) -> None:
    replies = [
        ("Poor you. It sounds like you've had enough. I'm here because of the referral.", "I've had enough."),
        ("Let's be friends on Facebook.", None),
        ("You've been carrying all of this by yourself.", "Nobody helps me. I do everything."),
    ]
    for text, context in replies:
        a = scorer.assess(text, context)
        assert a.present(), text
        for signal in a.present():
            mine = [e for e in a.evidence if e.signal == signal]
            assert mine, (text, signal)
            for e in mine:
                assert text[e.start : e.end] == e.text
                assert e.reason and e.source.split(":")[0] in {"rule", "classifier", "context", "act"}
        assert {e.signal for e in a.evidence} <= set(a.present())


def test_a_classifier_only_signal_quotes_its_best_sentence(scorer: Any) -> None:
    # no rule fires and no context is given: the evidence is the sentence the classifier rates highest
    text = "Right, let me find a pen. Being a burden is the last thing you want."
    a = scorer.assess(text)
    assert a.present() == ["empathy"]
    (e,) = a.evidence
    assert (e.source, e.text) == ("classifier", "Being a burden is the last thing you want.")
    assert text[e.start : e.end] == e.text
    assert e.reason.startswith("'Being a burden is the last thing you want.' reads as a reflection")


def test_batch_and_single_scoring_agree_and_keep_order(scorer: Any) -> None:
    items = [("Poor you.", None), ("How old is he?", "He's my youngest."), ("", None),
             ("Add me on Instagram.", "Are you on Instagram?")]
    many = scorer.assess_many(items, batch_size=2)
    assert [a.text for a in many] == [t for t, _c in items]
    for a, (text, context) in zip(many, items, strict=True):
        assert a.scores == scorer.assess(text, context).scores
