"""The debrief shows the author's `references` (issue 15 item 2): on the ending, and on a missed moment,
in the app's text and in both exports."""

from __future__ import annotations

from trainer.debrief.compute import compute_debrief
from trainer.debrief.export import to_html, to_markdown
from trainer.scenario.engine import RunState, Session
from trainer.scenario.loader import find_scenario, load_scenario
from trainer.scenario.schema import Scenario
from trainer.tui.debrief_screen import blocks_text, missed_blocks, outcome_text

NONE = {"scores": {}, "cues": []}
WARM = {"scores": {"empathy": 0.9}, "cues": []}


def played_to_not_acted() -> tuple[Scenario, RunState]:
    """keep-it-secret: warm at the disclosure, then nothing done -> end_not_acted."""
    scenario = load_scenario(find_scenario("keep-it-secret")).scenario
    session = Session(scenario, "keep-it-secret")
    session.submit("Hello.", NONE)
    session.submit("Right.", NONE)
    session.submit("x", NONE, option=1)  # limits of confidentiality said: she tells
    session.submit("That sounds really frightening.", WARM)
    session.submit("OK.", NONE)
    assert session.state.node == "end_not_acted"
    return scenario, session.state


def test_the_ending_and_the_missed_moment_carry_their_sources_into_every_view() -> None:
    scenario, state = played_to_not_acted()
    d = compute_debrief(scenario, state)
    assert d.outcome.references[0] == "Domestic Abuse Act 2021 s3"
    assert d.outcome.references[-1].startswith("SafeLives Dash")  # the scenario's own, after the ending's
    assert len(d.outcome.references) == len(set(d.outcome.references))
    (moment,) = [m for m in d.missed if m.node == "cot_asked"]
    assert moment.references == ["Working Together to Safeguard Children 2023, ch. 3"]
    assert "Sources: Domestic Abuse Act 2021 s3" in outcome_text(d).plain
    assert "Sources: Working Together to Safeguard Children 2023, ch. 3" in blocks_text(missed_blocks(d))
    assert "_Sources:_ Domestic Abuse Act 2021 s3" in to_markdown(d)
    assert "**Sources:** Working Together" in to_markdown(d)
    assert "Sources: Domestic Abuse Act 2021 s3" in to_html(d)
