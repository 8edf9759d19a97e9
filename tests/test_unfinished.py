"""Unfinished sessions a student can tell apart: `trainer history`, `trainer discard`, the plain player's
offer to resume and the app's home screen show, for each, when it was started (local time), its replies
and the last thing the student said, cut on a word. Several unfinished runs of one scenario used to read
the same ("doorstep-example  1 reply")."""

from __future__ import annotations

import re
import string
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.test_saves import ASSESSMENT, SCENARIO, clock_from
from trainer.cli import app
from trainer.practice.unfinished import cut_on_word, describe
from trainer.scenario.engine import Session
from trainer.scenario.saves import list_unfinished, save_run

runner = CliRunner()
REPLIES = st.text(alphabet=string.ascii_letters + " ,.!\n", max_size=120)
LONG = ("It sounds like the last few weeks have been really hard for you and for Kai, with the school "
        "ringing and nobody asking how you are")


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time five hours behind UTC (in winter): what the student reads is their clock, not UTC."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def saves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TRAINER_DB", str(tmp_path / "history.sqlite3"))
    return tmp_path / "data" / "sessions"


def unfinished(replies: list[str], start: datetime) -> Session:
    s = Session(SCENARIO, "doorstep", clock=clock_from(start))
    for text in replies:
        s.submit(text, ASSESSMENT)
    save_run(s)
    return s


def three_runs_of_one_scenario() -> tuple[Session, Session, Session]:
    # Two started in the same minute with one reply each: only what was said tells them apart.
    a = unfinished(["Hello, I'm from the council."], datetime(2026, 1, 14, 15, 2, 5, tzinfo=UTC))
    b = unfinished(["Hi, I'm Sam."], datetime(2026, 1, 14, 15, 2, 20, tzinfo=UTC))
    c = unfinished(["Hello", LONG], datetime(2026, 1, 15, 9, 30, tzinfo=UTC))
    return a, b, c


def history(columns: int) -> str:
    result = runner.invoke(app, ["history"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("columns", [80, 120])
def test_history_tells_apart_unfinished_runs_of_one_scenario(saves: Path, new_york: None, columns: int):
    a, b, c = three_runs_of_one_scenario()
    out = history(columns)
    assert all(len(line) <= columns for line in out.splitlines()), out
    blocks = re.split(r"\n(?=  \S)", out.split(":\n", 1)[1].strip("\n"))
    assert [block.split()[0] for block in blocks] == [c.run_id, b.run_id, a.run_id]  # newest first, by id
    assert len(set(blocks)) == 3 and all(block.split()[1] == "doorstep" for block in blocks)
    # Started in the student's own time (10:02 in New York is 15:02 UTC), with the replies so far.
    same_minute = r"started 2026-01-14 10:02(, last played 10:0\d)?, 1 reply"
    assert re.search(same_minute, blocks[1]) and re.search(same_minute, blocks[2])
    assert 'you last said "Hi, I\'m Sam."' in blocks[1]
    assert 'you last said "Hello, I\'m from the council."' in blocks[2]
    assert "started 2026-01-15 04:30, last played 04:31, 2 replies" in blocks[0]
    quoted = re.search(r'you last said "([^"]*)"', blocks[0])
    assert quoted is not None and quoted.group(1).endswith("\u2026")
    stem = quoted.group(1)[:-1]
    assert LONG.startswith(stem) and LONG[len(stem)] == " "  # cut between words, never inside one
    if columns == 120:  # room enough: the quote beside the date, one line a run under its id
        assert all(len(block.splitlines()) == 2 for block in blocks)
    # The handles the commands need, in the heading.
    assert "`trainer play --resume ID`" in " ".join(out.split()) and "`trainer discard ID`" in out


def test_history_says_when_a_saved_run_was_set_aside(saves: Path):
    unfinished(["Hello"], datetime(2026, 1, 14, 15, 2, tzinfo=UTC))
    (saves / "broken.json").write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["history"])
    assert result.exit_code == 0
    assert "Cannot resume the saved run broken.json" in result.stderr
    assert "kept as" in result.stderr  # where it went: nothing is lost


def test_discard_deletes_the_run_named_and_only_it(saves: Path, monkeypatch: pytest.MonkeyPatch):
    a, b, c = three_runs_of_one_scenario()
    refused = runner.invoke(app, ["discard", b.run_id])  # not at a terminal, no --yes: nothing deleted
    assert refused.exit_code == 2
    assert "add --yes" in refused.stderr and "Hi, I'm Sam." in refused.stderr
    assert len(list_unfinished()) == 3
    monkeypatch.setattr("trainer.cli.history._at_terminal", lambda: True)
    kept = runner.invoke(app, ["discard", b.run_id], input="n\n")
    assert kept.exit_code == 0 and "Kept." in kept.stderr and len(list_unfinished()) == 3
    asked = runner.invoke(app, ["discard", b.run_id], input="y\n")
    assert asked.exit_code == 0, asked.output
    assert 'Discard your unfinished session of doorstep (started' in asked.stderr
    assert [r.run_id for r in list_unfinished()] == [c.run_id, a.run_id]
    assert b.run_id not in history(120)
    gone = runner.invoke(app, ["discard", b.run_id, "--yes"])
    assert gone.exit_code == 2 and "`trainer history` lists them" in gone.stderr
    outside = runner.invoke(app, ["discard", "../../etc/passwd", "--yes"])
    assert outside.exit_code == 2 and len(list_unfinished()) == 2


def test_finished_sessions_are_dated_in_local_time(saves: Path, new_york: None):
    from trainer.history.store import HistoryStore

    s = Session(SCENARIO, "doorstep", clock=clock_from(datetime(2026, 1, 14, 15, 2, tzinfo=UTC)))
    s.submit("That sounds hard.", {"scores": {"empathy": 0.9}})
    with HistoryStore.open() as store:
        store.save_session(s.state, scenario=SCENARIO)
    assert re.search(rf"^\s+1  {s.state.run_id[:8]}  2026-01-14 10:02  doorstep", history(120), re.M)


@given(REPLIES, st.integers(min_value=2, max_value=80))
def test_a_cut_reply_fits_and_ends_on_a_whole_word(text: str, width: int):
    flat = " ".join(text.split())
    cut = cut_on_word(text, width)
    assert len(cut) <= width
    if len(flat) <= width:
        assert cut == flat
        return
    assert cut.endswith("\u2026")
    stem = cut[:-1]
    assert flat.startswith(stem)
    words, whole = stem.split(), flat.split()
    if " " in flat[: width - 1] and words:  # a first word that fits: nothing is cut inside a word
        assert words[:-1] == whole[: len(words) - 1]
        last = whole[len(words) - 1]
        assert last.startswith(words[-1]) and set(last[len(words[-1]):]) <= set(",.!")


def test_a_run_without_replies_says_so(saves: Path):
    s = unfinished([], datetime(2026, 1, 14, 15, 2, tzinfo=UTC))
    (run,) = list_unfinished()
    assert run.run_id == s.run_id and run.last_said is None
    assert describe(run, 80)[0].endswith("no replies yet")


def test_the_plain_player_says_which_unfinished_run_it_offers_and_that_there_are_others(saves: Path):
    from tests.test_plain import play

    play("Hello, I'm from the council\n")
    play("Hi, I'm Sam\n")
    _, err = play("/quit\n")
    assert re.search(r'unfinished session of this scenario \(started \d{4}-\d\d-\d\d \d\d:\d\d, 1 reply; '
                     r'you last said "Hi, I\'m Sam"\); to continue it, add --resume \w+\. You have 1 other '
                     r"unfinished session\(s\) of it: `trainer history` lists them\.", err), err



@given(st.text(alphabet=string.ascii_letters + " ,.", min_size=30, max_size=120).filter(str.strip),
       st.integers(min_value=40, max_value=160))
def test_a_last_reply_that_fits_whole_on_its_own_line_is_never_cut_beside_the_date(text: str, width: int):
    from types import SimpleNamespace

    run = SimpleNamespace(started_at=datetime(2026, 12, 1, 3, 49, tzinfo=UTC), updated_at=None, turns=2,
                          last_said=text)
    lines = describe(run, width, lead="")
    assert all(len(line) <= width for line in lines)
    flat = " ".join(text.split())
    if len(flat) + 2 <= width:  # it fits whole on a line: the student reads all of it
        assert any(f'"{flat}"' in line for line in lines), lines
