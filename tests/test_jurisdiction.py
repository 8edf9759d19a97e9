"""Where the scenarios apply (issue 15 item 3): `jurisdiction` is shown in both briefings, and every
bundled scenario says it, with references the debrief can show."""

from __future__ import annotations

import pytest

from trainer.plain.player import briefing_lines
from trainer.scenario.loader import BUNDLED_DIR, discover, find_scenario, load_scenario
from trainer.tui.briefing import briefing_text

ALL = [p.stem for p in discover([BUNDLED_DIR])]


def test_the_plain_and_tui_briefings_say_whose_law_it_is() -> None:
    loaded = load_scenario(find_scenario("keep-it-secret"))
    note = "The law and guidance in this scenario are England's: where you practise they may differ."
    assert briefing_lines(loaded.scenario)[1] == note
    assert note in briefing_text(loaded).plain


def test_a_scenario_without_a_jurisdiction_shows_no_such_line() -> None:
    loaded = load_scenario(find_scenario("keep-it-secret"))
    bare = loaded.scenario.model_copy(update={"jurisdiction": None})
    assert bare.jurisdiction_note() is None
    assert not any("law and guidance" in line for line in briefing_lines(bare))


@pytest.mark.parametrize("scenario_id", ALL)
def test_every_bundled_scenario_says_where_it_applies_and_cites_its_sources(scenario_id: str) -> None:
    scenario = load_scenario(BUNDLED_DIR / f"{scenario_id}.yaml").scenario
    assert scenario.jurisdiction == "England"
    assert scenario.references, "cite the law or guidance the scenario rests on under `references:`"
    assert all(len(r) <= 240 for r in scenario.references), "a reference is a short citation"
