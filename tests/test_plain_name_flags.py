"""The plain player keeps the learner's name as the app does (asked once at first start, /name, saved on
the session so redacted exports remove it), lets the learner flag a reply ("I disagree") after the
debrief, and takes the rehearsal files' "#1" / "option 1" as picking an option."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.tui_support import FakeScorer
from trainer.cli import app
from trainer.history.store import HistoryStore, default_path
from trainer.plain import run_plain
from trainer.settings import Settings, load_settings, save_settings

FIXTURE = Path(__file__).parent / "fixtures" / "tui" / "kitchen-table.yaml"
# Door, kitchen, then option 2 at the secret: the ending. Then the self-assessment (5 questions skipped).
REPLIES = "Hi, I'm Alex from the Children's Team, here because of the school\nIt sounds like it's hard\n2\n"
SKIP_SELF_ASSESSMENT = "\n\n\n\n\n"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRAINER_CONFIG_DIR", raising=False)
    monkeypatch.delenv("TRAINER_DB", raising=False)
    return tmp_path / "data"


class Terminal(io.StringIO):
    """Input typed at a terminal (so the player may ask questions)."""

    def isatty(self) -> bool:
        return True


def play(stdin: str, terminal: bool = False) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    source = Terminal(stdin) if terminal else io.StringIO(stdin)
    run_plain(str(FIXTURE), stdin=source, stdout=out, stderr=err, scorer=FakeScorer())
    return out.getvalue(), err.getvalue()


def only_session() -> object:
    with HistoryStore.open(default_path()) as store:
        [summary] = store.list_sessions()
        return store.get_session(summary.id)


# --- the name -----------------------------------------------------------------------------------------


def test_the_name_in_the_settings_is_saved_on_the_session_and_redacted_from_exports():
    save_settings(Settings(learner_name="Alex Turner"))
    out, _ = play(REPLIES + SKIP_SELF_ASSESSMENT + "\nmd\n")
    assert only_session().learner_name == "Alex Turner"
    assert "student: Alex Turner" in out  # the debrief names the student
    [recording] = (default_path().parent / "exports").glob("process-recording-*.md")
    text = recording.read_text(encoding="utf-8")
    assert "Alex" not in text and "I'm \\[learner\\] from the Children" in text
    save_settings(Settings())  # the exporter's own settings do not matter: the session carries the name
    runner = CliRunner()
    exported = runner.invoke(app, ["export", "1", "-f", "json", "--redact"])
    assert exported.exit_code == 0 and "Alex" not in exported.stdout and "your name is not known" not in \
        exported.stderr
    named = json.loads(runner.invoke(app, ["export", "1", "-f", "json"]).stdout)
    assert named["debrief"]["learner_name"] == "Alex Turner"  # so `cohort --names` can name the student


def test_the_name_is_asked_once_at_first_start_and_kept():
    out, _ = play("Sam Lee\n/quit\n", terminal=True)
    assert "Welcome. What would you like to be called?" in out and "Scenarios will call you Sam Lee." in out
    assert load_settings() == Settings(learner_name="Sam Lee", asked_name=True)
    again, _ = play("/quit\n", terminal=True)
    assert "Welcome. What would you like to be called?" not in again


def test_enter_skips_the_name_question_for_good():
    out, _ = play("\n/quit\n", terminal=True)
    assert "No name kept." in out
    assert load_settings() == Settings(learner_name=None, asked_name=True)
    assert "Welcome. What would you like to be called?" not in play("/quit\n", terminal=True)[0]


def test_piped_input_is_never_taken_for_a_name():
    out, _ = play(REPLIES + SKIP_SELF_ASSESSMENT)
    assert "Welcome. What would you like to be called?" not in out and "You (reply 1): Hi, I'm Alex" in out
    assert load_settings() == Settings()


def test_slash_name_shows_and_changes_the_name_and_the_session_keeps_it():
    out, _ = play("/name\n/name Jo Bloggs\n" + REPLIES + SKIP_SELF_ASSESSMENT)
    assert "No name is set. To change it: /name YOUR NAME" in out
    assert "Scenarios will call you Jo Bloggs." in out and "Coach:" in out  # /name was not sent as a reply
    assert load_settings().learner_name == "Jo Bloggs" and only_session().learner_name == "Jo Bloggs"


def test_a_process_recording_made_without_a_name_says_the_name_could_not_be_redacted():
    out, _ = play(REPLIES + SKIP_SELF_ASSESSMENT + "\nmd\n")
    assert "Saved to" in out and "Note: your name is not known" in out and "could not be redacted" in out


def test_help_lists_name_and_the_debriefs_flag():
    out, _ = play("/help\n/quit\n")
    assert "/name" in out and "flag a reply you think was scored wrongly" in out


# --- "I disagree" --------------------------------------------------------------------------------------


def test_a_reply_can_be_flagged_after_the_debrief_as_the_app_stores_it():
    after = "\n\n"  # no notes, no export
    flag = "7\n2\npurpose, empathy\nI also said why I came\n"
    out, _ = play(REPLIES + SKIP_SELF_ASSESSMENT + after + flag + "\n")
    assert "Do you disagree with how a reply was scored?" in out
    assert "Type a reply number (1 to 3) to flag it" in out  # 7 is not a reply
    assert 'Reply 2: "It sounds like it\'s hard". The scorer found: empathy.' in out
    assert "Flag saved for reply 2: your educator can review it." in out
    with HistoryStore.open(default_path()) as store:
        [stored] = store.flags()
    # As the app's dialog stores it: the transcript index, what was wrongly found / missed, the reason.
    assert (stored.turn, stored.wrong, stored.missing) == (3, [], ["purpose"])
    assert stored.reason == "I also said why I came"


def test_a_flag_that_changes_nothing_or_has_no_reason_is_not_kept():
    after = "\n\n"
    flag = "2\nnone\n\n" + "2\nbogus\n\n"
    out, _ = play(REPLIES + SKIP_SELF_ASSESSMENT + after + flag + "\n")
    assert "No flag kept:" in out
    assert "Unknown signal 'bogus'" in out and "No flag kept. Another reply's number" in out
    with HistoryStore.open(default_path()) as store:
        assert store.flags() == []


# --- "#1" ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("pick", ["#2", "option 2", "Option #2", "# 2"])
def test_the_rehearsal_syntax_picks_an_option_and_is_not_scored(pick: str):
    out, _ = play(REPLIES.replace("\n2\n", f"\n{pick}\n") + SKIP_SELF_ASSESSMENT)
    assert "The end: Thursday, then" in out
    assert f"You: {pick}" not in out.split("# Debrief")[1]
    assert "You (reply 3): I can't promise that" in out


def test_the_rehearsal_syntax_where_there_are_no_options_is_not_sent():
    out, _ = play("#1\n/quit\n")
    assert "There are no options to choose from here" in out and "nothing was saved" in out


# --- the service user's name ------------------------------------------------------------------------------


def test_the_service_user_goes_by_the_same_name_live_in_the_debrief_and_in_exports():
    out, _ = play(REPLIES + SKIP_SELF_ASSESSMENT + "\nmd\n")
    live, debrief = out.split("# Debrief")
    assert "Rose: [Opens the door] Yes? Who are you?" in live  # as the app's conversation shows it
    assert "Rose: [Opens the door] Yes? Who are you?" in debrief and "Rose Adams:" not in debrief
    assert "with Rose Adams" in debrief  # the full name heads the debrief
    [recording] = (default_path().parent / "exports").glob("process-recording-*.md")
    assert "| **\\[service user\\]:** \\[Opens the door\\]" in recording.read_text(encoding="utf-8")
    runner = CliRunner()
    args = ["export", "1", "--as", "process-recording", "-f", "md", "--keep-names"]
    shown = runner.invoke(app, args).stdout
    assert "| **Rose:** \\[Opens the door\\]" in shown and "Rose Adams:" not in shown
    html = runner.invoke(app, ["export", "1", "-f", "html"]).stdout
    assert '<span class="who">Rose:</span>' in html and "Rose Adams:" not in html
