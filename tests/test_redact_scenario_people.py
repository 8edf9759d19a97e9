"""The other people a scenario names (its `service_user.people`, and the names its own text shows by their
cue) are redacted in every export, in the service user's lines and the student's replies alike: Kai (Jade's
brother) and Joan (Arthur's late wife), which a redacted export used to leave (trainer/debrief/redact.py)."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from tests.test_debrief_fixtures import assess
from trainer.cli import app
from trainer.debrief.compute import compute_debrief
from trainer.debrief.export import export
from trainer.debrief.model import Debrief
from trainer.debrief.recording import process_recording, render_process_recording
from trainer.debrief.redact import Redactor, scenario_people
from trainer.history.store import HistoryStore
from trainer.scenario.engine import RunState, TurnRecord
from trainer.scenario.loader import BUNDLED_DIR, ScenarioInvalid, discover, load_scenario
from trainer.scenario.schema import Scenario

T0 = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
JADE_REPLY = "So it all knocks on, and then Kai's on his own with her. No wonder you're exhausted."
ARTHUR_REPLY = "You're determined to manage, and it can't be easy, doing it all without Joan."


def bundled(sid: str) -> Scenario:
    return load_scenario(BUNDLED_DIR / f"{sid}.yaml").scenario


def played(sid: str, node: str, reply: str) -> tuple[Scenario, RunState]:
    """A run of the bundled scenario `sid`: the service user's line at `node`, then `reply`."""
    sc = bundled(sid)
    turns = [("service_user", sc.nodes[node].say, None), ("learner", reply, assess(reply, "empathy"))]
    records = [TurnRecord(speaker=who, node=node, text=text, time=T0 + timedelta(minutes=i),  # type: ignore[arg-type]
                          assessment=a, rule="default" if who == "learner" else None)
               for i, (who, text, a) in enumerate(turns)]
    state = RunState(run_id=sid, scenario_id=sid, scenario_title=sc.title, node=node,
                     variables=sc.initial_variables(), transcript=records, finished=False,
                     started_at=T0, updated_at=T0 + timedelta(minutes=2))
    return sc, state


def debrief(sid: str, node: str, reply: str) -> Debrief:
    sc, state = played(sid, node, reply)
    return compute_debrief(sc, state, learner_name="Alex Smith")


def unescaped(text: str) -> str:
    return text.replace("\\[", "[").replace("\\]", "]").replace("\\'", "'")


CASES = [
    ("young-carer-online", "tired", JADE_REPLY, "kai",
     ["then [name]'s on his own with her", "and then [name]'s on his own with her. No wonder"]),
    ("hospital-discharge-money", "fine_really", ARTHUR_REPLY, "joan",
     ["[name] always said I was useless", "doing it all without [name]."]),
]


@pytest.mark.parametrize(("sid", "node", "reply", "name", "expected"), CASES)
@pytest.mark.parametrize("fmt", ["md", "json"])
def test_the_people_the_scenario_names_leave_a_redacted_export(sid, node, reply, name, expected, fmt):
    d = debrief(sid, node, reply)
    named = export(d, fmt)
    assert re.search(rf"(?i)\b{name}\b", named)  # there to redact: the service user's line and the reply
    out = unescaped(export(d, fmt, redact=True))
    if fmt == "json":
        out = json.dumps(json.loads(out))  # as the reader sees the strings
    assert not re.search(rf"(?i)\b{name}", out)
    for words in expected:
        assert words in (unescaped(json.loads(out)["debrief"]["transcript"][0]["text"] + " "
                                   + json.loads(out)["debrief"]["transcript"][1]["text"])
                         if fmt == "json" else out)


@pytest.mark.parametrize(("sid", "node", "reply", "name", "expected"), CASES)
def test_the_process_recording_redacts_them_in_markdown_and_docx(sid, node, reply, name, expected):
    rec = process_recording(debrief(sid, node, reply))
    text = unescaped(str(render_process_recording(rec, "md")))
    assert not re.search(rf"(?i)\b{name}", text)
    for words in expected:
        assert words in text
    doc = Document(io.BytesIO(render_process_recording(rec, "docx")))  # type: ignore[arg-type]
    cells = " ".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert not re.search(rf"(?i)\b{name}", cells + " ".join(p.text for p in doc.paragraphs))
    assert "[name]" in cells
    assert rec.redaction is not None and "other people's names" in rec.redaction


def test_jades_teacher_and_brother_are_both_counted_in_the_note():
    d = debrief("young-carer-online", "tired", JADE_REPLY)
    out = unescaped(export(d, "md", redact=True))
    assert "Miss [name] gives me a detention" in out
    counted = re.search(r"(\d+) other people's names \(shown as \[name\]\)", out)
    assert counted and int(counted.group(1)) >= 2  # Kai and Miss Jones, and whoever the coaching names


@pytest.mark.parametrize(("sid", "node", "reply", "name", "fmt"), [
    ("hospital-discharge-money", "fine_really", ARTHUR_REPLY, "joan", "md"),
    ("young-carer-online", "tired", JADE_REPLY, "kai", "json"),
])
def test_trainer_export_redact_from_the_history(tmp_path: Path, monkeypatch, sid, node, reply, name, fmt):
    # As the tester ran it: `trainer export N --format md|json --redact`, and the process recording.
    monkeypatch.setenv("TRAINER_CONFIG_DIR", str(tmp_path / "config"))
    sc, state = played(sid, node, reply)
    path = tmp_path / "history.sqlite3"
    with HistoryStore.open(path) as store:
        sid_ = store.save_session(state, scenario=sc, learner_name="Alex Smith")
    runner = CliRunner()
    for extra in (["--format", fmt], ["--as", "process-recording", "--format", "md"]):
        result = runner.invoke(app, ["export", str(sid_), *extra, "--redact", "--db", str(path)])
        assert result.exit_code == 0, result.output
        assert "[name]" in unescaped(result.stdout)
        assert not re.search(rf"(?i)\b{name}", result.stdout)


def test_a_name_found_only_in_the_list_is_redacted():
    # "Gary upstairs helps me": no word around it says it is a name; the scenario's `people` does.
    sc = bundled("parent-learning-disability")
    assert "Gary" in sc.service_user.people
    r = Redactor({}, pii=True, people=sc.service_user.people)
    assert r.text("Gary upstairs helps me. I told gary no.") == "[name] upstairs helps me. I told [name] no."


def test_a_listed_name_that_is_a_word_is_redacted_only_capitalised():
    r = Redactor({}, pii=True, people=["Grace", "Mr Patel"])
    assert r.text("Grace said it with grace; Patel's office rang.") == \
        "[name] said it with grace; [name]'s office rang."


def test_ordinary_sentences_survive_a_scenarios_people():
    r = Redactor({}, pii=True, people=bundled("young-carer-online").service_user.people)
    text = "I do the breakfast and the washing, then school, then my mum is tired and so am I."
    assert r.text(text) == text


def test_every_bundled_scenario_lists_the_people_its_text_names():
    # The list is what an author keeps: a name the scenario's own text shows by its cue ("her brother
    # Kai (7)") and the list leaves out is a list to complete.
    for path in discover([BUNDLED_DIR]):
        sc = load_scenario(path).scenario
        assert sc.service_user.people, path.name
        assert scenario_people(sc) == list(sc.service_user.people), path.name


def test_a_scenario_without_a_list_still_redacts_the_names_its_text_shows():
    data = bundled("young-carer-online").model_dump(mode="json", by_alias=True)
    del data["service_user"]["people"]
    sc = Scenario.model_validate(data)
    assert "Kai" in scenario_people(sc)  # "her brother Kai (7)" in the history


def test_an_export_made_before_the_list_still_loads_and_a_redacted_one_carries_no_names():
    d = debrief("young-carer-online", "tired", JADE_REPLY)
    data = json.loads(export(d, "json"))["debrief"]
    assert data["people"] == ["Kai", "Grace", "Mr Patel", "Miss Jones"]
    del data["people"]
    assert Debrief.model_validate(data).people == []  # a hand-in exported before
    redacted = json.loads(export(d, "json", redact=True))["debrief"]
    assert "people" not in redacted


@pytest.mark.parametrize(("people", "problem"), [
    ("[Kai, kai]", "listed twice"),
    ("[Kai, Jade]", "the service user's own name"),
    ("['42']", "is not a name"),
])
def test_the_list_is_checked(tmp_path: Path, people, problem):
    text = (BUNDLED_DIR / "young-carer-online.yaml").read_text(encoding="utf-8")
    text = text.replace("people: [Kai, Grace, Mr Patel, Miss Jones]", f"people: {people}")
    path = tmp_path / "jade.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioInvalid) as caught:
        load_scenario(path)
    assert problem in str(caught.value)


def test_the_cohort_matches_a_named_and_a_redacted_copy_of_a_line_naming_a_listed_person():
    from trainer.educator.cohort import _canonical

    sc = bundled("parent-learning-disability")
    line = "Gary upstairs helps me. He minds Amelia when I go out."
    redacted = Redactor({sc.service_user.name: "[service user]"}, pii=True, people=sc.service_user.people)
    assert redacted.text(line) == "[name] upstairs helps me. He minds [name] when I go out."
    same = _canonical(sc)
    assert same(line) == same(redacted.text(line))
