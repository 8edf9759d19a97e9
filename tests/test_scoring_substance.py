"""A reflection gives something back (`trainer.scoring.substance`), and it gives back *their* words.

A tester found "It sounds like asdfgh." scored empathy 0.98 (the frame's words alone), and the service
user's own line pasted back as the reply scored empathy for "taking up their words".
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.scoring.build import train_files
from trainer.scoring.chatnorms import WORDS
from trainer.scoring.features import own_words
from trainer.scoring.substance import Lexicon, known_words

NIGHTS = "I'm up three times a night with her and on shift at six."
#: Key-mashing: no vowels, not a chat form ("txt" is "text", `chatnorms.WORDS`).
MASH = st.text(alphabet="bcdfgjklpqrstvwxz", min_size=3, max_size=9).filter(lambda m: m not in WORDS)
FRAMES = ["It sounds like", "So you're", "You're feeling", "It sounds like you feel", "What I'm hearing is",
          "so ur", "I get the sense you're"]


@pytest.mark.parametrize("reply", [
    "It sounds like asdfgh.", "It sounds like", "So you're...", "You're feeling sdfsdf.",
    "It sounds like you feel qwerty.", "It sounds like ooooo.",
    "It sounds like [insert reflection here].", "(She pulls out a notebook.)", "(nods)",
    "You're feeling X because Y.",
])
def test_a_frame_with_nothing_in_it_is_not_empathy(scorer: Any, reply: str) -> None:
    a = scorer.assess(reply, NIGHTS)
    assert "empathy" not in a.present(), (a.scores, a.evidence)
    assert not any(e.signal == "empathy" for e in a.evidence), a.evidence


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(frame=st.sampled_from(FRAMES), mash=MASH,
       end=st.sampled_from([".", "", "?", "...", " -"]))
def test_a_frame_around_key_mashing_never_earns_empathy(scorer: Any, frame: str, mash: str, end: str) -> None:
    a = scorer.assess(f"{frame} {mash}{end}", NIGHTS)
    assert "empathy" not in a.present(), (frame, mash, a.scores)


@pytest.mark.parametrize("reply", [
    "It sounds like you're exhausted.",
    "So you're flabbergasted by it all.",  # a word the training data never had, spelt like English
    "Three times a night, and then a shift.",
])
def test_a_frame_with_something_in_it_still_is(scorer: Any, reply: str) -> None:
    a = scorer.assess(reply, NIGHTS)
    assert "empathy" in a.present(), (a.scores, a.acts)


REAL = """flabbergasted regretful everest dilemma bewildered disheartened resentful homesick penniless
    overlooked sidelined outnumbered unappreciated invigorated crossroads jittery frazzled despondent
    exasperated gobsmacked heartbroken marooned trampled ostracised belittled humiliated cornered
    smothered uprooted stranded""".split()
MASHED = """asdfgh sdfsdf qwerty jjjjj xkcdq zxcvbn ooooo hjkl dfghj kjhkjh wxqz ghghgh asdasd lkjlkj
    fdsa poiuy mnbv cvbcvb qqqq zzzzz""".split()


def test_the_lexicon_knows_words_spelt_like_english_and_not_key_mashing() -> None:
    """Words the training data never had are known when spelt like those it had (nine in ten or more);
    key-mashing is not (one in ten at most)."""
    lines = [json.loads(line) for path in train_files()
             for line in path.read_text(encoding="utf-8").splitlines()]
    lexicon = Lexicon(known_words(t for d in lines for t in (d["text"], d.get("context"))))
    new = [w for w in REAL if w not in lexicon.words]
    assert len(new) >= 15, "most of these words should be new to the training data"
    assert sum(map(lexicon.knows, new)) >= 0.9 * len(new), [w for w in new if not lexicon.knows(w)]
    assert sum(map(lexicon.knows, MASHED)) <= 0.1 * len(MASHED), [w for w in MASHED if lexicon.knows(w)]


def test_the_saved_scorer_carries_its_lexicon(scorer: Any) -> None:
    known = scorer.nlp.get_pipe("trainer_rules").known
    assert known is not None and {"exhausted", "worried", "kids"} <= known.words


@pytest.mark.parametrize("reply", [
    NIGHTS,  # their line pasted back whole
    "I'm up three times a night with her.",
    "My sister was up three times a night with hers.",  # the worker's own story
    "I feel like I'm failing her.",  # a frame of the worker's own thoughts about themselves
])
def test_their_line_pasted_back_or_the_workers_own_story_is_not_taking_up_their_words(
    scorer: Any, reply: str
) -> None:
    a = scorer.assess(reply, NIGHTS)
    assert not any(e.source.startswith("context:overlap") for e in a.evidence), a.evidence
    assert "empathy" not in a.present(), a.scores


@pytest.mark.parametrize("words, own", [
    ("i am up three times a night with her", True),
    ("my mum was the same with me", True),
    ("i can see the nights are the worst", False),
    ("i imagine the nights are hard", False),
    ("my sense is the nights are the worst", False),
    ("i am worried about you", False),
    ("i was thinking the nights are the worst", False),
    ("i felt scared when i read the referral", False),  # the worker's feeling: `own_state` marks it alone
    ("i feel like i am failing him", True),
    ("i think the nights are the worst", False),
    # a fresh tester's frames (LABELLING rule 20): the worker's sense of the person, not their own story
    ("i am picking up that the kids are everything", False),
    ("i am guessing the nights are the worst part", False),
    ("i would say it has been a lonely year", False),
    ("i can only imagine the nights", False),
    ("i am struck by how much the kids matter", False),
    ("my understanding is the kids are everything", False),
    ("i suspect the nights are hardest", False),
])
def test_a_sentence_in_the_workers_own_voice_is_theirs_only_when_it_frames_the_person(
    words: str, own: bool
) -> None:
    assert all(own_words(words.split())) is own


@pytest.mark.parametrize("reply, context", [
    ("So you felt naïve.", "I was naïve, I trusted him."),  # letters outside a-z
    ("So it's Zoë.", "It's Zoë, my youngest, she's the one struggling."),
    ("So you're anxoius.", "I'm so anxious about the hearing."),  # their word mistyped
    ("It sounds like you're exhuasted.", NIGHTS),  # a known word mistyped
])
def test_a_word_in_another_alphabet_or_mistyped_still_has_substance(
    scorer: Any, reply: str, context: str
) -> None:
    a = scorer.assess(reply, context)
    assert "empathy" in a.present(), (a.scores, a.acts)


LINE = ("Mum's got MS. Some days she can't get out of bed, so I do the meds and the tea and get my "
        "brother to school.")


@pytest.mark.parametrize("reply, context", [
    (LINE, LINE),  # their whole line pasted back
    ("stopped stopped stopped stopped", "Marcus just... stopped."),  # one word of theirs typed over and over
    ("tired tired tired tired tired", "I'm just tired."),
])
def test_their_line_pasted_or_one_word_of_it_repeated_is_not_a_reflection(
    scorer: Any, reply: str, context: str
) -> None:
    a = scorer.assess(reply, context)
    assert "empathy" not in a.present(), (a.scores, a.evidence)


@pytest.mark.parametrize("reply", [
    "Mum's got MS.",  # a part of their line given back is an echo
    "So some days you're doing the meds, the tea and the school run before your own day starts.",
])
def test_a_part_of_their_line_given_back_still_is(scorer: Any, reply: str) -> None:
    assert "empathy" in scorer.assess(reply, LINE).present()
