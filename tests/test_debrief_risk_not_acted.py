"""A disclosure of risk not acted on (tester7, defect 4): the debrief's outcome never reads as a near
success, and Things to try always asks the student to act on it, citing the scenario's own guidance."""

from __future__ import annotations

from pathlib import Path

from tests.test_debrief_truth import Turn, debrief
from trainer.debrief.export import outcome_words, to_markdown
from trainer.practice.play import outcome_label

OPENING: list[Turn] = [
    ("doorstep", "Hi Kelly, I'm Sam from early help - the school asked us to come round. About 45 mins?",
     ("purpose",), ("explains_school", "names_time")),
    ("let_in", "It sounds like you're worn out and fed up of people turning up.", ("empathy",), ()),
    ("disclosure", "That sounds like a lot on your own, nights and the kids.", ("empathy",), ()),
    ("secret_question", "Most things stay between us, but if I'm worried a child isn't safe I'd have to "
     "tell my manager, and I'd tell you first.", ("boundaries",), ()),
]
NOT_ACTED: list[Turn] = [
    *OPENING,
    ("secret_told", "thanks for telling me. liam sounds really sensible for his age tbh so im sure "
     "they'll be fine for now", ("sympathy",), ()),
    ("tonight", "maybe you could ask a neighbour to pop in on them? or see if work would let you do days",
     (), ()),
]
ACTED: list[Turn] = [
    *OPENING,
    ("secret_told", "Thank you for telling me. I need to talk to my manager today, and we need a plan for "
     "who is with Liam and Maisie tonight.", ("empathy", "boundaries"),
     ("tell_manager_today", "plan_tonight")),
    ("planning", "A few visits over six weeks, then we review it together.", ("purpose",), ("ending_named",)),
]


def test_a_risk_not_acted_on_is_named_in_the_outcome_and_never_reads_partly_built() -> None:
    d = debrief("school-referral-home-visit", NOT_ACTED, end="end_not_acted")
    assert d.outcome.outcome == "partial"
    assert d.outcome.risk_not_acted == [
        "Liam (8) and Maisie (5) alone overnight while Kelly works night shifts"]
    assert outcome_words(d.outcome) == "risk not acted on"
    assert "(partly built)" not in to_markdown(d) and "(risk not acted on)" in to_markdown(d)
    assert outcome_label("partial", risk_pending=True) == "A risk was not acted on"
    assert outcome_label("broke_down", risk_pending=True).startswith("The conversation broke down; ")


def test_a_risk_not_acted_on_gets_the_safeguarding_suggestion_first_with_the_scenarios_guidance() -> None:
    d = debrief("school-referral-home-visit", NOT_ACTED, end="end_not_acted")
    first = d.suggestions[0]
    assert first.id == "act-on-risk"
    assert "alone overnight" in first.text
    assert "manager today" in first.text and "keep them informed" in first.text
    assert "Working Together to Safeguard Children 2023" in first.source
    assert first.source.endswith("law and guidance as in England")


def test_a_risk_acted_on_is_neither_named_nor_suggested() -> None:
    d = debrief("school-referral-home-visit", ACTED, end="end_built")
    assert d.outcome.risk_not_acted == []
    assert outcome_words(d.outcome) == "relationship built"
    assert "act-on-risk" not in [s.id for s in d.suggestions]
    assert "risk_not_acted" not in d.outcome.model_dump(mode="json")  # exports without a risk are unchanged


def test_the_class_report_marks_the_session_whose_risk_was_not_acted_on(tmp_path: Path) -> None:
    from trainer.debrief.export import export
    from trainer.educator.cohort import build_cohort
    from trainer.educator.report import to_html

    for name, turns, end in (("a", NOT_ACTED, "end_not_acted"), ("b", ACTED, "end_built")):
        d = debrief("school-referral-home-visit", turns, end=end)
        d = d.model_copy(update={"learner_name": name.upper(),
                                 "run_state": d.run_state.model_copy(update={"run_id": name})})
        (tmp_path / f"{name}.json").write_text(export(d, "json"), encoding="utf-8")
    html = to_html(build_cohort([tmp_path]))
    assert html.count("(risk not acted on)") == 1
    assert "No plan for tonight (risk not acted on)" in html


def test_a_risk_not_acted_on_keeps_boundaries_at_two_of_five_and_says_why() -> None:
    # tester7: children alone overnight and minimised scored boundaries 4/5, "close to what your replies show"
    d = debrief("school-referral-home-visit", NOT_ACTED, end="end_not_acted")
    boundaries = next(s for s in d.skills if s.skill == "boundaries")
    assert boundaries.score is not None and boundaries.score <= 0.25
    assert "a disclosure of risk was not acted on" in boundaries.gap
    acted = next(s for s in debrief("school-referral-home-visit", ACTED, end="end_built").skills
                 if s.skill == "boundaries")
    assert acted.score is not None and acted.score > 0.25
