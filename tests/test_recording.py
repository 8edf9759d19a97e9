"""The process recording (DOCX read back with python-docx, Markdown, HTML, the command) and redaction of
the personal details a student might type."""

from __future__ import annotations

import html
import io
import json
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.test_debrief_fixtures import FEAR, assess, exchange, good_run, poor_run, scenario
from trainer.cli import app
from trainer.debrief.compute import compute_debrief
from trainer.debrief.recording import (
    COLUMNS,
    process_recording,
    render_process_recording,
    to_html,
    to_markdown,
    write_process_recording,
)
from trainer.debrief.redact import Redactor, redact
from trainer.debrief.selfassess import SelfAssessment
from trainer.history.notes import set_turn_note
from trainer.history.store import HistoryStore

SA = SelfAssessment(
    ratings={"empathy": 3}, service_user="Frightened of losing the children", self_="I rushed to reassure her"
)
NOTES = {3: "I felt her fear and wanted to make it better", 5: "I panicked about the money"}


def debrief(**kw):
    return compute_debrief(scenario(), poor_run(), SA, learner_name="Alex Smith", turn_notes=NOTES, **kw)


def test_the_docx_has_the_four_column_dialogue_table_with_the_students_notes(tmp_path):
    path = write_process_recording(debrief(), "docx", tmp_path / "pr.docx")
    doc = Document(str(path))
    [table] = doc.tables
    assert [c.text for c in table.rows[0].cells] == list(COLUMNS)
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(rows) == len(poor_run().transcript)
    assert rows[3][1] == NOTES[3] and rows[5][1] == NOTES[5]
    assert rows[3][0].startswith("Student (reply 2): ")
    assert "sympathy" in rows[3][2] and "\u201cI'm so sorry\u201d (sympathy)" in rows[3][2]
    assert all(row[3] == "" for row in rows)  # the supervisor's column, left for the educator
    text = "\n".join(p.text for p in doc.paragraphs)
    for heading in (
        "Identifying information (disguised)",
        "Purpose of the meeting",
        "Analysis",
        "Future plans",
    ):
        assert heading in text
    assert "I rushed to reassure her" in text  # the use-of-self answer feeds the analysis
    # names redacted by default, and the document says so
    everything = text + "\n".join(c.text for row in table.rows for c in row.cells)
    assert "Sarah" not in everything and "Alex" not in everything
    assert "Redacted: the service user's name, your name" in text


def test_markdown_and_html_recordings_carry_the_same_table():
    rec = process_recording(debrief())
    md = to_markdown(rec)
    assert (
        "| Verbatim dialogue | Student's feelings and reactions | Skills used | Supervisor's comments |" in md
    )
    assert NOTES[3] in md
    page = html.unescape(to_html(rec))
    assert "".join(f"<th>{c}</th>" for c in COLUMNS) in page and NOTES[5] in page
    assert page.count('<td class="sup"></td>') == len(rec.rows)  # the educator's column, empty


def test_the_skills_column_names_the_acts_when_the_scorer_gave_them():
    text = "It sounds like you're scared."
    mapping = assess(text, "empathy") | {
        "acts": [{"act": "reflection_complex", "start": 0, "end": 29, "text": text, "confidence": 0.9}]
    }
    d = compute_debrief(scenario(), exchange(FEAR, text, mapping))
    [student] = [r for r in process_recording(d).rows if r.who.startswith("Student")]
    assert student.skills[0] == "Acts: complex reflection"


def test_the_export_command_writes_a_process_recording(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_CONFIG_DIR", str(tmp_path / "config"))
    db = tmp_path / "history.sqlite3"
    with HistoryStore.open(db) as store:
        d = compute_debrief(scenario(), good_run(), SA)
        sid = store.save_session(
            good_run(), scenario=scenario(), self_assessment=SA, scores=d.session_scores()
        )
        set_turn_note(store, sid, 1, "Nervous at the door")
    out = tmp_path / "pr.docx"
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "export",
            str(sid),
            "--as",
            "process-recording",
            "--format",
            "docx",
            "--output",
            str(out),
            "--db",
            str(db),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "redacted" in result.stderr
    assert Document(str(out)).tables[0].rows[2].cells[1].text == "Nervous at the door"
    md = runner.invoke(app, ["export", str(sid), "--as", "process-recording", "-f", "md", "--db", str(db)])
    assert md.stdout.startswith("# Process recording: First home visit")
    bad = runner.invoke(app, ["export", str(sid), "--as", "process-recording", "-f", "json", "--db", str(db)])
    assert bad.exit_code == 2 and "must be one of docx, md, html" in bad.stderr


def test_the_learner_name_from_settings_is_redacted_too():
    d = compute_debrief(
        scenario(), exchange(FEAR, "I'm Priya, it sounds like you're scared.", assess("x", "empathy"))
    )
    assert d.learner_name is None
    text = json.dumps(redact(d, learner_name="Priya").model_dump(mode="json"))
    assert "Priya" not in text and "[learner]" in text


# --- redaction of personal details ---------------------------------------------------------------------


def test_redaction_says_what_it_removed():
    reply = "Ring me on 07700 900123 or mail sam@example.org; I'm at 12 Acacia Avenue. DOB 3 March 1990."
    d = compute_debrief(scenario(), exchange(FEAR, reply, assess(reply)))
    red = redact(d)
    assert red.transcript[1].text == "Ring me on [phone] or mail [e-mail]; I'm at [address]. [date of birth]."
    [note] = [n for n in red.notes if n.startswith("Redacted:")]
    assert "1 phone number (shown as [phone])" in note and "1 e-mail address" in note
    assert "1 street address" in note and "1 date of birth" in note


def _sep() -> st.SearchStrategy[str]:
    return st.sampled_from(["", " ", "-"])


@st.composite
def phones(draw: st.DrawFn) -> str:
    digits = draw(st.text("0123456789", min_size=9, max_size=9))
    kind = draw(st.sampled_from(["mobile", "intl", "london", "city"]))
    s = draw(_sep())
    if kind == "mobile":
        return f"07{digits[:3]}{s}{digits[3:]}"
    if kind == "intl":
        return f"+44{draw(_sep())}7{digits[:3]}{s}{digits[3:]}"
    if kind == "london":
        return f"(020) {digits[:4]}{s}{digits[4:8]}"
    return f"01{digits[:2]}{s}{digits[2:5]}{s}{digits[5:9]}"


emails = st.builds(
    lambda a, b, c: f"{a}@{b}.{c}",
    st.from_regex(r"[a-z][a-z0-9._+-]{0,10}", fullmatch=True),
    st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True),
    st.sampled_from(["com", "org", "co.uk"]),
)
addresses = st.builds(
    lambda n, name, kind, case: case(f"{n} {name} {kind}"),
    st.integers(1, 999),
    st.sampled_from(["Acacia", "Mill", "Church", "Victoria", "Station Hill", "Spring", "Holly"]),
    st.sampled_from(["Road", "Street", "Avenue", "Lane", "Close", "Drive", "Way", "Court", "Crescent"]),
    st.sampled_from([str, str.lower]),  # typed in a hurry: "12 acacia road"
)
dates = st.builds(
    lambda d, m, y, form: form.format(d=d, m=m, y=y, mon=["January", "March", "July", "December"][m % 4]),
    st.integers(1, 28),
    st.integers(1, 12),
    st.integers(1930, 2012),
    st.sampled_from(
        [
            "{d}/{m}/{y}",
            "{d:02d}/{m:02d}/{y}",
            "{d}-{m}-{y}",
            "{d} {mon} {y}",
            "{mon} {d}, {y}",
            "born on {d} {mon}",
        ]
    ),
)
LABELS = {"phone": "[phone]", "email": "[e-mail]", "address": "[address]", "date": "[date of birth]"}
KINDS = {"phone": phones(), "email": emails, "address": addresses, "date": dates}
SAFE = [
    "Ring 999 if you are in danger",
    "we have 20 minutes",
    "see you at 3.30 on Thursday",
    "I'll be back in 2024",
    "the number for the office is on the card",
    "I will call",
    "my sister lives 5 minutes down the road",
    "the shop is 2 doors up the hill",
    "I have 3 kids at the park",
]


@settings(max_examples=150, deadline=None)
@given(
    kind=st.sampled_from(sorted(KINDS)),
    data=st.data(),
    before=st.sampled_from(SAFE),
    after=st.sampled_from(SAFE),
)
def test_every_kind_of_personal_detail_is_redacted_and_safe_words_are_kept(kind, data, before, after):
    detail = data.draw(KINDS[kind])
    text = f"{before}, {detail}. {after}."
    out = Redactor({}, pii=True).text(text)
    assert detail not in out
    assert LABELS[kind] in out
    assert out.startswith(before) and out.endswith(after + ".")


@pytest.mark.parametrize("text", SAFE)
def test_ordinary_numbers_and_times_are_not_redacted(text):
    assert Redactor({}, pii=True).text(text) == text


def test_redacted_marks_still_cover_their_words(tmp_path: Path):
    d = debrief()
    red = redact(d)
    for line in red.transcript:
        for mark in line.marks:
            assert line.text[mark.start : mark.end] == mark.text


def test_the_export_command_redacts_the_name_in_the_settings(tmp_path, monkeypatch):
    from trainer.settings import Settings, save_settings

    monkeypatch.setenv("TRAINER_CONFIG_DIR", str(tmp_path / "config"))
    save_settings(Settings(learner_name="Priya"))
    reply = "Hi, I'm Priya from children's services; ring me on 07700 900123."
    state = exchange(FEAR, reply, assess(reply))
    db = tmp_path / "history.sqlite3"
    with HistoryStore.open(db) as store:
        sid = store.save_session(state, scenario=scenario())
    out = CliRunner().invoke(app, ["export", str(sid), "--redact", "--db", str(db)]).stdout
    assert "Priya" not in out and "07700" not in out
    assert "\\[learner\\]" in out and "\\[phone\\]" in out  # escaped in Markdown


@given(st.uuids())
def test_ids_are_never_taken_for_phone_numbers(uid):
    for text in (uid.hex, str(uid)):
        assert Redactor({}, pii=True).text(text) == text


def test_a_redacted_debrief_keeps_its_run_id():
    d = debrief()
    assert redact(d).run_state.run_id == d.run_state.run_id


postcodes = st.builds(
    lambda area, district, sector, unit, form: form(f"{area}{district}", f"{sector}{unit}"),
    st.sampled_from(["M", "SW", "B", "LS", "EC", "NW"]),
    st.sampled_from(["1", "11", "1A", "9"]),
    st.sampled_from("0123456789"),
    st.sampled_from(["AE", "AA", "XY", "BT"]),
    st.sampled_from([lambda a, b: f"{a} {b}", lambda a, b: f"{a} {b}".lower(), lambda a, b: f"{a}{b}"]),
)
#: Sections of Acts, as scenarios cite them: never taken for a postcode.
sections = st.builds(
    lambda n, suffix, lead: f"{lead}{n}{suffix}",
    st.integers(1, 120),
    st.sampled_from(["", "A", "ZA", "ZB", "(6)", "(3)"]),
    st.sampled_from(["s", "s.", "section ", "ss"]),
)


@settings(max_examples=120, deadline=None)
@given(code=postcodes, section=sections)
def test_postcodes_are_redacted_and_sections_of_acts_are_not(code, section):
    text = f"Children Act 1989 {section} applies; I live at {code}."
    assert Redactor({}, pii=True).text(text) == f"Children Act 1989 {section} applies; I live at [address]."


def test_a_name_typed_without_its_accents_is_still_redacted_as_that_person():
    r = Redactor({"Zoë Ní Bhriain": "[learner]", "Jade": "[service user]"}, pii=True)
    typed = "hi im zoe from the team, ZOE NI BHRIAIN, Zoë"
    assert r.text(typed) == "hi im [learner] from the team, [learner], [learner]"
    assert r.text("jade said zoe was late") == "[service user] said [learner] was late"  # zoe is the learner


def test_a_possessive_typed_without_its_apostrophe_is_redacted_as_that_person():
    r = Redactor({"Marcia Campbell": "[service user]", "Sam Okafor": "[learner]"})
    assert r.text("is marcias mum ok? sams here") == "is [service user] mum ok? [learner] here"
    assert r.text("Marcia's flat, Campbells' door") == "[service user]'s flat, [service user]' door"


@pytest.mark.parametrize("typed, redacted", [
    ("I thought of my aunt Joan Smith and froze", "I thought of my aunt [name] and froze"),
    ("her brother Tom in Spain doesn't help", "her brother [name] in Spain doesn't help"),
    ("our GP Dr Patel noticed", "our GP Dr [name] noticed"),
    ("my mum I think was upset", "my mum I think was upset"),  # "I" is not a name
    ("my gran I'm sure of it", "my gran I'm sure of it"),
    ("I told my manager straight away", "I told my manager straight away"),
])
def test_other_peoples_names_are_redacted_where_the_words_say_they_are_names(typed, redacted):
    # A student's note named their own aunt, and the redacted process recording kept her name.
    assert Redactor({}, pii=True).text(typed) == redacted


def test_the_identifying_heading_says_disguised_only_when_it_is():
    d = compute_debrief(scenario(), good_run(), SA)
    for fmt in ("md", "html"):
        redacted = str(render_process_recording(process_recording(d), fmt))
        shown = str(render_process_recording(process_recording(d, redact=False), fmt))
        assert "Identifying information (disguised)" in redacted
        assert "(disguised)" not in shown
        assert "Identifying information (not disguised: real names are shown)" in shown
    docx = render_process_recording(process_recording(d, redact=False), "docx")
    headings = [p.text for p in Document(io.BytesIO(docx)).paragraphs if p.style.name.startswith("Heading")]
    assert "Identifying information (not disguised: real names are shown)" in headings


@pytest.mark.parametrize("name", ["[bold red]Zoë[/] O'Brien", "Zoë O'Brien [she/her]"])
def test_a_name_typed_with_brackets_is_still_redacted(name):
    # With markup in the name in the settings, the redacted export kept "Zoë" three times.
    r = Redactor({name: "[learner]"})
    assert r.text("hi im Zoë, zoe o'brien from the team") == "hi im [learner], [learner] from the team"


def test_a_piece_of_a_redacted_phone_number_is_redacted_wherever_it_is_quoted():
    # The evidence reason quoted "'call me on 07700' offers your personal contact details": the rule's span
    # stopped at the space, and the piece escaped the phone pattern.
    r = Redactor({}, pii=True)
    assert r.text("you can call me on 07700 900123") == "you can call me on [phone]"
    assert r.text("'call me on 07700' offers your personal contact details") == \
        "'call me on [phone]' offers your personal contact details"
    assert r.text("we have 2024 plans and 20 minutes") == "we have 2024 plans and 20 minutes"
