"""The plain-text player, driven like a script or a screen reader would: `python -m trainer play --plain`
with stdin, in a subprocess, with the real scorer; plus in-process runs with the fake scorer for the
rules that do not depend on the model."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tui_support import FakeScorer
from trainer.plain import EMPTY_REPLY, OPTIONS_ONLY, PlainError, run_plain
from trainer.practice.replies import NO_WORDS

FIXTURE = Path(__file__).parent / "fixtures" / "tui" / "kitchen-table.yaml"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def saves(data_dir: Path) -> list[Path]:
    return sorted(p for p in data_dir.rglob("*.json") if p.name != "settings.json")


def play(stdin: str, scenario: str | None = str(FIXTURE), **kwargs) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    run_plain(scenario, stdin=io.StringIO(stdin), stdout=out, stderr=err, scorer=FakeScorer(), **kwargs)
    return out.getvalue(), err.getvalue()


def trainer(*args: str, stdin: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRAINER_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "trainer", "play", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
    )


# --- in process, fake scorer ----------------------------------------------------------------------------


def test_briefing_line_prompt_and_coach_note():
    out, _ = play("I'm here because the school asked me to come\n")
    assert "Who you are meeting: Rose Adams (66, she/her)." in out
    assert "Why you are visiting: Rose's grandson Leo (7) has missed twelve days" in out
    assert "- Say why you have come before asking anything." in out
    assert "Rose: [Opens the door] Yes? Who are you?\n[trust 5/10, distress 5/10]\n> " in out
    assert "Coach: Found: purpose" in out
    assert '  purpose: "school" - Says why you are visiting' in out
    assert "[trust 6/10 (up), distress 5/10]" in out


def test_options_are_numbered_unavailable_ones_marked_and_picked_by_number():
    out, _ = play("Hi\nIt sounds like it's been hard\n3\n2\n")
    assert "Options (or type your own reply):" in out
    assert "  1. I promise not to tell anyone." in out
    assert "  3. (not available now) Let's ask my manager to visit instead." in out
    assert "Option 3 isn't available at this point." in out
    assert "The end: Thursday, then (The relationship was built)." in out
    assert "You were clear and kind" in out


def test_after_the_ending_a_skippable_self_assessment_then_the_debrief():
    replies = "I'm here because of the school\nIt sounds like it's hard\n2\n"
    out, _ = play(replies + "4\nseven\n\n3\nShe was scared\n")
    assert "Before you see your debrief, rate yourself." in out
    assert "  5. I consistently put their feelings and meaning into words" in out  # the descriptors
    assert "Type a number from 1 to 5, or press Enter to skip this one (/skip skips the rest)." in out
    debrief = out.split("# Debrief: At the kitchen table")[1]
    assert "You skipped the purpose-setting rating, what was happening for you." in debrief
    assert "- Empathy (not sympathy): 4 - " in debrief
    assert "How this is scored:" in debrief and "_How" not in debrief and "**" not in debrief
    assert "You (reply 2): It sounds like" in debrief


def test_after_the_debrief_notes_on_replies_and_a_process_recording(data_dir: Path):
    from docx import Document

    replies = "I'm here because of the school\nIt sounds like it's hard\n2\n"
    after = "9 wrong number\n2 I felt out of my depth\n\ndocx\n"
    out, err = play(replies + "\n\n\n\n\n" + after)
    assert "Type a reply number (1 to 3) and then your note" in out
    assert "Noted for reply 2." in out and "Saved to" in out and "not saved" not in err
    [path] = (data_dir / "exports").glob("process-recording-*.docx")
    cells = [row.cells[1].text for row in Document(str(path)).tables[0].rows]
    assert "I felt out of my depth" in cells


def test_end_of_input_at_the_self_assessment_skips_it():
    out, _ = play("Hi\nRight\n2\n")
    assert "You skipped the whole self-assessment." in out


def test_options_only_moment_refuses_typing():
    out, _ = play("Hi\nRight\nHmm\nI would rather talk\n1\n")
    assert OPTIONS_ONLY in out
    assert "Options (type its number):" in out
    assert "The end: Thursday, then" in out


def test_empty_reply_is_not_sent_and_practice_mode_gives_no_notes():
    out, _ = play("\n   \nHello, I'm here because of the school\n", mode="practice")
    assert out.count(EMPTY_REPLY) == 2
    assert "Coach:" not in out and "trust" not in out.split("Mode:")[1]


def test_a_reply_of_emoji_or_punctuation_is_not_sent():
    scorer = FakeScorer()
    out = io.StringIO()
    script = "😀😀\n👍\n...\n?!\nI'm here because of the school\n"
    run_plain(str(FIXTURE), stdin=io.StringIO(script), stdout=out, stderr=io.StringIO(), scorer=scorer)
    assert out.getvalue().count(NO_WORDS) == 4
    assert [text for text, _ in scorer.calls] == ["I'm here because of the school"]  # only the words


def test_a_reply_longer_than_the_scorer_reads_goes_when_sent_again():
    scorer = FakeScorer()
    out = io.StringIO()
    long = "I'm here because of the school. " + "word " * 2000
    run_plain(str(FIXTURE), stdin=io.StringIO(f"{long}\n{long}\n"), stdout=out, stderr=io.StringIO(),
              scorer=scorer)
    assert "10,032 characters long, and only the first 5,000 would be scored" in out.getvalue()
    assert [text for text, _ in scorer.calls] == [long]  # the second time, unchanged


def test_eof_saves_and_says_how_to_resume(data_dir: Path):
    out, _ = play("Hello, I'm here because of the school\n")
    [saved] = saves(data_dir)
    run_id = json.loads(saved.read_text())["run_id"]
    assert f"Session saved. To continue: trainer play --plain {FIXTURE} --resume {run_id}" in out
    with pytest.raises(PlainError, match="not a bundled scenario: name its file too"):
        play("", scenario=None, resume=run_id)
    resumed, _ = play("It sounds like it's been hard\n2\n", resume=run_id)
    assert "Resuming: 1 reply so far." in resumed
    assert "You: Hello, I'm here because of the school" in resumed  # the story so far
    assert "The end: Thursday, then" in resumed


def test_quit_before_any_reply_saves_nothing(data_dir: Path):
    out, _ = play("/quit\n")
    assert "nothing was saved" in out
    assert saves(data_dir) == []


def test_unfinished_session_is_offered_when_not_resuming():
    out, _ = play("Hello\n")
    _, err = play("/quit\n")
    assert re.search(r'unfinished session of this scenario \(started [-\d]+ [:\d]+, 1 reply; you last said '
                     r'"Hello"\); to continue it, add --resume \w+\.\n', err), err


def test_unknown_scenario_and_unknown_run_are_clear_errors():
    with pytest.raises(PlainError, match="no scenario file or bundled scenario called 'no-such-thing'"):
        play("", scenario="no-such-thing")
    with pytest.raises(PlainError, match="name a scenario to play.*bundled scenarios are: .*doorstep"):
        play("", scenario=None)
    with pytest.raises(PlainError, match="cannot resume session 'feedfacefeedfacefeedfacefeedface'"):
        play("", resume="feedfacefeedfacefeedfacefeedface")


def test_help_is_plain_text():
    out, _ = play("/help\n")
    assert "What a professional relationship is not (Moss)" in out
    assert "- Not a friend:" in out and "**" not in out


def test_an_unknown_slash_command_is_named_and_not_sent(data_dir: Path):
    out, _ = play("/options\n/quit\n")
    assert "> /options\nUnknown command /options. Commands: /help, /name, /quit\n> " in out
    assert "You: /options" not in out and "Coach:" not in out  # nothing sent: the first turn still waits
    assert "nothing was saved" in out  # no reply was made


@pytest.mark.parametrize("line", ["/options please", "/foo bar", "/", "/ I'm here because of the school"])
def test_a_slash_then_anything_is_taken_for_a_command_and_not_sent(data_dir: Path, line: str):
    # "/options please" or a lone "/" went to the service user as the reply, and the story moved on
    out, _ = play(f"{line}\n/quit\n")
    assert f"Unknown command {line.split()[0]}. Commands: /help, /name, /quit" in out
    assert "Coach:" not in out and "nothing was saved" in out


def test_quit_at_the_self_assessment_stops_and_keeps_the_session_for_its_rating(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # /quit used to skip the rating and print the whole debrief, then the notes/export/flag prompts.
    # Now it stops, as ctrl+q at the app's self-assessment does: kept in the history, waiting for the
    # rating, with what was entered kept for the app to offer next time.
    from trainer.history.store import HistoryStore
    from trainer.practice.drafts import drafts

    monkeypatch.setenv("TRAINER_DB", str(tmp_path / "h.sqlite3"))
    out, _ = play("I'm here because of the school\nIt sounds like it's hard\n2\n4\n/quit\nmore\n")
    after = out.split("Before you see your debrief")[1]
    assert "Type a number" not in after  # /quit was understood, not refused
    assert "Stopped before your self-rating. The session is kept in your history (session 1)" in after
    assert "# Debrief" not in out and "what was happening for you" not in after.lower()
    assert "Boundaries:" not in after  # no further questions after /quit (at Purpose-setting)
    with HistoryStore.open(tmp_path / "h.sqlite3") as store:
        [session] = store.list_sessions()
    assert session.finished and not session.rated and "empathy" in session.scores
    [draft] = drafts(None)  # where the app looks for them on its next start
    assert (draft.session_id, draft.entered.ratings) == (1, {"empathy": 4})


def test_skip_at_the_self_assessment_still_shows_the_debrief(data_dir: Path):
    out, _ = play("I'm here because of the school\nIt sounds like it's hard\n2\n4\n/skip\n")
    assert "- Empathy (not sympathy): 4 - " in out.split("# Debrief: At the kitchen table")[1]


def test_a_path_like_reply_is_still_sent():
    out, _ = play("/tmp/notes\n")
    assert "Unknown command" not in out and out.count("Coach:") == 1


# --- through the command line, real scorer ------------------------------------------------------------


def test_plain_mode_through_the_cli_with_the_real_scorer(data_dir: Path):
    pytest.importorskip("trainer.scoring.scorer")
    script = "\n".join(
        [
            "Hello, I'm Sam from the Family Support Team. The school nurse asked me to visit about Kai.",
            "",
            "/quit",
        ]
    )
    result = trainer("--plain", "doorstep-example", stdin=script + "\n", data_dir=data_dir)
    if "scorer could not be loaded" in result.stderr:
        pytest.skip("the scorer model is not built in this checkout")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Marcia: [Opens the door a few inches" in out
    assert "> Hello, I'm Sam from the Family Support Team." in out  # piped input is echoed after the prompt
    assert "Coach: " in out
    assert EMPTY_REPLY in out
    assert "Session saved. To continue: trainer play --plain --resume " in out
    assert "Loading the scorer" in result.stderr and "Loading the scorer" not in out  # diagnostics on stderr
    assert len(saves(data_dir)) == 1


def test_cli_reports_bad_arguments_without_a_traceback(data_dir: Path):
    result = trainer("--plain", "no-such-scenario", stdin="", data_dir=data_dir)
    assert result.returncode == 2
    assert "trainer play: no scenario file or bundled scenario called 'no-such-scenario'" in result.stderr
    assert "Traceback" not in result.stderr
    result = trainer("--plain", "doorstep-example", "--mode", "lecture", stdin="", data_dir=data_dir)
    assert result.returncode == 2 and "--mode must be coach or practice" in result.stderr


def test_an_unknown_run_is_one_plain_sentence_with_what_to_do():
    # Was "cannot resume session 'x' (There is no saved run 'x' in DIR.). Unfinished sessions: none": a
    # full sentence in brackets, ".)." and no full stop or way forward at the end.
    with pytest.raises(PlainError) as raised:
        play("", resume="feedfacefeedfacefeedfacefeedface")
    message = str(raised.value)
    assert ".)" not in message and "(There" not in message
    assert message.startswith("cannot resume session 'feedfacefeedfacefeedfacefeedface': there is no saved")
    assert message.endswith("Unfinished sessions: none; start a new one by naming the scenario.")
