"""Layout at the sizes students use (issue 11 item 6): nothing hidden behind a scrollbar or cut off, and
lists use the room they have. Checked on the screen as a terminal shows it (scrollbars included)."""

from __future__ import annotations

import re

import pytest

from tests.test_tui import (
    data_dir,  # noqa: F401 (the autouse fixture: TRAINER_DATA_DIR in tmp_path)
    settle,
)
from tests.tui_support import FakeScorer
from trainer.tui.app import TrainerApp


def screen_rows(app) -> list[str]:
    """The screen as plain text rows, as a terminal shows it (scrollbars and borders included)."""
    update = app.screen._compositor.render_full_update()
    return ["".join(segment.text for segment in strip) for strip in update.strips]


def rows_of(app, widget) -> list[str]:
    region = widget.region
    return [row[region.x : region.right] for row in screen_rows(app)[region.y : region.bottom]]


@pytest.mark.parametrize("size", [(80, 24), (120, 35), (200, 50)])
async def test_every_word_of_every_option_is_visible_beside_the_scrollbar(size):
    app = TrainerApp(scorer_factory=FakeScorer, cursor_blink=False, persist_settings=False,
                     scenario="school-referral-home-visit")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the briefing: coach mode
        await settle(pilot)
        choices = app.screen.query_one("#choices")
        prompts = [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]
        all_words = {word for prompt in prompts for word in prompt.split()}
        # As first shown: a word cut by the scrollbar shows as a fragment ("insi" for "inside.").
        first = " ".join(row.strip("│╭╮╰╯─ ") for row in rows_of(app, choices))
        first = re.sub(r"[▁▂▃▄▅▆▇█]+", " ", first)
        fragments = [w for w in first.split() if w not in all_words]
        assert not fragments, f"cut off on the first screen: {fragments}"
        # Kelly's two opening options fit the screen whole: no word is below the list's edge.
        shown = set(first.split())
        hidden = [w for prompt in prompts for w in prompt.split() if w not in shown]
        assert not hidden, f"hidden below the edge of the options: {hidden}"
        choices.focus()
        seen = ""
        for index in range(choices.option_count):
            choices.highlighted = index  # scrolls the option into view
            await pilot.pause()
            seen += " ".join(row.strip("│╭╮╰╯─ ") for row in rows_of(app, choices)) + " "
        words = set(re.findall(r"[\w'’.,?!;:()-]+", seen))
        for index in range(choices.option_count):
            prompt = str(choices.get_option_at_index(index).prompt)
            for word in prompt.split():
                assert word in words, f"option {index + 1}: '{word}' is hidden"


# An option whose first wrapped line fills the list's width exactly (76 columns at 80, "2. " included):
# the scrollbar, once it appears, must not cover its last characters.
EDGE = (
    "I can't promise that, but I will always tell you first, what I share, and "
    "why, and who with; nothing goes behind your back, and you can ask me anything about it."
)


@pytest.fixture
def edge_scenarios(tmp_path):
    from tests.test_tui import FIXTURES

    folder = tmp_path / "scenarios"
    folder.mkdir()
    text = (FIXTURES / "kitchen-table.yaml").read_text()
    old = "I can't promise that, but I'll always tell you what I share and why."
    assert old in text
    (folder / "kitchen-table.yaml").write_text(text.replace(old, EDGE))
    return folder


async def test_an_option_filling_the_width_is_not_cut_by_the_scrollbar(edge_scenarios):
    from tests.test_tui import open_conversation, say

    assert len("2. " + EDGE[: EDGE.index(" why,")]) == 76
    app = TrainerApp(scorer_factory=FakeScorer, scenarios_dir=edge_scenarios, cursor_blink=False,
                     persist_settings=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_conversation(pilot)
        await say(pilot, "Hello, I'm here because the school asked")
        await say(pilot, "It sounds like it has been hard")
        choices = app.screen.query_one("#choices")
        assert choices.option_count == 3
        first = " ".join(" ".join(row[1:-1].split()) for row in rows_of(app, choices))
        assert "what I share, and" in first, first  # as first shown
        for index in range(choices.option_count):  # and as the student moves through them
            choices.highlighted = index
            await pilot.pause()
            text = " ".join(" ".join(row[1:-1].split()) for row in rows_of(app, choices))
            assert "what I share, and" in text or index == 2, text


async def reach_the_flag_dialog(pilot):
    from tests.test_tui import open_conversation, say

    await open_conversation(pilot)
    await say(pilot, "Hello, I'm here because the school asked")
    await say(pilot, "It sounds like it has been hard")
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("enter")  # the end screen
    await pilot.pause()
    await pilot.press("enter", "ctrl+k")  # skip the self-assessment: the debrief
    await settle(pilot)
    await pilot.press("f")  # "I disagree"
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "FlagScreen"


@pytest.mark.parametrize("size", [(80, 24), (120, 35), (200, 50)])
async def test_the_flag_dialog_shows_every_checkbox_whole(size):
    from textual.widgets import Checkbox

    from tests.test_tui import make_app

    async with make_app().run_test(size=size) as pilot:
        await reach_the_flag_dialog(pilot)
        dialog = pilot.app.screen.query_one("FlagScreen > Vertical")
        boxes = list(pilot.app.screen.query(Checkbox))
        assert len(boxes) == 5
        for box in boxes:
            assert dialog.content_region.contains_region(box.region), str(box.label)
            row = screen_rows(pilot.app)[box.region.y]
            assert str(box.label) in row
