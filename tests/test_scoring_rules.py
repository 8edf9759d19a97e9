"""The rules component: what it marks, negation, practical apologies, pattern checking, round trip."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from trainer.scoring.patterns import PatternError, check_rule, load_patterns


def hits(nlp: Any, text: str) -> list[tuple[str, str, str]]:
    doc = nlp(text)
    return [(h.signal, h.rule, doc.text[h.start : h.end]) for h in doc._.rule_hits]


def signals(nlp: Any, text: str) -> set[str]:
    return {s for s, _r, _t in hits(nlp, text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I promise to keep this secret.", {"overstep"}),
        ("I can't promise to keep this secret.", {"boundaries"}),
        ("I won't tell anyone, I promise.", {"overstep"}),
        ("I can't promise I won't tell anyone.", {"boundaries"}),
        ("I won't tell anyone unless I'm worried someone is at risk.", {"boundaries"}),
        ("Add me on Facebook.", {"overstep"}),
        ("I'm not able to add you on Facebook.", {"boundaries"}),
        ("I'd love to be your friend.", {"overstep"}),
        ("I can't be your friend, but I can be friendly.", {"boundaries"}),
        ("We don't need to tell my manager about this.", {"overstep"}),
        ("I'll talk it through with my manager.", {"boundaries"}),
    ],
)
def test_negation_flips_frame_rules(rules_nlp: Any, text: str, expected: set[str]) -> None:
    assert signals(rules_nlp, text) & {"overstep", "boundaries"} == expected


def test_negation_stops_at_a_clause_boundary(rules_nlp: Any) -> None:
    # the "not" belongs to the first clause; the promise of secrecy still stands
    assert "overstep" in signals(rules_nlp, "It's not easy, but I'll keep it between us.")


def test_a_flipped_hit_says_why_in_its_own_words(rules_nlp: Any) -> None:
    doc = rules_nlp("I can't keep it secret.")
    (hit,) = [h for h in doc._.rule_hits if h.rule.startswith("secrecy")]
    assert hit.rule == "secrecy.negated"
    assert "keep it secret" in hit.reason and "cannot stay secret" in hit.reason


@pytest.mark.parametrize(
    "text",
    [
        "Sorry, could you say that again?",
        "Sorry I'm late, the bus was held up.",
        "Sorry to interrupt, can I check something?",
        "Sorry, what was your son's name?",
        "I'm sorry, but I can't accept money.",
        "Sorry?",
        "Sorry about that, I got the date wrong.",
        "Sorry for keeping you waiting.",
        "Sorry about the mix-up with the letters.",
    ],
)
def test_practical_apologies_are_not_sympathy(rules_nlp: Any, text: str) -> None:
    assert "sympathy" not in signals(rules_nlp, text)


@pytest.mark.parametrize(
    "text",
    ["I'm so sorry.", "I'm sorry to hear about your mum.", "Poor you.", "I know exactly how you feel.",
     "Don't worry, everything will be fine.", "At least you've still got the kids.", "That's awful.",
     "So sorry for your loss.", "sorry about ur loss hun", "Sorry for everything you've been through.",
     "I can't tell you how sorry I am."],
)
def test_sympathy_is_marked(rules_nlp: Any, text: str) -> None:
    assert "sympathy" in signals(rules_nlp, text)


def test_one_reply_can_carry_several_signals(rules_nlp: Any) -> None:
    text = ("It sounds like you're exhausted. I'm here because your GP referred you. "
            "What you tell me is confidential unless someone is at risk.")
    assert signals(rules_nlp, text) == {"empathy", "purpose", "boundaries"}


def test_hits_carry_offsets_rule_ids_and_reasons(rules_nlp: Any) -> None:
    text = "Oh, poor you."
    doc = rules_nlp(text)
    (hit,) = doc._.rule_hits
    assert text[hit.start : hit.end] == "poor you"
    assert hit.rule == "pity"
    assert hit.reason.startswith("'poor you' is pity")
    assert [s.label_ for s in doc.spans["trainer_rules"]] == ["sympathy"]


def test_contractions_and_case_do_not_matter(rules_nlp: Any) -> None:
    assert signals(rules_nlp, "WHAT I AM HEARING IS that it's been hard.") == {"empathy"}
    assert signals(rules_nlp, "what i'm hearing is that it's been hard.") == {"empathy"}


def test_plain_questions_mark_nothing(rules_nlp: Any) -> None:
    for text in ("How old are the children?", "Is there a number I can reach you on?",
                 "Does your friend live nearby?", "What would you like to happen next?"):
        assert hits(rules_nlp, text) == [], text


def test_rules_round_trip_through_disk(rules_nlp: Any, tmp_path: Path) -> None:
    import spacy

    rules_nlp.to_disk(tmp_path / "p")
    again = spacy.load(tmp_path / "p")
    text = "I can't promise I won't tell anyone, sorry. Poor you. Ring me any time, day or night."
    assert hits(again, text) == hits(rules_nlp, text)
    assert len(again.get_pipe("trainer_rules").rules) == len(rules_nlp.get_pipe("trainer_rules").rules)


def test_every_pattern_file_loads_and_names_its_signal() -> None:
    from trainer.scoring.api import SIGNALS
    from trainer.scoring.build import PATTERNS_DIR

    rules = load_patterns(PATTERNS_DIR)
    assert {r["signal"] for r in rules} == set(SIGNALS)
    for path in PATTERNS_DIR.glob("*.jsonl"):
        for line in path.read_text().splitlines():
            assert json.loads(line)["signal"] == path.stem, path


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"id": "x", "signal": "kindness", "reason": "r", "phrases": ["a"]}, "'signal' must be one of"),
        ({"id": "x", "signal": "empathy", "reason": "r"}, "at least one phrase or pattern"),
        ({"id": "x", "signal": "overstep", "reason": "r", "negation": "flip", "phrases": ["a"]},
         "needs 'negated'"),
        ({"id": "x", "signal": "empathy", "reason": "r", "phrases": ["a"], "colour": 1},
         "unknown key(s) colour"),
    ],
)
def test_bad_rules_are_refused_with_where_and_why(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(PatternError) as info:
        check_rule(raw, "models/patterns/x.jsonl", 7)
    assert "models/patterns/x.jsonl:7" in str(info.value)
    assert message in str(info.value)


def test_a_broken_pattern_file_names_the_line(tmp_path: Path) -> None:
    good = '{"id": "a", "signal": "empathy", "reason": "r", "phrases": ["x"]}'
    (tmp_path / "empathy.jsonl").write_text(good + "\n{not json\n")
    with pytest.raises(PatternError, match=r"empathy.jsonl:2: not valid JSON"):
        load_patterns(tmp_path)


# --- evidence says what the words are about (issue 9 item 5) ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["I can't promise I'll be there every time.", "Take your time.", "Next time we can look at the letter.",
     "We fixed the boiler last week.", "It's been a hard time for you.", "Is now a good time?"],
)
def test_time_alone_is_not_said_to_name_the_length_of_the_work(rules_nlp: Any, text: str) -> None:
    assert [r for _s, r, _t in hits(rules_nlp, text) if r == "ending"] == [], text


@pytest.mark.parametrize(
    ("text", "words"),
    [("This is time-limited work, six sessions.", "time-limited"),
     ("It's short-term support.", "short-term"),
     ("We have a fixed number of sessions.", "fixed number")],
)
def test_time_limited_work_is_still_named(rules_nlp: Any, text: str, words: str) -> None:
    assert ("boundaries", "ending", words) in hits(rules_nlp, text)


def test_a_promise_not_made_is_not_called_confidentiality_unless_it_is_about_secrets(rules_nlp: Any) -> None:
    (hit,) = rules_nlp("Sorry, scratch that, I can't promise to ring you at weekends.")._.rule_hits
    assert hit.signal == "boundaries" and "confidentiality" not in hit.reason
    assert "what you can and cannot promise" in hit.reason
    secret = hits(rules_nlp, "I can't promise to keep it secret.")
    assert [r for _s, r, _t in secret] == ["confidentiality"]


def test_no_rule_pattern_matches_on_one_everyday_word() -> None:
    """A pattern whose required part is one token marks any sentence with that word, whatever it is about
    ("time" in "every time" was once said to name the length of the work). Only keywords that carry the
    signal by themselves may stand alone."""
    from trainer.scoring.build import PATTERNS_DIR

    keywords = {"sorry", "condolences", "anytime", "24/7", "hug", "hugs", "hugging", "cuddle", "cuddles",
                "cuddling", "kiss", "kisses", "squeeze", "embrace"}
    for rule in load_patterns(PATTERNS_DIR):
        for pattern in rule.get("patterns", []):
            required = [t for t in pattern if t.get("OP") not in ("?", "*")]
            if len(required) > 1 or "TEXT" in required[0]:  # a shape (a mobile number) stands alone
                continue
            norm = required[0]["NORM"] if required else {}
            words = set(norm["IN"]) if isinstance(norm, dict) else {norm}
            assert words <= keywords, (rule["id"], sorted(words - keywords))


@pytest.mark.parametrize(
    ("text", "credited"),
    [
        ("What you tell me is confidential.", False),
        ("what u say to me stays private", False),
        ("What you tell me is confidential unless someone is at risk of harm.", True),
        ("What you tell me stays with our team unless someone's at risk.", True),
    ],
)
def test_confidentiality_earns_the_frame_only_with_its_limits(
    rules_nlp: Any, text: str, credited: bool
) -> None:
    assert ("boundaries" in signals(rules_nlp, text)) == credited


def test_the_work_shared_with_colleagues_is_the_frame(rules_nlp: Any) -> None:
    found = {(s, r) for s, r, _t in hits(rules_nlp, "it can't only be me, but it's a small team")}
    assert ("boundaries", "colleagues") in found


def test_an_evidence_span_does_not_stop_on_a_preposition(rules_nlp: Any) -> None:
    # "pass it on without" (the "spans stop mid-phrase", a preposition the widening did not know)
    text = "What she's told me is confidential - I wouldn't normally pass it on without her agreement."
    found = hits(rules_nlp, text)
    assert ("boundaries", "confidentiality", "pass it on without her agreement") in found


def test_a_promise_of_privacy_with_its_limits_said_after_it_is_the_frame(rules_nlp: Any) -> None:
    text = ("Most of what you say stays between us. But if you told me something that meant you weren't "
            "safe, I couldn't keep it secret - I'd have to tell someone who could help.")
    doc = rules_nlp(text)
    assert {h.signal for h in doc._.rule_hits} == {"boundaries"}
    (first,) = [h for h in doc._.rule_hits if text[h.start : h.end] == "stays between us"]
    assert first.reason == "'stays between us' comes with its limits, said in the same reply"
    assert signals(rules_nlp, "I'll keep it between us. See you Tuesday.") == {"overstep"}  # no limits said


def answered(rules_nlp: Any, context: str | None, reply: str, rule: str) -> list[str]:
    """The words of `reply` that the rule `rule` found, read after the service user's `context`."""
    doc = rules_nlp.make_doc(reply)
    doc._.context = context
    for _name, proc in rules_nlp.pipeline:
        doc = proc(doc)
    return [reply[h.start : h.end] for h in doc._.rule_hits if h.rule == rule]


@pytest.mark.parametrize(
    ("context", "reply", "taken"),
    [
        ("Put it in your pocket, go on.", "ok then, cheers arthur", "ok then, cheers"),
        ("Here, take this twenty for your petrol.", "aw go on then, thank you", "go on then, thank you"),
        ("Here, take this twenty for your petrol.", "Thank you, that's kind, but I can't take money.", None),
        ("Take this tenner for your trouble.", "thanks, I'll hand it in at the office to be recorded", None),
        ("Put it in your pocket, go on.", "ok, shall we look at the discharge letter?", None),
        ("Have a cup of tea, love.", "lovely, thanks", None),  # agencies differ on small things
        (None, "ok then, cheers", None),  # nothing was offered
    ],
)
def test_money_taken_with_thanks_is_found_from_what_was_offered(
    rules_nlp: Any, context: str | None, reply: str, taken: str | None
) -> None:
    assert answered(rules_nlp, context, reply, "accepts_offer.context") == ([taken] if taken else [])


@pytest.mark.parametrize(
    ("context", "reply", "agreed"),
    [
        ("Please don't tell anyone.", "course, its confidential", "course, its confidential"),
        ("That stays between us, yeah?", "yeah course, ur doing ur best x", "yeah course"),
        ("That stays between us, yeah?", "I can't promise that, but I'd tell you first if I had to.", None),
        ("Don't tell my mum.", "ok, unless I'm worried you're not safe", None),
        ("What happens next?", "yeah course, ur doing ur best x", None),  # no secrecy was asked for
    ],
)
def test_secrecy_agreed_to_is_found_from_what_was_asked(
    rules_nlp: Any, context: str, reply: str, agreed: str | None
) -> None:
    assert answered(rules_nlp, context, reply, "secrecy.context") == ([agreed] if agreed else [])


def test_a_caution_a_rule_is_sure_of_is_always_shown() -> None:
    from types import SimpleNamespace

    from trainer.scoring.cautions import SURE, SURE_FRAME, sure_cautions

    scores = {"overstep": 0.3, "boundaries": 0.1, "sympathy": 0.2, "empathy": 0.3}
    hits = [SimpleNamespace(signal="overstep", rule="personal_number"),
            SimpleNamespace(signal="boundaries", rule="role"),  # credit needs SURE_FRAME, not SURE
            SimpleNamespace(signal="empathy", rule="so_you"),  # never decided by a rule alone
            SimpleNamespace(signal="sympathy", rule="pity")]  # a rule not sure enough
    precision = {"personal_number": 0.91, "role": SURE_FRAME - 0.01, "so_you": 0.99, "pity": SURE - 0.01}
    sure_cautions(scores, hits, precision)
    assert scores == {"overstep": 0.91, "boundaries": 0.1, "sympathy": 0.2, "empathy": 0.3}
    # a boundary a rule states nearly always right ("I'm not taking your money.") is credited
    refusal = SimpleNamespace(signal="boundaries", rule="gifts_declined")
    sure_cautions(scores, [refusal], {"gifts_declined": 0.96})
    assert scores["boundaries"] == 0.96


def test_every_rule_pattern_is_gated_so_it_runs_only_on_replies_that_can_match() -> None:
    """An ungated pattern runs on every reply (the phone-number shapes once cost a tenth of the throughput);
    a shape is gated on a digit or an "@"."""
    from trainer.scoring.build import PATTERNS_DIR
    from trainer.scoring.gates import HAS_AT, HAS_DIGIT, gate_of, shape_words

    for rule in load_patterns(PATTERNS_DIR):
        for pattern in rule.get("patterns", []):
            assert gate_of(pattern), (rule["id"], pattern)
    assert set(shape_words(["its", "07700", "+44", "@zoe_sw", "at"])) == {HAS_DIGIT, HAS_AT}


@pytest.mark.parametrize("text", [
    "I'm not going to tell you it'll all be fine, because I don't know that.",
    "I won't pretend everything will be okay.",
    "I can't promise you it'll be fine.",
])
def test_reassurance_not_said_is_not_reassurance(rules_nlp: Any, text: str) -> None:
    assert "sympathy" not in signals(rules_nlp, text), hits(rules_nlp, text)


@pytest.mark.parametrize("text, promised", [
    ("You miss him. I'll make sure he's home for Christmas.", True),
    ("I'll make sure it all works out.", True),
    ("I'll make sure you get a copy of the assessment.", False),
    ("I'll make sure you're kept up to date.", False),
    ("I'll make sure you're moved by Christmas.", True),
    ("I'll make sure your benefits come through.", True),
    ("I promise you'll never have to go into a home.", True),
    ("You'll definitely see them at Christmas, I'll sort it.", True),
    ("I promise you'll hear from me by Friday.", False),
])
def test_a_promise_of_how_it_ends_is_an_overstep(rules_nlp: Any, text: str, promised: bool) -> None:
    found = [r for _s, r, _t in hits(rules_nlp, text) if r == "promised_outcome"]
    assert bool(found) == promised, hits(rules_nlp, text)


@pytest.mark.parametrize("text", [
    "Okay, I'll note that down and let the team know.",  # the record kept, not a promise to leave it out
    "I didn't know about that.",
    "You haven't let anyone down.",
    "I'll be your worker until the move is sorted.",  # "be your" once marked friendship
    "I'll give you a minute to find your glasses.",
    "I'll give you a copy of the plan.",
    "No need to apologise.",
    "Would you like a drink before we start?",
    "That's kind, I'll take the chocolates to the office for the team and record it.",
])
def test_ordinary_practice_is_not_marked_as_crossing_the_frame(rules_nlp: Any, text: str) -> None:
    assert "overstep" not in signals(rules_nlp, text), hits(rules_nlp, text)


@pytest.mark.parametrize("text", [
    "We're mates really.",
    "I'll be your friend, don't worry.",
    "I'll give you a lift home.",
    "Fancy a drink after?",
    "I'll take the chocolates, thanks!",
    "I'll take the tenner and put it in the office charity box.",  # money is refused, not handed in
    "We won't let anyone know.",
    "I won't put that in my notes.",
    "Look, come to the pub with me and my mates on Friday, you'd love it.",
    "Here's twenty from my own purse.",
])
def test_crossing_the_frame_is_marked(rules_nlp: Any, text: str) -> None:
    assert "overstep" in signals(rules_nlp, text), hits(rules_nlp, text)


@pytest.mark.parametrize("text, kind", [
    ("I can't take money, Arthur, I'm sorry - it's not allowed.", "refusal"),
    ("I won't be able to come, I'm really sorry - it's a work rule.", "refusal"),
    ("I'll have to note it down for the court report, I'm sorry.", "refusal"),
    ("I can't imagine, I'm so sorry.", "pity"),
    ("That's not fair on you, I'm so sorry.", "pity"),
])
def test_an_apology_inside_a_refusal_is_the_boundary_not_sympathy(
    rules_nlp: Any, text: str, kind: str
) -> None:
    assert ("sympathy" in signals(rules_nlp, text)) == (kind == "pity"), hits(rules_nlp, text)
