"""`trainer cohort` as an educator tester used it (t11): outputs that would destroy a hand-in, names that
leaked without --names, duplicates, missed moments split by redaction, per-skill counts, plain messages,
files and flags skipped without a word, names typed two ways."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.cohort_data import Made, make_class
from tests.test_cohort import tables
from trainer.cli import app
from trainer.debrief.export import export
from trainer.educator.ingest import read_export
from trainer.educator.wording import RULE_WORDS
from trainer.scenario.loader import find_scenario, load_scenario


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
    assert "nothing was written" in output and "-o report.html --csv sessions.csv" in output
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


def csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def labelled(output: str) -> dict[str, str]:
    return {label: path for path, label in re.findall(r"trainer cohort: (.+?) \((file \d+) in the report\)",
                                                       output)}


# --- 2. no student named without --names ----------------------------------------------------------------


def vle_class(made: list[Made], folder: Path) -> Path:
    """Files named as a VLE names downloads; Anna introduces herself and signs her flag's reason."""
    folder.mkdir(parents=True)
    data = export_json(made[0].path)
    assert data["debrief"]["learner_name"] == "Anna Kowalski"
    transcript = data["debrief"]["transcript"]
    first = next(line for line in transcript if line["speaker"] == "learner")
    first["text"] = "Hello, I'm Anna from the council. " + first["text"]
    first["marks"] = []
    data["debrief"]["flags"] = [{"turn": first["index"], "wrong": [], "missing": ["empathy"],
                                 "reason": "I did reflect here - Anna Kowalski"}]
    (folder / "Anna Kowalski_1234_assignsubmission_file_session.json").write_text(json.dumps(data))
    (folder / "Ben ONeill_55_assignsubmission_file_x.json").write_text("")
    return folder


def test_without_names_the_page_names_no_file_and_quotes_no_students_own_name(made, tmp_path):
    folder = vle_class(made, tmp_path / "vle")
    code, output = cohort(folder, "-o", tmp_path / "r.html", "--flags", tmp_path / "f.jsonl",
                          "--csv", tmp_path / "r.csv")
    assert code == 0, output
    html = (tmp_path / "r.html").read_text()
    for leak in ("Anna", "Kowalski", "ONeill", "assignsubmission"):
        assert leak not in html and leak not in (tmp_path / "f.jsonl").read_text()
        assert leak not in (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    t = tables(html)
    (flag,) = t["flags-table"]
    assert flag["Reply"].startswith("Hello, I'm [learner] from the council.")
    assert flag["Why"] == "I did reflect here - [learner]"
    line = json.loads((tmp_path / "f.jsonl").read_text())
    assert line["text"].startswith("Hello, I'm [learner]") and line["flag_reason"].endswith("[learner]")
    # The page says "file 2"; the terminal says which file that is, so the educator can chase it.
    (empty,) = [row for row in t["notices"] if "Is empty" in row["What was found and what was done"]]
    assert labelled(output)[empty["File"]] == str(folder / "Ben ONeill_55_assignsubmission_file_x.json")
    assert "the terminal that made this report printed each file listed below with its real name" in html


def test_with_names_the_page_shows_files_and_quotes_as_they_are(made, tmp_path):
    folder = vle_class(made, tmp_path / "vle")
    code, output = cohort(folder, "-o", tmp_path / "r.html", "--names")
    assert code == 0, output
    html = (tmp_path / "r.html").read_text()
    t = tables(html)
    assert t["flags-table"][0]["Reply"].startswith("Hello, I'm Anna from the council.")
    assert "Ben ONeill_55_assignsubmission_file_x.json" in html and "(file " not in output


# --- 3. duplicates -----------------------------------------------------------------------------------


def named_and_redacted(made: list[Made], folder: Path, index: int) -> tuple[Path, Path]:
    """A named copy and a redacted copy of one session; the redacted one's name sorts first."""
    folder.mkdir(parents=True, exist_ok=True)
    named = folder / "s3.json"
    shutil.copy(made[index].path, named)
    redacted = folder / "s3-redacted.json"
    redacted.write_text(export(made[index].debrief, "json", redact=True))
    return named, redacted


def test_of_a_named_and_a_redacted_copy_the_named_one_is_kept(made, tmp_path):
    named, redacted = named_and_redacted(made, tmp_path / "in", 4)  # Ben Ollie, keep-it-secret
    code, output = cohort(tmp_path / "in", "-o", tmp_path / "r.html", "--csv", tmp_path / "r.csv", "--names")
    assert code == 0, output
    (row,) = csv_rows(tmp_path / "r.csv")
    assert row["student"] == "Ben Ollie" and row["file"] == str(named)
    assert f"{redacted}: Is a redacted copy of the session in {named}" in output
    assert "saved earlier" not in output and "carry no student name" not in output


def test_a_copy_from_a_newer_trainer_gives_way_to_one_read_fully(made, tmp_path):
    folder = copy(made, tmp_path / "in", 5)
    newer = export_json(made[5].path)
    newer["format_version"] = 99
    (folder / "a-future.json").write_text(json.dumps(newer))
    code, output = cohort(folder, "-o", tmp_path / "r.html", "--csv", tmp_path / "r.csv", "--names")
    assert code == 0, output
    (row,) = csv_rows(tmp_path / "r.csv")
    assert row["file"] == str(folder / made[5].path.name)
    assert "a-future.json: Is a copy from a newer trainer (read only in part here)" in output
    assert "saved earlier" not in output and "read as far as this version" not in output


def test_one_session_handed_in_under_two_students_names_keeps_both_and_says_so(made, tmp_path):
    folder = tmp_path / "c12"
    folder.mkdir()
    shutil.copy(made[0].path, folder / "anna.json")
    copied = export_json(made[0].path)
    copied["debrief"]["learner_name"] = "Ben Copycat"
    (folder / "ben.json").write_text(json.dumps(copied))
    retyped = export_json(made[0].path)
    retyped["debrief"]["learner_name"] = "anna  kowalski "  # the same student: a plain duplicate
    (folder / "anna-again.json").write_text(json.dumps(retyped))
    code, output = cohort(folder, "-o", tmp_path / "r.html", "--csv", tmp_path / "r.csv", "--names")
    assert code == 0, output
    assert sorted(r["student"] for r in csv_rows(tmp_path / "r.csv")) == ["Anna Kowalski", "Ben Copycat"]
    assert "the same session handed in by 2 students: check" in output
    assert "(Anna Kowalski, Ben Copycat)" in output and str(folder / "ben.json") in output
    assert output.count(": Is another copy") == 1 and "anna" in output.split(": Is another copy")[0][-30:]
    # Without --names the page says so too, naming neither student nor file.
    code, output = cohort(folder, "-o", tmp_path / "r2.html")
    html = (tmp_path / "r2.html").read_text()
    assert "handed in by 2 students: check" in html
    assert "Copycat" not in html and "Kowalski" not in html and "ben.json" not in html


# --- 4. missed moments of named and redacted copies -----------------------------------------------------


def test_missed_moments_of_redacted_and_named_copies_are_counted_together(made, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    secret = [m for m in made if m.scenario_id == "keep-it-secret"]
    for i, m in enumerate(secret):
        redacted = i % 2 == 1
        (folder / f"{i}.json").write_text(export(m.debrief, "json", redact=redacted))
    code, output = cohort(folder, "-o", tmp_path / "r.html", "--csv", tmp_path / "r.csv")
    assert code == 0, output
    html = (tmp_path / "r.html").read_text()
    missed = next(rows for tid, rows in tables(html).items() if tid.startswith("missed-"))
    expected = Counter(x.message for m in secret for x in m.debrief.missed if x.rule == "cue-missed")
    cues = [row for row in missed if row["Where"] == "the whole meeting"]
    assert cues
    for row in cues:
        assert "[service user]" not in row["What happens there"]
        message = next(k for k in expected if " ".join(k.split()).startswith(row["What happens there"][:80]))
        assert row["Sessions"] == f"{expected[message]} of {len(secret)}"
    title = load_scenario(find_scenario("keep-it-secret")).scenario.title
    assert {r["scenario_title"] for r in csv_rows(tmp_path / "r.csv")} == {title}


# --- 5. one count per expected skill, plain words ---------------------------------------------------


def test_moments_count_each_expected_skill_and_name_no_rule_ids(made, tmp_path):
    folder = copy(made, tmp_path / "in", *range(len(made)))
    code, output = cohort(folder, "-o", tmp_path / "r.html")
    assert code == 0, output
    t = tables((tmp_path / "r.html").read_text())
    secret = load_scenario(find_scenario("keep-it-secret")).scenario
    two = next(nid for nid, node in secret.nodes.items() if len(node.expect) == 2)
    table = next(rows for tid, rows in t.items()
                 if tid.startswith("moments-") and rows[0]["Moment"] == secret.start)
    row = next(r for r in table if r["Moment"] == two)
    replies = [line for m in made if m.scenario_id == "keep-it-secret" for line in m.debrief.transcript
               if line.speaker == "learner" and line.node == two]
    unit = "reply" if len(replies) == 1 else "replies"
    assert row["Replies that showed each expected skill"] == ", ".join(
        f"{s} {sum(s in line.present for line in replies)} of {len(replies)} {unit}"
        for s in secret.nodes[two].expect
    )
    rows = [r for tid, rows in t.items() if tid.startswith(("moments-", "missed-")) for r in rows]
    shown = " ".join(r.get("Missed moments here", "") + r.get("What was missed", "") for r in rows)
    for rule in RULE_WORDS:
        assert not re.search(rf"(?<![\w-]){rule}(?![\w-])", shown), rule
    assert "reply lacked the skill expected here" in shown


# --- 6. plain messages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "said", "not_said"),
    [
        (b"", "Is empty", "truncated"),
        (b"   \n", "Is empty", "truncated"),
        (b"hello this is my essay\n", "Is not a trainer export (it is plain text, not JSON)", "truncated"),
        (b'{"format": "trainer-session", "format_version": 2, "debrief": {"scen', "cut short (truncated)",
         "Is empty"),
        (b'{"format": "trainer-session",, "format_version": 2}', "broken at line 1, column 30", "truncated"),
    ],
)
def test_an_unreadable_file_is_described_in_plain_words_first(tmp_path, content, said, not_said):
    path = tmp_path / "x.json"
    path.write_bytes(content)
    loaded, (notice,) = read_export(path)
    assert loaded is None and notice.left_out
    assert said in notice.message and not_said not in notice.message
    assert not notice.message.startswith(("Expecting", "Input should"))
    assert "(Expecting value" not in notice.message


def test_a_session_that_cannot_be_read_is_explained_before_the_validators_words(made, tmp_path):
    data = export_json(made[0].path)
    data["debrief"] = ["not", "a", "session"]
    (tmp_path / "a.json").write_text(json.dumps(data))
    data = export_json(made[0].path)
    data["debrief"]["skills"][0]["score"] = "high"
    (tmp_path / "b.json").write_text(json.dumps(data))
    (_, (a,)), (_, (b,)) = read_export(tmp_path / "a.json"), read_export(tmp_path / "b.json")
    assert 'it has no session in it (its "debrief" part is missing or not an object)' in a.message
    assert "the value at skills.0.score should be a number" in b.message
    for notice in (a, b):
        plain, _, raw = notice.message.partition("the reader's words:")
        assert raw and "Input should" not in plain


# --- 7. nothing skipped without a word ------------------------------------------------------------------


def test_sub_folders_renamed_exports_other_files_and_lost_flags_are_reported(made, tmp_path):
    folder = copy(made, tmp_path / "in", 0)
    copy(made, folder / "last-year", 1)
    shutil.copy(made[2].path, folder / "s3.txt")  # renamed by an e-mail client
    (folder / "notes.docx").write_bytes(b"PK\x03\x04 not an export")
    flagged = export_json(made[3].path)
    reply = next(line["index"] for line in flagged["debrief"]["transcript"] if line["speaker"] == "learner")
    flagged["debrief"]["flags"] = [
        {"turn": 99, "wrong": [], "missing": ["purpose"], "reason": "x"},
        {"turn": 0, "wrong": ["empathy"], "missing": [], "reason": "y"},
        {"turn": reply, "wrong": ["nonsense_signal"], "missing": [], "reason": "z"},
    ]
    (folder / "flagged.json").write_text(json.dumps(flagged))
    code, output = cohort(folder, "-o", tmp_path / "r.html", "--names")
    assert code == 0, output
    assert f"Folders inside it were read too: {folder / 'last-year'} (1 file(s))" in output
    assert f"{folder / 's3.txt'}: Is a trainer export saved as .txt: read as one." in output
    assert f"not trainer exports, not read: {folder / 'notes.docx'}" in output
    lost = "2 \u201cI disagree\u201d flag(s) point at no reply of the student (transcript line(s) 99, 0)"
    assert lost in output and "name signal(s) the scorer does not have (nonsense_signal)" in output
    t = tables((tmp_path / "r.html").read_text())
    assert len(t["sessions-table"]) == 4  # the renamed export is read
    kinds = {row["What was found and what was done"].split(":")[0] for row in t["notices"]}
    assert "Folders inside it were read too" in kinds
    # Without --names the sub-folder (a VLE names them after the student) is a label, like the files.
    code, output = cohort(folder, "-o", tmp_path / "r2.html")
    html = (tmp_path / "r2.html").read_text()
    assert "Folders inside it were read too: folder 1 (1 file(s))" in html and "last-year" not in html


def test_a_scenarios_folder_that_does_not_exist_is_refused(made, tmp_path):
    folder = copy(made, tmp_path / "in", 0)
    code, output = cohort(folder, "-o", tmp_path / "r.html", "--scenarios", tmp_path / "nothere")
    assert code == 2 and f"--scenarios {tmp_path / 'nothere'}: no such folder" in output
    assert not (tmp_path / "r.html").exists()


def test_a_scenario_with_errors_in_the_scenarios_folder_is_reported(made, tmp_path):
    folder = copy(made, tmp_path / "in", 0)
    own = tmp_path / "mine"
    own.mkdir()
    (own / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n\tstart: x\n")
    code, output = cohort(folder, "-o", tmp_path / "r.html", "--scenarios", own)
    assert code == 0, output
    assert f"{own / 'broken.yaml'}" in output and "Is a scenario with errors" in output
    assert f"trainer validate {own / 'broken.yaml'}" in output
    assert "1 session(s) from 1 student(s) in 1 scenario(s); 0 file(s) left out" in output


# --- 8. one student, two spellings ----------------------------------------------------------------------


def test_a_name_typed_two_ways_is_one_student(made, tmp_path):
    folder = tmp_path / "c5"
    folder.mkdir()
    for i, name in ((0, "Aisha Khan"), (1, "aisha  khan ")):
        data = export_json(made[i].path)
        data["debrief"]["learner_name"] = name
        (folder / f"{i}.json").write_text(json.dumps(data))
    shutil.copy(made[9].path, folder / "unnamed.json")  # student D: no name
    code, output = cohort(folder, "-o", tmp_path / "r.html", "--csv", tmp_path / "r.csv", "--names")
    assert code == 0, output
    assert "3 session(s) from 2 student(s)" in output
    students = sorted(r["student"] for r in csv_rows(tmp_path / "r.csv"))
    assert students == ["Aisha Khan", "Aisha Khan", "Unnamed student 1"]


# --- 9. one rounding rule, one word per gap -------------------------------------------------------------


def test_the_page_and_the_csv_round_the_same_way(made, tmp_path):
    data = export_json(made[0].path)
    data["debrief"]["skills"][0]["score"] = 0.625
    (tmp_path / "one.json").write_text(json.dumps(data))
    code, output = cohort(tmp_path / "one.json", "-o", tmp_path / "r.html", "--csv", tmp_path / "r.csv")
    assert code == 0, output
    t = tables((tmp_path / "r.html").read_text())
    skill = data["debrief"]["skills"][0]["skill"]
    row = next(r for r in t["skills-all"] if r["Skill"].lower().startswith(skill[:5]))
    assert row["Mean"] == "0.63"  # Python's "%.2f" gives 0.62, the CSV's 0.625 rounds to 0.63
    assert csv_rows(tmp_path / "r.csv")[0][f"{skill}_score"] == "0.625"


def test_a_gap_of_one_level_is_never_both_close_and_higher(made, tmp_path):
    data = export_json(made[0].path)
    skill = data["debrief"]["skills"][0]
    skill["rating"] = (skill["level"] or 3) + 1 if (skill["level"] or 3) < 5 else 5
    skill["level"] = skill["rating"] - 1
    (tmp_path / "one.json").write_text(json.dumps(data))
    code, output = cohort(tmp_path / "one.json", "-o", tmp_path / "r.html")
    t = tables((tmp_path / "r.html").read_text())
    calibration = next(r for r in t["calibration"] if r["Sessions rated"] == "1" and r["Mean gap"] == "+1.0")
    assert calibration["Within one level"] == "1"
    said = t["calibration-students"][0]["In short"]
    assert "slightly higher" in said and "close" not in said


# --- 10. "What was read" says which sessions, in plain English, and what the terminal shows ------------


def _what_was_read(html: str) -> str:
    section = html.split('<section id="input">')[1].split("</section>")[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section))


def test_an_unnamed_session_is_named_by_its_number_run_and_file(made, tmp_path):
    anna, unnamed = made[0], made[9]  # Anna's doorstep visit, then student D's (no name), 3 hours later
    assert unnamed.student == "D" and anna.debrief.started_at < unnamed.debrief.started_at
    folder = copy(made, tmp_path / "c", 0, 9)
    code, output = cohort(folder, "-o", tmp_path / "r.html")
    assert code == 0, output
    html = (tmp_path / "r.html").read_text()
    what = "What was found and what was done"
    (row,) = [r for r in tables(html)["notices"] if "no student name" in r[what]]
    run = unnamed.debrief.run_state.run_id[:8]
    assert row[what] == (
        f"Session S2 (run {run}) carries no student name (or its name was redacted): it is counted as a "
        "student of its own, so the number of students may be too high.")
    assert labelled(output)[row["File"]] == str(folder / unnamed.path.name)  # the terminal names its file
    read = _what_was_read(html)
    assert "(s)" not in read and "1 thing to know about the files" in read
    assert "the terminal that made this report printed each file listed below with its real name" in read


def test_a_class_read_without_a_problem_claims_no_list_in_the_terminal(made, tmp_path):
    folder = copy(made, tmp_path / "c", 0, 1)
    code, output = cohort(folder, "-o", tmp_path / "r.html")
    assert code == 0 and "(file " not in output  # the terminal lists no file
    read = _what_was_read((tmp_path / "r.html").read_text())
    assert "Every file was read: 2 sessions from 2 files." in read
    assert "terminal" not in read and "Files are not named in this report" in read
    assert "search the handed-in files for a session's run id" in read
    code, _ = cohort(made[0].path, "-o", tmp_path / "one.html")
    one = (tmp_path / "one.html").read_text()
    assert "Every file was read: 1 session from 1 file." in _what_was_read(one) and "1 session)" in one


def test_the_report_dates_sessions_on_this_computers_clock(made, tmp_path, monkeypatch):
    # As `trainer history` and the student's exports do: 03:45 UTC is the evening before in New York.
    import time

    data = export_json(made[0].path)
    data["debrief"]["started_at"] = "2026-12-01T03:45:00Z"
    (tmp_path / "late.json").write_text(json.dumps(data))
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        code, output = cohort(tmp_path / "late.json", "-o", tmp_path / "r.html")
        html = (tmp_path / "r.html").read_text()
    finally:
        monkeypatch.undo()
        time.tzset()
    assert code == 0, output
    assert tables(html)["sessions-table"][0]["Played"] == "2026-11-30"
    assert re.search(r"Made \d\d \w{3} \d{4}, \d\d:\d\d E[SD]T by", html)


# --- 8. counts that say what they count; which of two copies is kept -------------------------------


def test_the_map_says_replies_where_it_counts_replies_beside_the_sessions_that_reached(made, tmp_path):
    # A session that comes back to a moment (doorstep-example's pity <-> opening_up) replies there twice:
    # the map said "Sessions reached 1 | purpose 1 of 2", which read as an arithmetic error.
    doorstep = next(m for m in made if m.scenario_id == "doorstep-example")
    data = export_json(doorstep.path)
    lines = data["debrief"]["transcript"]
    first, second = [line for line in lines if line["speaker"] == "learner"][:2]
    for line in lines:
        if line["node"] == second["node"]:
            line["node"] = first["node"]  # the second reply, and the line before it, at the first moment
    folder = tmp_path / "back"
    folder.mkdir()
    (folder / "s1.json").write_text(json.dumps(data))
    code, output = cohort(folder, "-o", tmp_path / "r.html")
    assert code == 0, output
    table = next(rows for tid, rows in tables((tmp_path / "r.html").read_text()).items()
                 if tid.startswith("moments-") and rows)
    row = next(r for r in table if r["Moment"] == first["node"])
    assert (row["Sessions reached"], row["Replies here"]) == ("1", "2")
    shown = row["Replies that showed each expected skill"]
    assert shown != "not reached" and all(part.endswith(" of 2 replies") for part in shown.split(", "))


def test_of_a_hand_in_and_its_renamed_copy_the_json_is_kept_and_the_copy_named_as_left_out(made, tmp_path):
    folder = copy(made, tmp_path / "in", 0)
    original = folder / made[0].path.name
    renamed = folder / ("0-" + made[0].path.stem + ".txt")  # sorts before the original
    shutil.copy(original, renamed)
    code, output = cohort(folder, "-o", tmp_path / "r.html", "--names")
    assert code == 0, output
    said = " ".join(output.split())
    assert f"{renamed}: Is an identical copy of {original} renamed to .txt" in said
    assert "left out, so the session counts once (the .json is kept, as the trainer exported it)" in said
    assert f"{renamed}: Is a trainer export saved as .txt: read as one." not in said  # it was not
    assert f"{original}: Is" not in said
    t = tables((tmp_path / "r.html").read_text())
    assert len(t["sessions-table"]) == 1
    # two identical .json copies: the first by name is kept, and the notice says so
    shutil.copy(original, folder / "zz-copy.json")
    renamed.unlink()
    code, output = cohort(folder, "-o", tmp_path / "r2.html", "--names")
    said = " ".join(output.split())
    assert f"{folder / 'zz-copy.json'}: Is an identical copy of {original} (the same session" in said
    assert "(the first by name is kept)" in said


def test_a_cue_note_naming_someone_the_scenario_names_matches_its_redacted_copy():
    from trainer.debrief.redact import Redactor
    from trainer.educator.cohort import _canonical

    scenario = load_scenario(find_scenario("interpreter-son-offers")).scenario
    note = next(c.missing_note for c in scenario.cues.values() if c.missing_note and "Minh" in c.missing_note)
    # what a redacted export shows: names learned from the whole document, the scenario's words among them
    redactor = Redactor({scenario.service_user.name: "[service user]"}, pii=True)
    redactor.learn(scenario.model_dump(mode="json"))
    redacted = redactor.text(note)
    assert "Minh" not in redacted
    same = _canonical(scenario)
    assert same(note) == same(redacted)
