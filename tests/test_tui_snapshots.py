"""Snapshots of the app at 80x24: home, briefing, a conversation with coach notes, help.

Deterministic by construction: the fixture scenario, a fake scorer with fixed output, an empty data
directory, no cursor blink. After a deliberate change to the look, review the new pictures and run
`pytest tests/test_tui_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui_support import FakeScorer
from trainer.tui.app import TrainerApp
from trainer.tui.conversation import ReplyBox

FIXTURES = Path(__file__).parent / "fixtures" / "tui"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TRAINER_THEME", raising=False)


def _app() -> TrainerApp:
    return TrainerApp(
        scorer_factory=FakeScorer, scenarios_dir=FIXTURES, cursor_blink=False, persist_settings=False
    )


async def _settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_home(snap_compare):
    assert snap_compare(_app(), terminal_size=(80, 24), run_before=_settle)


def test_briefing(snap_compare):
    async def before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(_app(), terminal_size=(80, 24), run_before=before)


def test_conversation_with_coach_notes(snap_compare):
    async def before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("enter", "enter")
        await pilot.pause()
        for reply in ("Hello, I'm Sam. I'm here because the school asked me to visit.", "Oh poor you"):
            pilot.app.screen.query_one(ReplyBox).insert(reply)
            await pilot.press("enter")
            await _settle(pilot)

    assert snap_compare(_app(), terminal_size=(80, 24), run_before=before)


def test_help(snap_compare):
    async def before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(_app(), terminal_size=(80, 24), run_before=before)
