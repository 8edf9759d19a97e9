"""The self-assessment, debrief and history screens, driven with a Pilot as a student would."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.app import App
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Select, Static

from tests.test_debrief_fixtures import good_run, poor_run, scenario
from trainer.debrief.compute import compute_debrief
from trainer.debrief.selfassess import SelfAssessment
from trainer.history.store import HistoryStore
from trainer.tui.debrief_screen import (
    DebriefScreen,
    ExportScreen,
    FlagScreen,
    NoteScreen,
    sparkline,
    start_debrief,
)
from trainer.tui.history_screen import HistoryScreen
from trainer.tui.selfassess import SelfAssessScreen

SIZE = (120, 60)


class Host(App[None]):
    """A bare app to host one screen."""

    def __init__(self, first: Any = None) -> None:
        super().__init__()
        self.first = first

    def on_mount(self) -> None:
        if self.first is not None:
            self.push_screen(self.first)


def shown(app: App[Any], selector: str) -> str:
    """The text of a Static, or of every Static inside a container, one per line."""
    widget = app.screen.query_one(selector)
    if isinstance(widget, Static):
        return str(widget.render())
    return "\n".join(str(w.render()) for w in widget.query(Static))


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TRAINER_DB", str(tmp_path / "history.sqlite3"))
    return tmp_path


# --- self-assessment -------------------------------------------------------------------------------------


async def test_self_assessment_collects_ratings_and_reflections():
    results: list[SelfAssessment] = []
    app = Host(SelfAssessScreen(on_done=results.append))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#rate-empathy-4")
        await pilot.click("#rate-boundaries-5")
        await pilot.click("#reflect-self")
        await pilot.press(*"I froze")
        await pilot.press("ctrl+s")
    [sa] = results
    assert sa.ratings == {"empathy": 4, "purpose": None, "boundaries": 5}
    assert sa.self_ == "I froze" and sa.service_user is None and not sa.skipped


async def test_self_assessment_digits_rate_the_focused_scale_and_the_screen_says_so():
    results: list[SelfAssessment] = []
    app = Host(SelfAssessScreen(on_done=results.append))
    async with app.run_test(size=(80, 24)) as pilot:
        assert "press 1-5" in shown(app, "#how-to-rate")
        await pilot.press("4", "tab", "3", "tab", "5")  # as in any form: a digit rates, tab moves on
        assert app.screen.focused is app.screen.query_one("#rate-boundaries")
        await pilot.press("tab", "2")  # the digit goes into the text box
        await pilot.press("ctrl+s")
    [sa] = results
    assert sa.ratings == {"empathy": 4, "purpose": 3, "boundaries": 5}  # none skipped
    assert sa.service_user == "2"


async def test_self_assessment_can_be_skipped_whole():
    results: list[SelfAssessment] = []
    app = Host(SelfAssessScreen(on_done=results.append))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#rate-empathy-2")
        await pilot.press("ctrl+k")
    assert results == [SelfAssessment.skip()]


async def test_self_assessment_shows_every_descriptor():
    app = Host(SelfAssessScreen(on_done=lambda sa: None))
    async with app.run_test(size=(80, 24)):
        levels = [str(s.render()) for s in app.screen.query(".levels")]
        buttons = [str(b.label) for b in app.screen.query("RadioButton")]
    assert buttons == ["1", "2", "3", "4", "5"] * 3
    assert levels[0].startswith("1  I mostly asked questions")
    assert levels[2].endswith("availability and the ending.")


# --- from the ending to the debrief ----------------------------------------------------------------------


async def self_assessment_done(pilot: Any, run: Any, key: str) -> None:
    """From the ending of `run` to its debrief: the self-assessment is asked, then `key` pressed on it
    (ctrl+s saves what was entered, ctrl+k skips it)."""
    start_debrief(pilot.app, run)
    await pilot.pause()
    await pilot.press(key)
    await pilot.pause()


async def test_ending_flow_saves_asks_then_shows_the_debrief(data):
    run = SimpleNamespace(scenario=scenario(), state=poor_run())
    app = Host(Screen())  # stands for the conversation screen the ending replaces
    async with app.run_test(size=SIZE) as pilot:
        start_debrief(app, run)
        await pilot.pause()
        assert isinstance(app.screen, SelfAssessScreen)
        with HistoryStore.open(data / "history.sqlite3") as store:  # saved before the self-assessment
            assert [s.ending_title for s in store.list_sessions()] == ["Money changed hands"]
        await pilot.click("#rate-boundaries-5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert "Money changed hands" in shown(app, "#outcome")
        assert "You rated your boundaries 5; reply 3 overstepped" in shown(app, "#skills")
        assert "Model answer: It sounds like you're frightened" in shown(app, "#missed")
        assert "[overstep]" in shown(app, "#line-5")
    with HistoryStore.open(data / "history.sqlite3") as store:
        [summary] = store.list_sessions()  # saved again under the same run id, not twice
        record = store.get_session(summary.id)
        assert record.self_assessment and record.self_assessment["ratings"]["boundaries"] == 5
        assert summary.scores == {"empathy": 0.0, "purpose": 0.0, "boundaries": 0.0, "miti_advice": 0.0}


async def test_the_learners_name_is_kept_on_the_session(data):
    # So that `trainer export --redact` removes it and `trainer cohort --names` can name the student.
    run = SimpleNamespace(scenario=scenario(), state=good_run())
    app = Host(Screen())
    app.learner_name = "Sam Lee"  # type: ignore[attr-defined]  # TrainerApp's, from the settings
    async with app.run_test(size=SIZE) as pilot:
        await self_assessment_done(pilot, run, "ctrl+k")
    with HistoryStore.open(data / "history.sqlite3") as store:
        [summary] = store.list_sessions()
        assert store.get_session(summary.id).learner_name == "Sam Lee"


async def test_an_unusable_history_still_gives_a_debrief_with_a_warning(data, monkeypatch):
    (data / "history.sqlite3").write_text("not a database")
    run = SimpleNamespace(scenario=scenario(), state=good_run())
    app = Host(Screen())
    async with app.run_test(size=SIZE) as pilot:
        await self_assessment_done(pilot, run, "ctrl+k")
        assert isinstance(app.screen, DebriefScreen)
        assert "You skipped the whole self-assessment" in shown(app, "#skills")
        assert any("is damaged" in n.message for n in app._notifications)
    assert (data / "history.sqlite3").read_text() == "not a database"


# --- flags and export ------------------------------------------------------------------------------------


def saved(data: Path) -> tuple[HistoryStore, int]:
    store = HistoryStore.open(data / "history.sqlite3")
    state = poor_run()
    d = compute_debrief(scenario(), state)
    return store, store.save_session(state, scenario=scenario(), scores=d.session_scores())


def saved_debrief(data: Path) -> tuple[Host, HistoryStore, int]:
    """An app showing the debrief of a saved session (`saved`), with the store and the session's id."""
    store, sid = saved(data)
    return Host(DebriefScreen(compute_debrief(scenario(), poor_run(), session_id=sid), store)), store, sid


async def test_flagging_a_reply_stores_the_corrected_labels(data):
    app, store, sid = saved_debrief(data)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FlagScreen)
        app.screen.query_one("#flag-reply", Select).value = 3  # reply 2: "Oh I'm so sorry..."
        await pilot.pause()
        await pilot.click("#flag-sympathy")  # the scorer ticked it: untick (wrong)
        await pilot.click("#flag-empathy")  # and tick what was missed
        await pilot.click("#flag-save")  # no reason yet: refused, with the reason why
        await pilot.pause()
        assert "Say why you disagree" in shown(app, "#flag-error")
        await pilot.click("#flag-reason")
        await pilot.press(*"I named her fear", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen), shown(app, "#flag-error")
        assert "you disagreed: I named her fear" in shown(app, "#line-3")
    [flag] = store.flags()
    assert (flag.turn, flag.wrong, flag.missing, flag.labels) == (3, ["sympathy"], ["empathy"], ["empathy"])


async def export_html(pilot: Any, *, redact: bool) -> None:
    """Export the debrief as HTML through the dialog, as a student does: e, the format, Redact, Export."""
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ExportScreen)
    await pilot.click("#export-html")
    if redact:
        await pilot.click("#export-redact")
    await pilot.click("#export-go")
    await pilot.pause()


async def test_export_writes_the_chosen_format_to_the_exports_folder(data):
    app, store, sid = saved_debrief(data)
    async with app.run_test(size=SIZE) as pilot:
        await export_html(pilot, redact=True)
    [path] = (data / "exports").iterdir()
    assert path.name == f"debrief-{sid}-first-home-visit-2026-11-20-redacted.html"
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Sarah" not in html


async def test_the_exported_toast_goes_when_the_debrief_is_left(data):
    # It stayed up 15 s on whatever screen came next, covering a briefing's text.
    app, store, sid = saved_debrief(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        await pilot.click("#export-go")
        await pilot.pause()
        assert [n.title for n in app._notifications] == ["Exported"]  # read on the debrief
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DebriefScreen)
        assert list(app._notifications) == []
        assert not app.screen.query("Toast")


async def test_a_note_on_a_reply_then_a_process_recording_for_the_educator(data):
    from docx import Document

    app, store, sid = saved_debrief(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"I panicked", "enter")  # the first reply is chosen; Enter saves
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert "what was happening for you: I panicked" in shown(app, "#line-1")
        await pilot.press("e")
        await pilot.pause()
        await pilot.click("#export-pr-docx")  # a process recording: redaction is ticked for it
        await pilot.pause()
        assert app.screen.query_one("#export-redact", Checkbox).value is True
        await pilot.click("#export-go")
        await pilot.pause()
    assert store.get_session(sid).turn_notes == {1: "I panicked"}
    [path] = (data / "exports").glob("process-recording-*.docx")
    table = Document(str(path)).tables[0]
    assert table.rows[2].cells[1].text == "I panicked"
    assert "Sarah" not in "".join(c.text for row in table.rows for c in row.cells)


async def test_a_note_typed_after_tab_is_kept_not_lost(data):
    # Tab from the note box went to "Save note"; the letters typed there were dropped and Enter saved an
    # empty note ("No note kept for that reply: it was empty").
    app, store, sid = saved_debrief(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.focused is app.screen.query_one("#note-reply", Select)  # as in the flag dialog
        await pilot.press("tab", *"I felt", "tab", "space", *"rushed", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        messages = [n.message for n in app._notifications]
        assert "Note saved: it goes in your process recording." in messages, messages
    assert store.get_session(sid).turn_notes == {1: "I felt rushed"}


async def test_the_flag_and_note_dialogs_both_open_on_the_reply_picker_and_typing_finds_the_text_box(data):
    app, store, sid = saved_debrief(data)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await pilot.pause()
        assert app.screen.focused is app.screen.query_one("#flag-reply", Select)
        await pilot.press("tab", "space", *"Too harsh")  # a tick box: space ticks it, letters are the reason
        await pilot.pause()
        assert app.screen.query_one("#flag-reason").value == "Too harsh"


async def test_flag_without_a_saved_session_says_so():
    app = Host(DebriefScreen(compute_debrief(scenario(), poor_run()), None))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert any("not in the history" in n.message for n in app._notifications)


# --- history ---------------------------------------------------------------------------------------------


async def test_history_lists_opens_and_deletes_sessions(data):
    store, first = saved(data)
    later = good_run().model_copy(update={"started_at": good_run().started_at.replace(day=21)})
    second = store.save_session(later, scenario=scenario(), self_assessment=SelfAssessment.skip(),
                                scores=compute_debrief(scenario(), later).session_scores())
    app = Host(HistoryScreen(store))
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        assert [str(c) for c in table.get_row_at(0)][1:] == [
            "First home visit", "A door opened", "1.00", "0.80", "1.00"]
        progress = shown(app, "#progress")
        assert "First home visit, sessions 1 and 2: Empathy first 0.00, latest 1.00 (up 1.00)" in progress
        assert "2 sessions" in progress
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen) and "A door opened" in shown(app, "#outcome")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert table.row_count == 1
    assert [s.id for s in store.list_sessions()] == [first]
    assert second != first


async def test_history_when_empty_says_what_to_do(data):
    app = Host(HistoryScreen(HistoryStore.in_memory()))
    async with app.run_test(size=SIZE):
        assert "No sessions yet" in shown(app, "#history-empty")
        assert "Progress appears here" in shown(app, "#progress")


def test_sparkline_spans_the_blocks():
    assert sparkline([0.0, 0.5, 1.0, 2.0, -1.0]) == "\u2581\u2585\u2588\u2588\u2581"


@pytest.mark.parametrize("size", [(80, 24), (64, 24), (120, 40)])
async def test_every_export_choice_is_shown_whole_in_the_dialog(data, size):
    from textual.containers import Vertical
    from textual.widgets import RadioButton

    app, store, sid = saved_debrief(data)
    async with app.run_test(size=size) as pilot:
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen.query_one(Vertical)
        toggles = [*app.screen.query(RadioButton), app.screen.query_one("#export-redact", Checkbox)]
        assert len(toggles) == 7
        for toggle in toggles:  # no label cut off ("...practice educator to commen…") or past the edge
            assert toggle.region.right <= dialog.content_region.right, (str(toggle.label), size)
            shown = " ".join(toggle.render_line(y).text for y in range(toggle.size.height))
            assert str(toggle.label) in " ".join(shown.split()), (shown, size)


async def test_arrows_choose_the_export_format_and_no_export_overwrites_another(data):
    app, store, sid = saved_debrief(data)
    async with app.run_test(size=SIZE) as pilot:
        for redact in (True, False, False):
            await pilot.press("e")
            await pilot.pause()
            await pilot.press("down")  # HTML: the arrow chooses, as in most radio groups (it only moved)
            await pilot.pause()
            app.screen.query_one("#export-redact", Checkbox).value = redact
            await pilot.click("#export-go")
            await pilot.pause()
    names = sorted(p.name for p in (data / "exports").iterdir())
    base = f"debrief-{sid}-first-home-visit-2026-11-20"
    assert names == [f"{base}-2.html", f"{base}-redacted.html", f"{base}.html"]
    assert "Sarah" not in (data / "exports" / f"{base}-redacted.html").read_text(encoding="utf-8")


async def test_in_a_browser_on_a_shared_server_an_export_is_downloaded(data, monkeypatch):
    # In a lab the file is written on the server, out of the student's reach; in a browser it is delivered
    # as a download, and the toast does not send the student to the server's folder.
    monkeypatch.setenv("TRAINER_LAB", "1")
    monkeypatch.setattr(App, "is_web", property(lambda self: True))
    delivered: list[Path] = []
    monkeypatch.setattr(App, "deliver_binary", lambda self, path, **kw: delivered.append(Path(path)))
    app, store, sid = saved_debrief(data)
    async with app.run_test(size=SIZE) as pilot:
        await export_html(pilot, redact=False)
        toasts = [str(n.message) for n in app._notifications]
    [path] = (data / "exports").iterdir()
    assert delivered == [path]
    assert any(t.startswith("Downloading it (debrief-") for t in toasts), toasts
    assert not any(str(data) in t for t in toasts)


async def test_self_assessment_typed_in_one_burst_puts_each_answer_in_its_own_box():
    """Student tester F10: "2 Tab 3 Tab 1 Tab text Tab text" typed quickly glued both answers into the
    first box (Tab ran after the keys behind it), and the debrief said the second was skipped."""
    from tests.tui_support import burst

    results: list[SelfAssessment] = []
    app = Host(SelfAssessScreen(on_done=results.append))
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, "2", "tab", "3", "tab", "1", "tab", "she was scared kai would be taken", "tab",
              "i felt anxious", "shift+tab", " (and tired)")
        await pilot.pause()
        await pilot.press("ctrl+s")
    [sa] = results
    assert sa.ratings == {"empathy": 2, "purpose": 3, "boundaries": 1}
    assert sa.service_user == "she was scared kai would be taken (and tired)"
    assert sa.self_ == "i felt anxious"


async def test_the_debrief_shows_the_self_assessment_word_for_word(data):
    """Student tester F2: what the student wrote about the service user and about themselves was shown
    nowhere in the debrief. It is shown, with the ratings, literally (brackets are not markup)."""
    run = SimpleNamespace(scenario=scenario(), state=poor_run())
    app = Host(Screen())
    async with app.run_test(size=SIZE) as pilot:
        start_debrief(app, run)
        await pilot.pause()
        await pilot.press("4", "tab", "tab", "2", "tab")
        await pilot.press(*"[bold]she[/] was scared")
        await pilot.press("tab", *"i felt anxious")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        text = shown(app, "#self-assessment")
    assert "You rated yourself: empathy 4/5, purpose-setting not rated, boundaries 2/5" in text
    assert "What do you think was happening for the service user?\n[bold]she[/] was scared" in text
    assert "What was happening for you during the meeting?\ni felt anxious" in text


async def test_the_debrief_says_when_a_use_of_self_answer_was_left_out(data):
    run = SimpleNamespace(scenario=scenario(), state=poor_run())
    app = Host(Screen())
    async with app.run_test(size=SIZE) as pilot:
        await self_assessment_done(pilot, run, "ctrl+s")
        text = shown(app, "#self-assessment")
    assert "What was happening for you during the meeting?\n(not answered)" in text


# --- ticked or not, without colour (student tester F41) --------------------------------------------------


def toggle_glyphs(app: App[Any]) -> dict[str, str]:
    """Each checkbox and radio button's box as plain text ("▐X▌", "▐ ▌", "▐●▌", "▐○▌"): no colour."""
    from textual.widgets import Checkbox, RadioButton

    return {w.id or "": str(w.render())[:3] for w in app.screen.query(Checkbox)} | {
        w.id or "": str(w.render())[:3] for w in app.screen.query(RadioButton)
    }


async def test_the_flag_dialog_shows_ticked_and_unticked_without_colour(data):
    app, store, sid = saved_debrief(data)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one("#flag-reply", Select).value = 3  # the scorer found sympathy here
        await pilot.pause()
        glyphs = toggle_glyphs(app)
        assert glyphs["flag-sympathy"] == "▐X▌" and glyphs["flag-empathy"] == "▐ ▌"
        await pilot.click("#flag-empathy")
        assert toggle_glyphs(app)["flag-empathy"] == "▐X▌"


async def test_the_export_dialog_shows_the_format_and_redact_without_colour(data):
    app, store, sid = saved_debrief(data)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        glyphs = toggle_glyphs(app)
        assert glyphs["export-redact"] == "▐ ▌"  # the debrief is not redacted unless asked
        formats = [g for k, g in glyphs.items() if k != "export-redact"]
        assert formats.count("▐●▌") == 1 and formats.count("▐○▌") == len(formats) - 1
        await pilot.click("#export-redact")
        assert toggle_glyphs(app)["export-redact"] == "▐X▌"


async def test_the_self_assessment_shows_the_chosen_rating_without_colour():
    app = Host(SelfAssessScreen(on_done=lambda sa: None))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        glyphs = toggle_glyphs(app)
        assert [glyphs[f"rate-empathy-{n}"] for n in range(1, 6)] == ["▐○▌", "▐○▌", "▐●▌", "▐○▌", "▐○▌"]
        assert glyphs["rate-purpose-1"] == "▐○▌"


async def test_a_redacted_export_says_when_the_students_name_could_not_be_redacted(data, monkeypatch):
    # A student who never gave a name introduced themselves ("I'm Alex") and handed in a "redacted" file.
    monkeypatch.setattr("trainer.debrief.recording.settings_learner_name", lambda: None)
    store, sid = saved(data)
    d = compute_debrief(scenario(), poor_run(), session_id=sid).model_copy(update={"learner_name": None})
    app = Host(DebriefScreen(d, store))
    async with app.run_test(size=SIZE) as pilot:
        await export_html(pilot, redact=True)
        warned = [n for n in app._notifications if n.title == "Your name is still in it"]
    assert warned and "could not be redacted" in str(warned[0].message)


def formats_on_screen(app: App[Any]) -> dict[str, str]:
    """Each export format's marker as painted (the widget's rendered line, not a fresh render)."""
    from textual.widgets import RadioButton

    buttons = app.screen.query(RadioButton)
    return {(w.id or "").removeprefix("export-"): w.render_line(0).text[:3] for w in buttons}


@pytest.mark.parametrize("downs, chosen", [(0, "md"), (1, "html"), (3, "pr-docx"), (6, "md")])
async def test_the_export_dialog_marks_exactly_the_format_it_writes(data, downs, chosen):
    # Student tester: after one Down both Markdown and HTML showed ●; after three, Markdown and Word.
    app, store, sid = saved_debrief(data)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        await pilot.press(*["down"] * downs)
        await pilot.pause()
        marked = [f for f, glyph in formats_on_screen(app).items() if glyph == "▐●▌"]
        assert marked == [chosen]
        await pilot.press("up", "down")  # and back again: still one
        await pilot.pause()
        assert [f for f, glyph in formats_on_screen(app).items() if glyph == "▐●▌"] == [chosen]
        await pilot.click("#export-go")
        await pilot.pause()
    [path] = (data / "exports").iterdir()
    assert path.suffix == "." + chosen.removeprefix("pr-")
    assert path.name.startswith("process-recording" if chosen.startswith("pr-") else "debrief")


async def test_the_json_export_says_it_is_what_the_educators_class_report_reads(data):
    app, store, sid = saved_debrief(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        label = str(app.screen.query_one("#export-json").label)
        assert label.startswith("JSON") and "educator's class report" in label


@pytest.mark.parametrize("then", ["f", "n", "e"])
async def test_the_note_saved_message_does_not_cover_the_next_dialogs_buttons(data, then):
    from textual.widgets import Button
    from textual.widgets._toast import Toast

    app, store, sid = saved_debrief(data)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:  # toasts shown, as for real
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"I panicked", "enter")
        await pilot.pause()
        assert "Note saved: it goes in your process recording." in [n.message for n in app._notifications]
        await pilot.press(then)
        await pilot.pause()
        await pilot.pause()
        buttons = [b.region for b in app.screen.query(Button)]
        toasts = [t.region for t in app.screen.query(Toast) if t.display]
        assert buttons and not any(t.overlaps(b) for t in toasts for b in buttons), (toasts, buttons)


# --- the reply labels in the flag and note dialogs --------------------------------------------------------

LONG_REPLY = ("omg that sounds awful, i'm really sorry that happend to you. so when u hear someone from "
              "social services at the door it brings all of that back and your scared")


def long_replies() -> Any:
    d = compute_debrief(scenario(), poor_run())
    lines = [line.model_copy(update={"text": LONG_REPLY}) if line.speaker == "learner" else line
             for line in d.transcript]
    return d.model_copy(update={"transcript": lines})


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
@pytest.mark.parametrize("dialog", [FlagScreen, NoteScreen])
async def test_reply_labels_fit_on_one_line_cut_at_a_word(size, dialog):
    # At 80x24 the labels were cut at 60 characters, mid-word ("...bc theyr"), and the last character
    # wrapped onto a line of its own.
    from tests.test_tui_layout import screen_rows

    app = Host(dialog(long_replies(), lambda *a: None))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.pause()
        select = app.screen.query_one(Select)
        label = select.query_one("SelectCurrent #label")
        shown = str(label.render())
        assert label.region.height == 1
        assert shown.startswith("Reply 1: omg") and shown.endswith("\u2026")
        words = shown[len("Reply 1: "):-1]
        assert LONG_REPLY.startswith(words) and LONG_REPLY[len(words)] == " "  # cut where a word ends
        assert shown in screen_rows(app)[label.region.y]  # whole on screen, on its one line
        await pilot.press("enter")  # the dropdown: each reply on one line, whole
        await pilot.pause()
        overlay = app.screen.query_one("SelectOverlay")
        region = overlay.region
        rows = [row[region.x:region.right] for row in screen_rows(app)[region.y:region.bottom]]
        listed = [row.strip(" \u258a\u258e") for row in rows if "Reply " in row]
        assert len(listed) >= 2
        for row in listed:  # "Reply 2: omg ... happend to…", a row each
            words = row.split(": ", 1)[1][:-1]
            assert row.endswith("\u2026") and LONG_REPLY.startswith(words) and LONG_REPLY[len(words)] == " "


@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=200),
       st.integers(12, 120))
def test_a_reply_label_fits_its_room_on_one_line(text, room):
    from rich.cells import cell_len

    from trainer.tui.debrief_dialogs import reply_label

    label = reply_label(7, text, room)
    assert "\n" not in label and cell_len(label) <= room
    assert label.startswith("Reply 7:")
    words = " ".join(text.split())
    if not label.endswith("\u2026"):
        assert label == f"Reply 7: {words}"


async def test_wrapped_evidence_keeps_its_hanging_indent_at_80x24():
    """tester7: at 80x24 an evidence line ("purpose: “I'll ring you” - ...") wrapped to column 1. What was
    scored, each piece of evidence, a flag and a note hang under their reply, every wrapped row with them."""
    note = "I could see the money on the table and I did not know how to say no without hurting him again"
    debrief = compute_debrief(scenario(), poor_run(), SelfAssessment(skipped=True), turn_notes={3: note})
    app = Host(DebriefScreen(debrief))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        reply = app.screen.query_one("#line-3")
        assert "what was happening for you: I could see the money" in shown(app, "#line-3")
        wrapped = 0
        for widget in reply.query(".evidence").results(Static):
            rows = [strip.text for strip in widget.render_lines(widget.region.reset_offset)]
            wrapped += len(rows) > 1
            # every row, the first and the wrapped ones, starts 4 columns in from the reply's own text
            assert all(row[:4] == "    " and row[4] != " " for row in rows), rows
        assert wrapped, "no line wraps at 80 columns: the test would show nothing"
