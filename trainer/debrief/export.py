"""Exporting a debrief: Markdown for a portfolio, a self-contained HTML page, or JSON with everything.

    text = export(debrief, "html", redact=True)
    path = write_export(debrief, "md", Path("debrief.md"))

The HTML page needs nothing outside itself: inline CSS (with @media print, so "Print to PDF" gives a clean
document), the charts as inline SVG (trainer.debrief.chart), no scripts, no links, no fonts to fetch.
Every piece of text from the scenario, the scorer or the student is escaped (HTML) or backslash-escaped
(Markdown). `redact=True` replaces the service user's and the learner's names everywhere first
(trainer.debrief.redact). Used by `trainer export` and the debrief screen.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from trainer.debrief.chart import rating_svg, series_svg
from trainer.debrief.model import Debrief, Line, Mark, MissedMoment, OutcomeView, with_risk
from trainer.debrief.redact import redact as redact_debrief
from trainer.debrief.sections import miti_html, miti_md, skill_detail_html, skill_detail_md
from trainer.debrief.selfassess import DESCRIPTORS, USE_OF_SELF_PROMPTS
from trainer.paths import write_private
from trainer.scenario.speakers import first_name

FORMATS: tuple[str, ...] = ("md", "html", "json")

OUTCOME_WORDS = {
    "built": "relationship built",
    "partial": "partly built",
    "broke_down": "broke down",
    "boundary_crossed": "boundary crossed",
}


def outcome_words(outcome: OutcomeView) -> str:
    """How the debrief names the ending's outcome, beside its title: "(partly built)". A run that left a
    disclosure of risk not acted on never reads as a near success: "(risk not acted on)" instead of
    "relationship built" or "partly built", added to the others ("broke down; risk not acted on")."""
    words = OUTCOME_WORDS.get(outcome.outcome or "", outcome.outcome or "")
    return with_risk(words, outcome.outcome, "risk not acted on") if outcome.risk_not_acted else words


LEGEND = "Marked words are the evidence for a score; sympathy and overstep count against."


class ExportError(ValueError):
    """An export that cannot be made or written; the message says what to do."""


def local(d: datetime) -> datetime:
    """`d` on the clock of the machine making the export, as `trainer history` and the app show it (a
    session's times are stored in UTC; a person reads their own time). A naive time is taken to be UTC."""
    return (d.replace(tzinfo=UTC) if d.tzinfo is None else d).astimezone()


def zone(d: datetime) -> str:
    """The time zone of an aware `d`, as a person reads it: its abbreviation ("EST", "CET", "UTC"), or the
    offset from UTC ("UTC+05:30") where the zone has no lettered abbreviation (tzdata's "+0530")."""
    name = d.tzname() or ""
    if name.isalpha():
        return name
    offset = d.utcoffset()
    minutes = int(offset.total_seconds()) // 60 if offset is not None else 0
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return "UTC" if minutes == 0 else f"UTC{sign}{hours:02d}" + (f":{mins:02d}" if mins else "")


def when(d: datetime) -> str:
    """A session's date and time for a person: local time, with its zone ("30 Nov 2026, 22:45 EST")."""
    mine = local(d)
    return f"{mine:%d %b %Y, %H:%M} {zone(mine)}"


def chat_name(debrief: Debrief, said_by: str | None = None) -> str:
    """Who said a line, as the conversation showed it: another speaker by the name the scenario gives
    them ("Donna (Kayla's mum)"), the service user by their first name ("Kayla", as in the app and plain
    mode; the full name heads the export); "[service user]" when redacted."""
    if said_by:
        return said_by
    name = debrief.service_user
    if not name:
        return "Service user"
    if name.startswith("["):  # the redaction's label is kept whole
        return name
    return first_name(name)


def _speaker(debrief: Debrief, line: Line) -> str:
    if line.speaker == "learner":
        return f"You (reply {line.reply})"
    return chat_name(debrief, line.name)


def merged(marks: list[Mark]) -> list[Mark]:
    """Marks of the same signal that overlap or touch, merged into one (for marking the text inline; the
    evidence list under each reply still gives every mark with its own reason)."""
    out: list[Mark] = []
    for mark in sorted(marks, key=lambda m: (m.signal, m.start, m.end)):
        last = out[-1] if out else None
        if last is not None and last.signal == mark.signal and mark.start <= last.end:
            reason = last.reason if mark.reason in last.reason else f"{last.reason}; {mark.reason}"
            out[-1] = last.model_copy(update={"end": max(last.end, mark.end), "reason": reason})
        else:
            out.append(mark)
    return sorted(out, key=lambda m: (m.start, m.end))


def segments(text: str, marks: list[Mark]) -> Iterator[tuple[str, list[Mark], list[Mark]]]:
    """Split a reply at every evidence boundary: (piece, marks covering it, marks ending with it).

    Overlapping marks simply cover the same pieces, so renderers never have to nest."""
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a == b:
            continue
        covering = [m for m in marks if m.start <= a and b <= m.end]
        yield text[a:b], covering, [m for m in covering if m.end == b]


# --- Markdown ------------------------------------------------------------------------------------------

# Only what can start markup mid-line: our own prefixes begin every line, so line-start syntax (#, -, +, 1.)
# cannot be triggered by the text, and with [ and ] escaped no link or image can form.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md(text: str) -> str:
    """Text made literal in Markdown: special characters backslash-escaped, whitespace collapsed to one
    line (so a reply cannot start a heading, list or block of its own)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_reply(line: Line) -> str:
    out = []
    for piece, covering, ending in segments(line.text, merged(line.marks)):
        # Keep the spaces between pieces (md() trims), and outside the asterisks: bold needs non-space
        # characters at both ends in Markdown.
        core = md(piece)
        lead = " " if piece[:1].isspace() else ""
        trail = " " if piece[-1:].isspace() and core else ""
        out.append(f"{lead}**{core}**{trail}" if covering and core else f"{lead}{core}{trail}")
        for mark in ending:
            out.append(f" _\\[{mark.signal}\\]_")
    return "".join(out)


def to_markdown(debrief: Debrief) -> str:
    """The debrief as Markdown, for a portfolio."""
    d = debrief
    o: list[str] = [f"# Debrief: {md(d.scenario_title)}", ""]
    meta = [when(d.started_at)]
    if d.session_id is not None:
        meta.insert(0, f"Session {d.session_id}")
    if d.service_user:
        meta.append(f"with {md(d.service_user)}")
    if d.learner_name:
        meta.append(f"student: {md(d.learner_name)}")
    o += [" · ".join(meta), ""]

    o += ["## Outcome", ""]
    if d.outcome.title:
        words = outcome_words(d.outcome)
        o.append(f"**{md(d.outcome.title)}** ({words})")
        o.append("")
    if d.outcome.note:
        o += [md(d.outcome.note), ""]
    if d.outcome.references:
        o += [f"_Sources:_ {md('; '.join(d.outcome.references))}", ""]

    o += ["## Your self-assessment", ""]
    if d.skipped:
        o += [f"You skipped {', '.join(d.skipped)}.", ""]
    for skill in d.skills:
        if skill.rating is not None:
            o.append(f"- {md(skill.name)}: **{skill.rating}** - {md(DESCRIPTORS[skill.skill][skill.rating])}")
    if any(s.rating is not None for s in d.skills):
        o.append("")
    for key, prompt in USE_OF_SELF_PROMPTS.items():
        answer = d.reflections.get(key)
        if answer:
            quoted = [f"> {md(part)}" for part in answer.splitlines() if part.strip()]
            o += [f"**{md(prompt)}**", "", *quoted, ""]

    o += ["## Skills", "", "| Skill | Session score | On the 1-5 scale | Your rating |", "|---|---|---|---|"]
    for skill in d.skills:
        level = skill.level if skill.level is not None else "-"
        rating = skill.rating if skill.rating is not None else "skipped"
        o.append(f"| {md(skill.name)} | {skill.score:.2f} | {level} | {rating} |")
    o.append("")
    for skill in d.skills:
        o += [f"### {md(skill.name)}", "", md(skill.gap), ""]
        o += [f"_How this is scored:_ {md(skill.definition)}", "", *skill_detail_md(skill, md)]
        if skill.series:
            counter = f" ({skill.counter} in brackets)" if skill.counter else ""
            points = ", ".join(
                f"{p.reply}: {p.score:.2f}" + (f" ({p.counter:.2f})" if p.counter is not None else "")
                for p in skill.series
            )
            o += [f"Reply by reply{counter}: {points}", ""]

    o += miti_md(d, md)
    o += ["## Missed moments", ""]
    if not d.missed:
        o += ["None found.", ""]
    for i, (m, first) in enumerate(_moments(d), 1):
        where = f"reply {m.reply}" if m.reply is not None else "the whole meeting"
        o += [f"{i}. **{md(m.message)}** _({where})_", ""]
        block = []
        if m.said and not m.quoted and first:
            block.append(f"   > **{md(chat_name(d, m.said_by))}:** {md(m.said)}")
        if m.reply_text and first:
            block.append(f"   > **You:** {md(m.reply_text)}")
        for answer in m.model_answers if first else []:
            block.append(f"   > **Model answer:** {md(answer)}")
        if m.tip and first:
            block.append(f"   > **Tip:** {md(m.tip)}")
        if m.references and first:
            block.append(f"   > **Sources:** {md('; '.join(m.references))}")
        if not first:
            block.append(f"   _The same reply as above: reply {m.reply}._")
        if block:
            o += ["\n".join(block), ""]

    o += ["## Things to try next time", ""]
    for i, s in enumerate(d.suggestions, 1):
        o.append(f"{i}. **{md(s.title)}.** {md(s.text)} _({md(s.source)})_")
    o.append("")

    o += ["## Transcript", "", LEGEND, ""]
    for line in d.transcript:
        if line.speaker == "service_user":
            o += [f"**{md(_speaker(d, line))}:** {md(line.text)}", ""]
            continue
        shown = ", ".join(line.present) if line.present else "no signal"
        o += [f"**{md(_speaker(d, line))}:** {_md_reply(line)}", "", f"- _Scored:_ {shown}"]
        for mark in line.marks:
            kind = " (counts against)" if mark.against else ""
            o.append(f"- **{mark.signal}**{kind}: \u201c{md(mark.text)}\u201d - {md(mark.reason)}")
        if line.note:
            o.append(f"- _Note:_ {md(line.note)}")
        for flag in line.flags:
            disagreed = _flag_words(flag.wrong, flag.missing)
            o.append(f"- _You disagreed:_ {disagreed} - \u201c{md(flag.reason)}\u201d")
        o.append("")

    if d.notes:
        o += ["## Notes", "", *(f"- {md(n)}" for n in d.notes), ""]
    return "\n".join(o).rstrip() + "\n"


def _moments(d: Debrief) -> Iterator[tuple[MissedMoment, bool]]:
    """Each missed moment, with whether it is the first about its reply: the reply, model answer and tip
    are shown once, under the first."""
    seen: set[int] = set()
    for m in d.missed:
        quotes_reply = m.index is not None and m.reply_text is not None
        yield m, not quotes_reply or m.index not in seen
        if quotes_reply and m.index is not None:
            seen.add(m.index)


def _flag_words(wrong: list[str], missing: list[str]) -> str:
    parts = []
    if wrong:
        parts.append(f"not {', '.join(wrong)}")
    if missing:
        parts.append(f"{', '.join(missing)} missed")
    return "; ".join(parts)


# --- HTML ----------------------------------------------------------------------------------------------

CSS = """
:root { --empathy: #1f5fa8; --purpose: #2e7d32; --boundaries: #6a3d9a; --sympathy: #c05800;
        --overstep: #b00020; --muted: #555; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 50rem; margin: 2rem auto;
       padding: 0 1rem; color: #111; background: #fff; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { border-bottom: 2px solid #ddd; margin-top: 2rem; }
.meta, .muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #ccc; padding: .3rem .5rem;
       text-align: left; vertical-align: top; }
mark.ev { background: #e8f0fb; border-bottom: 2px solid var(--empathy); padding: 0 .1rem; }
mark.ev-purpose { background: #e6f4e7; border-bottom-color: var(--purpose); }
mark.ev-boundaries { background: #efe8f6; border-bottom-color: var(--boundaries); }
mark.ev-sympathy { background: #fdebd9; border-bottom: 2px dashed var(--sympathy); }
mark.ev-overstep { background: #fbe0e4; border-bottom: 2px dashed var(--overstep); }
sup.label { font-size: .7rem; font-weight: 600; margin-left: .1rem; }
.line { margin: .6rem 0; } .line .who { font-weight: 600; }
.line.learner { padding-left: 1rem; border-left: 3px solid #ccc; }
ul.evidence { margin: .2rem 0 .8rem 1rem; font-size: .9rem; }
.against { color: var(--overstep); font-weight: 600; }
.moment { border: 1px solid #ddd; border-radius: 6px; padding: .6rem .8rem; margin: .8rem 0; }
.moment blockquote { margin: .4rem 0 .4rem 1rem; }
.rule { font-family: ui-monospace, monospace; font-size: .8rem; color: var(--muted); }
svg.chart { max-width: 100%; height: auto; }
@media print {
  body { max-width: none; margin: 0; font-size: 11pt; }
  h2 { break-after: avoid; } .moment, .line, svg.chart, table { break-inside: avoid; }
  mark.ev { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
""".strip()


def _h(text: str | None) -> str:
    return escape(text or "", quote=True)


def _html_reply(line: Line) -> str:
    out = []
    for piece, covering, ending in segments(line.text, merged(line.marks)):
        if covering:
            signals = " ".join(dict.fromkeys(m.signal for m in covering))
            classes = " ".join(f"ev-{_h(s)}" for s in dict.fromkeys(m.signal for m in covering))
            title = "; ".join(f"{m.signal}: {m.reason}" for m in covering)
            attrs = f'class="ev {classes}" data-signal="{_h(signals)}" title="{_h(title)}"'
            out.append(f"<mark {attrs}>{_h(piece)}</mark>")
        else:
            out.append(_h(piece))
        for mark in ending:
            out.append(f'<sup class="label">{_h(mark.signal)}</sup>')
    return "".join(out)


def to_html(debrief: Debrief) -> str:
    """The debrief as one self-contained HTML page (prints cleanly to PDF)."""
    d = debrief
    o: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Debrief: {_h(d.scenario_title)}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>Debrief: {_h(d.scenario_title)}</h1>",
    ]
    meta = [when(d.started_at)]
    if d.session_id is not None:
        meta.insert(0, f"Session {d.session_id}")
    if d.service_user:
        meta.append(f"with {d.service_user}")
    if d.learner_name:
        meta.append(f"student: {d.learner_name}")
    o += [f'<p class="meta">{_h(" · ".join(meta))}</p>', "</header>"]

    o += ['<section id="outcome">', "<h2>Outcome</h2>"]
    if d.outcome.title:
        words = outcome_words(d.outcome)
        o.append(f'<p><strong>{_h(d.outcome.title)}</strong> <span class="muted">({_h(words)})</span></p>')
    if d.outcome.note:
        o.append(f"<p>{_h(d.outcome.note)}</p>")
    if d.outcome.references:
        o.append(f'<p class="muted">Sources: {_h("; ".join(d.outcome.references))}</p>')
    o.append("</section>")

    o += ['<section id="self-assessment">', "<h2>Your self-assessment</h2>"]
    if d.skipped:
        o.append(f'<p class="muted">You skipped {_h(", ".join(d.skipped))}.</p>')
    rated = [s for s in d.skills if s.rating is not None]
    if rated:
        o.append("<ul>")
        for s in rated:
            assert s.rating is not None
            descriptor = DESCRIPTORS[s.skill][s.rating]
            o.append(f"<li>{_h(s.name)}: <strong>{s.rating}</strong> - {_h(descriptor)}</li>")
        o.append("</ul>")
    for key, prompt in USE_OF_SELF_PROMPTS.items():
        answer = d.reflections.get(key)
        if answer:
            o.append(f"<h3>{_h(prompt)}</h3><blockquote>{_h(answer).replace(chr(10), '<br>')}</blockquote>")
    o.append("</section>")

    o += ['<section id="skills">', "<h2>Skills</h2>", "<table>",
          "<tr><th>Skill</th><th>Session score</th><th>On the 1-5 scale</th><th>Your rating</th></tr>"]
    for s in d.skills:
        level = str(s.level) if s.level is not None else "-"
        rating = str(s.rating) if s.rating is not None else "skipped"
        o.append(f"<tr><td>{_h(s.name)}</td><td>{s.score:.2f}</td><td>{level}</td><td>{rating}</td></tr>")
    o.append("</table>")
    for s in d.skills:
        o += [f'<h3 id="skill-{_h(s.skill)}">{_h(s.name)}</h3>', f"<p>{_h(s.gap)}</p>",
              f'<p class="muted">How this is scored: {_h(s.definition)}</p>', *skill_detail_html(s)]
    o += ['<figure id="chart">', rating_svg(d), series_svg(d),
          "<figcaption class=\"muted\">Above: your replies beside your own rating. Below: each reply's "
          "score per signal; 0.5 and above means shown.</figcaption>", "</figure>", "</section>"]

    o += miti_html(d)
    o += ['<section id="missed">', "<h2>Missed moments</h2>"]
    if not d.missed:
        o.append("<p>None found.</p>")
    for m, first in _moments(d):
        where = f"reply {m.reply}" if m.reply is not None else "the whole meeting"
        o += [f'<div class="moment" data-rule="{_h(m.rule)}">', f"<p><strong>{_h(m.message)}</strong></p>",
              f'<p class="rule">{_h(where)}</p>']
        if m.said and not m.quoted and first:
            who = chat_name(d, m.said_by)
            o.append(f"<blockquote><strong>{_h(who)}:</strong> {_h(m.said)}</blockquote>")
        if m.reply_text and first:
            o.append(f"<blockquote><strong>You:</strong> {_h(m.reply_text)}</blockquote>")
        for answer in m.model_answers if first else []:
            o.append(f'<blockquote class="model"><strong>Model answer:</strong> {_h(answer)}</blockquote>')
        if m.tip and first:
            o.append(f"<p><em>Tip:</em> {_h(m.tip)}</p>")
        if m.references and first:
            o.append(f'<p class="muted">Sources: {_h("; ".join(m.references))}</p>')
        if not first:
            o.append(f'<p class="muted">The same reply as above: reply {m.reply}.</p>')
        o.append("</div>")
    o.append("</section>")

    o += ['<section id="suggestions">', "<h2>Things to try next time</h2>", "<ol>"]
    for tip in d.suggestions:
        o.append(f'<li data-id="{_h(tip.id)}"><strong>{_h(tip.title)}.</strong> {_h(tip.text)} '
                 f'<span class="muted">({_h(tip.source)})</span></li>')
    o += ["</ol>", "</section>"]

    o += ['<section id="transcript">', "<h2>Transcript</h2>",
          f'<p class="muted">{_h(LEGEND)}</p>']
    for line in d.transcript:
        o.append(f'<div class="line {line.speaker}" data-index="{line.index}">')
        if line.speaker == "service_user":
            o.append(f'<p><span class="who">{_h(_speaker(d, line))}:</span> {_h(line.text)}</p></div>')
            continue
        o.append(f'<p><span class="who">{_h(_speaker(d, line))}:</span> {_html_reply(line)}</p>')
        o.append('<ul class="evidence">')
        o.append(f"<li>Scored: {_h(', '.join(line.present) or 'no signal')}</li>")
        for mark in line.marks:
            cls = ' class="against"' if mark.against else ""
            suffix = " (counts against)" if mark.against else ""
            quoted = f"\u201c{_h(mark.text)}\u201d - {_h(mark.reason)}"
            o.append(f"<li><span{cls}>{_h(mark.signal)}{suffix}</span>: {quoted}</li>")
        if line.note:
            o.append(f"<li>Note: {_h(line.note)}</li>")
        for flag in line.flags:
            o.append(f'<li class="flag">You disagreed: {_h(_flag_words(flag.wrong, flag.missing))} - '
                     f"\u201c{_h(flag.reason)}\u201d</li>")
        o += ["</ul>", "</div>"]
    o.append("</section>")

    if d.notes:
        o += ['<section id="notes">', "<h2>Notes</h2>", "<ul>", *(f"<li>{_h(n)}</li>" for n in d.notes)]
        o += ["</ul>", "</section>"]
    o += ["</body>", "</html>"]
    return "\n".join(o) + "\n"


# --- JSON and the entry points -------------------------------------------------------------------------


#: The JSON export's format name and version. Version 1 was "trainer-debrief" with "version": 1 and the same
#: debrief inside; raise the version whenever the shape changes (docs/export.schema.json documents it, and
#: `trainer cohort` reads older and newer versions as far as it can).
EXPORT_FORMAT = "trainer-session"
EXPORT_FORMAT_VERSION = 2


def to_json(debrief: Debrief, *, redacted: bool = False) -> str:
    """Everything, as JSON: the debrief (scores, series, evidence, missed moments, suggestions, flags,
    self-assessment) and the raw run state, under {"format", "format_version", "redacted", "debrief"}."""
    payload = {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_FORMAT_VERSION,
        "redacted": redacted,
        "debrief": debrief.model_dump(mode="json", by_alias=True),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def export(debrief: Debrief, fmt: str, *, redact: bool = False) -> str:
    """The debrief rendered as "md", "html" or "json"; names replaced everywhere when `redact`."""
    if fmt not in FORMATS:
        raise ExportError(f"Unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}.")
    if redact:
        debrief = redact_debrief(debrief)
    if fmt == "md":
        return to_markdown(debrief)
    if fmt == "html":
        return to_html(debrief)
    return to_json(debrief, redacted=redact)


def default_filename(debrief: Debrief, fmt: str, *, prefix: str = "debrief") -> str:
    """A file name for the export, e.g. "debrief-12-first-home-visit-2026-11-20.html" (the process
    recording passes prefix="process-recording")."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", debrief.scenario_id).strip("-") or "session"
    number = f"{debrief.session_id}-" if debrief.session_id is not None else ""
    return f"{prefix}-{number}{slug}-{local(debrief.started_at):%Y-%m-%d}.{fmt}"


def write_file(path: Path, data: str | bytes) -> Path:
    """Write `data` to `path` (text as UTF-8), readable by the user alone (trainer.paths.write_private);
    returns the path. Raises ExportError when it cannot be written (the message says what to do)."""
    try:
        write_private(path, data)
    except OSError as err:
        why = err.strerror or str(err)
        raise ExportError(f"Cannot write {path}: {why}. Choose another file with --output.") from err
    return path


def write_export(debrief: Debrief, fmt: str, path: Path, *, redact: bool = False) -> Path:
    """Write the export to `path` (UTF-8); returns the path. Raises ExportError when it cannot be written."""
    return write_file(path, export(debrief, fmt, redact=redact))
