"""The learner's name (issue 11 item 7): asked once at first start (optional), changed in Settings (F4 on
home, or the command palette), kept by trainer.settings, and used by scenarios through `{learner}` in the
app and the plain player alike."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.test_tui import (
    FIXTURES,
    SIZE,
    data_dir,  # noqa: F401 (the autouse fixture: TRAINER_DATA_DIR in tmp_path)
    screen_text,
    settle,
)
from tests.tui_support import FakeScorer
from trainer.plain import run_plain
from trainer.settings import Settings, load_settings, save_settings
from trainer.tui.app import TrainerApp
from trainer.tui.conversation import ConversationScreen
from trainer.tui.home import HomeScreen
from trainer.tui.settings_screen import SettingsScreen


def app_with_settings(scenarios_dir: Path = FIXTURES) -> TrainerApp:
    # persist_settings: reads and writes settings.json (in TRAINER_DATA_DIR, pointed at tmp_path)
    return TrainerApp(scorer_factory=FakeScorer, scenarios_dir=scenarios_dir, cursor_blink=False)


async def test_the_name_is_asked_once_at_first_start_and_kept():
    async with app_with_settings().run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, SettingsScreen)
        assert "What would you like to be called?" in screen_text(pilot.app)
        await pilot.press(*"Sam", "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HomeScreen)
    assert load_settings() == Settings(learner_name="Sam", asked_name=True)
    async with app_with_settings().run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)  # asked once only
        assert pilot.app.learner_name == "Sam"


async def test_skipping_the_question_is_remembered_too():
    async with app_with_settings().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HomeScreen)
    assert load_settings() == Settings(learner_name=None, asked_name=True)


async def test_settings_from_home_and_the_palette_change_the_name_and_keep_the_theme():
    save_settings(Settings(learner_name="Sam", asked_name=True))
    async with app_with_settings().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f2")  # the theme shares the settings file when TRAINER_DATA_DIR is set
        titles = [c.title for c in pilot.app.get_system_commands(pilot.app.screen)]
        assert "Settings" in titles
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SettingsScreen)
        await pilot.press(*["backspace"] * 3, *"Alex", "enter")
        await pilot.pause()
        theme = pilot.app.theme
    assert load_settings().learner_name == "Alex"
    again = app_with_settings()
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.theme == theme


@pytest.fixture
def named_scenarios(tmp_path: Path) -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    text = (FIXTURES / "kitchen-table.yaml").read_text()
    line = "I'm doing my best with him."
    assert line in text
    text = text.replace(line, "I'm doing my best with him, {learner|love}.")
    (folder / "kitchen-table.yaml").write_text(text)
    return folder


@pytest.mark.parametrize(("name", "shown"), [
    ("Sam", "with him, Sam."), (None, "with him, love."), ("Sam [she/her]", "with him, Sam [she/her]."),
])
async def test_a_scenario_addresses_the_learner_by_name_in_the_app(named_scenarios: Path, name, shown):
    save_settings(Settings(learner_name=name, asked_name=True))
    async with app_with_settings(named_scenarios).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConversationScreen)
        pilot.app.screen.query_one("#reply").insert("Hello, I'm here because the school asked")
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(pilot.app)
        assert f"Rose: I'm doing my best {shown}" in text
        assert "{learner" not in text


def test_the_plain_player_addresses_the_learner_by_name_too(named_scenarios: Path):
    save_settings(Settings(learner_name="Sam", asked_name=True))
    out = io.StringIO()
    stdin = io.StringIO("Hello, I'm here because the school asked\n/quit\n")
    run_plain(str(named_scenarios / "kitchen-table.yaml"), stdin=stdin, stdout=out, stderr=io.StringIO(),
              scorer=FakeScorer())
    assert "Rose: I'm doing my best with him, Sam." in out.getvalue()


async def test_on_a_shared_server_the_student_is_told_their_tab_is_private_after_the_name(monkeypatch):
    monkeypatch.setenv("TRAINER_LAB", "1")

    def notices(app: TrainerApp) -> list[str]:
        return [str(n.message) for n in app._notifications]

    async with app_with_settings().run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, SettingsScreen)
        assert not any("shared server" in n for n in notices(pilot.app))  # it would cover the buttons
        await pilot.press(*"Robin", "enter")
        await pilot.pause()
        assert any("private to this browser tab" in n and "downloads the file" in n
                   for n in notices(pilot.app))
    monkeypatch.delenv("TRAINER_LAB")
    async with app_with_settings().run_test(size=SIZE) as pilot:  # not on a shared server: nothing said
        await settle(pilot)
        assert not any("shared server" in n for n in notices(pilot.app))


def toasts(app: TrainerApp) -> list[str]:
    """The notifications as their toasts show them (Textual's Toast: markup parsed only when asked for)."""
    from textual.content import Content

    return [
        str(Content.from_markup(n.message) if n.markup else Content(n.message)) for n in app._notifications
    ]


@pytest.mark.parametrize("name", ["[bold red]Zoë[/] O'Brien", "Sam [she/her]", "[link=https://x.test]me[/link]"])
async def test_a_name_with_brackets_is_shown_as_written(name: str):
    """Student tester F29: "[bold red]Zoë[/] O'Brien" came out styled, the brackets gone."""
    async with app_with_settings().run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, SettingsScreen)
        await pilot.press(*name, "enter")
        await pilot.pause()
        await pilot.pause()
        assert f"Scenarios will call you {name}." in "\n".join(toasts(pilot.app))
    assert load_settings().learner_name == name
