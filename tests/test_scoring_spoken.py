"""Spoken words around a reply: backchannels, fillers and openers do not change what the reply does; a
modal that looks back is not advice; the worker's sense of the person frames a reflection; their own
praise or pity word given back is theirs (models/LABELLING.md rules 8, 10, 19, 20)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer.scoring.actfeatures import LEADS, SENT_FEATURES, sentence_features
from trainer.scoring.api import THRESHOLD
from trainer.scoring.features import SPOKEN, content_stems

CONTENT = ["tired", "stairs", "letters", "school", "drinking", "lonely", "rent", "garden", "nights",
           "hospital"]
FORM = ("wh_first", "aux_first", "you_first", "frame", "i_first", "modal_you", "imperative")


def _features(words: list[str], text: str = "", ctx: frozenset[str] = frozenset()) -> dict[str, float]:
    row = sentence_features(words, text or " ".join(words) + ".", {}, frozenset(), False, (0, 1), ctx)
    return dict(zip(SENT_FEATURES, row, strict=True))


@given(st.lists(st.sampled_from(sorted(SPOKEN) + CONTENT), max_size=12))
def test_spoken_words_are_never_words_taken_up(words: list[str]) -> None:
    stems = content_stems(words)
    assert not set(stems.values()) & SPOKEN
    assert set(stems.values()) == {w for w in words if w in CONTENT}


SENTENCES = [
    "what was that like for you",
    "are you still at the flat",
    "you feel let down by them",
    "it sounds like the nights are hardest",
    "i wonder if that's the worry",
    "you should ring them tomorrow",
    "try the walking group",
    "i'll write to the school",
]


@given(st.sampled_from(SENTENCES), st.lists(st.sampled_from(sorted(LEADS)), max_size=4))
def test_the_form_of_a_sentence_is_read_after_all_its_spoken_openers(
    sentence: str, openers: list[str]
) -> None:
    plain = _features(sentence.split())
    spoken = _features(openers + sentence.split())
    assert {k: spoken[k] for k in FORM} == {k: plain[k] for k in FORM}


@pytest.mark.parametrize(
    ("sentence", "advises"),
    [
        ("you feel you should n't have shouted at him", 0.0),
        ("you think you could 've stopped it", 0.0),
        ("you could have been badly hurt", 0.0),
        ("you know you should have left years ago", 0.0),
        ("you should talk to him when you 're both calm", 1.0),
        ("you should have a chat with the school", 1.0),
        ("you could try ringing them back", 1.0),
        ("you need to book a follow up", 1.0),
    ],
)
def test_a_modal_that_looks_back_advises_nothing(sentence: str, advises: float) -> None:
    assert _features(sentence.split())["modal_you"] == advises


@pytest.mark.parametrize(
    ("sentence", "framed"),
    [
        ("i get the sense you 're tired of explaining yourself", 1.0),
        ("i 'm getting a strong sense that being a good dad matters to you", 1.0),
        ("i have the impression it 's the waiting that 's hardest", 1.0),
        ("i have a feeling you 've been here before", 1.0),
        ("i 'm feeling a bit tired myself", 0.0),
        ("i get a lot of people saying that", 0.0),
    ],
)
def test_the_workers_sense_of_the_person_is_a_frame_and_their_own_state_is_not(
    sentence: str, framed: float
) -> None:
    assert _features(sentence.split())["frame"] == framed


def test_their_own_praise_or_pity_word_given_back_is_not_the_workers() -> None:
    echo = "it did n't work out very well".split()
    assert _features(echo, ctx=frozenset({"it", "didn't", "work", "out", "that", "well"}))["praise"] == 0.0
    assert _features(echo)["praise"] == 1.0  # the same words, when they never said "well"
    awful = ["awful", "the", "whole", "week"]
    assert _features(awful, ctx=frozenset({"the", "week", "was", "awful"}))["pity"] == 0.0
    assert _features(["that", "'s", "awful"], ctx=frozenset({"the", "week", "was", "hard"}))["pity"] == 1.0


@pytest.mark.parametrize(
    ("reply", "context", "present", "absent"),
    [
        ("Yeah, it never goes anywhere.", "The bidding never goes anywhere.", {"empathy"}, set()),
        ("Mm-hmm, yeah.", "The bidding never goes anywhere.", set(), {"empathy"}),
        ("I get the sense going back there feels like a big risk for you.",
         "I'm scared to go back to the group.", {"empathy"}, set()),
        ("I'm feeling a bit nervous myself about groups.", "I'm scared to go back to the group.",
         {"sympathy"}, set()),
        ("Horrible, the whole stay.", "The hospital was horrible, honestly.", {"empathy"}, {"sympathy"}),
        ("You should ring the ward and ask for the matron.", "The hospital was horrible, honestly.",
         set(), {"empathy"}),
        # a third fresh tester's kinds
        # one word naming their feeling is a reflection (LABELLING rule 10), not an aside
        ("Exhausted.", "I'm so tired, I'm up every night with him.", {"empathy"}, set()),
        # an apology for one's own slip, with their name in it, is not sympathy (rule 4)
        ("Oh I'm sorry, Dorothy, I got that wrong.", "Is that the 3rd? I said the 13th.",
         set(), {"sympathy"}),
        # "don't worry" does not negate the promise that follows it
        ("dont worry nobody is taking ur baby", "I'm terrified they'll take her off me.",
         {"overstep"}, set()),
        # "always" after "here for you" is availability without limit
        ("ur not alone, im here for u always", "i feel so alone in this", {"overstep"}, set()),
        # a gift taken to the office and logged is the frame, warmly said
        ("aw thank you, I'll have to take it to the office and log it",
         "I brought you these for all your help.", {"boundaries"}, {"overstep"}),
    ],
)
def test_spoken_replies_score_as_the_guide_says(
    scores_as_expected: Any, reply: str, context: str, present: set[str], absent: set[str]
) -> None:
    scores_as_expected(reply, context, present, absent)


# --- whose words, which sentence ----------------------------------------------------------------------


def test_an_agency_named_as_someone_elses_is_not_the_workers_role(rules_nlp: Any) -> None:
    def role(text: str) -> list[str]:
        return [text[h.start : h.end] for h in rules_nlp(text)._.rule_hits if h.rule == "role"]

    assert role("so when u hear someone from social services at the door it brings it all back") == []
    assert role("You got a letter from the council and it frightened you.") == []
    assert role("Hi, I'm Sam, from social services.") == ["from social services"]
    # the agency's name is one phrase, not "im from the young"
    assert role("im from the young carers service - mr patel asked me to come") == [
        "im from the young carers service"
    ]


def test_empathy_evidence_is_the_reflection_not_the_sentence_that_shares_most_words(scorer: Any) -> None:
    context = ("It's Mum. If it happens again and I'm at school, nobody's there. My manager at the shop says "
               "I can't keep leaving early.")
    reply = ("i know its scary not knowing if it'll happen again. my manager will help get your mum her own "
             "support, like her GP and an assessment, so its not all on u.")
    a = scorer.assess(reply, context=context)
    assert a.scores["empathy"] >= THRESHOLD, a.scores
    quoted = [e.text for e in a.evidence if e.signal == "empathy"]
    assert quoted and all("manager" not in q for q in quoted), quoted
    assert any("scary" in q for q in quoted), quoted


# --- long replies ---------------------------------------------------------------------------------------


@given(st.lists(st.integers(1, 400), min_size=1, max_size=6), st.integers(0, 80))
def test_a_long_replys_ngram_counts_grow_like_the_square_root_of_its_length(
    sizes: list[int], ref: int
) -> None:
    import numpy as np

    from trainer.scoring.bow import length_scaled

    keys = np.arange(sum(sizes))
    vals = np.ones(sum(sizes), dtype="f")
    (_, scaled, _), _ = length_scaled(ref).begin_update((keys, vals, np.asarray(sizes, dtype="i")))
    at = 0
    for n in sizes:
        total = float(scaled[at : at + n].sum())
        expected = n if ref == 0 or n <= ref else (ref * n) ** 0.5
        assert abs(total - expected) < 1e-3 * max(1.0, expected)
        at += n


@pytest.mark.parametrize(
    ("text", "rule", "span"),
    [
        ("so ur fed up with all of it", "you_feeling", "ur fed up"),
        ("If I'm off sick, the duty team can help.", "colleagues", "the duty team"),
        ("If I'm off sick, the duty team can help.", "colleagues", "If I'm off sick"),
    ],
)
def test_evidence_takes_in_the_particle_and_the_noun_its_phrase_needs(
    rules_nlp: Any, text: str, rule: str, span: str
) -> None:
    assert span in [text[h.start : h.end] for h in rules_nlp(text)._.rule_hits if h.rule == rule]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # the worker's own availability without limit
        ("ring me any time, day or night", True),
        ("i'm always here for u", True),
        ("ur not alone, im here for u always", True),
        ("I'll always be there for you", True),
        # a service's hours, the person's own pace, a habit of the worker's: not the worker always there
        ("i cant give out my own number, but the duty team is on 0161 555 0199 day or night", False),
        ("If it gets really bad, the Samaritans are on 116 123 any time.", False),
        ("Take as long as you need.", False),
        ("We can start whenever you're ready.", False),
        ("Our sessions are fifty minutes, and I'll always stop on time.", False),
        ("You can ask to see your records any time.", False),
    ],
)
def test_unlimited_availability_is_the_workers_own(rules_nlp: Any, text: str, found: bool) -> None:
    hits = [h for h in rules_nlp(text)._.rule_hits if h.rule == "unlimited_availability"]
    assert bool(hits) == found, [text[h.start : h.end] for h in hits]


@pytest.mark.parametrize(
    ("typed", "advises"),
    [
        ("part of u thinks u coulda stopped it", 0.0),
        ("u shoulda told them sooner", 0.0),
        ("u should of said", 0.0),
        ("u should tell them", 1.0),
    ],
)
def test_a_looking_back_modal_typed_in_chat_advises_nothing(
    rules_nlp: Any, typed: str, advises: float
) -> None:
    words = [t.norm_ for t in rules_nlp(typed) if not t.is_punct]
    assert _features(words)["modal_you"] == advises, words
