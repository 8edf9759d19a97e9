"""The Scorer API on bad and odd input, cues, and loading errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.scenario.schema import Cue
from trainer.scoring.api import MAX_CHARS, SIGNALS, CueError, ModelError


def check_well_formed(text: str, a: Any) -> None:
    assert set(a.scores) == set(SIGNALS)
    assert all(0.0 <= v <= 1.0 for v in a.scores.values())
    for e in a.evidence:
        assert 0 <= e.start <= e.end <= len(text)
        assert text[e.start : e.end] == e.text
    for act in a.acts:
        assert 0 <= act.start <= act.end <= len(text)
        assert text[act.start : act.end] == act.text


@pytest.mark.parametrize("text", ["", "   ", "\n\t  \n"])
def test_empty_replies_score_zero_with_a_note(scorer: Any, text: str) -> None:
    a = scorer.assess(text)
    assert a.scores == dict.fromkeys(SIGNALS, 0.0)
    assert a.evidence == []
    assert a.note and "empty" in a.note


def test_none_is_treated_as_empty(scorer: Any) -> None:
    assert scorer.assess(None).note  # type: ignore[arg-type]


def test_long_replies_are_truncated_with_a_note(scorer: Any) -> None:
    # (how fast this is, is measured by `make bench`, not here)
    text = ("It sounds like you're worried. " * 4000)[:100_000]
    a = scorer.assess(text, context="I'm worried. " * 2000)
    assert a.note == "Only the first 5,000 characters were scored (the reply has 100,000)."
    assert a.text == text
    assert all(e.end <= MAX_CHARS for e in a.evidence)
    assert a.scores["empathy"] >= 0.5
    assert 0 < len([e for e in a.evidence if e.signal == "empathy"]) <= 6


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300), context=st.none() | st.text(max_size=200))
def test_any_text_gives_a_well_formed_assessment(scorer: Any, text: str, context: str | None) -> None:
    check_well_formed(text, scorer.assess(text, context))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(["Poor you", "😢", "Я понимаю", "你好", "\x00", "\x1b[31m", "\u200b", "sorry?", "  ",
                         "I can't promise", "any time", "day or night", "\ud7ff", "?", "so you", "…"]),
        max_size=12,
    )
)
def test_emoji_scripts_and_control_characters_are_fine(scorer: Any, parts: list[str]) -> None:
    text = " ".join(parts)
    check_well_formed(text, scorer.assess(text, "context with 🙂 and \t tabs"))


def test_lone_surrogates_do_not_break_scoring(scorer: Any) -> None:
    a = scorer.assess("poor you \ud800 really")
    assert a.scores["sympathy"] >= 0.5


def test_cues_match_phrases_case_insensitively_and_token_patterns(scorer: Any) -> None:
    cues = {
        "mentions_school": Cue(phrases=["school", "head teacher"]),
        "names_son": Cue(patterns=[[{"LOWER": "your"}, {"LOWER": {"IN": ["son", "boy"]}}]]),
        "never": Cue(phrases=["zebra crossing"]),
    }
    matcher = scorer.compile_cues(cues)
    a = scorer.assess("The Head Teacher rang us about your boy.", cues=matcher)
    assert a.cues == ["mentions_school", "names_son"]
    assert scorer.assess("Nothing relevant here.", cues=matcher).cues == []
    assert scorer.assess_many(["the SCHOOL called"], cues=matcher)[0].cues == ["mentions_school"]


def test_cue_phrases_hear_the_chat_register(scorer: Any) -> None:
    # "ur mum" missed the cue "your mum", and the ending told the student they never said it
    matcher = scorer.compile_cues({"help_for_mum": Cue(phrases=["your mum gets help", "I can't promise"])})
    assert scorer.assess("i need to tell my manager today so ur mum gets help", cues=matcher).cues == [
        "help_for_mum"
    ]
    assert scorer.assess("I cannot promise that", cues=matcher).cues == ["help_for_mum"]


@pytest.mark.parametrize("reply", [
    "I'll be speaking to my manager this afternoon.",
    "I spoke to my manager before I came.",
    "I'll speak to my manager today.",
    "i'll be SPEAKING to my manager",
])
def test_cue_phrases_hear_any_form_of_their_words(scorer: Any, reply: str) -> None:
    # a student who said "I'll be speaking to my manager" was told "Still to do: says you will take what you
    # have heard to your manager today", and the scenario ended "A risk was not acted on"
    matcher = scorer.compile_cues({"tell_manager": Cue(phrases=["speak to my manager"])})
    assert scorer.assess(reply, cues=matcher).cues == ["tell_manager"], reply
    assert scorer.assess("I won't be speaking to anyone's manager.", cues=matcher).cues == []


def test_an_invalid_cue_pattern_names_the_cue_field_and_index(scorer: Any) -> None:
    cues = {
        "ok": Cue(phrases=["school"]),
        "broken": Cue(phrases=["fine"], patterns=[[{"LOWER": "a"}], [{"LOWERR": "head"}]]),
    }
    with pytest.raises(CueError) as info:
        scorer.compile_cues(cues)
    err = info.value
    assert (err.cue_id, err.field, err.index) == ("broken", "patterns", 1)
    assert "LOWERR" in err.message


def test_a_blank_cue_phrase_is_refused(scorer: Any) -> None:
    with pytest.raises(CueError) as info:
        scorer.compile_cues({"blank": Cue(phrases=["school", "   "])})
    assert (info.value.field, info.value.index) == ("phrases", 1)


def test_a_missing_model_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from trainer.scoring.scorer import Scorer

    with pytest.raises(ModelError, match="make model"):
        Scorer.load(tmp_path / "nowhere")
    monkeypatch.setenv("TRAINER_MODEL", str(tmp_path / "elsewhere"))
    with pytest.raises(ModelError, match="TRAINER_MODEL"):
        Scorer.load()


def test_a_broken_model_says_what_to_do(tmp_path: Path) -> None:
    from trainer.scoring.scorer import Scorer

    (tmp_path / "config.cfg").write_text("[nlp]\nlang = 'xx-nonsense'\n")
    with pytest.raises(ModelError, match="make model"):
        Scorer.load(tmp_path, cache=False)


def test_phrase_only_or_pattern_only_cues_do_not_warn(scorer: Any) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        phrases = scorer.compile_cues({"a": Cue(phrases=["school"])})
        patterns = scorer.compile_cues({"b": Cue(patterns=[[{"LOWER": "school"}]])})
        assert scorer.assess("The school rang.", cues=phrases).cues == ["a"]
        assert scorer.assess("The school rang.", cues=patterns).cues == ["b"]


# --- cue patterns hear words as the scorer reads them (trainer.scoring.cuewords) ---------------------------


def bundled_pattern_cue(scenario_id: str, cue_id: str) -> dict[str, Cue]:
    """Only the patterns of a bundled scenario's cue (its phrases left out, so a match is the patterns')."""
    from trainer.scenario.loader import BUNDLED_DIR, load_scenario

    cue = load_scenario(BUNDLED_DIR / f"{scenario_id}.yaml").scenario.cues[cue_id]
    assert cue.patterns
    return {cue_id: Cue(patterns=cue.patterns)}


@pytest.mark.parametrize(
    ("scenario_id", "cue_id", "reply", "unheard"),
    [
        # the tester's reply: `[..., {LOWER: with}, {LOWER: you}]` missed "u", which the phrases hear
        ("keep-it-secret", "plan_with_her", "we'll plan it with u", "we'll plan it with them"),
        ("keep-it-secret", "plan_with_her", "WE WILL DECIDE IT ALL WITH YOUUU", "WE WILL DECIDE IT ALL"),
        ("keep-it-secret", "plan_with_her", "i'll do it wiv u, before anything happens",
         "i'll do it wiv him"),
        ("school-referral-home-visit", "checks_identity", "heyyy, kelly? im jo from the school",
         "heyyy, im jo from the school"),
        ("hospital-discharge-money", "checks_identity", "hiyaaa, arthur? I'm Jo from the hospital team",
         "hiyaaa arthur, I'm Jo from the hospital team"),
        ("carers-assessment-dementia", "safeguarding_today", "i'll talk to my managerrr about it 2day",
         "i'll talk to my managerrr about it next week"),
        ("young-carer-online", "tell_manager_today", "2day i'll tell my MANAGERRR", "i'll tell my MANAGERRR"),
    ],
)
def test_bundled_cue_patterns_hear_the_chat_register(
    scorer: Any, scenario_id: str, cue_id: str, reply: str, unheard: str
) -> None:
    matcher = scorer.compile_cues(bundled_pattern_cue(scenario_id, cue_id))
    assert scorer.assess(reply, cues=matcher).cues == [cue_id]
    assert scorer.assess(unheard, cues=matcher).cues == []


def test_a_pattern_on_a_contractions_pieces_hears_it_typed_without_the_apostrophe(scorer: Any) -> None:
    # spaCy splits "don't" into "do" + "n't" and "dont" into "do" + "nt" (NORM "not"): a pattern written on
    # the pieces heard only the first; "ca" is spelt "ca" in "can't" and "cant" alike
    matcher = scorer.compile_cues({
        "no_worry": Cue(patterns=[[{"LOWER": "do"}, {"LOWER": "n't"}, {"LOWER": "worry"}]]),
        "no_promise": Cue(
            patterns=[[{"LOWER": "ca"}, {"LOWER": "n't"}, {"LOWER": {"IN": ["promise", "swear"]}}]]
        ),
    })
    for reply in ["Don't worry.", "dont worry", "DONT WORRY", "do not worry", "dontttt worry"]:
        assert scorer.assess(reply, cues=matcher).cues == ["no_worry"], reply
    for reply in ["I can't promise that.", "i cant promise", "I CANT SWEAR TO IT"]:
        assert scorer.assess(reply, cues=matcher).cues == ["no_promise"], reply


def test_a_word_is_not_heard_as_another_that_shares_its_norm_only_inside_a_contraction(scorer: Any) -> None:
    # spaCy reads the "did" of "didn't" as "do": `{LOWER: did}` still hears "didnt", and not every "do"
    matcher = scorer.compile_cues({
        "asked": Cue(patterns=[[{"LOWER": "did"}, {"LOWER": "you"}]]),
        "not_done": Cue(patterns=[[{"LOWER": "did"}, {"LOWER": "n't"}]]),
    })
    assert scorer.assess("did u tell anyone?", cues=matcher).cues == ["asked"]
    assert scorer.assess("do u tell anyone?", cues=matcher).cues == []
    for reply in ["I didn't.", "i didnt", "I DIDNT"]:
        assert scorer.assess(reply, cues=matcher).cues == ["not_done"], reply
    assert scorer.assess("i do not", cues=matcher).cues == []


def test_not_in_leaves_out_the_chat_forms_of_its_words_too(scorer: Any) -> None:
    not_you = [{"LOWER": "tell"}, {"LOWER": {"NOT_IN": ["you"]}}]
    matcher = scorer.compile_cues({"tell_other": Cue(patterns=[not_you])})
    assert scorer.assess("I'll tell him.", cues=matcher).cues == ["tell_other"]
    assert scorer.assess("I'll tell you.", cues=matcher).cues == []
    assert scorer.assess("ill tell u", cues=matcher).cues == []


def test_an_authors_capital_in_a_lower_value_still_hears_the_word(scorer: Any) -> None:
    # `{LOWER: Kelly}` could never match (LOWER is lower case); read as the scorer reads "Kelly", it does
    matcher = scorer.compile_cues({"named": Cue(patterns=[[{"LOWER": "Kelly"}, {"ORTH": "?"}]])})
    assert scorer.assess("Kelly? I'm Jo.", cues=matcher).cues == ["named"]


@pytest.mark.parametrize(
    "bad",
    [
        [{"LOWER": {"IN": "you"}}],  # IN takes a list
        [{"LOWER": "you", "OP": "!!"}],
        [{"LOWER": {"NOT_IN": ["you"]}, "LOWERR": "x"}],
        [{"LOWER": {"IN": ["you"], "REGEXX": "y"}}],
    ],
)
def test_an_invalid_pattern_with_lower_values_is_named_as_written(scorer: Any, bad: list[Any]) -> None:
    cues = {"broken": Cue(patterns=[[{"LOWER": "with"}, {"LOWER": "you"}], bad])}
    with pytest.raises(CueError) as info:
        scorer.compile_cues(cues)
    err = info.value
    assert (err.cue_id, err.field, err.index) == ("broken", "patterns", 1)
    assert "trainer_cue_word" not in err.message and "NORM" not in err.message  # the author's terms


def test_a_chat_form_before_a_full_stop_is_heard(scorer: Any) -> None:
    matcher = scorer.compile_cues({"plan": Cue(phrases=["plan it with you"])})
    # spaCy's English special case "u." (an initial) was one token, NORM "u.", not "you" and a stop
    assert scorer.assess("we'll plan it with u.", cues=matcher).cues == ["plan"]
    assert scorer.assess("R u ok with that. I'll ring U.", cues=matcher).cues == []


def bundled_patterns() -> list[tuple[str, str, int, list[dict[str, Any]]]]:
    """(scenario id, cue id, index, pattern) of every token pattern of every bundled scenario's cues."""
    from trainer.scenario.loader import BUNDLED_DIR, discover, load_scenario

    return [
        (path.stem, cue_id, i, pattern)
        for path in discover([BUNDLED_DIR])
        for cue_id, cue in load_scenario(path).scenario.cues.items()
        for i, pattern in enumerate(cue.patterns)
    ]


BUNDLED_PATTERNS = bundled_patterns()
_FILLERS = ["it", "all", "that", "really"]
_NUMBERS = ["six", "3", "twenty", "45"]


def _repeats(op: str | None) -> tuple[int, int]:
    """How many times a token with quantifier `op` may be written (capped at 2, the property's cost)."""
    if op is None:
        return 1, 1
    if op in ("?", "*", "+", "!"):
        return {"?": (0, 1), "*": (0, 2), "+": (1, 2), "!": (0, 0)}[op]
    low, _, high = op.strip("{}").partition(",")
    least = int(low or 0)
    return least, max(least, min(int(high) if high else least + 2, 2))


def _typed_for(token: dict[str, Any], data: st.DataObject) -> tuple[str, bool]:
    """A word `token` holds for, and whether its test is of a word (LOWER, NORM), to try respellings on."""
    tests = {key: value for key, value in token.items() if key not in ("OP", "IS_SENT_START")}
    for attr in ("LOWER", "NORM", "ORTH"):
        if attr in tests:
            value = tests[attr]
            word = value if isinstance(value, str) else data.draw(st.sampled_from(value["IN"]))
            return word, attr != "ORTH"
    if tests.get("LIKE_NUM") is True:
        return data.draw(st.sampled_from(_NUMBERS)), False
    if tests == {"IS_PUNCT": True}:
        return data.draw(st.sampled_from([",", "-"])), False
    if tests == {"IS_PUNCT": False}:
        return data.draw(st.sampled_from(_FILLERS)), False
    raise AssertionError(f"teach this test to write a token for {token!r} (a new kind of token test)")


def respellings(scorer: Any, word: str) -> list[str]:
    """Spellings of `word` the scorer's tokenizer reads as the same word, typed alone: in capitals,
    Capitalised, a chat form ("u"), its last letter stretched ("withhh")."""
    from trainer.chatwords import WORDS

    nlp = scorer.nlp
    norm = [t.norm_ for t in nlp.make_doc(word)]
    candidates = [word.upper(), word.capitalize(), *(form for form, said in WORDS.items() if said == word)]
    if word[-1:].isalpha():
        candidates.append(word + word[-1] * 3)
    return [c for c in dict.fromkeys(candidates) if c != word and [t.norm_ for t in nlp.make_doc(c)] == norm]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_bundled_cue_pattern_hears_its_words_respelt_as_the_scorer_reads_them(
    scorer: Any, data: st.DataObject
) -> None:
    # The kind of the tester's miss: a reply a bundled pattern hears is still heard with any of its words
    # typed as students type them ("with you" -> "with u", "manager" -> "MANAGERRR", "hi" -> "Hi")
    scenario_id, cue_id, index, pattern = data.draw(st.sampled_from(BUNDLED_PATTERNS))
    words: list[str] = []
    respellable: list[int] = []
    for token in pattern:
        low, high = _repeats(token.get("OP"))
        for _ in range(data.draw(st.integers(low, high))):
            word, is_word = _typed_for(token, data)
            if is_word and respellings(scorer, word):
                respellable.append(len(words))
            words.append(word)
    matcher = scorer.compile_cues({cue_id: Cue(patterns=[pattern])})
    reply = " ".join(words)
    where = f"{scenario_id} > cue '{cue_id}' > pattern {index + 1}"
    assert scorer.assess(reply, cues=matcher).cues == [cue_id], f"{where} does not hear {reply!r}"
    if not respellable:
        return
    at = data.draw(st.sampled_from(respellable))
    words[at] = data.draw(st.sampled_from(respellings(scorer, words[at])))
    respelt = " ".join(words)
    assert scorer.assess(respelt, cues=matcher).cues == [cue_id], f"{where} hears {reply!r}, not {respelt!r}"


def test_the_property_covers_you_typed_u_in_every_pattern_that_has_it(scorer: Any) -> None:
    # the brief of the property, said plainly: every bundled pattern with `you` among its LOWER values
    # has "u" among the respellings tried
    with_you = [p for p in BUNDLED_PATTERNS if any(t.get("LOWER") == "you" for t in p[3])]
    assert with_you and "u" in respellings(scorer, "you")
