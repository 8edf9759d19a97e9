"""The student's name on the process recording: the app's export (debrief, e, "Process recording") and
`trainer export --as process-recording` both go through `recording.student_recording`, so the name the
student gave is on the recording unless they chose to redact it (tester: the app's Word document said
"Student: (not given)" where the command said "Student: jo")."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from docx import Document
from textual.screen import Screen
from textual.widgets import Checkbox

from tests.test_debrief_fixtures import poor_run, scenario
from tests.test_debrief_screen import Host
from trainer.debrief.compute import compute_debrief
from trainer.debrief.recording import export_for_cli, process_recording, student_recording
from trainer.settings import Settings, save_settings
from trainer.tui.debrief_screen import DebriefScreen, start_debrief


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path))  # the settings are read from here too
    monkeypatch.setenv("TRAINER_DB", str(tmp_path / "history.sqlite3"))
    return tmp_path


def unnamed():
    """A debrief that carries no name, as the app's was after a session (the name is in the settings)."""
    return compute_debrief(scenario(), poor_run()).model_copy(update={"learner_name": None})


def student(rec_md: str) -> str:
    [line] = [x for x in rec_md.splitlines() if x.startswith("- **Student:**")]
    return line.removeprefix("- **Student:** ")


def test_the_name_in_the_settings_is_on_an_unredacted_recording_and_redacted_otherwise(data):
    save_settings(Settings(learner_name="jo"))
    assert student(str(student_recording(unnamed(), "md", redact=False))) == "jo"
    redacted = str(student_recording(unnamed(), "md", redact=True))
    assert student(redacted) == "\\[learner\\]"
    assert " jo " not in redacted and "**jo" not in redacted


def test_the_sessions_own_name_wins_over_the_settings(data):
    save_settings(Settings(learner_name="jo"))
    named = unnamed().model_copy(update={"learner_name": "Jo Bloggs"})
    assert student(str(student_recording(named, "md", redact=False))) == "Jo Bloggs"


def test_no_name_anywhere_says_not_given(data):
    assert student(str(student_recording(unnamed(), "md", redact=False))) == "(not given)"


def test_the_name_passed_for_a_debrief_without_one_is_the_students_unless_redacted():
    rec = process_recording(unnamed(), redact=False, learner_name="jo")
    assert ("Student", "jo") in rec.identifying and rec.redaction is None
    assert ("Student", "[learner]") in process_recording(unnamed(), learner_name="jo").identifying


@pytest.mark.parametrize("keep_names", [True, False])
def test_the_command_writes_what_the_shared_function_makes(data, keep_names):
    save_settings(Settings(learner_name="jo"))
    text, _ = export_for_cli(unnamed(), "md", None, keep_names=keep_names)
    assert text == student_recording(unnamed(), "md", redact=not keep_names)
    written = data / "pr.html"
    export_for_cli(unnamed(), "html", written, keep_names=keep_names)
    assert written.read_text(encoding="utf-8") == student_recording(unnamed(), "html", redact=not keep_names)


def docx_student(path: Path) -> str:
    [line] = [p.text for p in Document(str(path)).paragraphs if p.text.startswith("Student: ")]
    return line.removeprefix("Student: ")


async def export_word_recording(pilot, app, *, redact: bool) -> None:
    """On the debrief: e, "Process recording, Word", the redact box as chosen, export."""
    await pilot.press("e")
    await pilot.pause()
    await pilot.click("#export-pr-docx")
    await pilot.pause()
    app.screen.query_one("#export-redact", Checkbox).value = redact
    await pilot.click("#export-go")
    await pilot.pause()


@pytest.mark.parametrize("redact, shown", [(False, "jo"), (True, "[learner]")])
async def test_the_apps_word_recording_after_a_session_names_the_student_unless_redacted(data, redact, shown):
    # As the tester did it: a session played, the self-assessment skipped, then e, "Process recording,
    # Word", the redact box as chosen.
    save_settings(Settings(learner_name="jo"))
    app = Host(Screen())
    app.learner_name = "jo"  # type: ignore[attr-defined]  # TrainerApp's, from the settings
    async with app.run_test(size=(120, 60)) as pilot:
        start_debrief(app, SimpleNamespace(scenario=scenario(), state=poor_run()))
        await pilot.pause()
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert app.screen.debrief.learner_name == "jo"  # as the history's copy of the session carries it
        await export_word_recording(pilot, app, redact=redact)
    [path] = (data / "exports").glob("process-recording-*.docx")
    assert docx_student(path) == shown


async def test_the_apps_recording_of_a_debrief_without_a_name_takes_the_settings_name(data):
    from tests.test_debrief_screen import saved

    save_settings(Settings(learner_name="jo"))
    store, sid = saved(data)
    d = unnamed().model_copy(update={"session_id": sid})
    app = Host(DebriefScreen(d, store))
    async with app.run_test(size=(120, 60)) as pilot:
        await export_word_recording(pilot, app, redact=False)
    [path] = (data / "exports").glob("process-recording-*.docx")
    assert docx_student(path) == "jo"
