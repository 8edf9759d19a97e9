"""Saved runs: written after every turn, resumable, safe against crashes mid-write, and a damaged file
is set aside and reported, never lost and never a crash."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from tests.test_engine import Clock, scenarios, turns
from trainer.scenario import saves
from trainer.scenario.engine import EngineError, Session
from trainer.scenario.saves import (
    CorruptSave,
    RunNotFound,
    SaveError,
    discard_run,
    list_runs,
    list_unfinished,
    load_run,
    save_run,
)
from trainer.scenario.schema import Scenario

SCENARIO = Scenario.model_validate(
    {
        "schema_version": 1,
        "title": "Doorstep",
        "summary": "s",
        "setting": "s",
        "objectives": ["o"],
        "service_user": {"name": "Sam", "situation": "s", "wants": "w", "fears": "f"},
        "start": "a",
        "nodes": {
            "a": {"say": "Who are you?", "default": {"goto": "b"}},
            "b": {
                "say": "Well?",
                "responses": [{"if": {"signal": "empathy"}, "goto": "end"}],
                "default": {"goto": "b"},
            },
            "end": {"say": "Come in.", "ending": {"outcome": "built", "title": "In", "note": "n"}},
        },
    }
)
ASSESSMENT = {"scores": {"empathy": 0.1}, "cues": [], "evidence": []}


def clock_from(start: datetime) -> Any:
    now = [start]

    def tick() -> datetime:
        now[0] += timedelta(seconds=30)
        return now[0]

    return tick


def run(turns: int, start: datetime = datetime(2026, 2, 1, 9, tzinfo=UTC)) -> Session:
    s = Session(SCENARIO, "doorstep", clock=clock_from(start))
    for i in range(turns):
        s.submit(f"reply {i}", ASSESSMENT)
    return s


def test_a_saved_run_resumes_exactly(tmp_path: Path) -> None:
    s = run(2)
    path = save_run(s, tmp_path)
    assert path == tmp_path / f"{s.run_id}.json"
    resumed = Session(SCENARIO, "doorstep", load_run(s.run_id, tmp_path))
    assert resumed.to_json() == s.to_json()


def test_a_run_resumes_from_the_start_of_its_id_as_history_shows_it(tmp_path: Path) -> None:
    # `trainer history` shows 8 characters of the id; `--resume` with them said "no saved run"
    s = run(1)
    save_run(s, tmp_path)
    assert load_run(s.run_id[:8], tmp_path) == s.state
    twin = s.run_id[:8] + "f" * (len(s.run_id) - 8)  # another run whose id starts the same way
    saved = (tmp_path / f"{s.run_id}.json").read_text()
    (tmp_path / f"{twin}.json").write_text(saved.replace(s.run_id, twin))
    with pytest.raises(RunNotFound, match="start of 2 saved runs"):
        load_run(s.run_id[:8], tmp_path)
    assert load_run(s.run_id, tmp_path) == s.state  # the whole id is always enough


def test_saving_after_every_turn_keeps_one_file_and_no_temporary_files(tmp_path: Path) -> None:
    s = run(0)
    for i in range(3):
        save_run(s, tmp_path)
        s.submit(f"turn {i}", ASSESSMENT)
    save_run(s.state, tmp_path)  # a RunState works too
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{s.run_id}.json"]
    assert load_run(s.run_id, tmp_path) == s.state


def test_the_default_folder_is_the_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path))
    s = run(1)
    assert save_run(s) == tmp_path / "sessions" / f"{s.run_id}.json"
    assert [r.run_id for r in list_unfinished()] == [s.run_id]


def test_unfinished_runs_are_listed_newest_first_and_finished_ones_left_out(tmp_path: Path) -> None:
    old = run(1, datetime(2026, 1, 1, tzinfo=UTC))
    new = run(3, datetime(2026, 3, 1, tzinfo=UTC))
    middle = run(2, datetime(2026, 2, 1, tzinfo=UTC))
    done = run(1, datetime(2026, 4, 1, tzinfo=UTC))
    done.submit("That sounds hard.", {"scores": {"empathy": 0.9}})
    assert done.finished
    for s in (old, new, middle, done):
        save_run(s, tmp_path)
    listed = list_unfinished(tmp_path)
    assert [r.run_id for r in listed] == [new.run_id, middle.run_id, old.run_id]
    assert listed.problems == []
    first = listed[0]
    assert (first.scenario_id, first.scenario_title) == ("doorstep", "Doorstep")
    assert (first.node, first.turns) == ("b", 3)
    assert first.updated_at == new.state.updated_at and not first.finished
    # The debrief finds finished runs until it has stored them, then discards them.
    assert [r.run_id for r in list_runs(tmp_path)][0] == done.run_id
    assert discard_run(done.run_id, tmp_path) is True
    assert discard_run(done.run_id, tmp_path) is False
    assert len(list_runs(tmp_path)) == 3


def test_a_missing_folder_lists_nothing(tmp_path: Path) -> None:
    assert list_unfinished(tmp_path / "never-created") == []


def test_a_half_written_temporary_file_from_a_crash_is_ignored(tmp_path: Path) -> None:
    s = run(1)
    save_run(s, tmp_path)
    complete = s.to_json()
    s.submit("more", ASSESSMENT)
    # What a process killed mid-save leaves behind: a temporary file holding half the new state.
    partial = s.state.model_dump_json()[:100]
    (tmp_path / f".{s.run_id}.k2j3h4.tmp").write_text(partial)
    listed = list_unfinished(tmp_path)
    assert [r.turns for r in listed] == [1] and listed.problems == []
    assert Session(SCENARIO, "doorstep", load_run(s.run_id, tmp_path)).to_json() == complete


def test_a_failed_save_leaves_the_previous_save_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = run(1)
    save_run(s, tmp_path)
    before = (tmp_path / f"{s.run_id}.json").read_bytes()
    s.submit("more", ASSESSMENT)

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(saves.os, "fsync", disk_full)
    with pytest.raises(SaveError, match="No space left on device"):
        save_run(s, tmp_path)
    assert (tmp_path / f"{s.run_id}.json").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [f"{s.run_id}.json"]  # the temporary file is gone


def test_temporary_files_left_for_a_day_are_cleared_but_recent_ones_kept(tmp_path: Path) -> None:
    stale, fresh = tmp_path / ".a.1.tmp", tmp_path / ".b.2.tmp"
    stale.write_text("{")
    fresh.write_text("{")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(stale, (two_days_ago, two_days_ago))
    list_unfinished(tmp_path)
    assert not stale.exists() and fresh.exists()


@pytest.mark.parametrize(
    "content",
    [b"", b"{\"format\": 1, \"run_id\"", b"\xff\xfe\x00garbage", b"[]", b"{\"format\": 7}"],
)
def test_a_corrupt_save_is_set_aside_and_reported_never_deleted(tmp_path: Path, content: bytes) -> None:
    good = run(1)
    save_run(good, tmp_path)
    bad = tmp_path / "0123abcd.json"
    bad.write_bytes(content)
    listed = list_unfinished(tmp_path)
    assert [r.run_id for r in listed] == [good.run_id]
    [problem] = listed.problems
    assert problem.path == bad and not bad.exists()
    assert problem.moved_to is not None and problem.moved_to.read_bytes() == content
    assert problem.moved_to.name.startswith("0123abcd.json.corrupt-20")
    assert "0123abcd.json" in problem.message and str(problem.moved_to) in problem.message
    assert str(problem) == problem.message  # what a screen shows
    again = list_unfinished(tmp_path)
    assert again.problems == [] and len(again) == 1


def test_loading_a_corrupt_save_says_so_and_sets_it_aside(tmp_path: Path) -> None:
    s = run(1)
    path = save_run(s, tmp_path)
    path.write_text(path.read_text()[:-20])
    with pytest.raises(CorruptSave, match="Cannot resume the saved run") as err:
        load_run(s.run_id, tmp_path)
    assert err.value.problem.moved_to is not None and err.value.problem.moved_to.exists()
    with pytest.raises(RunNotFound, match="no saved run"):
        load_run(s.run_id, tmp_path)


def test_two_corrupt_files_set_aside_in_the_same_second_do_not_overwrite_each_other(tmp_path: Path) -> None:
    for content in ("one", "two"):
        (tmp_path / "abc.json").write_text(content)
        list_unfinished(tmp_path)
    kept = sorted(p.read_text() for p in tmp_path.glob("abc.json.corrupt-*"))
    assert kept == ["one", "two"]


def test_a_save_renamed_by_hand_is_not_taken_for_another_run(tmp_path: Path) -> None:
    s = run(1)
    save_run(s, tmp_path).rename(tmp_path / "copy.json")
    listed = list_unfinished(tmp_path)
    assert listed == [] and "does not match its name" in listed.problems[0].message


@pytest.mark.parametrize("run_id", ["../etc/passwd", "", "a/b", "x.json"])
def test_a_run_id_cannot_reach_outside_the_folder(tmp_path: Path, run_id: str) -> None:
    with pytest.raises(RunNotFound, match="not a run id"):
        load_run(run_id, tmp_path)
    with pytest.raises(RunNotFound, match="not a run id"):
        discard_run(run_id, tmp_path)


def test_a_damaged_run_id_in_the_file_is_caught(tmp_path: Path) -> None:
    s = run(1)
    data = json.loads(s.to_json())
    data["run_id"] = "../../escape"
    (tmp_path / "x.json").write_text(json.dumps(data))
    assert list_unfinished(tmp_path).problems[0].moved_to is not None


def test_an_unreadable_save_is_reported_and_an_unwritable_folder_is_a_save_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Simulated: the tests may run as root, whom file permissions do not stop.
    s = run(1)
    path = save_run(s, tmp_path)
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    listed = list_unfinished(tmp_path)
    assert listed == [] and "It cannot be read (Permission denied)" in listed.problems[0].message
    assert listed.problems[0].moved_to is not None and listed.problems[0].moved_to.exists()

    def mkstemp(**kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("trainer.paths.tempfile.mkstemp", mkstemp)
    with pytest.raises(SaveError, match="Could not save the run to .*Permission denied"):
        save_run(s, tmp_path)


WRITER = """
import sys
from pathlib import Path
from trainer.scenario.engine import EngineError, Session
from trainer.scenario.saves import save_run
from trainer.scenario.schema import Scenario
s = Session(Scenario.model_validate_json(sys.argv[2]), "doorstep")
print(s.run_id, flush=True)
long = "words " * 5000
i = 0
while True:
    s.submit(f"{i} {long}", {"scores": {"empathy": 0.1}})
    save_run(s, Path(sys.argv[1]))
    i += 1
    print(i, flush=True)
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_a_process_killed_while_saving_leaves_a_run_that_resumes(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    repo = Path(__file__).resolve().parent.parent
    args = [sys.executable, "-c", WRITER, str(tmp_path), SCENARIO.model_dump_json(by_alias=True)]
    proc = subprocess.Popen(args, cwd=repo, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        run_id = proc.stdout.readline().strip()
        while int(proc.stdout.readline() or 0) < 3:  # a few saves in, then kill it mid-stream
            pass
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    listed = list_unfinished(tmp_path)
    assert listed.problems == [] and [r.run_id for r in listed] == [run_id]
    state = load_run(run_id, tmp_path)
    assert Session(SCENARIO, "doorstep", state).state.node == "b"
    assert listed[0].turns >= 3


@settings(max_examples=15, deadline=None)
@given(sc=scenarios(), plays=turns)
def test_any_run_saved_at_any_point_loads_back_exactly(
    sc: Scenario, plays: list[tuple[Any, Any, Any]]
) -> None:
    import tempfile
    from unittest import mock

    s = Session(sc, "gen", clock=Clock())
    # fsync is what makes a save survive a power cut, not what this tests; skipping it keeps this fast.
    with tempfile.TemporaryDirectory() as folder, mock.patch.object(saves.os, "fsync"):
        for text, assessment, option in plays:
            try:
                s.submit(text, assessment, option=option)
            except EngineError:
                pass
            save_run(s, Path(folder))
            assert Session(sc, "gen", load_run(s.run_id, Path(folder))).to_json() == s.to_json()
        listed = list_runs(Path(folder))
        assert listed.problems == [] and len(listed) == 1
        turns_taken = sum(1 for r in s.state.transcript if r.speaker == "learner")
        assert (listed[0].turns, listed[0].finished) == (turns_taken, s.finished)
        assert listed[0].node == s.state.node
