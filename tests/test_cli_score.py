"""`trainer score` and `trainer eval` as a user runs them (typer's CliRunner, one real subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from trainer.cli import app
from trainer.scoring.api import SIGNALS

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def out_lines(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_score_keeps_order_and_ids_and_explains(runner: CliRunner, scorer: Any) -> None:
    lines = [
        {"id": "a", "text": "Poor you, I know exactly how you feel."},
        {"text": "It sounds like you're exhausted.", "context": "I haven't slept in weeks."},
        {"id": 7, "text": "How old are the children?"},
    ]
    result = runner.invoke(app, ["score"], input="".join(json.dumps(x) + "\n" for x in lines))
    assert result.exit_code == 0, result.output
    got = out_lines(result.stdout)
    assert [g["id"] for g in got] == ["a", 2, 7]  # no id: the line number
    assert [g["text"] for g in got] == [x["text"] for x in lines]
    assert all(set(g["scores"]) == set(SIGNALS) for g in got)
    assert got[0]["scores"]["sympathy"] >= 0.5
    assert {"signal", "start", "end", "text", "source", "reason"} <= set(got[0]["evidence"][0])
    assert got[1]["scores"]["empathy"] >= 0.5
    assert got[2]["evidence"] == []


def test_a_malformed_line_is_reported_and_the_rest_go_on(runner: CliRunner, scorer: Any) -> None:
    text = ('{"id": "first", "text": "Poor you."}\n{oops\n\n{"id": "x", "text": 5}\n'
            '{"text": "Add me on Facebook."}\n')
    result = runner.invoke(app, ["score", "-"], input=text)
    assert result.exit_code == 1
    got = out_lines(result.stdout)
    assert [g.get("id") for g in got] == ["first", None, None, "x", 5]  # one line out per line in
    assert got[1] == {"id": None, "line": 2, "error": got[1]["error"]} and "JSON" in got[1]["error"]
    assert got[2] == {"id": None, "line": 3, "skipped": "empty line"}
    assert got[3]["line"] == 4 and '"text"' in got[3]["error"]
    assert got[4]["scores"]["overstep"] >= 0.5
    assert "line 2:" in result.stderr and "line 4:" in result.stderr


def test_score_reads_a_file_and_batches(runner: CliRunner, scorer: Any, tmp_path: Path) -> None:
    path = tmp_path / "replies.jsonl"
    texts = [f"Reply number {i}: poor you." if i % 2 else f"How is number {i}?" for i in range(23)]
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts))
    result = runner.invoke(app, ["score", str(path), "--batch-size", "4"])
    assert result.exit_code == 0, result.output
    got = out_lines(result.stdout)
    assert [g["text"] for g in got] == texts
    assert [g["scores"]["sympathy"] >= 0.5 for g in got] == [i % 2 == 1 for i in range(23)]


def test_score_a_missing_file_is_a_clear_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["score", "/no/such/file.jsonl"])
    assert result.exit_code == 2
    assert "cannot read /no/such/file.jsonl" in result.stderr


def test_score_with_a_missing_model_says_make_model(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", "--model", str(tmp_path)], input='{"text": "hi"}\n')
    assert result.exit_code == 2
    assert "make model" in result.stderr
    assert "Traceback" not in result.output


def write_labelled(path: Path) -> None:
    rows = [
        {"text": "Poor you.", "labels": ["sympathy"]},
        {"text": "It sounds like you're worried about the kids.", "context": "What about my kids?",
         "labels": ["empathy"]},
        {"text": "How old are they?", "labels": []},
        {"text": "Ring me any time, day or night.", "labels": ["overstep"]},
        {"text": "What time is it?", "labels": ["purpose"]},  # a deliberate miss
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


def test_eval_prints_per_signal_figures_and_macro(runner: CliRunner, scorer: Any, tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    write_labelled(path)
    result = runner.invoke(app, ["eval", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["signal", "precision", "recall", "F1", "kappa", "support"]
    assert [ln.split()[0] for ln in lines[1:7]] == [*SIGNALS, "macro"]
    purpose = lines[1 + SIGNALS.index("purpose")].split()
    assert purpose[2] == "0.000" and purpose[-1] == "1"  # missed the one purpose line


def test_eval_json_and_errors(runner: CliRunner, scorer: Any, tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    write_labelled(path)
    result = runner.invoke(app, ["eval", str(path), "--json", "--errors"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["n"] == 5
    assert report["signals"]["sympathy"]["f1"] == 1.0
    (miss,) = report["errors"]["purpose"]["false_negatives"]
    assert miss["text"] == "What time is it?" and miss["source"].endswith(":5")
    text = runner.invoke(app, ["eval", str(path), "--errors"]).stdout
    assert "purpose: 1 false negatives" in text and "What time is it?" in text


def test_eval_reports_bad_lines_with_file_and_line(runner: CliRunner, scorer: Any, tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"text": "Poor you.", "labels": ["sympathy"]}\n{"text": "x", "labels": ["kindness"]}\n')
    result = runner.invoke(app, ["eval", str(path)])
    assert result.exit_code == 1
    assert f"{path}:2: unknown label(s) kindness" in result.stderr
    assert "macro" in result.stdout


def test_eval_missing_file(runner: CliRunner) -> None:
    result = runner.invoke(app, ["eval", "/no/such.jsonl"])
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_score_runs_as_a_real_command() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "trainer", "score"],
        input='{"id": 1, "text": "I can\'t promise to keep this secret."}\n',
        capture_output=True, text=True, cwd=REPO, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    (line,) = out_lines(proc.stdout)
    assert line["id"] == 1 and line["scores"]["boundaries"] >= 0.5


def test_eval_keeps_the_good_lines_of_a_file_with_a_bad_byte_and_a_bom(
    runner: CliRunner, scorer: Any, tmp_path: Path
) -> None:
    path = tmp_path / "mixed.jsonl"
    good = '{"text": "Oh you poor thing, I am so sorry.", "labels": ["sympathy"]}'
    path.write_bytes(b"\xef\xbb\xbf" + good.encode() + b"\n\xff not text\r\n" + good.encode() + b"\n")
    result = runner.invoke(app, ["eval", str(path), "--json"])
    assert result.exit_code == 1  # a line was left out, and said so
    assert f"{path}:2: not UTF-8 text (byte 1)" in result.stderr and "the line was skipped" in result.stderr
    assert "BOM" not in result.stderr and ":1:" not in result.stderr and "Error" not in result.stderr
    assert json.loads(result.stdout)["n"] == 2


def test_eval_shows_a_dash_for_a_signal_no_line_is_labelled_with_and_leaves_it_out_of_the_macro(
    runner: CliRunner, scorer: Any, tmp_path: Path
) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text('{"text": "It sounds like you are frightened of losing them.", "labels": ["empathy"]}\n')
    result = runner.invoke(app, ["eval", str(path)])
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()[1:7]}
    assert rows["purpose"] == ["-", "-", "-", "-", "0"]
    # the macro F1 is empathy's alone
    assert rows["empathy"][-1] == "1" and rows["macro"][2] == rows["empathy"][2]
    assert "macro row leaves them out (it covers 1 of 5 signals)" in result.stdout
    report = json.loads(runner.invoke(app, ["eval", str(path), "--json"]).stdout)
    assert report["signals"]["purpose"]["f1"] is None and report["macro_signals"] == ["empathy"]


# --- plain text, exact columns, misspelt fields, folders ---------------------------------------------------


def test_score_takes_a_plain_text_file_as_one_reply_a_line(runner: CliRunner, scorer: Any,
                                                            tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("It sounds like you are exhausted.\n\nDo not worry, it will be fine.\n")
    result = runner.invoke(app, ["score", str(path)])
    assert result.exit_code == 0, result.output
    got = out_lines(result.stdout)
    # one line out per line in: the empty line 2 has its own output line, in its place, and is named
    assert [(g["id"], g.get("text")) for g in got] == [(1, "It sounds like you are exhausted."), (2, None),
                                                      (3, "Do not worry, it will be fine.")]
    assert got[1] == {"id": 2, "line": 2, "skipped": "empty line"}
    assert "line 2 is empty: nothing to score" in result.stderr
    assert got[0]["scores"]["empathy"] >= 0.5 and got[2]["scores"]["sympathy"] >= 0.5
    assert result.stderr.count(f"{path} is plain text, not JSON lines") == 1  # said once
    assert "not valid JSON" not in result.stderr


def test_score_says_the_real_column_of_a_line_cut_short_and_what_a_misspelt_field_meant(
    runner: CliRunner, scorer: Any
) -> None:
    text = '{"text": "ok"}\n{"txt": "hello"}\n{"text": "trailing",\n'
    result = runner.invoke(app, ["score"], input=text)
    assert result.exit_code == 1
    missing = 'line 2: "text" is missing or not a string (did you mean "text" instead of "txt"?)'
    assert missing in result.stderr
    assert "line 3: not valid JSON (Expecting property name enclosed in double quotes at column 21)" in \
        result.stderr
    assert "plain text" not in result.stderr  # a JSON lines file with bad lines is still JSON lines
    assert out_lines(result.stdout)[2]["error"].endswith("at column 21)")


def test_eval_says_a_missing_field_is_missing(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"text": "It sounds hard", "label": ["empathy"]}\n{"txt": "Poor you", "labels": []}\n'
                    '{"text": "x", "labels": "empathy"}\n')
    result = runner.invoke(app, ["eval", str(path)])
    assert result.exit_code == 1
    assert f'{path}:1: no "labels" field (did you mean "labels" instead of "label"?)' in result.stderr
    assert f'{path}:2: no "text" field (did you mean "text" instead of "txt"?)' in result.stderr
    assert f'{path}:3: "labels" must be a list of signal names' in result.stderr  # present but wrong


def test_eval_on_a_folder_says_it_is_a_folder(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["eval", str(empty)])
    assert result.exit_code == 2 and "no such file" not in result.stderr
    assert f"{empty} is a folder with no .jsonl files in it" in result.stderr
    (empty / "gold.jsonl").write_text("")
    result = runner.invoke(app, ["eval", str(empty)])
    named = f"{empty} is a folder: name the JSON lines files in it, e.g. {empty / 'gold.jsonl'}"
    assert named in result.stderr


@given(st.lists(st.sampled_from(["", "   ", "\ufeff", "Poor you.", "How old are they?", '{"text": "Hi."}']),
                min_size=1, max_size=12), st.integers(1, 3))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_score_gives_one_line_out_per_line_in_whatever_lines_are_empty(
    runner: CliRunner, scorer: Any, lines: list[str], batch: int
) -> None:
    # A batch user pastes the output beside the input: line N out is line N in, empty or not.
    text = "".join(line + "\n" for line in lines)
    result = runner.invoke(app, ["score", "--batch-size", str(batch)], input=text)
    got = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(got) == len(lines)
    for number, (line, out) in enumerate(zip(lines, got, strict=True), 1):
        empty = not line.strip().lstrip("\ufeff")
        assert ("skipped" in out) == empty and (not empty or out["line"] == number)
