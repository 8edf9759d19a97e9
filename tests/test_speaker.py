"""Lines said by someone other than the service user (a node's or variant's `speaker`): the format and its
check, the run's record of who spoke (old saves still load), and the name shown wherever the line is shown
or exported: the app's conversation and debrief, the plain player, the exports and the process recording,
and the educator's report. Redaction still takes out the service user's name, inside a speaker's too.

Most tests play the bundled interpreter-son-offers scenario, in which Lan's son Minh answers the door."""

from __future__ import annotations

import io
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from textual.widgets import TextArea
from typer.testing import CliRunner

from tests.test_debrief_screen import Host, shown
from tests.test_tui import (
    data_dir,  # noqa: F401 (the autouse fixture: saves go to tmp_path)
    make_app,
    open_conversation,
    screen_text,
)
from tests.tui_support import FakeScorer
from trainer.cli import app as cli
from trainer.debrief.compute import compute_debrief
from trainer.debrief.export import export, to_html, to_markdown
from trainer.debrief.model import Debrief
from trainer.debrief.recording import process_recording, write_process_recording
from trainer.debrief.recording import to_markdown as recording_markdown
from trainer.debrief.redact import redact
from trainer.history.store import HistoryStore
from trainer.plain import run_plain
from trainer.scenario.engine import Prompt, RunState, Session, StateError
from trainer.scenario.loader import load_scenario, validate_paths
from trainer.scenario.schema import Scenario
from trainer.tui.debrief_screen import DebriefScreen

REPO = Path(__file__).resolve().parent.parent
INTERPRETER = REPO / "scenarios" / "interpreter-son-offers.yaml"
SID = "interpreter-son-offers"
MINH = "Minh (Lan's son)"


def interpreter() -> Scenario:
    return load_scenario(INTERPRETER).scenario


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def A(cues: list[str] | None = None, **scores: float) -> dict[str, Any]:
    return {"scores": scores, "cues": cues or [], "evidence": []}


def minh_run() -> RunState:
    """Minh at the door, Minh again when told "rules", then Mrs Nguyen herself (through Thu)."""
    s = Session(interpreter(), SID, clock=Clock())
    s.submit("No. We have rules about this.", A(cues=["cites_rules"]), option=3)  # -> minh_push
    s.submit("You're her son and you want to help.", A(empathy=0.9))  # -> intro, Mrs Nguyen
    return s.state


def minh_debrief(**kw: Any) -> Debrief:
    return compute_debrief(interpreter(), minh_run(), learner_name="Alex Smith", **kw)


def scenario_with(nodes: dict[str, Any], start: str = "a") -> Scenario:
    return Scenario.model_validate({
        "schema_version": 1, "title": "T", "summary": "S", "setting": "A flat.", "objectives": ["Listen"],
        "service_user": {"name": "Sam Cole", "situation": "s", "wants": "w", "fears": "f"},
        "cues": {"x": {"phrases": ["x"]}}, "start": start,
        "nodes": {"end": {"say": "Bye.", "ending": {"outcome": "built", "title": "E", "note": "N"}}, **nodes},
    })  # fmt: skip


# --- the format ----------------------------------------------------------------------------------------


def test_the_bundled_scenarios_name_who_else_speaks() -> None:
    speakers = {
        "interpreter-son-offers": {n: MINH for n in ("door", "minh_push", "son_interprets", "minh_asks")},
        "s47-hostile-father": {"oscar": "Oscar (Mark's son)"},
        "carers-assessment-dementia": {"george": "George (Helen's father)"},
        "first-call-phone": {"mum_answers": "A woman on Jordan's phone", "mum_knows": "Jordan's mum"},
    }
    for sid, nodes in speakers.items():
        sc = load_scenario(REPO / "scenarios" / f"{sid}.yaml").scenario
        assert {n: sc.nodes[n].speaker for n in nodes} == nodes
        # Every other line is the service user's, and no variant names anyone else.
        assert all(node.speaker is None for nid, node in sc.nodes.items() if nid not in nodes)
        assert all(v.speaker is None for node in sc.nodes.values() for v in node.variants)


@pytest.mark.parametrize("written", ['""', '"   "', ""])
def test_an_empty_speaker_is_an_error_at_its_line(tmp_path: Path, written: str) -> None:
    text = INTERPRETER.read_text(encoding="utf-8").replace(f'speaker: "{MINH}"', f"speaker: {written}", 1)
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    [d] = validate_paths([path])
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if ln.strip().startswith("speaker:"))
    assert (d.code, d.line, d.col) == ("SCN022", line, 5)
    assert d.path == "node 'door' > speaker"
    assert d.message.startswith("this is empty: write who says the line")
    assert "leave `speaker` out when the service user says it" in d.message


@pytest.mark.parametrize(
    ("assessment", "said", "name"),
    [
        (A(), "Hello.", "Kim (Sam's sister)"),
        (A(cues=["x"]), "Sam speaks.", None),  # the service user's own name: the line is theirs again
        (A(purpose=0.9), "Dad here.", "Rob (Sam's dad)"),
        (A(empathy=0.9), "Kim again.", "Kim (Sam's sister)"),  # no speaker of its own: the node's
    ],
)
def test_a_variant_speaks_as_the_node_unless_it_names_someone_else_or_the_service_user(
    assessment: dict[str, Any], said: str, name: str | None
) -> None:
    sc = scenario_with({
        "b": {"say": "Me now.", "default": {"goto": "a"}},
        "a": {"say": "Hello.", "speaker": "Kim (Sam's sister)",
              "variants": [{"if": {"cue": "x"}, "say": "Sam speaks.", "speaker": "Sam Cole"},
                           {"if": {"signal": "purpose"}, "say": "Dad here.", "speaker": "Rob (Sam's dad)"},
                           {"if": {"signal": "empathy"}, "say": "Kim again."}],
              "default": {"goto": "end"}},
    }, start="b")  # fmt: skip
    s = Session(sc, "t", clock=Clock())
    assert s.current().name is None and s.state.transcript[0].name is None  # Sam, at b
    step = s.submit("hi", assessment)
    assert isinstance(step, Prompt) and (step.node, step.line, step.name) == ("a", said, name)
    assert (s.state.transcript[-1].text, s.state.transcript[-1].name) == (said, name)
    ended = s.submit("bye", A())
    assert ended.name is None and s.state.transcript[-1].name is None


# --- the run's record ----------------------------------------------------------------------------------


def test_the_transcript_and_the_prompt_carry_who_spoke() -> None:
    s = Session(interpreter(), SID, clock=Clock())
    assert s.current().name == MINH and s.state.transcript[0].name == MINH
    s.submit("No. We have rules about this.", A(cues=["cites_rules"]), option=3)
    assert s.current().line.startswith("(Blocking the doorway a little.) Rules. Right.")  # a variant...
    assert s.current().name == MINH  # ... said by the node's speaker
    s.submit("You're her son and you want to help.", A(empathy=0.9))
    assert s.current().node == "intro" and s.current().name is None  # Mrs Nguyen herself
    assert [t.name for t in s.state.transcript] == [MINH, None, MINH, None, None]
    again = Session.from_json(s.scenario, SID, s.to_json())
    assert again.to_json() == s.to_json()


def test_a_run_saved_before_speakers_existed_still_loads() -> None:
    # As a run was saved before the field existed: no "name" on any line, at the door Minh speaks at.
    s = Session(interpreter(), SID, clock=Clock())
    s.submit("No. We have rules about this.", A(), option=3)
    old = json.loads(s.to_json())
    for record in old["transcript"]:
        record.pop("name", None)
    loaded = Session.from_json(interpreter(), SID, json.dumps(old))
    assert [t.name for t in loaded.state.transcript] == [None, None, None]
    assert loaded.current().line.startswith("(His smile goes.)")
    # ... and a run in which only the service user speaks is saved as it was before: no "name" in it.
    plain = Session(scenario_with({"a": {"say": "Hi.", "default": {"goto": "end"}}}), "t", clock=Clock())
    assert '"name"' not in plain.to_json()


def test_an_old_history_entry_and_an_old_export_still_load(tmp_path: Path) -> None:
    store = HistoryStore.open(tmp_path / "history.sqlite3")
    state = minh_run()
    old = json.loads(state.model_dump_json())
    for record in old["transcript"]:
        record.pop("name", None)
    sid = store.save_session(RunState.model_validate(old), scenario=interpreter())
    record = store.get_session(sid)
    assert record.scenario is not None  # the scenario snapshot reads back, with its speakers
    assert record.scenario.nodes["door"].speaker == MINH and record.scenario.nodes["intro"].speaker is None
    assert all(t.name is None for t in record.run_state.transcript)
    exported = minh_debrief().model_dump(mode="json")
    for line in exported["transcript"]:
        line.pop("name", None)
    for moment in exported["missed"]:
        moment.pop("said_by", None)
    assert Debrief.model_validate(exported).transcript[0].name is None


def test_a_learner_line_cannot_carry_another_speaker() -> None:
    data = json.loads(Session.from_json(interpreter(), SID, minh_run().model_dump_json()).to_json())
    data["transcript"][1]["name"] = MINH
    with pytest.raises(StateError, match="is the learner's but names another speaker"):
        Session.from_json(interpreter(), SID, json.dumps(data))


# --- what the student sees -----------------------------------------------------------------------------


async def test_the_app_shows_minhs_line_under_his_name(tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(INTERPRETER, folder / INTERPRETER.name)
    app = make_app(scenarios_dir=folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_conversation(pilot)
        text = screen_text(app)
        assert f"{MINH}: (Minh opens the door, smiling" in text
        assert "Lan: (Minh opens" not in text
        assert app.screen.query_one("#reply", TextArea).placeholder.startswith(f"Your reply to {MINH}")


def test_the_plain_player_prints_minhs_name() -> None:
    out, err = io.StringIO(), io.StringIO()
    replies = "3\nIt sounds like you feel pushed out.\n/quit\n"
    run_plain(str(INTERPRETER), stdin=io.StringIO(replies), stdout=out, stderr=err, scorer=FakeScorer(),
              mode="coach")
    text = out.getvalue()
    assert f"\n{MINH}: (Minh opens the door, smiling" in text
    assert f"\n{MINH}: (Blocking the doorway a little.) Rules. Right." in text
    assert "Lan: (Minh" not in text and "Lan: (Blocking" not in text
    assert "\nLan: (Mrs Nguyen looks at Minh, then at you.)" in text  # her own line: her name
    # Resumed, the lines so far are shown again under the same names.
    run_id = text.rsplit("--resume ", 1)[1].split()[0]
    out = io.StringIO()
    run_plain(None, resume=run_id, stdin=io.StringIO("/quit\n"), stdout=out, stderr=err, scorer=FakeScorer())
    assert f"{MINH}: (Minh opens the door, smiling" in out.getvalue()
    assert f"{MINH}: (Blocking the doorway a little.)" in out.getvalue()


def test_a_coach_note_on_a_reply_to_someone_else_says_they(tmp_path: Path) -> None:
    # A moment with no tip of its own gets the generic one, with the pronoun of whoever spoke: Sam's "she"
    # for Sam, "they" for Kim.
    path = tmp_path / "sisters.yaml"
    path.write_text('''schema_version: 1
title: Sisters
summary: A visit.
setting: A flat.
objectives: [Listen.]
service_user: {name: Sam Cole, pronouns: she/her, situation: s, wants: w, fears: f}
start: kim
nodes:
  kim:
    speaker: Kim (Sam's sister)
    say: I'm worried sick about her.
    expect: [empathy]
    default: {goto: sam}
  sam:
    say: I'm worried too.
    expect: [empathy]
    default: {goto: end}
  end:
    say: Bye.
    ending: {outcome: built, title: E, note: N}
''', encoding="utf-8")
    out = io.StringIO()
    run_plain(str(path), stdin=io.StringIO("Right.\nOkay.\n"), stdout=out, stderr=io.StringIO(),
              scorer=FakeScorer(), mode="coach")
    text = out.getvalue()
    kim, sam = text.split("\nSam: I'm worried too.", 1)  # live (the debrief's transcript repeats it)
    assert "Kim (Sam's sister): I'm worried sick about her." in kim
    assert "in what they said" in kim and "in what she said" not in kim
    assert "in what she said" in sam.split("\nSam: Bye.")[0]


def test_the_markdown_and_html_exports_name_minh() -> None:
    d = minh_debrief()
    assert [line.name for line in d.transcript] == [MINH, None, MINH, None, None]
    md = to_markdown(d)
    assert f"**{MINH}:** (Minh opens the door, smiling" in md
    assert f"**{MINH}:** (Blocking the doorway a little.)" in md
    assert "**Lan:** (Minh" not in md and "**Lan:** (Blocking" not in md
    assert "**Lan:** (Mrs Nguyen looks at Minh, then at you.)" in md  # her own line, as the chat names her
    page = to_html(d)
    assert '<span class="who">Minh (Lan&#x27;s son):</span> (Minh opens the door' in page


def test_the_debrief_names_whoever_said_the_line_it_points_back_to() -> None:
    d = minh_debrief()
    at_door = [m for m in d.missed if m.node == "door"]
    assert at_door and all(m.said_by == MINH for m in at_door)
    expected = next(m for m in d.missed if m.rule == "expected-signal" and m.node == "door")
    assert expected.message.startswith("Minh said \u201cHi, I'm Minh, her son.")
    assert "Lan said" not in " ".join(m.message for m in d.missed)
    counted = [c.why for s in d.skills for c in s.moments]
    assert any(w.startswith("Minh said") for w in counted) and not any("Lan said" in w for w in counted)


async def test_the_debrief_screen_transcript_names_minh() -> None:
    app = Host(DebriefScreen(minh_debrief()))
    async with app.run_test(size=(120, 60)):
        text = shown(app, "#transcript")
    assert f"{MINH}: (Minh opens the door, smiling" in text
    assert "Lan Nguyen: (Minh" not in text and "Lan: (Minh" not in text
    assert "Lan: (Mrs Nguyen looks at Minh" in text  # her own line, by the name the conversation used


def test_the_process_recording_names_minh_and_redacts_lan(tmp_path: Path) -> None:
    # Redacted, Minh is "[name]" wherever he stands: the referral names him by a cue ("Her son Minh"), so
    # his name goes from the whole recording, his speaker's label too, which still says whose son he is.
    md = recording_markdown(process_recording(minh_debrief()))
    assert "| **\\[name\\] (\\[service user\\]'s son):** (\\[name\\] opens the door, smiling" in md
    assert "| **\\[service user\\]:** (Mrs \\[service user\\] looks at \\[name\\]" in md  # her own line
    assert "Lan" not in md and "Nguyen" not in md and "Alex" not in md and "Minh" not in md
    unredacted = recording_markdown(process_recording(minh_debrief(), redact=False))
    assert f"| **{MINH}:** (Minh opens the door, smiling" in unredacted
    doc = Document(str(write_process_recording(minh_debrief(), "docx", tmp_path / "pr.docx")))
    cells = [row.cells[0].text for row in doc.tables[0].rows[1:]]
    assert cells[0].startswith("[name] ([service user]'s son): ([name] opens the door")


def test_redaction_takes_the_service_users_name_out_of_a_speakers_name() -> None:
    d = redact(minh_debrief())
    assert d.transcript[0].name == "[name] ([service user]'s son)"  # Minh too: the referral names him
    assert d.run_state.transcript[0].name == "[name] ([service user]'s son)"
    assert all(m.said_by in (None, "[name] ([service user]'s son)") for m in d.missed)
    dumped = d.model_dump_json()
    assert "Lan" not in dumped and "Nguyen" not in dumped and "Minh" not in dumped


def test_the_educators_report_names_who_said_the_line(tmp_path: Path) -> None:
    flag = {"turn": 1, "wrong": [], "missing": ["boundaries"], "reason": "I kept to the policy"}
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "a.json").write_text(export(minh_debrief(flags=[flag]), "json"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["cohort", str(folder), "-o", str(tmp_path / "report.html")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    minh = "Minh (Lan&#x27;s son): (Minh opens the door, smiling"
    # the moment in the map of moments, in the recurring missed moments (its expected signal), and what was
    # said before the flag
    assert page.count(minh) == 3
    assert "Good afternoon. My son says" in page and "&#x27;s son): (In the front room" not in page
