"""`trainer score` on a CSV file as an educator runs it (typer's CliRunner): read by its columns, or
refused with a message that says what to change."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from trainer.cli import app

NO_SLEEP = "I have not slept in weeks and the baby will not settle."
NO_SLEEP_REFLECTED = "So no sleep at all."  # a reflection of that line; without it, not one


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def out_lines(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def score_csv(runner: CliRunner, tmp_path: Path, content: str | bytes, name: str = "r.csv") -> Any:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return runner.invoke(app, ["score", str(path)])


def score_jsonl(runner: CliRunner, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["score"], input="".join(json.dumps(x) + "\n" for x in lines))
    assert result.exit_code == 0, result.output
    return out_lines(result.stdout)


def test_a_csv_is_scored_by_its_columns_as_the_same_replies_in_json_lines(
    runner: CliRunner, scorer: Any, tmp_path: Path
) -> None:
    content = f"id,text,context\nr1,{NO_SLEEP_REFLECTED},{NO_SLEEP}\nr2,Poor you.,\n"
    result = score_csv(runner, tmp_path, content)
    assert result.exit_code == 0, result.output
    got = out_lines(result.stdout)
    # one output line per row: the header is not a reply, and neither id nor context is part of the text
    assert [(g["id"], g["text"]) for g in got] == [("r1", NO_SLEEP_REFLECTED), ("r2", "Poor you.")]
    assert "plain text" not in result.stderr
    same = score_jsonl(runner, [{"id": "r1", "text": NO_SLEEP_REFLECTED, "context": NO_SLEEP},
                                {"id": "r2", "text": "Poor you."}])
    assert got == same  # the context was used just as a JSON line's is
    without_context = score_jsonl(runner, [{"id": "r1", "text": NO_SLEEP_REFLECTED}])
    assert got[0]["scores"]["empathy"] >= 0.5 > without_context[0]["scores"]["empathy"]  # the context counted


def test_reply_column_bom_quotes_and_rows_without_an_id(runner: CliRunner, scorer: Any,
                                                        tmp_path: Path) -> None:
    # As a spreadsheet saves it: a byte-order mark, CRLF, a quoted comma, a quoted line break, "" for ",
    # a column the scorer does not read, columns in another order.
    content = ("\ufeffCohort,Reply,Context\r\n"
               'A,"Poor you, that is awful.",\r\n'
               'B,"It sounds like you are exhausted.\r\nHow old are the children?",\r\n'
               'C,"She said ""no"" to the visit, and you feel let down.","I told her, no."\r\n')
    result = score_csv(runner, tmp_path, content.encode("utf-8"))
    assert result.exit_code == 0, result.output
    got = out_lines(result.stdout)
    assert [g["text"] for g in got] == [
        "Poor you, that is awful.",
        "It sounds like you are exhausted.\nHow old are the children?",
        'She said "no" to the visit, and you feel let down.',
    ]
    assert [g["id"] for g in got] == [2, 3, 4]  # no id column: the row number, the header being row 1
    assert got[0]["scores"]["sympathy"] >= 0.5
    assert [a["act"].split("_")[0] for a in got[1]["acts"]] == ["reflection", "question"]  # both lines
    quoted = 'She said "no" to the visit, and you feel let down.'
    assert got[2] == score_jsonl(runner, [{"id": 4, "text": quoted, "context": "I told her, no."}])[0]
    assert "column Cohort is not read" in result.stderr
    assert "Cohort" not in result.stdout


def test_a_csv_without_a_text_column_is_refused_and_says_what_to_do(runner: CliRunner,
                                                                    tmp_path: Path) -> None:
    result = score_csv(runner, tmp_path, "id,reply_text,context\n1,Poor you.,\n", name="replies.csv")
    assert result.exit_code == 2
    assert result.stdout == ""
    path = tmp_path / "replies.csv"
    assert f'{path} has no "text" column: its header (first row) is id,reply_text,context' in result.stderr
    assert "add a column named text" in result.stderr
    # a header that is a reply (no header row) and a header separated by semicolons
    result = score_csv(runner, tmp_path, "Poor you.\nHow old are they?\n")
    assert result.exit_code == 2 and "its header (first row) is Poor you.;" in result.stderr
    result = score_csv(runner, tmp_path, "id;text\n1;Poor you.\n")
    assert result.exit_code == 2 and "separated by ';'" in result.stderr
    result = score_csv(runner, tmp_path, "")
    assert result.exit_code == 2 and "is empty: a CSV file of replies needs a header" in result.stderr


def test_a_row_with_an_empty_text_is_reported_and_nothing_else_is_lost(
    runner: CliRunner, scorer: Any, tmp_path: Path
) -> None:
    content = "id,text,context\na,Poor you.,\nb,,I'm scared.\n,,\nd,How old are the children?,\n"
    result = score_csv(runner, tmp_path, content)
    assert result.exit_code == 1
    got = out_lines(result.stdout)
    assert [g["id"] for g in got] == ["a", "b", 4, "d"]  # one line out per row, in order
    assert got[1] == {"id": "b", "row": 3, "error": got[1]["error"]} and "empty" in got[1]["error"]
    assert got[2] == {"id": 4, "row": 4, "skipped": "empty row"}
    assert got[0]["scores"]["sympathy"] >= 0.5 and got[3]["act"].startswith("question")
    assert ('row 3: the "text" column is empty: there is no reply to score; the row was skipped'
            in result.stderr)
    assert "row 4 is empty: nothing to score" in result.stderr
    assert "1 row(s) could not be scored" in result.stderr


def test_a_row_with_more_fields_than_the_header_is_reported(runner: CliRunner, scorer: Any,
                                                            tmp_path: Path) -> None:
    # An unquoted comma would otherwise cut the reply short and score the rest as its context.
    result = score_csv(runner, tmp_path, "id,text,context\n1,Poor you, that is awful.,Hi\n2,Poor you.,\n")
    assert result.exit_code == 1
    got = out_lines(result.stdout)
    assert got[0]["row"] == 2 and "4 fields but the header names 3 columns" in got[0]["error"]
    assert "row 2: it has 4 fields" in result.stderr
    assert got[1]["text"] == "Poor you."


def test_a_csv_that_is_not_utf8_or_has_an_open_quote_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    result = score_csv(runner, tmp_path, "id,text\n1,caf\u00e9 talk\n".encode("cp1252"))
    assert result.exit_code == 2 and "is not UTF-8 text (byte 14): save it as CSV UTF-8" in result.stderr
    result = score_csv(runner, tmp_path, 'id,text\n1,"Poor you.\n2,Bye\n')
    assert result.exit_code == 2 and "cannot be read as CSV" in result.stderr


def test_score_help_names_csv(runner: CliRunner) -> None:
    result = runner.invoke(app, ["score", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "CSV file" in result.stdout and "text (or reply)" in result.stdout
