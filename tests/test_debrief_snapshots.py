"""The whole debrief is reachable: End, PageDown and the mouse wheel reach the transcript's last line at
80x24, 120x35 and 200x50 (pilot tests), and snapshots show it scrolled to the end at those sizes.

After a deliberate change to the look, review the new pictures and run
`pytest tests/test_debrief_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.containers import VerticalScroll

from tests.test_debrief_fixtures import poor_run, scenario
from tests.test_debrief_screen import Host, shown
from trainer.debrief.compute import compute_debrief
from trainer.debrief.selfassess import SelfAssessment
from trainer.tui.debrief_screen import DebriefScreen

SIZES = [(80, 24), (120, 35), (200, 50)]
SA = SelfAssessment(
    ratings={"empathy": 4, "purpose": 2, "boundaries": 5}, service_user="Scared", self_="Out of my depth"
)


def debrief() -> Any:
    return compute_debrief(scenario(), poor_run(), SA, turn_notes={3: "I wanted to make it better"})


def visible(app: Any, selector: str) -> bool:
    """Whether the widget is inside the scrolled viewport, whole."""
    scroll = app.screen.query_one("#debrief", VerticalScroll)
    widget = app.screen.query_one(selector)
    region, view = widget.region, scroll.content_region
    return region.height > 0 and view.y <= region.y and region.bottom <= view.bottom


def last_line(app: Any) -> str:
    return f"#line-{len(poor_run().transcript) - 1}"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_end_reaches_the_last_line_of_the_transcript(size):
    app = Host(DebriefScreen(debrief()))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert not visible(app, "#debrief-end")
        await pilot.press("end")
        await pilot.pause()
        assert visible(app, "#debrief-end") and visible(app, last_line(app))
        assert "closes the door" in shown(app, last_line(app))
        # every transcript line has its height: none is squeezed to nothing
        assert all(w.region.height > 0 for w in app.screen.query("#transcript Static"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_pagedown_reaches_the_end(size):
    app = Host(DebriefScreen(debrief()))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        scroll = app.screen.query_one("#debrief", VerticalScroll)
        for _ in range(40):
            if visible(app, "#debrief-end"):
                break
            await pilot.press("pagedown")
            await pilot.pause()
        assert visible(app, "#debrief-end") and scroll.scroll_y == scroll.max_scroll_y
        assert visible(app, last_line(app))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_mouse_wheel_reaches_the_end(size):
    app = Host(DebriefScreen(debrief()))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        scroll = app.screen.query_one("#debrief", VerticalScroll)
        for _ in range(200):
            if visible(app, "#debrief-end"):
                break
            scroll.post_message(events.MouseScrollDown(scroll, 5, 5, 0, 1, 0, False, False, False))
            await pilot.pause()
        assert visible(app, "#debrief-end") and visible(app, last_line(app))


async def test_model_answers_wrap_under_their_label():
    app = Host(DebriefScreen(debrief()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        answers = [
            w for w in app.screen.query("#missed Static") if str(w.render()).startswith("Model answer:")
        ]
        assert answers
        for widget in answers:
            # the label and every wrapped line start at the same column, indented under the moment
            assert widget.content_region.x == answers[0].content_region.x > widget.parent.content_region.x
            assert widget.content_region.height >= 1


def _snap_app() -> Host:
    return Host(DebriefScreen(debrief()))


async def _to_end(pilot: Any) -> None:
    await pilot.pause()
    await pilot.press("end")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_of_the_debrief_scrolled_to_the_end(snap_compare, size):
    assert snap_compare(_snap_app(), terminal_size=size, run_before=_to_end)
