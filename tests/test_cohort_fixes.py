"""`trainer cohort` as an educator tester used it (t11): outputs that would destroy a hand-in, names that
leaked without --names, duplicates, missed moments split by redaction, per-skill counts, plain messages,
files and flags skipped without a word, names typed two ways."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.cohort_data import Made, make_class
from tests.test_cohort import tables
from trainer.cli import app
from trainer.debrief.redact import redact


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> list[Made]:
    return make_class(tmp_path_factory.mktemp("class") / "class")


def cohort(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["cohort", *map(str, args)])
    return result.exit_code, result.output


def copy(made: list[Made], folder: Path, *indices: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in indices:
        shutil.copy(made[i].path, folder / made[i].path.name)
    return folder


def export_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# --- 1. an output path that is a hand-in ------------------------------------------------------------


@pytest.mark.parametrize("option", ["-o", "--csv", "--flags"])
def test_an_output_that_is_one_of_the_hand_ins_is_refused_and_nothing_is_written(made, tmp_path, option):
    folder = copy(made, tmp_path / "c2", 0, 1, 2)
    target = folder / made[1].path.name
    before = target.read_bytes()
    args = ["-o", tmp_path / "r.html"] if option != "-o" else []
    code, output = cohort(folder, *args, option, target)
    assert code == 2, output
    assert f"{option} {target} is one of the files being read" in output
    assert "nothing was written" in output and "-o report.html" in output
    assert target.read_bytes() == before
    assert not (tmp_path / "r.html").exists()


def test_an_output_that_is_an_export_elsewhere_or_renamed_is_refused_too(made, tmp_path):
    folder = copy(made, tmp_path / "in", 0)
    elsewhere = tmp_path / "s4.txt"  # a student's export, renamed by an e-mail client, not among the inputs
    shutil.copy(made[3].path, elsewhere)
    code, output = cohort(folder, "-o", tmp_path / "r.html", "--csv", elsewhere)
    assert code == 2 and "is a trainer session export" in output
    assert elsewhere.read_bytes() == made[3].path.read_bytes()
    code, output = cohort(folder, "-o", tmp_path / "r.html", "--csv", tmp_path / "r.html")
    assert code == 2 and "the same file as -o" in output
    # A previous report is not an export: writing over it is what a second run does.
    (tmp_path / "old.html").write_text("<html>last week</html>")
    code, output = cohort(folder, "-o", tmp_path / "old.html")
    assert code == 0, output
