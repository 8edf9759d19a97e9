"""Two scenarios that share an id (two educators both wrote `first-visit.yaml`) are reported apart, by
title, never pooled into one row; sessions the exports cannot tell apart are said to be; and each session
carries its run id beside this report's S-number, so it is named the same way in every report."""

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
from trainer.debrief.export import export
from trainer.debrief.model import Debrief
from trainer.scenario.loader import find_scenario

SHARED = "first-visit"
PAIR = ("doorstep-example", "keep-it-secret")


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> list[Made]:
    return make_class(tmp_path_factory.mktemp("class") / "class")


def renamed(made: list[Made], folder: Path, *, redact: str | None = None) -> Path:
    """The class's sessions of both scenarios, each saved as if its scenario were called `first-visit`
    (as two educators' files of that name would be); a student's folder each, as a VLE gives them."""
    for m in made:
        if m.scenario_id not in PAIR:
            continue
        data = m.debrief.model_dump(mode="json")
        data["scenario_id"] = data["run_state"]["scenario_id"] = SHARED
        one = Debrief.model_validate(data)
        text = export(one, "json", redact=(m.student == redact and m.scenario_id == "keep-it-secret"))
        number = PAIR.index(m.scenario_id) + 1  # each student's own history numbers them 1, 2
        (folder / m.student).mkdir(parents=True, exist_ok=True)
        (folder / m.student / f"debrief-{number}-{SHARED}.json").write_text(text, encoding="utf-8")
    return folder


def originals(made: list[Made], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for m in made:
        if m.scenario_id in PAIR:
            shutil.copy(m.path, folder / m.path.name)
    return folder


def report(tmp_path: Path, *args: object) -> tuple[dict[str, list[dict[str, str]]], str, str, str]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    out, sheet = tmp_path / "r.html", tmp_path / "s.csv"
    result = CliRunner().invoke(app, ["cohort", *map(str, args), "-o", str(out), "--csv", str(sheet)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    return tables(html), html, sheet.read_text(encoding="utf-8-sig"), result.output


def skills_by_title(found: dict[str, list[dict[str, str]]], html: str) -> dict[str, list[dict[str, str]]]:
    """Each scenario's skills table, by the title its heading gives."""
    out = {}
    for i in range(1, 10):
        if f"skills-{i}" not in found:
            break
        heading = html.split(f'id="skills-{i}"')[0].rsplit("<h3>", 1)[1]
        out[heading.split(" <span")[0]] = found[f"skills-{i}"]
    return out


def test_two_scenarios_with_one_id_are_reported_apart_with_their_own_figures(made, tmp_path):
    alike, alike_html, _, _ = report(tmp_path / "a", originals(made, tmp_path / "originals"))
    found, html, sheet, said = report(tmp_path / "b", renamed(made, tmp_path / "renamed"))
    titles = {m.scenario_id: m.debrief.scenario_title for m in made}
    apart = skills_by_title(found, html)
    # Two rows, not one, each with the very figures the scenario has when it has an id of its own.
    assert set(apart) == {titles[s].replace('"', "&quot;").replace("'", "&#x27;") for s in PAIR}
    assert sorted(map(str, apart.values())) == sorted(map(str, skills_by_title(alike, alike_html).values()))
    assert found["headline"][3] == {"Figure": "scenarios", "Value": "2"}
    # The page and the terminal say why, and what to do.
    notice = next(n for n in found["notices"] if "share the id" in n["What was found and what was done"])
    message = notice["What was found and what was done"]
    assert "2 scenarios with different titles share the id 'first-visit'" in message
    assert "(4 session(s))" in message and "give each file a name (its id) of its own" in message
    assert "share the id 'first-visit'" in said
    # The spreadsheet names each session's own scenario, not the first title seen for the id.
    rows = list(csv.DictReader(io.StringIO(sheet)))
    assert {r["scenario_title"] for r in rows} == {titles[s] for s in PAIR}
    assert sum(r["scenario_title"] == titles["keep-it-secret"] for r in rows) == 4


def test_a_redacted_copy_joins_its_own_scenario_not_a_third(made, tmp_path):
    # A redacted export's title reads "[service user]" where the named ones say "Sophie".
    found, html, sheet, _ = report(tmp_path, renamed(made, tmp_path / "renamed", redact="A"))
    rows = list(csv.DictReader(io.StringIO(sheet)))
    assert len({r["scenario_title"] for r in rows}) == 2 and found["headline"][3]["Value"] == "2"
    assert all(row["Sessions"] == "4" for table in skills_by_title(found, html).values() for row in table)


def test_each_scenario_is_mapped_on_the_educators_copy_with_its_title(made, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    shutil.copy(find_scenario("doorstep-example"), mine / f"{SHARED}.yaml")
    found, html, _, said = report(tmp_path / "one", renamed(made, tmp_path / "renamed"), "--scenarios", mine)
    maps = [k for k in found if k.startswith("moments-")]
    assert len(maps) == 1  # only the doorstep's sessions on the doorstep's moments
    assert "another scenario (titled 'On the doorstep'" in said and "--scenarios folder of its own" in said
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    shutil.copy(find_scenario("keep-it-secret"), theirs / f"{SHARED}.yaml")
    found, html, _, said = report(tmp_path / "two", tmp_path / "renamed", "--scenarios", mine,
                                  "--scenarios", theirs)
    assert len([k for k in found if k.startswith("moments-")]) == 2
    nodes = {row["Moment"] for k in found if k.startswith("moments-") for row in found[k]}
    assert {"hello", "secret_ask"} <= nodes  # each its own scenario's moments
    assert "does not have" not in said  # no session was laid over the other scenario's moments


def test_one_id_and_title_with_different_service_users_is_said_to_be_ambiguous(made, tmp_path):
    folder = renamed(made, tmp_path / "renamed")
    one = folder / "B" / f"debrief-1-{SHARED}.json"  # B's doorstep session
    data = json.loads(one.read_text(encoding="utf-8"))
    data["debrief"]["service_user"] = "Rose Adams"  # another author's doorstep, titled the same
    one.write_text(json.dumps(data), encoding="utf-8")
    found, _, _, said = report(tmp_path, folder)
    assert found["headline"][3]["Value"] == "2"  # still pooled: the export cannot tell them apart...
    assert "name 2 different service users (Marcia" in said and "Rose Adams" in said  # ...but it says so
    assert "cannot tell apart, so they are counted together" in said


def test_a_session_keeps_its_run_id_whatever_else_is_in_the_report(made, tmp_path):
    everyone = renamed(made, tmp_path / "renamed")
    _, _, whole, _ = report(tmp_path / "all", everyone)
    _, _, part, _ = report(tmp_path / "part", everyone / "C", everyone / "D")
    all_rows = {r["run_id"]: r for r in csv.DictReader(io.StringIO(whole))}
    part_rows = list(csv.DictReader(io.StringIO(part)))
    assert len(all_rows) == 8 and all(len(run) == 32 for run in all_rows)  # every file says "session 1"
    assert {r["session"] for r in part_rows} == {"S1", "S2", "S3", "S4"}
    moved = [r for r in part_rows if all_rows[r["run_id"]]["session"] != r["session"]]
    assert moved  # the S-number is this report's own...
    for r in part_rows:  # ...the run id finds the same session in the other report
        assert all_rows[r["run_id"]]["started_at"] == r["started_at"]
        assert all_rows[r["run_id"]]["scenario_title"] == r["scenario_title"]


def test_the_sessions_table_and_the_flags_file_carry_the_run_id(made, tmp_path):
    out, flags = tmp_path / "r.html", tmp_path / "f.jsonl"
    folder = renamed(made, tmp_path / "renamed")
    result = CliRunner().invoke(app, ["cohort", str(folder), "-o", str(out), "--flags", str(flags)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    runs = {m.debrief.run_state.run_id for m in made if m.scenario_id in PAIR}
    assert {f'data-run="{r}"' in html for r in runs} == {True}
    assert "names it in every report" in html
    lines = [json.loads(line) for line in flags.read_text(encoding="utf-8").splitlines()]
    assert lines and all(line["run"] in runs and line["scenario"] == SHARED for line in lines)
    assert {line["scenario_title"] for line in lines} <= {m.debrief.scenario_title for m in made}
    table = tables(html)["flags-table"]
    assert all(row["Scenario"].startswith(f"{SHARED} (") for row in table)  # the id, and which one
