"""Exports (Markdown, HTML, JSON), redaction, and the `trainer history / export / flags export` commands."""

from __future__ import annotations

import json
import os
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.test_debrief_fixtures import FEAR, assess, ev, exchange, good_run, poor_run, scenario
from trainer.cli import app
from trainer.debrief.compute import compute_debrief
from trainer.debrief.export import ExportError, default_filename, export, md, segments, write_export
from trainer.debrief.model import Debrief
from trainer.debrief.recording import process_recording, render_process_recording
from trainer.debrief.redact import LEARNER, SERVICE_USER, Redactor, redact
from trainer.debrief.selfassess import SelfAssessment
from trainer.history.store import HistoryStore
from trainer.scenario.engine import RunState
from trainer.scenario.loader import BUNDLED_DIR, discover, load_scenario

SA = SelfAssessment(ratings={"empathy": 4, "purpose": 3, "boundaries": 5},
                    service_user="Sarah was scared of losing Jones junior.", self_="I felt for Sarah.")
FLAG = {"turn": 3, "wrong": ["sympathy"], "missing": ["empathy"], "reason": "I reflected Sarah's fear"}


def poor() -> Debrief:
    return compute_debrief(scenario(), poor_run(), SA, flags=[FLAG], learner_name="Alex Smith", session_id=7)


class Page(HTMLParser):
    """Collects what the tests look at: tags with attributes, text per section, and any URL."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.section: str | None = None
        self.text: dict[str | None, str] = {}
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "section":
            self.section = a.get("id")
        for name, value in attrs:
            if name in ("href", "src", "xmlns", "action") or (value and re.search(r"\w+://|url\(", value)):
                self.urls.append(f"{tag} {name}={value}")

    def handle_data(self, data):
        self.text[self.section] = self.text.get(self.section, "") + data

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


# --- HTML ----------------------------------------------------------------------------------------------


def test_html_has_every_section_the_chart_and_no_external_urls():
    page = parse(export(poor(), "html"))
    sections = [a["id"] for a in page.find("section")]
    assert sections == ["outcome", "self-assessment", "skills", "miti", "missed", "suggestions", "transcript"]
    assert "Money changed hands" in page.text["outcome"]
    assert "Taking money from a service user is always wrong" in page.text["outcome"]
    assert len(page.find("svg")) == 2 and page.find("polyline")
    assert len(page.find("rect", **{"class": "bar"})) == 3
    signals = {a["data-signal"] for a in page.find("g")}
    assert signals == {"empathy", "sympathy", "purpose", "boundaries", "overstep"}
    html = export(poor(), "html")
    assert page.urls == [] and "http" not in html and "url(" not in html and "@import" not in html
    assert len(page.find("style")) == 1 and "@media print" in html
    assert not page.find("script") and not page.find("link")


def test_html_marks_every_evidence_span_with_its_signal():
    page = parse(export(poor(), "html"))
    marks = page.find("mark")
    assert [m["data-signal"] for m in marks] == ["sympathy", "sympathy", "overstep", "overstep"]
    assert all("ev-" + m["data-signal"] in (m["class"] or "") for m in marks)  # type: ignore[operator]
    assert "Accepts money" in (marks[2]["title"] or "")
    assert "overstep (counts against)" in page.text["transcript"]
    assert "You disagreed: not sympathy; empathy missed" in page.text["transcript"]


def test_html_shows_rating_gap_missed_moments_model_answers_and_suggestions():
    page = parse(export(poor(), "html"))
    assert "You rated your boundaries 5; reply 3 overstepped" in page.text["skills"]
    assert [a["data-rule"] for a in page.find("div", **{"class": "moment"})] == [
        "expected-signal", "expected-signal", "overstep", "no-purpose", "cue-missed"]
    assert "Model answer: It sounds like you're frightened" in page.text["missed"]
    assert len(page.find("li", **{"data-id": "state-purpose"})) == 1


def test_html_escapes_everything_the_student_typed():
    text = '<script>alert("x")</script> & <b>bold</b> it sounds like you\'re scared'
    evidence = [ev(text, "it sounds like you're scared", "empathy", 'Reflects "fear" <here>')]
    state = exchange(FEAR, text, assess(text, "empathy", evidence=evidence))
    sa = SelfAssessment(self_='<img src="http://evil.example/x.png">')
    html = export(compute_debrief(scenario(), state, sa), "html")
    page = parse(html)
    assert not page.find("script") and not page.find("b") and not page.find("img") and page.urls == []
    assert "&lt;script&gt;" in html
    assert '<img src="http://evil.example/x.png">' in page.text["self-assessment"]
    assert page.find("mark")[0]["title"] == "empathy: Reflects \"fear\" <here>"


def test_overlapping_evidence_is_split_not_nested():
    text = "I'm so sorry you feel alone"
    evidence = [ev(text, "I'm so sorry you feel", "sympathy"), ev(text, "you feel alone", "empathy")]
    d = compute_debrief(scenario(), exchange(FEAR, text, assess(text, evidence=evidence)))
    pieces = [(p, [m.signal for m in c]) for p, c, _ in segments(text, d.transcript[1].marks)]
    assert pieces == [
        ("I'm so sorry ", ["sympathy"]), ("you feel", ["sympathy", "empathy"]), (" alone", ["empathy"])
    ]
    page = parse(export(d, "html"))
    assert [m["data-signal"] for m in page.find("mark")] == ["sympathy", "sympathy empathy", "empathy"]


def test_a_reply_with_several_moments_is_quoted_once():
    text = "It sounds like you're scared; I won't tell anyone."
    evidence = [ev(text, "I won't tell anyone", "overstep")]
    state = exchange(FEAR, text, assess(text, "overstep", evidence=evidence))
    d = compute_debrief(scenario(), state)
    # the overstep and the missed reflection are one moment (F7): both said, the reply and its model
    # answer once
    assert [m.rule for m in d.missed][:1] == ["overstep"] and [m.reply for m in d.missed].count(1) == 1
    assert "overstepped" in d.missed[0].message and "did not reflect" in d.missed[0].message
    page = parse(export(d, "html"))
    assert page.text["missed"].count(text) == 1 and page.text["missed"].count("Model answer") == 1
    markdown = export(d, "md")
    assert markdown.count("**Model answer:**") == 1 and markdown.count(f"**You:** {text}") <= 1


def test_overlapping_marks_of_one_signal_are_marked_once_inline():
    text = "It sounds like you're frightened that this visit means losing them."
    evidence = [ev(text, "It sounds like", "empathy", "opens"), ev(text, text, "empathy", "names"),
                ev(text, "you're frightened that", "empathy", "names")]
    d = compute_debrief(scenario(), exchange(FEAR, text, assess(text, "empathy", evidence=evidence)))
    page = parse(export(d, "html"))
    [mark] = page.find("mark")
    assert mark["title"] == "empathy: opens; names"
    assert export(d, "md").count("_\\[empathy\\]_") == 1


# --- Markdown ------------------------------------------------------------------------------------------


def test_markdown_has_the_sections_a_portfolio_needs():
    text = export(poor(), "md")
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings == [
        "Outcome", "Your self-assessment", "Skills", "Your replies beside MITI's thresholds",
        "Missed moments", "Things to try next time", "Transcript"
    ]
    assert text.startswith("# Debrief: First home visit\n")
    assert "**I'll take it** _\\[overstep\\]_" in text
    assert "- **overstep** (counts against): \u201cI'll take it\u201d - Accepts money" in text
    assert "| Boundaries (not overstepping) | 0.00 | 1 | 5 |" in text


def test_markdown_says_when_the_self_assessment_was_skipped():
    text = export(compute_debrief(scenario(), good_run(), SelfAssessment.skip()), "md")
    assert "You skipped the whole self-assessment." in text
    assert "| Empathy (not sympathy) | 1.00 | 5 | skipped |" in text


def test_markdown_escapes_what_would_become_markup():
    escaped = md("**bold** [link](http://x) <b>\n# heading")
    assert escaped == "\\*\\*bold\\*\\* \\[link\\](http://x) \\<b\\> # heading"


# --- JSON ----------------------------------------------------------------------------------------------


def test_json_has_everything_and_round_trips():
    d = poor()
    data = json.loads(export(d, "json"))
    assert (data["format"], data["format_version"], data["redacted"]) == ("trainer-session", 2, False)
    assert Debrief.model_validate(data["debrief"]) == d
    assert data["debrief"]["run_state"]["run_id"] == "poor"
    assert data["debrief"]["self_assessment"]["self"] == "I felt for Sarah."


# --- redaction -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_redaction_removes_both_names_everywhere(fmt):
    text = export(poor(), fmt, redact=True)
    for name in ("Sarah", "Jones", "Alex", "Smith", "sarah"):
        assert name not in text
    escaped = (lambda s: md(s)) if fmt == "md" else (lambda s: s)
    assert escaped(SERVICE_USER) in text and escaped(LEARNER) in text
    assert "now thinks you can be bought" in text  # the ending note, which names her, is there, redacted


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_process_recording_is_redacted_everywhere(fmt):
    text = str(render_process_recording(process_recording(poor()), fmt))
    for name in ("Sarah", "Jones", "Alex", "Smith"):
        assert name not in text


def test_every_text_field_of_a_redacted_debrief_loses_the_names():
    data = redact(poor()).model_dump(mode="json")
    strings: list[str] = []

    def collect(value):
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, list):
            for item in value:
                collect(item)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)

    collect(data)
    assert data["outcome"]["outcome"] == "boundary_crossed"
    assert data["outcome"]["note"].endswith("[service user] now thinks you can be bought.")
    assert not [s for s in strings if re.search(r"(?i)sarah|jones|alex|smith", s)]


def test_redaction_moves_evidence_offsets_with_the_text():
    text = "Sarah, I'm so sorry, Sarah Jones - don't worry"
    state = exchange(FEAR, text, assess(text, "sympathy", evidence=[ev(text, "I'm so sorry", "sympathy"),
                                                                   ev(text, "don't worry", "sympathy"),
                                                                   ev(text, "Sarah, I'm", "sympathy")]))
    d = redact(compute_debrief(scenario(), state))
    line = d.transcript[1]
    assert line.text == "[service user], I'm so sorry, [service user] - don't worry"
    assert [line.text[m.start:m.end] for m in line.marks] == [m.text for m in line.marks]
    assert [m.text for m in line.marks] == ["[service user], I'm", "I'm so sorry", "don't worry"]
    evidence = d.run_state.transcript[1].assessment["evidence"]  # type: ignore[index]
    moved = [line.text[e["start"]:e["end"]] for e in evidence]
    assert moved == ["I'm so sorry", "don't worry", "[service user], I'm"]


def test_redaction_spares_common_words_unless_capitalised():
    r = Redactor({"Will Hope": SERVICE_USER})
    assert r.text("Will said he will hope; WILL HOPE.") == "[service user] said he will hope; [service user]."
    patel = Redactor({"Mrs Patel": SERVICE_USER})
    assert patel.text("Mrs Patel, patel's mum") == "[service user], [service user]'s mum"


# --- writing files ---------------------------------------------------------------------------------------


def test_write_export_and_its_errors(tmp_path):
    d = poor()
    assert default_filename(d, "html") == "debrief-7-first-home-visit-2026-11-20.html"
    path = write_export(d, "md", tmp_path / "out.md")
    assert path.read_text(encoding="utf-8").startswith("# Debrief")
    with pytest.raises(ExportError, match="Cannot write"):
        write_export(d, "md", tmp_path / "missing" / "out.md")
    with pytest.raises(ExportError, match="choose one of md, html, json"):
        export(d, "pdf")


# --- the commands ----------------------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "history.sqlite3"
    with HistoryStore.open(path) as store:
        for state, sa in ((poor_run(), SA), (good_run(), None)):
            d = compute_debrief(scenario(), state, sa)
            store.save_session(state, scenario=scenario(), self_assessment=sa, scores=d.session_scores(),
                               learner_name="Alex Smith")
        store.add_flag(1, 3, wrong=["sympathy"], missing=["empathy"], reason="I reflected her fear")
    return path


runner = CliRunner()


def test_history_command_lists_sessions(db):
    result = runner.invoke(app, ["history", "--db", str(db)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:5] == ["id", "run", "date", "scenario", "ending"]
    row = r"\s+2\s+good\s+2026-11-20 14:00\s+first-home-visit\s+A door opened\s+1\.00\s+0\.80\s+1\.00$"
    assert re.match(row, lines[1])
    assert "Money changed hands" in lines[2]


def test_history_command_with_no_file_creates_nothing(tmp_path, monkeypatch):
    # The default history not made yet: nothing played yet.
    monkeypatch.setenv("TRAINER_DB", str(tmp_path / "default.sqlite3"))
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path))  # and no unfinished run saved
    result = runner.invoke(app, ["history"])
    assert result.exit_code == 0 and "No sessions saved yet" in result.stderr
    assert not (tmp_path / "default.sqlite3").exists()


def test_history_command_with_a_mistyped_db_path_says_there_is_no_file(tmp_path):
    # A path given with --db that does not exist is a typo, not an empty history.
    result = runner.invoke(app, ["history", "--db", str(tmp_path / "none.sqlite3")])
    assert result.exit_code == 2
    assert f"there is no history file at {tmp_path / 'none.sqlite3'}" in result.stderr
    assert "No sessions saved yet" not in result.output
    assert not (tmp_path / "none.sqlite3").exists()


def test_redact_and_keep_names_together_are_refused(db):
    for extra in ([], ["--as", "process-recording"]):
        result = runner.invoke(app, ["export", "1", "--redact", "--keep-names", *extra, "--db", str(db)])
        assert result.exit_code == 2 and result.stdout == ""
        assert "--redact and --keep-names contradict each other" in result.stderr


def test_a_redacted_export_without_the_learners_name_says_so_on_stderr(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_CONFIG_DIR", str(tmp_path / "config"))  # no name in the settings
    path = tmp_path / "unnamed.sqlite3"
    with HistoryStore.open(path) as store:
        store.save_session(good_run(), scenario=scenario())
    for extra in (["--redact"], ["--as", "process-recording", "-f", "md"]):
        result = runner.invoke(app, ["export", "1", *extra, "--db", str(path)])
        assert result.exit_code == 0
        assert "your name is not known" in result.stderr and "could not be redacted" in result.stderr
    named = runner.invoke(app, ["export", "1", "--redact", "--db", str(db_named(tmp_path))])
    assert "your name is not known" not in named.stderr
    kept = runner.invoke(app, ["export", "1", "--as", "process-recording", "-f", "md", "--keep-names",
                               "--db", str(path)])
    assert "your name is not known" not in kept.stderr  # nothing was meant to be redacted


def db_named(tmp_path: Path) -> Path:
    path = tmp_path / "named.sqlite3"
    with HistoryStore.open(path) as store:
        store.save_session(good_run(), scenario=scenario(), learner_name="Alex Smith")
    return path


def test_history_command_reads_trainer_db(db, monkeypatch):
    monkeypatch.setenv("TRAINER_DB", str(db))
    assert "Money changed hands" in runner.invoke(app, ["history"]).stdout


def test_export_command_writes_each_format(db, tmp_path):
    out = tmp_path / "d.html"
    args = ["export", "1", "--format", "html", "--redact", "--output", str(out), "--db", str(db)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "Sarah" not in html and "Alex" not in html and parse(html).find("svg")
    result = runner.invoke(app, ["export", "1", "--db", str(db)])
    assert result.stdout.startswith("# Debrief: First home visit") and "I reflected her fear" in result.stdout
    data = json.loads(runner.invoke(app, ["export", "2", "-f", "json", "--db", str(db)]).stdout)
    assert data["debrief"]["outcome"]["title"] == "A door opened"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "9"], "There is no session 9"),
        (["export", "1", "-f", "pdf"], "--format must be one of md, html, json, not 'pdf'"),
    ],
)
def test_export_command_errors_are_messages_not_tracebacks(db, args, message):
    result = runner.invoke(app, [*args, "--db", str(db)])
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.output


def test_export_as_docx_names_the_process_recording_command(db, tmp_path):
    out = tmp_path / "r.docx"
    result = runner.invoke(app, ["export", "2", "--format", "docx", "-o", str(out), "--db", str(db)])
    assert result.exit_code == 2 and not out.exists()
    assert "--format docx is for the process recording" in result.stderr
    assert f"trainer export 2 --as process-recording --format docx -o {out}." in result.stderr
    suggested = ["export", "2", "--as", "process-recording", "--format", "docx", "-o", str(out)]
    assert runner.invoke(app, [*suggested, "--db", str(db)]).exit_code == 0 and out.is_file()  # it works


def test_commands_report_a_damaged_file(tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("not a database")
    result = runner.invoke(app, ["history", "--db", str(bad)])
    assert result.exit_code == 2 and "is damaged" in result.stderr and "--db PATH" in result.stderr
    assert bad.read_text() == "not a database"


def test_flags_export_command_writes_eval_lines(db, tmp_path):
    out = tmp_path / "flags.jsonl"
    result = runner.invoke(app, ["flags", "export", "--output", str(out), "--db", str(db)])
    assert result.exit_code == 0 and "1 flag exported" in result.stderr
    [line] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert set(line) == {"text", "context", "labels", "flag_reason", "session"}
    assert line["labels"] == ["empathy"] and line["session"] == 1
    assert runner.invoke(app, ["flags", "export", "--db", str(db)]).stdout == out.read_text(encoding="utf-8")
    # the scorer's evaluation reads them as labelled lines
    from trainer.scoring.evaluate import read_labelled

    items, problems = read_labelled([out])
    assert problems == [] and [sorted(i.labels) for i in items] == [["empathy"]]


def test_a_moment_about_the_whole_opening_is_not_called_the_same_reply():
    text = export(compute_debrief(scenario(), poor_run()), "md")
    block = text.split("no later reply did either.** _(reply 3)_")[1].split("\n\n")[1]
    assert "same reply" not in block


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_debrief_shows_no_internal_rule_ids(fmt):
    text = export(compute_debrief(scenario(), poor_run()), fmt)
    visible = re.sub(r'data-rule="[^"]*"', "", text)  # an HTML attribute, for tools, is not shown
    for rule in ("expected-signal", "cue-missed", "no-purpose", "feeling-unanswered", "rule overstep"):
        assert rule not in visible


def test_history_command_marks_a_cut_ending_and_keeps_the_columns(db, monkeypatch):
    # "A promise you cannot keep" used to be listed as "A promise you cannot kee": cut with no sign of it.
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE sessions SET ending_title = ? WHERE id = 2", ("A promise you cannot keep",))
    monkeypatch.setenv("COLUMNS", "200")  # room for it: the whole ending, columns still aligned
    wide = runner.invoke(app, ["history", "--db", str(db)]).stdout.splitlines()
    assert re.search(r"A promise you cannot keep\s+\d\.\d\d\s+\d\.\d\d\s+\d\.\d\d$", wide[1])
    assert wide[1].index("keep") < wide[0].index("empathy") and "…" not in "".join(wide)
    monkeypatch.setenv("COLUMNS", "80")  # a narrow terminal: cut, and marked
    lines = runner.invoke(app, ["history", "--db", str(db)]).stdout.splitlines()
    assert "A promise you cannot ke…" in lines[1] and "kee " not in lines[1]
    assert re.search(r"A promise you cannot ke…\s+\d\.\d\d\s+\d\.\d\d\s+\d\.\d\d$", lines[1])
    assert lines[1].index("…") < lines[0].index("empathy")
    assert "Money changed hands " in lines[2]  # short enough: unchanged


def _ending_run(scenario_id: str, node_id: str, say: str) -> RunState:
    from datetime import UTC, datetime

    from trainer.scenario.engine import TurnRecord

    now = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    turn = TurnRecord(speaker="service_user", node=node_id, text=say, time=now)
    return RunState(run_id="end", scenario_id=scenario_id, scenario_title="t", node=node_id, variables={},
                    transcript=[turn], finished=True, started_at=now, updated_at=now)


@pytest.mark.parametrize("scenario_id", [p.stem for p in discover([BUNDLED_DIR])])
def test_no_form_of_the_service_users_name_survives_a_redacted_export_of_any_bundled_ending(scenario_id):
    scenario = load_scenario(BUNDLED_DIR / f"{scenario_id}.yaml").scenario
    parts = scenario.service_user.name.split()
    for node_id, node in scenario.nodes.items():
        if node.ending is None:
            continue
        d = compute_debrief(scenario, _ending_run(scenario_id, node_id, node.say), learner_name="Alex Smith")
        for fmt in ("md", "html", "json"):
            text = export(d, fmt, redact=True)
            left = [p for p in parts if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text)]
            assert left == [], f"{scenario_id} {node_id} {fmt}: {left}"


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_exports_are_readable_by_the_student_alone_and_a_failed_write_keeps_the_old_file(
    tmp_path, monkeypatch
):
    d = poor()
    path = write_export(d, "md", tmp_path / "out.md")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # a transcript is personal data
    before = path.read_bytes()

    def full_disk(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("trainer.paths.os.fsync", full_disk)
    with pytest.raises(ExportError, match="No space left on device"):
        write_export(d, "html", path)
    assert path.read_bytes() == before  # the earlier export is as it was
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]  # and no temporary file is left behind


def test_the_export_command_writes_a_private_file(db, tmp_path):
    out = tmp_path / "d.md"
    assert runner.invoke(app, ["export", "1", "--output", str(out), "--db", str(db)]).exit_code == 0
    assert os.name != "posix" or stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_text(encoding="utf-8").startswith("# Debrief")


def test_history_lists_unfinished_sessions_with_how_to_continue_them(tmp_path, monkeypatch):
    # A plain-player student who quit had no way to find the run id again but the line printed at quit.
    from trainer.scenario.engine import Session
    from trainer.scenario.saves import save_run

    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TRAINER_DB", str(tmp_path / "history.sqlite3"))
    loaded = load_scenario(BUNDLED_DIR / "doorstep-example.yaml")
    session = Session(loaded.scenario, loaded.id)
    save_run(session)
    result = runner.invoke(app, ["history"])
    assert result.exit_code == 0, result.output
    assert "`trainer play --resume ID` continues one" in " ".join(result.stdout.split())
    when = r"\d{4}-\d\d-\d\d \d\d:\d\d"
    row = rf"^  {session.state.run_id}  doorstep-example\n      started {when}, no replies yet$"
    assert re.search(row, result.stdout, re.M)
    assert "No sessions saved yet" not in result.stderr
