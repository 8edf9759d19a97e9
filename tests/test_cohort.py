"""`trainer cohort`: a class report from a dozen real exports (played through the engine and the real
scorer), plus bad files; the report is parsed back and checked against the sessions that went in."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import stat
import statistics
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.cohort_data import Made, make_class
from trainer.cli import app
from trainer.debrief.selfassess import SKILLS
from trainer.educator.exportformat import export_schema_text
from trainer.educator.ingest import read_export
from trainer.educator.wording import rounded
from trainer.scenario.loader import find_scenario, load_scenario
from trainer.scoring.evaluate import read_labelled

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "docs" / "export.schema.json"


class Tables(HTMLParser):
    """Every <table id=...> of a page as a list of rows of cell texts (header row included)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = dict(attrs).get("id") or f"table-{len(self.tables)}"
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def labelled(output: str) -> dict[str, str]:
    """"file 3" -> the real path, as the terminal says which file each of the report's labels is."""
    found = re.findall(r"trainer cohort: (.+?) \((file \d+|folder \d+) in the report\)", output)
    return {label: path for path, label in found}


def tables(html: str) -> dict[str, list[dict[str, str]]]:
    parser = Tables()
    parser.feed(html)
    return {
        tid: [dict(zip(rows[0], row, strict=True)) for row in rows[1:]] for tid, rows in parser.tables.items()
    }


@pytest.fixture(scope="module")
def handed_in(tmp_path_factory) -> tuple[Path, list[Made]]:
    folder = tmp_path_factory.mktemp("handed-in")
    made = make_class(folder / "class")
    good = made[0].path.read_text(encoding="utf-8")
    (folder / "class" / "corrupt.json").write_text(good[: len(good) // 2], encoding="utf-8")
    (folder / "class" / "foreign.json").write_text(json.dumps({"name": "my-package", "version": "1.0"}))
    return folder / "class", made


@pytest.fixture(scope="module")
def report(handed_in, tmp_path_factory):
    folder, made = handed_in
    out = tmp_path_factory.mktemp("report")
    result = CliRunner().invoke(
        app,
        [
            "cohort",
            str(folder),
            "-o",
            str(out / "report.html"),
            "--csv",
            str(out / "sessions.csv"),
            "--flags",
            str(out / "flags.jsonl"),
        ],
    )
    assert result.exit_code == 0, result.output
    html = (out / "report.html").read_text(encoding="utf-8")
    return html, tables(html), out, result.output


def test_the_headline_counts_the_class_and_leaves_out_the_bad_files(handed_in, report):
    _, made = handed_in
    html, t, _, output = report
    figures = {row["Figure"]: row["Value"] for row in t["headline"]}
    assert figures["files"] == "14" and figures["sessions"] == "12" and figures["left out"] == "2"
    # Three named students with three sessions each, and three sessions with no name, each counted apart.
    assert figures["students"] == "6" and figures["scenarios"] == "3" and figures["flags"] == "2"
    for skill in SKILLS:
        mean = statistics.fmean(m.debrief.skill(skill).score for m in made)
        assert figures[f"mean {skill}"] == rounded(mean, 2)
    # Without --names the page shows "file 13", and the terminal which file that is.
    real = labelled(output)
    what = "What was found and what was done"
    rows = [row for row in t["notices"] if "carry no student name" not in row[what]]
    assert rows and all(re.fullmatch(r"file \d+", row["File"]) for row in rows)
    # The three unnamed sessions are named by their files (labelled) and by S-number and run.
    (unnamed,) = [row for row in t["notices"] if row not in rows]
    assert re.fullmatch(r"file \d+, file \d+, file \d+", unnamed["File"])
    assert re.match(r"Sessions S\d+ \(run \w{8}\), S\d+ \(run \w{8}\), S\d+ \(run \w{8}\) carry no student",
                    unnamed[what])
    notices = {Path(real[row["File"]]).name: row["What was found and what was done"] for row in rows}
    assert "stops part-way" in notices["corrupt.json"] and "cut short" in notices["corrupt.json"]
    assert "not a trainer session export" in notices["foreign.json"]
    assert "left out" in notices["corrupt.json"].lower() and "left out" in notices["foreign.json"]
    assert "12 session(s) from 6 student(s)" in output


def test_skill_distributions_per_scenario_match_the_sessions(handed_in, report):
    _, made = handed_in
    _, t, _, _ = report
    tables_by_scenario = {
        tid: rows for tid, rows in t.items() if tid.startswith("skills-") and tid != "skills-all"
    }
    assert len(tables_by_scenario) == 3
    for rows in [t["skills-all"], *tables_by_scenario.values()]:
        assert [r["Skill"].split()[0] for r in rows] == ["Empathy", "Purpose-setting", "Boundaries"]
    for row, skill in zip(t["skills-all"], SKILLS, strict=True):
        levels = Counter(m.debrief.skill(skill).level for m in made)
        assert row["Sessions"] == "12"
        assert [int(row[f"Level {i}"]) for i in range(1, 6)] == [levels[i] for i in range(1, 6)]
        scores = [m.debrief.skill(skill).score for m in made]
        assert row["Lowest"] == f"{min(scores):.2f}" and row["Highest"] == f"{max(scores):.2f}"
    # The good scripts and the overstepping ones really differ: an overstep keeps boundaries at 2 of 5 or
    # below in every overstep session (trainer.debrief.sessionscores.OVERSTEP_CAP).
    overstepped = [m for m in made if any("overstep" in line.present for line in m.debrief.transcript)]
    assert {m.student for m in overstepped} >= {"B", "C"}
    assert all((m.debrief.skill("boundaries").level or 0) <= 2 for m in overstepped)
    assert all((m.debrief.skill("boundaries").level or 0) >= 4 for m in made if m.student == "A")


def test_calibration_shows_who_rates_higher_and_lower(handed_in, report):
    _, made = handed_in
    _, t, _, _ = report
    for row, skill in zip(t["calibration"], SKILLS, strict=True):
        gaps = [
            m.debrief.skill(skill).rating - m.debrief.skill(skill).level for m in made if m.student != "D"
        ]
        assert row["Sessions rated"] == str(len(gaps)) == "9"
        assert row["Rated higher (+2 or more)"] == str(sum(g >= 2 for g in gaps))
        assert row["Within one level"] == str(sum(-2 < g < 2 for g in gaps))
        assert row["Rated lower (-2 or less)"] == str(sum(g <= -2 for g in gaps))
    students = {row["Student"]: row for row in t["calibration-students"]}
    # Student 1 (rates 5 everywhere) played the built rehearsals, which earn 4 or 5 on every skill (issue
    # 10): no session is 2+ apart, and a skill reads "rates ... slightly higher" exactly where her mean gap
    # is a whole level (all three sessions at 4), never plain "higher", which the table above would count
    # as within one level; student 2 rates exactly what was shown; student 3 (rates 1
    # everywhere) under-rates purpose; the unnamed sessions skipped the self-assessment.
    anna = [m for m in made if m.student == "A"]
    assert all(m.debrief.skill(skill).level >= 4 for m in anna for skill in SKILLS)
    higher = [
        skill for skill in SKILLS
        if statistics.fmean(5 - m.debrief.skill(skill).level for m in anna) >= 1.0
    ]
    said = students["Student 1"]["In short"]
    assert (said == "close on every skill rated") is (not higher)
    assert said.count("rates") == len(higher) == said.count("slightly higher")
    assert students["Student 2"]["In short"] == "close on every skill rated"
    assert students["Student 2"]["empathy mean gap"] == "+0.0"
    assert re.search(r"rates purpose-setting (slightly )?lower", students["Student 3"]["In short"])
    assert students["Student 4"]["In short"] == "gave no ratings"


def test_the_map_of_moments_shows_where_students_managed_and_where_it_broke_down(handed_in, report):
    _, made = handed_in
    _, t, _, _ = report
    doorstep = load_scenario(find_scenario("doorstep-example")).scenario
    ids = {rows[0]["Moment"]: tid for tid, rows in t.items() if tid.startswith("moments-") and rows}
    rows = {r["Moment"]: r for r in t[ids[doorstep.start]]}
    assert list(rows) == [n for n, node in doorstep.nodes.items() if node.ending is None]
    sessions = [m for m in made if m.scenario_id == "doorstep-example"]
    assert rows["doorstep"]["Sessions reached"] == "4"
    for node_id, row in rows.items():
        expect = doorstep.nodes[node_id].expect
        replies = [
            line
            for m in sessions
            for line in m.debrief.transcript
            if line.speaker == "learner" and line.node == node_id
        ]
        if expect and replies:
            # Each expected skill counted on its own, over replies (said so), beside the replies column:
            # "boundaries 1 of 2 replies, empathy 0 of 2 replies".
            unit = "reply" if len(replies) == 1 else "replies"
            counts = [f"{s} {sum(s in line.present for line in replies)} of {len(replies)} {unit}"
                      for s in expect]
            assert row["Replies that showed each expected skill"] == ", ".join(counts)
            assert row["Replies here"] == str(len(replies))
    # "No reason given" (student C) is turned away at the door: the breakdown is at the wary moment.
    assert rows["wary"]["Broke down here"] == "1" and rows["doorstep"]["Broke down here"] == "0"
    endings = {r["Ending"]: int(r["Sessions"]) for r in t[ids[doorstep.start].replace("moments", "endings")]}
    assert endings == dict(Counter(m.debrief.outcome.title for m in sessions))
    missed_tables = [tid for tid in t if tid.startswith("missed-")]
    assert missed_tables and all(t[tid] for tid in missed_tables)


def test_flags_are_listed_escaped_and_written_for_trainer_eval(handed_in, report):
    html, t, out, _ = report
    assert len(t["flags-table"]) == 2
    assert all(row["Student"] == "Student 2" for row in t["flags-table"])
    assert "<script>" not in html and "&lt;script&gt;alert(0)&lt;/script&gt;" in html
    assert "<b>nervous</b>" not in html
    items, problems = read_labelled([out / "flags.jsonl"])
    assert len(items) == 2 and not problems
    assert all(
        "I think it was fine" in json.loads(line)["flag_reason"]
        for line in (out / "flags.jsonl").read_text().splitlines()
    )


def test_csv_has_a_row_per_session_and_numbers_students(handed_in, report):
    _, made = handed_in
    html, _, out, _ = report
    assert (out / "sessions.csv").read_bytes().startswith(b"\xef\xbb\xbfsession,student,")  # for Excel
    text = (out / "sessions.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 12
    by_key = {(m.debrief.scenario_id, m.debrief.started_at.isoformat()): m for m in made}
    for row in rows:
        m = by_key[(row["scenario_id"], row["started_at"])]
        for skill in SKILLS:
            assert float(row[f"{skill}_score"]) == pytest.approx(m.debrief.skill(skill).score, abs=5e-4)
        assert row["file"] == ""
    for name in ("Kowalski", "Ben Ollie", "Cara Dunn"):
        assert name not in text and name not in html


def test_names_only_with_the_flag(handed_in, tmp_path):
    folder, _ = handed_in
    result = CliRunner().invoke(
        app,
        ["cohort", str(folder), "-o", str(tmp_path / "r.html"), "--names", "--csv", str(tmp_path / "r.csv")],
    )
    assert result.exit_code == 0
    students = {row["Student"] for row in tables((tmp_path / "r.html").read_text())["calibration-students"]}
    assert {"Anna Kowalski", "Ben Ollie", "Cara Dunn"} <= students
    # The unnamed ones are numbered apart, so none looks like the 4th of a series whose 1-3 are missing.
    assert sorted(s for s in students if not s.endswith(("Kowalski", "Ollie", "Dunn"))) == [
        "Unnamed student 1", "Unnamed student 2", "Unnamed student 3"]
    assert "a-doorstep-example.json" in (tmp_path / "r.csv").read_text(encoding="utf-8-sig")


def test_duplicates_versions_and_unknown_scenarios_are_each_noted(handed_in, tmp_path):
    _, made = handed_in
    folder = tmp_path / "in"
    folder.mkdir()
    for m in made[:3]:
        shutil.copy(m.path, folder / m.path.name)
    shutil.copy(made[0].path, folder / "copy.json")  # an identical copy
    earlier = json.loads(made[1].path.read_text())
    earlier["debrief"]["transcript"] = earlier["debrief"]["transcript"][:2]
    earlier["debrief"]["updated_at"] = "2026-01-01T00:00:00Z"
    (folder / "earlier-save.json").write_text(json.dumps(earlier))
    old = json.loads(made[3].path.read_text())
    old["format"], old["version"] = "trainer-debrief", 1
    del old["format_version"]
    (folder / "old.json").write_text(json.dumps(old))
    new = json.loads(made[4].path.read_text())
    new["format_version"] = 3
    new["debrief"]["mood_meter"] = {"value": 3}
    new["debrief"]["transcript"][0]["emotion"] = "calm"
    (folder / "new.json").write_text(json.dumps(new))
    unknown = json.loads(made[5].path.read_text())
    unknown["debrief"]["scenario_id"] = unknown["debrief"]["run_state"]["scenario_id"] = "not-one-of-ours"
    (folder / "unknown.json").write_text(json.dumps(unknown))
    (folder / "empty.json").write_text("")
    (folder / "list.json").write_text("[1, 2]")

    result = CliRunner().invoke(
        app, ["cohort", str(folder), str(tmp_path / "nowhere"), "-o", str(tmp_path / "r.html"), "--names"]
    )
    assert result.exit_code == 0, result.output
    t = tables((tmp_path / "r.html").read_text())
    kinds = {Path(r["File"].split(",")[0]).name: r["What was found and what was done"] for r in t["notices"]}
    assert "identical copy" in kinds["copy.json"] and "saved earlier" in kinds["earlier-save.json"]
    assert "older trainer" in kinds["old.json"] and "newer trainer" in kinds["new.json"]
    assert "not among your scenarios" in kinds["unknown.json"]
    assert "Is empty" in kinds["empty.json"] and "not a trainer session export" in kinds["list.json"]
    assert "No such file or folder" in kinds["nowhere"]
    figures = {row["Figure"]: row["Value"] for row in t["headline"]}
    # 3 originals + old + new + unknown; the two copies, the empty file and the list are left out.
    assert figures["sessions"] == "6"
    assert "You do not have this scenario" in (tmp_path / "r.html").read_text()


def test_an_output_that_cannot_be_written_is_reported(handed_in, tmp_path):
    folder, _ = handed_in
    result = CliRunner().invoke(app, ["cohort", str(folder), "-o", str(tmp_path / "no" / "such" / "r.html")])
    assert result.exit_code == 2 and "cannot write" in result.output


def test_a_name_is_escaped_in_html_and_defused_in_csv(handed_in, tmp_path):
    _, made = handed_in
    data = json.loads(made[0].path.read_text())
    data["debrief"]["learner_name"] = '=HYPERLINK("x")<img src=x onerror=alert(1)>'
    (tmp_path / "one.json").write_text(json.dumps(data))
    CliRunner().invoke(
        app,
        [
            "cohort",
            str(tmp_path / "one.json"),
            "-o",
            str(tmp_path / "r.html"),
            "--names",
            "--csv",
            str(tmp_path / "r.csv"),
        ],
    )
    html = (tmp_path / "r.html").read_text()
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    row = next(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text(encoding="utf-8-sig"))))
    assert row["student"].startswith("'=HYPERLINK")


# --- the export format ---------------------------------------------------------------------------------


def test_the_committed_schema_is_the_generated_one():
    assert SCHEMA.read_text(encoding="utf-8") == export_schema_text(), (
        "docs/export.schema.json is out of date: "
        "python -m trainer.educator.exportformat > docs/export.schema.json"
    )


def test_real_exports_validate_against_the_schema_and_foreign_ones_do_not(handed_in):
    _, made = handed_in
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    for m in made[:4]:
        jsonschema.validate(json.loads(m.path.read_text(encoding="utf-8")), schema)
    broken = json.loads(made[0].path.read_text(encoding="utf-8"))
    broken["debrief"]["skills"][0]["score"] = "high"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(
                    st.sampled_from(["format", "format_version", "version", "debrief", "redacted", "x"]),
                    inner,
                    max_size=5,
                )
            ),
            max_leaves=12,
        ).map(lambda v: json.dumps(v).encode()),
    )
)
def test_no_input_stops_the_reader(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("fuzz") / "x.json"
    path.write_bytes(raw)
    loaded, notices = read_export(path)
    assert loaded is not None or (notices and notices[0].left_out and notices[0].message)


def test_making_the_report_loads_neither_textual_nor_spacy(handed_in, tmp_path):
    folder, _ = handed_in
    code = (
        "import json, sys\nfrom pathlib import Path\nfrom trainer.educator.commands import run_cohort\n"
        f"run_cohort([Path({str(folder)!r})], Path({str(tmp_path / 'r.html')!r}), echo=lambda t: None)\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert not set(json.loads(result.stdout)) & {"textual", "spacy", "thinc"}
    assert (tmp_path / "r.html").is_file()


def test_a_report_is_written_even_when_no_file_can_be_read(tmp_path):
    # It lists why each file was left out; the exit code (2) tells a script that no session was read.
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.json").write_text('{"format": "something-else"}')
    (tmp_path / "in" / "broken.json").write_bytes(b"\xff\xfe\x00garbage")
    result = CliRunner().invoke(app, ["cohort", str(tmp_path / "in"), "-o", str(tmp_path / "r.html"), "--csv",
                                      str(tmp_path / "r.csv"), "--flags", str(tmp_path / "f.jsonl")])
    assert result.exit_code == 2, result.output
    assert "none of the 2 file(s) could be used" in result.stderr
    html = (tmp_path / "r.html").read_text()
    assert "No session could be read" in html
    kinds = [row["What was found and what was done"] for row in tables(html)["notices"]]
    assert len(kinds) == 2 and all("left out" in k.lower() for k in kinds)
    assert (tmp_path / "f.jsonl").read_text() == ""
    assert (tmp_path / "r.csv").read_text(encoding="utf-8-sig").strip().startswith("session,student")


def test_an_export_saved_with_a_byte_order_mark_is_read(handed_in, tmp_path):
    # Notepad on Windows (and some editors' "UTF-8 with BOM") put a byte-order mark at the start when a
    # student opens the export and saves it again; the session is the same and must not be left out.
    _, made = handed_in
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + made[0].path.read_bytes())
    loaded, notices = read_export(path)
    assert notices == []
    assert loaded is not None and loaded.debrief.run_state.run_id == made[0].debrief.run_state.run_id


@pytest.mark.parametrize(
    ("field", "value"),
    [("score", "NaN"), ("score", "Infinity"), ("score", "1e999"), ("score", "7"), ("score", "-0.5"),
     ("level", "9"), ("rating", "0")],
)  # fmt: skip
def test_a_skill_number_out_of_its_range_leaves_the_file_out_and_spares_the_class(
    handed_in, tmp_path, field, value
):
    # A hand-edited (or damaged) export with a score of NaN, Infinity or 7 used to be read as it was: the
    # class mean in the report and the CSV became "nan" or "inf" for everyone.
    _, made = handed_in
    data = json.loads(made[0].path.read_text())
    data["debrief"]["skills"][0][field] = "PLACEHOLDER"
    path = tmp_path / "in" / "edited.json"
    path.parent.mkdir()
    path.write_text(json.dumps(data).replace('"PLACEHOLDER"', value))
    shutil.copy(made[1].path, path.parent / "good.json")
    loaded, notices = read_export(path)
    assert loaded is None
    assert [n.kind for n in notices] == ["invalid"] and notices[0].left_out
    assert field in notices[0].message and "edited by hand" in notices[0].message
    result = CliRunner().invoke(
        app, ["cohort", str(path.parent), "-o", str(tmp_path / "r.html"), "--csv", str(tmp_path / "r.csv")]
    )
    assert result.exit_code == 0, result.output
    csv_text = (tmp_path / "r.csv").read_text(encoding="utf-8-sig").lower()
    assert "nan" not in csv_text and "inf" not in csv_text
    assert f"{path} (file 1 in the report)" in result.output
    assert "edited.json" not in (tmp_path / "r.html").read_text()


def test_a_folder_with_no_exports_in_it_is_said_to_be_empty(tmp_path):
    # The wrong folder, or one of HTML exports, used to give an empty report and a silent exit 0: the
    # educator could not tell a class that handed in nothing from a path typed wrong.
    folder = tmp_path / "handed-in"
    folder.mkdir()
    (folder / "debrief-1.html").write_text("<html></html>", encoding="utf-8")
    result = CliRunner().invoke(app, ["cohort", str(folder), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2, result.output
    assert f"{folder}: Holds no .json files" in result.stderr
    assert "debrief-1.html" in result.stderr and "--format json" in result.stderr
    assert "no report was written" in result.stderr
    assert not (tmp_path / "r.html").exists()


def test_a_folder_that_does_not_exist_stops_with_exit_2_and_writes_nothing(tmp_path):
    # A mistyped folder used to exit 0 with an empty report, as if the class had handed in nothing.
    missing = tmp_path / "does-not-exist"
    result = CliRunner().invoke(app, ["cohort", str(missing), "-o", str(tmp_path / "r.html"), "--csv",
                                      str(tmp_path / "r.csv")])
    assert result.exit_code == 2, result.output
    assert f"trainer cohort: {missing}: No such file or folder." in result.stderr
    assert "no report was written. Check the path" in result.stderr
    assert not (tmp_path / "r.html").exists() and not (tmp_path / "r.csv").exists()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_report_and_its_files_are_readable_by_the_educator_alone(report):
    _html, _tables, out, _output = report
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()}
    assert modes == {"report.html": 0o600, "sessions.csv": 0o600, "flags.jsonl": 0o600}  # they quote replies

