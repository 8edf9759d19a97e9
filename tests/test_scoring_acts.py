"""The act layer and true evidence: what a learner sees the scorer call a reply, and why."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.scoring.api import ACTS, THRESHOLD

REPO = Path(__file__).resolve().parents[1]


def real_dev() -> Path:
    """The real dev set (measurement only), or skip saying where it was looked for."""
    where = Path(os.environ.get("TRAINER_REAL_DEV", REPO.parent / "shared" / "data" / "real-dev"))
    path = where / "annomi-dev.jsonl" if where.is_dir() else where
    if not path.is_file():
        pytest.skip(f"the real dev set is not here ({path}); set TRAINER_REAL_DEV to its folder to run this")
    return path


# --- acts on every sentence ---------------------------------------------------------------------------


def test_every_sentence_gets_an_act_with_its_span(scorer: Any) -> None:
    text = "You're exhausted. You should ask your GP for something. What helps, if anything?"
    a = scorer.assess(text, "I'm up three times a night and on shift at six.")
    assert [x.text for x in a.acts] == ["You're exhausted.", "You should ask your GP for something.",
                                        "What helps, if anything?"]
    for act in a.acts:
        assert act.label in ACTS and text[act.start : act.end] == act.text and 0 < act.confidence <= 1
    assert [x.label for x in a.acts][1:] == ["advice", "question_open"]
    assert a.main_act == a.acts[0].label  # the reflection, not the advice after it
    assert a.as_mapping()["acts"][1]["act"] == "advice"


@pytest.mark.parametrize(
    ("text", "context", "act"),
    [
        ("Exhausted, then.", "I'm up three times a night with her and on shift at six.", "reflection"),
        ("Scared he'll come back?", "I keep checking the window.", "reflection"),
        ("You could phone the advice line tomorrow morning.", "I don't know what to do about the bills.",
         "advice"),
        ("You've done brilliantly to get this far.", "I've been off the drink a month now.", "affirmation"),
        ("Stay strong, hun.", "My husband walked out last week.", "sympathy"),
        ("Hang in there, it gets better.", "I can't see an end to it.", "sympathy"),
        ("Everyone goes through this at some point.", "I feel like such a failure as a mum.", "sympathy"),
        ("I totally hear you.", "Nobody ever listens to me.", "sympathy"),
    ],
)
def test_the_kinds_of_the_issue_get_their_act_and_only_reflections_are_empathy(
    scorer: Any, text: str, context: str, act: str
) -> None:
    a = scorer.assess(text, context)
    # a platitude is sympathy "or at best other"; never a reflection
    allowed = {act, "reassurance", "other"} if act == "sympathy" else {act}
    assert (a.main_act or "").split("_")[0] in allowed, (text, [x.label for x in a.acts])
    assert (a.scores["empathy"] >= THRESHOLD) == (act == "reflection"), (text, a.scores)


def test_score_output_gains_acts_and_keeps_every_field(scorer: Any) -> None:
    from trainer.scoring.commands import score_lines

    out, err = io.StringIO(), io.StringIO()
    reply = {"id": "a", "text": "So you're worn out. What would help?", "context": "I'm so tired."}
    lines = [json.dumps(reply),
             json.dumps({"id": "b", "text": ""})]
    assert score_lines(lines, scorer, out, err, progress=False) == 0
    first, empty = (json.loads(x) for x in out.getvalue().splitlines())
    assert {"id", "text", "scores", "evidence", "acts", "act"} <= set(first)
    assert [x["text"] for x in first["acts"]] == ["So you're worn out.", "What would help?"]
    assert first["act"] in ACTS
    assert empty["acts"] == [] and empty["act"] is None and empty["note"]


# --- evidence that is true ------------------------------------------------------------------------------


def test_evidence_spans_are_whole_phrases(scorer: Any) -> None:
    text = "We've got about half an hour today, and I'll see you for six weeks, and then we review."
    a = scorer.assess(text, "Why are you here?")
    quoted = [e.text for e in a.evidence if e.source.startswith("rule:")]
    assert quoted, a.evidence
    assert any(q.endswith("half an hour") for q in quoted), quoted
    for q in quoted:
        assert not re.search(r"(\b(an|a|the|and|of)|,)$", q), q


@pytest.mark.parametrize(
    ("context", "reply", "source", "quoted"),
    [
        ("I feel like such a bad mother.", "You're not a bad mother at all.", "rule:reassurance.context",
         "You're not a bad mother at all"),
        ("I can't stop crying.", "Come here, let me give you a cuddle.", "rule:physical_contact",
         "Come here, let me give you a cuddle"),
        ("Everyone hates me.", "Everyone goes through rough patches.", "rule:platitude",
         "Everyone goes through rough patches"),
        ("My husband left.", "At least he's still got you.", "rule:reassurance",
         "At least he's still got you"),
        ("When will you come?", "We've got two more sessions after this one.", "rule:how_long",
         "We've got two more sessions after this one"),
        ("What's the plan?", "We'll look at how things are going after six weeks.", "rule:agenda",
         "We'll look at how things are going after six weeks"),
    ],
)
def test_evidence_takes_in_what_its_last_word_needs(
    scorer: Any, context: str, reply: str, source: str, quoted: str
) -> None:
    """A span never stops on a word that needs what follows it: an adjective without its noun ("You're not
    a bad"), a verb without its object ("Come here, let"), an adverb without its verb ("he's still")."""
    a = scorer.assess(reply, context)
    assert quoted in [e.text for e in a.evidence if e.source == source], a.evidence


def test_evidence_does_not_stop_on_what_or_it(scorer: Any) -> None:
    a = scorer.assess("I know exactly what it's like, I've been there.", "My husband left in March.")
    quoted = [e.text for e in a.evidence if e.source == "rule:same_experience"]
    assert "I know exactly what it's like" in quoted, a.evidence


def test_accepting_money_is_found_inside_a_mixed_reply(scorer: Any) -> None:
    a = scorer.assess("Oh go on then, just this once, it'll be our little secret.", "Please, take this.")
    assert "overstep" in a.present()
    found = {e.source: e.text for e in a.evidence if e.signal == "overstep"}
    assert found.get("rule:accepts_offer") == "just this once"
    assert found.get("rule:secrecy") == "our little secret"


@pytest.mark.parametrize("reply, context", [
    ("Sorry, scratch that, I can't promise to ring you at weekends.", "Ring me Sunday?"),
    # an apology for one's own words, in full and in chat register (cosmetic9's finding)
    ("I'm sorry, I didn't mean to sound patronising.", "I'm not stupid, you know."),
    ("sorry i didnt mean that how it sounded", "wow ok thanks a lot"),
    ("Sorry, that came across wrong. What I meant was that you know him best.", "So it's my fault, is it?"),
])
def test_correcting_ones_own_slip_is_not_sympathy(scorer: Any, reply: str, context: str) -> None:
    a = scorer.assess(reply, context)
    assert a.scores["sympathy"] < THRESHOLD
    assert a.main_act != "sympathy"
    assert not [e for e in a.evidence if e.signal == "sympathy"]


def test_takes_up_their_words_quotes_only_their_words(scorer: Any) -> None:
    # "worried" is the learner's word; the service user said "kids" and "night"
    a = scorer.assess("You're worried about the kids at night.", "The kids are up half the night.")
    linked = [e for e in a.evidence if e.source.startswith("context:overlap")]
    assert linked, a.evidence
    assert "'kids'" in linked[0].reason and "'night'" in linked[0].reason
    taken = linked[0].reason.split(")")[0]
    assert "worried" not in taken


@pytest.mark.parametrize("reply, context", [
    ("I was worried you'd be out.", "I'm worried about the rent."),
    ("I felt scared when I read the referral.", "I'm scared of him."),
    ("I'm exhausted too, honestly, it's been a long week.", "I'm exhausted all the time."),
])
def test_the_workers_own_feeling_in_their_word_is_not_a_reflection(
    scorer: Any, reply: str, context: str
) -> None:
    a = scorer.assess(reply, context)
    assert "empathy" not in a.present(), a.scores
    assert not [e for e in a.evidence if e.source.startswith("context:overlap")]


def test_a_stage_direction_is_not_words_to_take_up(scorer: Any) -> None:
    a = scorer.assess("It's quiet in here.", "(Quietly.) He never came back. Not once.")
    assert not [e for e in a.evidence if e.source.startswith("context:")], a.evidence


def test_i_can_hear_frames_their_feeling_given_back(scorer: Any) -> None:
    a = scorer.assess("You do a lot for your mum, and I can hear you worry.",
                      "Sorry, I was ages. Did she tell you anything I should know about? I do worry.")
    assert "empathy" in a.present(), a.scores


@pytest.mark.parametrize("reply, context", [
    ("No one told you.", "Nobody told me anything about the move."),
    ("You've been left to manage on your own.", "They left me to get on with it, managing on my own."),
])
def test_their_words_in_another_form_are_taken_up(scorer: Any, reply: str, context: str) -> None:
    linked = [e for e in scorer.assess(reply, context).evidence if e.source.startswith("context:overlap")]
    assert linked, reply


def test_a_feeling_offered_as_a_choice_is_a_question_not_a_reflection(scorer: Any) -> None:
    a = scorer.assess("Scared of him or of the police?", "I don't know. I just don't want to go back there.")
    assert not [e for e in a.evidence if e.source == "rule:terse_feeling_guess"]


CONTENT = ["kids", "night", "money", "school", "landlord", "drink", "sister", "hospital", "benefits",
           "garden", "worried", "tired", "angry", "lonely", "job", "rent", "doctor", "nurse", "shift",
           "window"]


@settings(max_examples=80, deadline=None)
@given(
    ctx=st.lists(st.sampled_from(CONTENT + ["the", "and", "I", "my", "up", "all"]), min_size=1, max_size=12),
    reply=st.lists(st.sampled_from(CONTENT + ["you", "so", "your", "the", "and", "it", "sounds", "like"]),
                   min_size=1, max_size=12),
)
def test_no_word_is_said_to_be_taken_up_unless_it_is_in_their_line(ctx: list[str], reply: list[str]) -> None:
    import spacy

    from trainer.scoring.features import context_features

    nlp = spacy.blank("en")
    context = " ".join(ctx) + "."
    _feats, link = context_features(nlp(" ".join(reply) + "."), context)
    said = set(context.rstrip(".").split())
    for word in link.shared if link else ():
        assert word in said, (word, context)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    word=st.sampled_from(["worried", "frightened", "exhausted", "landlord", "hospital", "money"]),
    ctx=st.lists(st.sampled_from(["kids", "night", "school", "rent", "tired", "up", "all", "the"]),
                 min_size=2, max_size=10),
)
def test_no_evidence_says_a_word_was_taken_up_when_they_never_said_it(
    scorer: Any, word: str, ctx: list[str]
) -> None:
    context = " ".join(ctx) + "."
    a = scorer.assess(f"So you're {word} about the {ctx[0]}.", context)
    for e in a.evidence:
        if e.source.startswith("context:overlap"):
            taken = e.reason.split("(")[1].split(")")[0]
            assert f"'{word}'" not in taken, (e.reason, context)


WORDS = ["we", "have", "about", "half", "an", "hour", "six", "weeks", ",", "and", "then", "the", "of",
         "review", "for", "a", "meet", "I", "will", "see", "you", "today", "so", ".", "without", "her",
         "agreement", "after", "pass", "it", "on"]


@settings(max_examples=200, deadline=None)
@given(tokens=st.lists(st.sampled_from(WORDS), min_size=1, max_size=14), data=st.data())
def test_a_widened_or_trimmed_span_is_a_whole_phrase(tokens: list[str], data: Any) -> None:
    from trainer.scoring.phrases import DANGLING_END, LOOSE_EDGE, STANDS_ALONE, whole_phrase

    norms = [t.lower() for t in tokens]
    puncts = [t in {",", "."} for t in tokens]
    start = data.draw(st.integers(0, len(tokens) - 1))
    end = data.draw(st.integers(start + 1, len(tokens)))
    lo, hi = whole_phrase(norms, puncts, start, end, (0, len(tokens)))
    assert 0 <= lo < hi <= len(tokens)
    if (lo, hi) != (start, end):
        assert norms[hi - 1] not in LOOSE_EDGE and norms[hi - 1] != ","
        # a dangling word ends a span only where it ends its clause: "... no matter what", "sort it."
        ends_clause = hi == len(tokens) or puncts[hi] or norms[hi] in LOOSE_EDGE
        assert norms[hi - 1] not in DANGLING_END or (norms[hi - 1] in STANDS_ALONE and ends_clause)
        assert norms[lo] not in LOOSE_EDGE and norms[lo] != ","


# --- the real dev set (measurement only) ----------------------------------------------------------------


def test_eval_reads_the_real_dev_sets_codes_as_act_families(scorer: Any) -> None:
    from trainer.scoring.commands import eval_items
    from trainer.scoring.evaluate import read_labelled

    items, problems = read_labelled([real_dev()])
    assert not problems and len(items) >= 900
    result = eval_items(items, scorer)
    report = result.acts
    assert report.n_family == len(items) and report.n_acts == 0
    assert report.empathy.support == sum(1 for x in items if x.family == "reflection")
    table = result.table()
    assert "empathy as reflection" in table and "called empathy: question" in table


def _act(label: str, confidence: float) -> Any:
    from trainer.scoring.api import Act

    return Act(label, 0, 10, "x" * 10, confidence)


def test_a_reflection_split_between_simple_and_complex_is_not_vetoed_as_information() -> None:
    """A long spoken reflection often gets 0.3 simple + 0.3 complex: the information act at 0.35 wins on
    its own, but the sentence is a reflection, and its empathy must stand."""
    from trainer.scoring.acts import apply_acts

    probs = {a: 0.0 for a in ACTS}
    probs |= {"reflection_simple": 0.3, "reflection_complex": 0.3, "information": 0.35}
    probs["other"] = 0.05
    split = [_act("information", 0.35)]
    scores = {"empathy": 0.7, "sympathy": 0.0, "purpose": 0.0, "boundaries": 0.0, "overstep": 0.0}
    apply_acts(scores, split, act_probs=[probs])
    assert scores["empathy"] == 0.7
    without = dict(scores)
    apply_acts(without, split)  # labels alone: the information act vetoes
    assert without["empathy"] < THRESHOLD


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=len(ACTS), max_size=len(ACTS)), st.floats(0.5, 1.0))
def test_the_family_veto_never_lets_a_question_led_sentence_be_empathy(
    raw: list[float], score: float
) -> None:
    """Pooling only ever moves a sentence between families: when the two questions together outweigh every
    other family, a reply of that one sentence is never empathy, whatever the combiner said."""
    from trainer.scoring.acts import FAMILY_OF, apply_acts

    total = sum(raw) or 1.0
    probs = {a: p / total for a, p in zip(ACTS, raw, strict=True)}
    mass: dict[str, float] = {}
    for a, p in probs.items():
        mass[FAMILY_OF.get(a, a)] = mass.get(FAMILY_OF.get(a, a), 0.0) + p
    best = max(mass.values())
    if mass["question"] < best or sum(v == best for v in mass.values()) > 1:
        return
    scores = {"empathy": score, "sympathy": 0.0, "purpose": 0.0, "boundaries": 0.0, "overstep": 0.0}
    label = max(("question_open", "question_closed"), key=probs.__getitem__)
    apply_acts(scores, [_act(label, min(probs[label], 0.7))], act_probs=[probs])
    assert scores["empathy"] < THRESHOLD


def test_a_request_or_aside_is_not_empathy(scorer: Any) -> None:
    """The keep-it-secret rehearsal: "Please sit down." as she gets up to leave scored empathy 0.51. An
    `other` sentence (backchannel, aside, request) reflects nothing, so it vetoes empathy like a question."""
    from trainer.scoring.acts import apply_acts

    scores = {"empathy": 0.8, "sympathy": 0.0, "purpose": 0.0, "boundaries": 0.0, "overstep": 0.0}
    apply_acts(scores, [_act("other", 0.6)])
    assert scores["empathy"] < THRESHOLD
    a = scorer.assess("Please sit down.", context="I have to go. I shouldn't have said anything.")
    assert "empathy" not in a.present()


@pytest.mark.parametrize(
    ("reply", "context", "pity"),
    [
        ("I'd like to see Oscar on his own for a few minutes. You'll be just downstairs.",
         "Fine. Do what you have to.", False),
        ("I haven't made my mind up about anything.", "You lot think I'm a monster.", False),
        ("Don't worry, it'll all be fine.", "I'm scared they'll take him.", True),
        ("Oh you poor thing.", "My husband died last month.", True),
    ],
)
def test_sympathy_is_said_against_a_learner_only_on_a_sure_reading(
    scorer: Any, reply: str, context: str, pity: bool
) -> None:
    # A plain statement of what will happen, or of the worker's open mind, is not reassurance or talk about
    # oneself; the act model's guess alone (below acts.ACT_PRESENT_AGAINST) does not flag sympathy.
    assert (scorer.assess(reply, context=context).scores["sympathy"] >= THRESHOLD) is pity


def test_no_sentence_is_called_an_overstep_or_sympathy_when_the_reply_is_not(scorer: Any) -> None:
    # The acts a process recording lists agree with the flags: an act held against the learner only where
    # its signal is present.
    against = {"overstep": {"overstep"}, "sympathy": {"sympathy", "reassurance", "self_disclosure"}}
    replies = [
        ("That's fine, I'll come back another day.", "He's not in, he's at his nan's."),
        ("Asking for help won't count against your tenancy.", "Will they kick me out if I ask for help?"),
        ("I'll keep an eye on the time so you're out by three.", "I have to get the kids at three."),
        ("Don't worry, it'll all be fine.", "I'm scared they'll take him."),
    ]
    for reply, context in replies:
        a = scorer.assess(reply, context=context)
        for signal, acts in against.items():
            if a.scores[signal] < THRESHOLD:
                assert not [x.label for x in a.acts if x.label in acts], (reply, a.acts)
    assert scorer.assess(replies[-1][0], context=replies[-1][1]).acts[0].label == "reassurance"


def test_agreeing_acts_keeps_an_act_whose_signal_is_present() -> None:
    from trainer.scoring.acts import agree_with_scores
    from trainer.scoring.api import Act

    acts = [Act("overstep", 0, 10, "x", 0.6), Act("overstep", 11, 20, "y", 0.6)]
    probs = [{"overstep": 0.6, "other": 0.3, "boundary": 0.1}] * 2
    kept = agree_with_scores(acts, probs, {"overstep": 0.9, "sympathy": 0.1, "empathy": 0.0})
    assert [a.label for a in kept] == ["overstep", "overstep"]
    changed = agree_with_scores(acts, probs, {"overstep": 0.2, "sympathy": 0.1, "empathy": 0.0})
    assert [(a.label, a.confidence, a.start) for a in changed] == [("other", 0.3, 0), ("other", 0.3, 11)]


@pytest.mark.parametrize(
    ("reply", "context", "present", "absent"),
    [
        # practical asides are not oversteps (one ended the doorstep scenario before)
        ("no worries, shall i keep my coat on", "Do you want to take your coat off?", set(), {"overstep"}),
        ("That's fine, I'll wait in the hall while you find it.", "Hang on, the letter's in the kitchen.",
         set(), {"overstep"}),
        # the worker's own story is self-disclosure, not a personal number ("my own" is not "my own number")
        ("I moved here on my own too, I was so lonely the first year", "I don't know anyone round here.",
         {"sympathy"}, {"overstep"}),
        ("Here's my own number, text me whenever.", "Can I text you?", {"overstep"}, set()),
        # an empty feeling word is sympathy (LABELLING.md rule 8)
        ("It sounds really hard.", "My mum's in hospital and I'm looking after my brothers.",
         {"sympathy"}, {"empathy"}),
        ("It sounds really hard, looking after your brothers with your mum in hospital.",
         "My mum's in hospital and I'm looking after my brothers.", {"empathy"}, set()),
        # a filler before a reflection keeps the reflection
        ("okay, mm, so he's with his dad this week", "He's at his dad's this week.", {"empathy"}, set()),
        # collusion against the agency crosses the frame
        ("honestly between u and me the probation service is a joke", "My last PO never listened.",
         {"overstep"}, set()),
    ],
)
def test_the_kinds_a_tester_found_score_as_the_guide_says(
    scores_as_expected: Any, reply: str, context: str, present: set[str], absent: set[str]
) -> None:
    scores_as_expected(reply, context, present, absent)


@pytest.mark.parametrize(
    ("reply", "context", "present", "absent"),
    [
        # a personal mobile number given, in any spacing or register, crosses the frame...
        ("sure its 07700 900123", "Can I have your number?", {"overstep"}, set()),
        ("my numbers 07700 900123", "How do I get hold of you?", {"overstep"}, set()),
        ("yeah ok 07700900123", "Give us your mobile then.", {"overstep"}, set()),
        # ... a work or team phone is how the service is reached
        ("You can text the team phone, 07700 900 123, and it gets picked up Monday to Friday.",
         "Can I text you?", {"boundaries"}, {"overstep"}),
        # asking for their handle to add them, and giving in to money "because you insist"
        ("yeah sure whats ur @", "Can I add you on Insta?", {"overstep"}, set()),
        ("ahh thats so sweet of u!! ok ill take it for petrol but only cos u insist",
         "Go on, take this twenty for your petrol.", {"overstep"}, set()),
        ("ok then, cheers arthur", "Put it in your pocket, go on. For your petrol.", {"overstep"}, set()),
        # a third tester's: a number the classifier knows no words around, a handle given, secrecy agreed to
        ("ye its 07700900123 x", "Can I have your number?", {"overstep"}, set()),
        ("+44 7700 900123", "How do I get hold of you?", {"overstep"}, set()),
        ("sure, im @zoe_sw on there", "Can I add you on insta?", {"overstep"}, set()),
        ("course, its confidential", "Please don't tell anyone.", {"overstep"}, {"boundaries"}),
        ("yeah course, ur doing ur best x", "That stays between us, yeah?", {"overstep"}, set()),
        # a vague purpose is not an overstep; a platitude is sympathy, not a reflection
        ("I'm just here for a chat", "Who are you, then?", set(), {"overstep"}),
        ("its nothing to worry about", "Why are you here? Is it about the kids?", {"sympathy"}, {"empathy"}),
    ],
)
def test_the_kinds_a_second_tester_found_score_as_the_guide_says(
    scores_as_expected: Any, reply: str, context: str, present: set[str], absent: set[str]
) -> None:
    scores_as_expected(reply, context, present, absent)


def test_a_feeling_named_about_someone_else_is_not_said_to_be_theirs(scorer: Any) -> None:
    reply = ("The nurse was worried when she rang us. Nothing gets decided today without you, and what you "
             "tell me stays with our team unless someone's at risk of harm.")
    a = scorer.assess(reply, context="I'm not going in a home. Whatever you tell me.")
    for e in a.evidence:
        assert "worried" not in e.reason, e  # the nurse's feeling, not hers
    mum = scorer.assess("your mum was worried about you", context="She rang the school, didn't she.")
    assert not [e for e in mum.evidence if "'worried'" in e.reason]  # mum's feeling, not theirs
    own = scorer.assess("You sound worried about what happens next.", context="What happens now?")
    assert any("'worried'" in e.reason for e in own.evidence if e.signal == "empathy")


CHAT = {"you": "u", "your": "ur", "because": "cos", "from": "frm", "please": "pls", "I'm": "im",
        "what's": "whats", "that's": "thats", "about": "abt", "people": "ppl", "tomorrow": "tmrw"}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from([*CHAT, "it", "sounds", "like", "worried", "the", "kids", "call",
                                       "number", "office", "ring", "tell", "me", "school", "so"]),
                      min_size=2, max_size=12))
def test_chat_short_forms_read_as_the_words_they_stand_for(scorer: Any, words: list[str]) -> None:
    """'ur number' is 'your number' to the classifier and the rules: the same n-grams, the same hits."""
    nlp = scorer.nlp
    typed = " ".join(CHAT.get(w, w) for w in words)
    plain = " ".join(words)
    a, b = nlp.make_doc(plain), nlp.make_doc(typed)
    assert [t.norm_ for t in a] == [t.norm_ for t in b], (plain, typed)
    rules = nlp.get_pipe("trainer_rules")
    hits = [(h.signal, h.rule) for h in rules(nlp.get_pipe("sentencizer")(nlp.make_doc(plain)))._.rule_hits]
    chat = [(h.signal, h.rule) for h in rules(nlp.get_pipe("sentencizer")(nlp.make_doc(typed)))._.rule_hits]
    assert hits == chat


PLATITUDES = [
    ("she's in a better place now", "My mum died in March."),
    ("He's at peace now.", "My dad passed last month."),
    ("at least shes not suffering anymore", "My nan died on Sunday."),
    ("Everything happens for a reason.", "I lost my job and now the flat."),
    ("Time's a great healer, you'll see.", "It's been a year and I still can't go in her room."),
]


@pytest.mark.parametrize("reply, context", [
    ("She's in a better place now.", "My mum died last month."),  # capitalised, as a student types it
    ("SHE'S IN A BETTER PLACE NOW", "My mum died last month."),
    ("He's at peace now, love.", "My dad passed in the spring."),
    ("Everything happens for a reason.", "I lost my job and then the flat."),
])
def test_a_platitude_is_shown_as_sympathy_not_as_a_reflection(scorer: Any, reply: str, context: str) -> None:
    # "She's in a better place now." read as a reflection ("she's ..." after a line about her), praised as
    # empathy and shown as one in the process recording, with the comfort cliché found and outweighed.
    result = scorer.assess(reply, context=context)
    assert result.scores["empathy"] < THRESHOLD and result.scores["sympathy"] >= THRESHOLD, result.scores
    assert [a.label for a in result.acts if a.label.startswith("reflection")] == []
    assert any(e.source == "rule:platitude" for e in result.evidence)


def test_a_reflection_beside_a_platitude_keeps_its_empathy_and_quoting_one_is_not_sympathy(
    scorer: Any,
) -> None:
    beside = scorer.assess("Everything at once, the job and then the flat. You've had the floor pulled out "
                           "from under you. Still, everything happens for a reason.",
                           context="I lost my job and the flat in the same week.")
    assert beside.scores["empathy"] >= THRESHOLD and beside.scores["sympathy"] >= THRESHOLD
    quoted = scorer.assess("She was your whole world. People keep telling you she's in a better place, and "
                           "that doesn't help at all.", context="My mum died last month.")
    assert quoted.scores["empathy"] >= THRESHOLD and quoted.scores["sympathy"] < THRESHOLD, quoted.scores


def test_a_platitude_is_never_praised_as_empathy_and_is_called_sympathy(scorer: Any) -> None:
    """Comfort clichés after a loss close the feeling down (the issue's "platitudes ... score as nothing,
    or as empathy"): none may be praised as a reflection, and nearly all are named as sympathy."""
    scores = [scorer.assess(reply, context=context).scores for reply, context in PLATITUDES]
    assert [s["empathy"] for s in scores if s["empathy"] >= THRESHOLD] == []
    assert sum(s["sympathy"] >= THRESHOLD for s in scores) >= len(PLATITUDES) - 1, scores


@pytest.mark.parametrize("reply, context, act", [
    ("What I'm hearing is that you're exhausted from fighting for every bit of help.",
     "I'm so tired of fighting everyone for every little thing.", "reflection_complex"),
    ("What she's told me is hers to share - I'll ask your mum what she'd like you to know.",
     "Did she tell you anything I should know? I do worry.", "boundary"),
    ("What did she say when you asked her?", "Did she tell you anything I should know?", "question_open"),
])
def test_a_statement_that_starts_with_what_is_not_taken_for_a_question(
    scorer: Any, reply: str, context: str, act: str
) -> None:
    # "What she's told me is hers to share" was a question (0.79) to the act model: a wh-word first.
    result = scorer.assess(reply, context=context)
    assert [a.label for a in result.acts] == [act], result.acts


@pytest.mark.parametrize("reply, ending", [
    ("We'll meet weekly for the next six weeks, and then review.", "next six weeks"),
    ("We'll meet until the end of March, and then the case will close.", "case will close"),
    ("We have up to eight sessions, then we'll review.", "eight sessions"),  # how long and the end overlap
])
def test_naming_how_the_work_ends_is_both_purpose_and_the_frame(scorer: Any, reply: str, ending: str) -> None:
    # models/LABELLING.md: structuring that names how long the work lasts or how it ends tells the person
    # what the meeting is for and sets the frame; the debrief credits both, with the ending as evidence.
    result = scorer.assess(reply, context="So how does this work, then?")
    assert {"purpose", "boundaries"} <= set(result.present()), result.scores
    frame = " ".join(e.text for e in result.evidence if e.signal == "boundaries")
    assert ending in frame, result.evidence


@pytest.mark.parametrize("reply, context", [
    ("Oh no, I couldn't, thank you.", "Tomatoes from the greenhouse. Go on, I'll be offended."),
    ("Oh no, I couldn't possibly take that.", "Here's twenty pounds for your petrol."),
    ("No thanks, I'm fine.", "Do you want a drink?"),
])
def test_a_polite_no_to_an_offer_is_neither_pity_nor_taking_it(scorer: Any, reply: str, context: str) -> None:
    # "Oh no, I couldn't" sent Arthur's tomatoes home with the worker: "oh no" read as pity and the
    # classifier as accepting the gift.
    present = scorer.assess(reply, context=context).present()
    assert "sympathy" not in present and "overstep" not in present, present


@pytest.mark.parametrize("reply, context, signal", [
    ("Oh no, I couldn't imagine how frightening that was.", "I was on the floor all night.", "sympathy"),
    ("Oh no, you shouldn't have! Thank you, that's lovely, I'll take it.",
     "Here's twenty pounds for your petrol.", "overstep"),
])
def test_a_no_that_is_not_a_refusal_is_still_read(scorer: Any, reply: str, context: str, signal: str) -> None:
    assert signal in scorer.assess(reply, context=context).present()


@pytest.mark.parametrize("reply", [
    "You're worried no one will take you seriously because you're a man.",
    "You're scared that nobody is going to take you seriously.",
    "you think no one will take you seriously",
])
def test_their_fear_given_back_is_not_a_promise_of_yours(scorer: Any, reply: str) -> None:
    # The promise rule read "no one will take you..." inside a reflection of the person's fear as the worker
    # promising an outcome: a learner who reflected well was told they had overstepped.
    result = scorer.assess(reply, context="Nobody listens to a man who says his wife hits him.")
    assert "overstep" not in result.present(), result.evidence


def test_a_light_word_shared_is_not_shown_as_their_words_taken_up(scorer: Any) -> None:
    # Driving Arthur's visit: the debrief praised "Takes up their own words ('know')" for "I know you mean it
    # kindly" after "Nobody needs to know". A learner is shown only the words that carry what was said.
    a = scorer.assess("I know you mean it kindly, Arthur, and I can see the visit mattered to you.",
                      context="Oh, don't be daft. Nobody needs to know. Put it in your pocket.")
    assert not [e.reason for e in a.evidence if "'know'" in e.reason], a.evidence
    kept = scorer.assess("You're exhausted, up with the baby every night.",
                         context="I'm exhausted, she's up every night and I need to sleep.")
    assert [e for e in kept.evidence if "'exhausted'" in e.reason], kept.evidence


@pytest.mark.parametrize("acts", [["boundary"], ["structuring"], ["boundary", "structuring"]])
def test_a_statement_of_the_frame_or_the_purpose_alone_is_not_empathy(acts: list[str]) -> None:
    """"Unless you were in danger." alone (the limits of privacy) was empathy 0.55: a sentence that states
    the frame or the purpose gives nothing of theirs back."""
    from trainer.scoring.acts import vetoes_empathy

    assert vetoes_empathy(acts)
    assert not vetoes_empathy([*acts, "reflection_complex"])
    # the act model's guess alone does not veto: the rules must have found the frame or the purpose
    assert not vetoes_empathy(acts, ruled=[])
    assert vetoes_empathy(acts, ruled=["boundaries", "purpose"])


def test_the_limits_of_privacy_alone_are_the_frame_not_a_reflection(scorer: Any) -> None:
    result = scorer.assess("Unless you were in danger.", context="Can I tell you something if you promise "
                           "not to tell?")
    assert result.scores["empathy"] < THRESHOLD, result.scores  # was 0.60 at stop 27: now a rule of its own


def test_the_eval_says_how_many_questions_called_empathy_hold_a_reflection_too() -> None:
    """A corpus coded one act a turn calls "So you're halfway there. What made it a five?" a question; the
    scorer hears the reflection in it. `trainer eval` says how much of "called empathy" is turns of that
    kind, so a reader can tell them from a question misread as a reflection."""
    from trainer.scoring.actreport import act_report
    from trainer.scoring.api import Assessment
    from trainer.scoring.evaluate import Labelled

    def question(n: int) -> Labelled:
        return Labelled(f"q{n}", None, frozenset(), f"x:{n}", family="question")

    def scored(*acts: str, empathy: float) -> Assessment:
        scores = dict.fromkeys(("sympathy", "purpose", "boundaries", "overstep"), 0.0) | {"empathy": empathy}
        return Assessment("x", scores, acts=tuple(_act(a, 0.9) for a in acts))

    items = [question(n) for n in range(4)]
    report = act_report(items, [
        scored("reflection_complex", "question_open", empathy=0.9),  # a mixed turn, called empathy
        scored("reflection_simple", empathy=0.9),  # one sentence, called empathy: a misreading
        scored("other", "reflection_simple", empathy=0.9),  # "Mm-hmm. So the nights are worst.": not mixed
        scored("reflection_complex", "question_open", empathy=0.1),  # mixed but not called empathy
    ])
    assert report.share_called_empathy("question") == 0.75
    assert report.share_called_mixed("question") == 0.25
    assert "of which a sentence scored a reflection beside another act's: question 25.0%" in report.table()
