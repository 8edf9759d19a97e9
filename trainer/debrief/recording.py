"""The debrief as a *process recording*, the document placement students hand their practice educators.

    rec = process_recording(debrief)                         # names and personal details redacted
    write_process_recording(debrief, "docx", Path("pr.docx"))
    text = render_process_recording(rec, "md")               # or "html"; "docx" gives bytes

The sections follow the usual shape of a social-work process recording: identifying information
(disguised), the purpose of the meeting, the dialogue table with four columns - the verbatim dialogue; the
student's feelings and reactions (their per-reply "what was happening for you?" notes from the debrief);
the skills used (from the scorer: dialogue acts when known, the signals shown and the evidence words); and
the supervisor's comments, left empty for the practice educator - then the analysis (the student's
use-of-self answers, after Wilson et al. 2011, beside the session scores and the MITI-style summary) and
future plans (the debrief's things to try next time). Names and personal details are redacted by default
(trainer.debrief.redact), and the document says what was redacted.

The Word document is written with python-docx, so the educator can type into the supervisor column.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from trainer.debrief.export import ExportError, chat_name, default_filename, local, md, write_file
from trainer.debrief.model import Debrief, Line
from trainer.debrief.redact import redact as redact_debrief
from trainer.debrief.selfassess import USE_OF_SELF_PROMPTS

RECORDING_FORMATS: tuple[str, ...] = ("docx", "md", "html")

COLUMNS: tuple[str, str, str, str] = (
    "Verbatim dialogue",
    "Student's feelings and reactions",
    "Skills used",
    "Supervisor's comments",
)

#: How each dialogue act (trainer.scoring.api.ACTS) is named in the skills column.
ACT_WORDS: dict[str, str] = {
    "reflection_simple": "simple reflection",
    "reflection_complex": "complex reflection",
    "question_open": "open question",
    "question_closed": "closed question",
    "advice": "advice",
    "information": "giving information",
    "reassurance": "reassurance",
    "self_disclosure": "self-disclosure",
    "sympathy": "sympathy",
    "affirmation": "affirmation",
    "structuring": "structuring the meeting",
    "boundary": "boundary statement",
    "overstep": "overstep",
}

SIGNAL_WORDS: dict[str, str] = {
    "empathy": "empathy (reflecting feeling or meaning)",
    "sympathy": "sympathy (counts against empathy)",
    "purpose": "purpose-setting",
    "boundaries": "stating the professional frame",
    "overstep": "overstep (counts against boundaries)",
}


@dataclass(frozen=True)
class Row:
    """One row of the dialogue table."""

    who: str
    dialogue: str
    feelings: str = ""
    skills: list[str] = field(default_factory=list)
    supervisor: str = ""


@dataclass(frozen=True)
class ProcessRecording:
    """Everything the document shows, already redacted when asked."""

    title: str
    identifying: list[tuple[str, str]]
    purpose: list[str]
    rows: list[Row]
    analysis: list[tuple[str, str]]
    future: list[str]
    redaction: str | None
    """What was redacted; None when the recording was made without redaction (real names shown)."""

    @property
    def identifying_heading(self) -> str:
        """The heading of the identifying information: "(disguised)" only when it was redacted."""
        if self.redaction is not None:
            return "Identifying information (disguised)"
        return "Identifying information (not disguised: real names are shown)"


def skills_used(line: Line) -> list[str]:
    """The skills column for one learner reply: acts (when known), signals shown, evidence words."""
    out = []
    acts = [ACT_WORDS[a] for a in dict.fromkeys(line.acts) if a in ACT_WORDS]
    if acts:
        out.append("Acts: " + ", ".join(acts))
    out.append("Shown: " + (", ".join(SIGNAL_WORDS.get(s, s) for s in line.present) or "no skill signal"))
    for mark in line.marks:
        out.append(f"\u201c{mark.text}\u201d ({mark.signal})")
    return out


def process_recording(
    debrief: Debrief, *, redact: bool = True, learner_name: str | None = None
) -> ProcessRecording:
    """The process recording of a debrief.

    Args:
        debrief: the debrief (with its turn notes).
        redact: replace names and personal details (the default); the document then says what was redacted.
        learner_name: the student's name when the debrief does not carry one (the name in their settings):
            on the recording as the student when not redacted, replaced everywhere when it is.
    """
    if learner_name and not debrief.learner_name:
        debrief = debrief.model_copy(update={"learner_name": learner_name})
    d = redact_debrief(debrief) if redact else debrief
    su = d.service_user or "Service user"
    identifying = [("Service user", su)]
    if d.meeting is not None:
        about = ", ".join(
            x for x in (f"age {d.meeting.age}" if d.meeting.age else "", d.meeting.pronouns or "") if x
        )
        if about:
            identifying.append(("About them", about))
        identifying.append(("Setting", d.meeting.setting))
    identifying += [
        ("Student", d.learner_name or "(not given)"),
        ("Date of the meeting", local(d.started_at).strftime("%d %B %Y")),
        ("Scenario (a rehearsal, not a real meeting)", d.scenario_title),
        ("Practice educator", ""),
    ]
    purpose = []
    if d.meeting is not None:
        purpose.append(d.meeting.referral or d.meeting.summary)
        purpose += [f"Objective: {o}" for o in d.meeting.objectives]
    else:
        purpose.append("The scenario is no longer available, so its purpose is not shown.")
    rows = []
    for line in d.transcript:
        if line.speaker == "service_user":
            rows.append(Row(who=chat_name(d, line.name), dialogue=line.text))
        else:
            rows.append(
                Row(
                    who=f"Student (reply {line.reply})",
                    dialogue=line.text,
                    feelings=d.turn_notes.get(line.index, ""),
                    skills=skills_used(line),
                )
            )
    analysis = [
        (prompt, d.reflections.get(key) or "(not answered)") for key, prompt in USE_OF_SELF_PROMPTS.items()
    ]
    for s in d.skills:
        analysis.append((f"{s.name}: {s.level}/5" if s.level is not None else s.name, s.gap))
    if d.miti is not None:
        miti = "; ".join(
            f"{m.name}: {m.shown} (MITI fair {m.fair}, good {m.good})"
            if m.fair != "-"
            else f"{m.name}: {m.shown}"
            for m in d.miti.measures
        )
        analysis.append(("MITI-style summary", f"{miti}. {d.miti.note} {d.miti.citation}"))
    future = [f"{s.title}. {s.text} ({s.source})" for s in d.suggestions]
    redaction = next((n for n in d.notes if n.startswith("Redacted:")), "Redacted.") if redact else None
    title = f"Process recording: {d.scenario_title}"
    return ProcessRecording(title, identifying, purpose, rows, analysis, future, redaction)


# --- rendering -----------------------------------------------------------------------------------------


BLANK = "\\_" * 8
"""An empty field in Markdown, to be filled in by hand."""


def _md_cell(text: str) -> str:
    return md(text).replace("\n", " ")


def to_markdown(rec: ProcessRecording) -> str:
    """The process recording as Markdown (the dialogue as a four-column table)."""
    o = [f"# {md(rec.title)}", ""]
    if rec.redaction:
        o += [f"_{md(rec.redaction)}_", ""]
    o += [f"## {md(rec.identifying_heading)}", ""]
    o += [f"- **{md(k)}:** {md(v) if v else BLANK}" for k, v in rec.identifying]
    o += ["", "## Purpose of the meeting", "", *(f"- {md(p)}" for p in rec.purpose), ""]
    o += ["## Dialogue", "", "| " + " | ".join(COLUMNS) + " |", "|---|---|---|---|"]
    for row in rec.rows:
        skills = "<br>".join(_md_cell(s) for s in row.skills)
        o.append(
            f"| **{_md_cell(row.who)}:** {_md_cell(row.dialogue)} | {_md_cell(row.feelings)} | {skills} | |"
        )
    o += ["", "## Analysis", ""]
    for k, v in rec.analysis:
        o += [f"**{md(k)}**", "", md(v), ""]
    o += ["## Future plans", "", *(f"{i}. {md(f)}" for i, f in enumerate(rec.future, 1)), ""]
    return "\n".join(o).rstrip() + "\n"


def to_html(rec: ProcessRecording) -> str:
    """The process recording as one self-contained HTML page (prints to PDF; the table has room to write)."""
    h = escape
    o = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{h(rec.title)}</title>",
        "<style>body{font:15px/1.45 system-ui,sans-serif;margin:2rem;color:#111}"
        "table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:.35rem .5rem;"
        "vertical-align:top;text-align:left}td.sup{min-width:12rem}.muted{color:#555}"
        "@media print{body{margin:0}tr{break-inside:avoid}}</style>",
        "</head>",
        "<body>",
        f"<h1>{h(rec.title)}</h1>",
    ]
    if rec.redaction:
        o.append(f'<p class="muted">{h(rec.redaction)}</p>')
    o += [f"<h2>{h(rec.identifying_heading)}</h2>", "<dl>"]
    o += [f"<dt>{h(k)}</dt><dd>{h(v) or '&nbsp;'}</dd>" for k, v in rec.identifying]
    o += [
        "</dl>",
        "<h2>Purpose of the meeting</h2>",
        "<ul>",
        *(f"<li>{h(p)}</li>" for p in rec.purpose),
        "</ul>",
    ]
    o += [
        "<h2>Dialogue</h2>",
        '<table id="dialogue">',
        "<tr>" + "".join(f"<th>{h(c)}</th>" for c in COLUMNS) + "</tr>",
    ]
    for row in rec.rows:
        skills = "<br>".join(h(s) for s in row.skills)
        o.append(
            f"<tr><td><strong>{h(row.who)}:</strong> {h(row.dialogue)}</td><td>{h(row.feelings)}</td>"
            f'<td>{skills}</td><td class="sup">{h(row.supervisor)}</td></tr>'
        )
    o += ["</table>", "<h2>Analysis</h2>"]
    for k, v in rec.analysis:
        o += [f"<h3>{h(k)}</h3>", f"<p>{h(v)}</p>"]
    o += [
        "<h2>Future plans</h2>",
        "<ol>",
        *(f"<li>{h(f)}</li>" for f in rec.future),
        "</ol>",
        "</body>",
        "</html>",
    ]
    return "\n".join(o) + "\n"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _x(text: str) -> str:
    """Text Word can store (XML forbids most control characters)."""
    return _CONTROL.sub("", text)


def to_docx(rec: ProcessRecording) -> bytes:
    """The process recording as a Word document (landscape A4, the dialogue as a four-column table)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    doc.add_heading(_x(rec.title), level=0)
    if rec.redaction:
        doc.add_paragraph(_x(rec.redaction)).runs[0].italic = True
    doc.add_heading(_x(rec.identifying_heading), level=1)
    for key, value in rec.identifying:
        p = doc.add_paragraph()
        p.add_run(_x(key) + ": ").bold = True
        p.add_run(_x(value))
    doc.add_heading("Purpose of the meeting", level=1)
    for item in rec.purpose:
        doc.add_paragraph(_x(item), style="List Bullet")
    doc.add_heading("Dialogue", level=1)
    table = doc.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(name).bold = True
    for row in rec.rows:
        cells = table.add_row().cells
        p = cells[0].paragraphs[0]
        p.add_run(_x(row.who) + ": ").bold = True
        p.add_run(_x(row.dialogue))
        cells[1].text = _x(row.feelings)
        cells[2].text = _x("\n".join(row.skills))
        cells[3].text = _x(row.supervisor)
    for width, column in zip((9.0, 5.5, 6.0, 5.6), table.columns, strict=True):
        for cell in column.cells:
            cell.width = Cm(width)
    doc.add_heading("Analysis", level=1)
    for key, value in rec.analysis:
        doc.add_heading(_x(key), level=2)
        doc.add_paragraph(_x(value))
    doc.add_heading("Future plans", level=1)
    for item in rec.future:
        doc.add_paragraph(_x(item), style="List Number")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_process_recording(rec: ProcessRecording, fmt: str) -> str | bytes:
    """ "md" and "html" give text, "docx" bytes. Raises ExportError for another format."""
    if fmt == "md":
        return to_markdown(rec)
    if fmt == "html":
        return to_html(rec)
    if fmt == "docx":
        return to_docx(rec)
    raise ExportError(f"A process recording can be {', '.join(RECORDING_FORMATS)}, not {fmt!r}.")


def recording_filename(debrief: Debrief, fmt: str) -> str:
    """E.g. "process-recording-12-first-home-visit-2026-11-20.docx"."""
    return default_filename(debrief, fmt, prefix="process-recording")


def write_process_recording(
    debrief: Debrief, fmt: str, path: Path, *, redact: bool = True, learner_name: str | None = None
) -> Path:
    """Write the process recording to `path`; returns the path. Raises ExportError when it cannot be made
    or written (the message says what to do)."""
    data = render_process_recording(process_recording(debrief, redact=redact, learner_name=learner_name), fmt)
    return write_file(path, data)


def student_recording(debrief: Debrief, fmt: str, *, redact: bool) -> str | bytes:
    """The process recording as a student exports it, rendered as `fmt`: what the app's export (debrief,
    e), `trainer export --as process-recording` and the plain player's offer all write. The student's name
    is the session's, else the one in their settings (`with_settings_name`): shown as the student unless
    they chose to redact, then replaced everywhere. Raises ExportError for a format it cannot be."""
    return render_process_recording(process_recording(with_settings_name(debrief), redact=redact), fmt)


def settings_learner_name() -> str | None:
    """The learner's name from their settings (trainer.settings), or None when not set or unreadable
    (`load_settings` already reads a missing or malformed file as the defaults)."""
    from trainer.settings import load_settings

    return load_settings().learner_name


def export_for_cli(
    debrief: Debrief, fmt: str, output: Path | None, *, keep_names: bool = False
) -> tuple[str, str]:
    """What `trainer export SESSION --as process-recording` does: returns (stdout text, a message for
    stderr). A Word document is never written to stdout: without --output it goes to a file named by
    `recording_filename` in the current folder. Raises ExportError (unknown format, cannot write)."""
    if fmt not in RECORDING_FORMATS:
        raise ExportError(
            f"--format for a process recording must be one of {', '.join(RECORDING_FORMATS)}, not '{fmt}'."
        )
    data = student_recording(debrief, fmt, redact=not keep_names)
    if output is None and fmt != "docx":
        return str(data), ""
    target = output or Path(recording_filename(debrief, fmt))
    write_file(target, data)
    return "", f"wrote {target}" + ("" if keep_names else " (names and personal details redacted)")


def with_settings_name(debrief: Debrief) -> Debrief:
    """The debrief with the learner's name from their settings when it carries none (so `--redact` and the
    app's "Redact" remove it too)."""
    if debrief.learner_name:
        return debrief
    name = settings_learner_name()
    return debrief.model_copy(update={"learner_name": name}) if name else debrief
