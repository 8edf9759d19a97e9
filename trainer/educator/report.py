"""The cohort report: one self-contained HTML page, a CSV for spreadsheets, and the flags as `trainer eval`
lines.

    html = to_html(cohort, names=False)
    csv_text = to_csv(cohort, names=False)
    jsonl = flags_jsonl(cohort)

The page needs nothing outside itself: inline CSS with @media print, the charts as inline SVG
(trainer.educator.charts), no scripts, no links, no fonts to fetch. Every string that came from a file
(names, replies, reasons, titles, file names) is HTML-escaped. Tables carry ids and data- attributes so
the numbers can be read back by a program (the tests do).

Privacy: students are numbered unless `names` is given; file names (which a VLE makes from the student's
name) appear only with `names`: without, each file and sub-folder is shown as "file 3" or "folder 2"
(`file_labels`), and the terminal says which real file each label is, so the educator can still chase it.
Quoted replies, lines and reasons have the student's own name redacted without `names` (Cohort.quote).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from html import escape

from trainer.debrief.export import OUTCOME_WORDS, local, when
from trainer.debrief.selfassess import SKILL_NAMES, SKILLS, short_name
from trainer.educator.charts import calibration_svg, levels_svg, moments_svg
from trainer.educator.cohort import BREAKDOWNS, SESSION_GAP, STUDENT_GAP, Cohort, Session
from trainer.educator.ingest import Notice
from trainer.educator.wording import plural, rounded, rule_words, signed

CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 70rem; margin: 2rem auto;
       padding: 0 1rem; color: #111; background: #fff; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { border-bottom: 2px solid #ddd; margin-top: 2.2rem; }
.muted { color: #555; } .num { text-align: right; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; margin: .6rem 0 1rem; } th, td { border: 1px solid #ccc;
       padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.quote { max-width: 22rem; }
.notices { border-left: 4px solid #c05800; padding: .2rem .8rem; background: #fff8f0; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; } svg.chart { max-width: 100%; height: auto; }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  h2, h3 { break-after: avoid; } table, svg.chart, .notices { break-inside: avoid; }
  th, .notices { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
""".strip()


def _h(text: object) -> str:
    return escape("" if text is None else str(text), quote=True)


def _short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _f(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else rounded(value, digits)


def _signed(value: float | None) -> str:
    return "-" if value is None else signed(value)


def file_labels(cohort: Cohort) -> dict[str, str]:
    """Path -> "file 3" (or "folder 2" for a sub-folder) for every file read and every file or sub-folder a
    notice names; the folders and files given on the command line that were not read are the educator's
    own words and keep their names."""
    labels = {path: f"file {i}" for i, path in enumerate(cohort.inputs, 1)}
    folders = 0
    for notice in cohort.notices:
        for path in notice.files:
            if path not in labels:
                if notice.kind == "subfolders":
                    folders += 1
                    labels[path] = f"folder {folders}"
                else:
                    labels[path] = f"file {len(labels) - folders + 1}"
    return labels


def _anonymous(text: str, labels: dict[str, str]) -> str:
    for path in sorted(labels, key=len, reverse=True):
        text = text.replace(path, labels[path])
    return text


def shown_notice(notice: Notice, labels: dict[str, str] | None) -> tuple[str, str]:
    """(file, message) as the report shows the notice: with `labels` (no --names), files by label and
    students unnamed."""
    if labels is None:
        return notice.file, notice.message
    return _anonymous(notice.file, labels), _anonymous(notice.anonymous or notice.message, labels)


def _row(cells: list[str], header: bool = False, attrs: str = "") -> str:
    tag = "th" if header else "td"
    return f"<tr{attrs}>" + "".join(f"<{tag}>{c}</{tag}>" for c in cells) + "</tr>"


def headline(cohort: Cohort) -> dict[str, str]:
    """The figures at the top of the report, by name (also used by the CLI's summary line)."""
    left_out = sorted({n.file for n in cohort.notices if n.left_out})
    figures = {
        "files": str(cohort.files),
        "sessions": str(len(cohort.sessions)),
        "students": str(len(cohort.students)),
        "scenarios": str(len(cohort.scenario_ids)),
        "left out": str(len(left_out)),
        "flags": str(len(cohort.flags())),
    }
    for stats in cohort.skill_stats():
        figures[f"mean {stats.skill}"] = _f(stats.mean if stats.n else None)
    for cal in cohort.calibration():
        figures[f"rated {cal.skill} 2+ higher"] = f"{cal.higher} of {cal.rated}"
    return figures


def _section_input(cohort: Cohort, names: bool) -> list[str]:
    o = ['<section id="input">', "<h2>What was read</h2>"]
    labels = None if names else file_labels(cohort)
    # What is true of the terminal: it prints each notice with the real file beside the label the page
    # gives it (trainer.educator.commands), and nothing about the files that were read without a problem.
    if labels and cohort.notices:
        o.append('<p class="muted">Files are shown as "file 1", "file 2", ... because their names often '
                 "name the student; the terminal that made this report printed each file listed below with "
                 "its real name beside its label (or run again with <code>--names</code>).</p>")
    elif labels:
        o.append('<p class="muted">Files are not named in this report, because their names often name the '
                 "student: run again with <code>--names</code> to show them, or search the handed-in files "
                 "for a session's run id.</p>")
    if not cohort.notices:
        o.append(
            f"<p>Every file was read: {plural(len(cohort.sessions), 'session')} from "
            f"{plural(cohort.files, 'file')}.</p>"
        )
    else:
        o += [
            '<div class="notices">',
            f"<p>{plural(len(cohort.notices), 'thing')} to know about the files:</p>",
            '<table id="notices">',
            _row(["File", "What was found and what was done"], header=True),
        ]
        for n in cohort.notices:
            file, message = shown_notice(n, labels)
            o.append(_row([_h(file), _h(message)], attrs=f' data-kind="{_h(n.kind)}"'))
        o += ["</table>", "</div>"]
    o.append("</section>")
    return o


def _skills_table(cohort: Cohort, scenario_id: str | None, table_id: str) -> list[str]:
    head = ["Skill", "Sessions", "Mean", "Median", "Lowest", "Highest", *(f"Level {i}" for i in range(1, 6))]
    o = [
        f'<table id="{_h(table_id)}" class="skills" data-scenario="{_h(scenario_id or "")}">',
        _row(head, header=True),
    ]
    for st in cohort.skill_stats(scenario_id):
        cells = [
            _h(SKILL_NAMES[st.skill]),
            str(st.n),
            _f(st.mean if st.n else None),
            _f(st.median if st.n else None),
            _f(min(st.scores, default=None)),
            _f(max(st.scores, default=None)),
            *(str(st.levels.get(i, 0)) for i in range(1, 6)),
        ]
        o.append(_row(cells, attrs=f' data-skill="{st.skill}"'))
    o.append("</table>")
    o.append(
        '<div class="charts">'
        + "".join(levels_svg(st, SKILL_NAMES[st.skill]) for st in cohort.skill_stats(scenario_id))
        + "</div>"
    )
    return o


def _section_skills(cohort: Cohort) -> list[str]:
    o = [
        '<section id="skills">',
        "<h2>Skills: session scores across the class</h2>",
        "<p class=\"muted\">Each session's score (0-1) and its level on the students' 1-5 scale are the ones "
        "its debrief showed the student. Bars: how many sessions reached each level.</p>",
        "<h3>All scenarios</h3>",
        *_skills_table(cohort, None, "skills-all"),
    ]
    for i, sid in enumerate(cohort.scenario_ids, 1):
        o.append(
            f'<h3>{_h(cohort.scenario_titles.get(sid, sid))} '
            f'<span class="muted">({_h(cohort.scenario_id(sid))}{_shared_id(cohort, sid)})</span></h3>'
        )
        o += _skills_table(cohort, sid, f"skills-{i}")
    o.append("</section>")
    return o


def _shared_id(cohort: Cohort, key: str) -> str:
    """", an id another scenario here has too" where two scenarios share the id (see "What was read")."""
    sid = cohort.scenario_id(key)
    return (", an id another scenario here has too" if sum(cohort.scenario_id(k) == sid
                                                          for k in cohort.scenario_ids) > 1 else "")


def _section_calibration(cohort: Cohort) -> list[str]:
    rows = cohort.calibration()
    o = [
        '<section id="calibration">',
        "<h2>Self-assessment calibration</h2>",
        f'<p class="muted">Gap = the student\'s own rating minus the level their replies showed (1-5). A '
        f"session is rated higher (or lower) than shown at a gap of {SESSION_GAP} or more, as the debrief "
        f"tells the student, and within one level otherwise; a student rates a skill higher (lower) when "
        f"their mean gap is {SESSION_GAP:+d} or more ({-SESSION_GAP:+d} or less), and slightly higher "
        f"(slightly lower) when it is {STUDENT_GAP:+.0f} or more ({-STUDENT_GAP:+.0f} or less). Skipped "
        "ratings are left out.</p>",
        '<table id="calibration">',
        _row(
            [
                "Skill",
                "Sessions rated",
                f"Rated higher (+{SESSION_GAP} or more)",
                "Within one level",
                f"Rated lower (-{SESSION_GAP} or less)",
                "Mean gap",
            ],
            header=True,
        ),
    ]
    for r in rows:
        o.append(
            _row(
                [
                    _h(SKILL_NAMES[r.skill]),
                    str(r.rated),
                    str(r.higher),
                    str(r.close),
                    str(r.lower),
                    _signed(r.mean_gap),
                ],
                attrs=f' data-skill="{r.skill}"',
            )
        )
    o += [
        "</table>",
        calibration_svg(rows, SKILL_NAMES),
        "<h3>By student</h3>",
        '<table id="calibration-students">',
        _row(
            ["Student", "Sessions", *(f"{_h(short_name(s))} mean gap" for s in SKILLS), "In short"],
            header=True,
        ),
    ]
    for student in cohort.students:
        cal = cohort.calibration(student)
        said = [
            c.verdict.replace("rates ", f"rates {short_name(c.skill)} ", 1)
            for c in cal
            if c.verdict.startswith("rates")
        ]
        n = sum(s.student == student for s in cohort.sessions)
        o.append(
            _row(
                [
                    _h(student),
                    str(n),
                    *(_signed(c.mean_gap) for c in cal),
                    _h(
                        "; ".join(said)
                        or ("close on every skill rated" if any(c.rated for c in cal) else "gave no ratings")
                    ),
                ]
            )
        )
    o += ["</table>", "</section>"]
    return o


def _section_moments(cohort: Cohort) -> list[str]:
    o = [
        '<section id="moments">',
        "<h2>Scenarios: a map of their moments</h2>",
        '<p class="muted">Per moment (where the service user speaks and the student replies): how many '
        "sessions reached it and how many replies they gave there (a session can come back to a moment), "
        "how many of those replies showed each skill the author expects (counted skill "
        "by skill: a reply that sets the frame but does not reflect counts for boundaries, not for "
        "empathy), how many "
        "conversations broke down at it (their last reply before a broke-down or boundary-crossed ending), "
        "how many sessions were left there unfinished, and the missed moments the debrief pointed to there. "
        "A moment few students manage may be too hard, or badly written. The line shown is the one in "
        "your copy of the scenario today; a student may have seen a variant of it.</p>",
    ]
    for i, sid in enumerate(cohort.scenario_ids, 1):
        sessions = cohort.of(sid)
        o.append(
            f'<h3 id="scenario-{i}">{_h(cohort.scenario_titles.get(sid, sid))} <span class="muted">('
            f"{_h(cohort.scenario_id(sid))}{_shared_id(cohort, sid)}, {plural(len(sessions), 'session')})"
            "</span></h3>"
        )
        o += [
            f'<table id="endings-{i}" class="endings" data-scenario="{_h(sid)}">',
            _row(["Ending", "Outcome", "Sessions"], header=True),
        ]
        for (outcome, title), n in sorted(cohort.endings(sid).items(), key=lambda kv: -kv[1]):
            words = OUTCOME_WORDS.get(outcome, outcome)
            o.append(_row([_h(title), _h(words), str(n)], attrs=f' data-outcome="{_h(outcome)}"'))
        o.append("</table>")
        moments = cohort.moments(sid)
        if not moments:
            o.append(
                '<p class="muted">You do not have this scenario, so its moments cannot be mapped; its '
                "sessions are in the scores, calibration and flags.</p>"
            )
            continue
        o += [
            f'<table id="moments-{i}" class="moments" data-scenario="{_h(sid)}">',
            _row(
                [
                    "Moment",
                    "The service user says",
                    "Expects",
                    "Sessions reached",
                    "Replies here",
                    "Replies that showed each expected skill",
                    "Broke down here",
                    "Stopped here",
                    "Missed moments here",
                ],
                header=True,
            ),
        ]
        for m in moments:
            shown = m.per_skill if m.expect else "-"
            if m.expect and not m.replies:
                shown = "not reached"
            missed = ", ".join(f"{rule_words(rule)} {n}" for rule, n in m.missed.most_common())
            strong = "<strong>{}</strong>" if m.broke_down else "{}"
            o.append(
                _row(
                    [
                        _h(m.node),
                        f'<span class="quote">{_h(_short(m.line))}</span>',
                        _h(", ".join(m.expect) or "-"),
                        str(m.sessions),
                        str(m.replies),
                        shown,
                        strong.format(m.broke_down),
                        str(m.stopped),
                        _h(missed or "-"),
                    ],
                    attrs=f' data-node="{_h(m.node)}"',
                )
            )
        o += ["</table>", moments_svg(moments)]
        top = cohort.top_missed(sid)
        if top:
            o += [
                "<h4>Most common missed moments</h4>",
                f'<table id="missed-{i}" class="top-missed">',
                _row(["What was missed", "Where", "What happens there", "Sessions"], header=True),
            ]
            for t in top:
                o.append(
                    _row(
                        [
                            _h(rule_words(t.rule)),
                            _h(t.node or "the whole meeting"),
                            _h(_short(t.where)),
                            f"{t.sessions} of {t.reached}",
                        ],
                        attrs=f' data-rule="{_h(t.rule)}"',
                    )
                )
            o.append("</table>")
    o.append("</section>")
    return o


def _section_flags(cohort: Cohort) -> list[str]:
    rows = cohort.flags()
    o = ['<section id="flags">', f"<h2>\u201cI disagree\u201d flags ({len(rows)})</h2>"]
    if not rows:
        o += ["<p>No student flagged a reply.</p>", "</section>"]
        return o
    o += [
        '<p class="muted">Replies students think were scored wrongly. The same flags, as labelled lines, are '
        "what <code>--flags FILE</code> writes, for <code>trainer eval FILE</code>.</p>",
        '<table id="flags-table">',
        _row(
            [
                "Session",
                "Student",
                "Scenario",
                "Reply",
                "The service user had said",
                "Scorer found",
                "Student: not there",
                "Student: missed",
                "Why",
            ],
            header=True,
        ),
    ]
    for f in rows:
        o.append(
            _row(
                [
                    _h(f.session.label),
                    _h(f.session.student),
                    _h(_scenario(cohort, f.session)),
                    f'<span class="quote">{_h(f.text)}</span>',
                    _h(_short(f.said or "-")),
                    _h(", ".join(f.scorer) or "nothing"),
                    _h(", ".join(f.wrong) or "-"),
                    _h(", ".join(f.missing) or "-"),
                    _h(f.reason),
                ]
            )
        )
    o += ["</table>", "</section>"]
    return o


def _scenario(cohort: Cohort, s: Session) -> str:
    """The scenario as a row names it: its id, with its title where two scenarios share the id."""
    sid = s.debrief.scenario_id
    if not _shared_id(cohort, s.key):
        return sid
    return f"{sid} ({cohort.scenario_titles.get(s.key, s.debrief.scenario_title)})"


def _cell(s: Session, skill: str) -> str:
    r = s.debrief.skill(skill)
    rating = r.rating if r.rating is not None else "skipped"
    return f"{r.score:.2f} (level {r.level or '-'}; rated {rating})"


def _section_sessions(cohort: Cohort, names: bool) -> list[str]:
    o = [
        '<section id="sessions">',
        "<h2>Every session</h2>",
        '<p class="muted">S1, S2, ... number this report\'s sessions by when they were played, so the same '
        "session may have another number in a report made from other files. Its run (the first 8 characters "
        "of its run id, whole in the CSV and the flags file) names it in every report, in the student's own "
        "export and in their <code>trainer history</code>, where <code>trainer export RUN</code> finds it."
        "</p>",
        '<table id="sessions-table">',
        _row(
            [
                "Session",
                "Run",
                "Student",
                "Scenario",
                "Played",
                "Ending",
                "Replies",
                *(_h(SKILL_NAMES[s]) for s in SKILLS),
                *(["File"] if names else []),
            ],
            header=True,
        ),
    ]
    for s in cohort.sessions:
        d = s.debrief
        ending = d.outcome.title or "stopped early"
        if d.outcome.risk_not_acted:  # the most serious failing is never left for the educator to infer
            ending += " (risk not acted on)"
        o.append(
            _row(
                [
                    _h(s.label),
                    f'<code title="{_h(s.run)}">{_h(s.run[:8])}</code>',
                    _h(s.student),
                    _h(_scenario(cohort, s)),
                    _h(f"{local(d.started_at):%Y-%m-%d}"),  # this computer's date, as `trainer history`
                    _h(ending),
                    str(len(s.replies)),
                    *(_h(_cell(s, k)) for k in SKILLS),
                    *([_h(s.file)] if names else []),
                ],
                attrs=f' data-session="{s.label}" data-run="{_h(s.run)}"',
            )
        )
    o += ["</table>", "</section>"]
    return o


PRIVACY = {
    True: "Students and files are named as they were handed in (--names).",
    False: "Students are numbered, files are shown as \u201cfile 1\u201d, \u201cfile 2\u201d, ... and each "
    "student's own name is replaced by [learner] in the replies and reasons quoted.",
}


def to_html(cohort: Cohort, *, names: bool = False, now: datetime | None = None) -> str:
    """The report as one self-contained HTML page."""
    made = when(now or datetime.now(UTC))
    figures = headline(cohort)
    o = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Cohort report</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        "<h1>Cohort report</h1>",
        f'<p class="muted">Made {_h(made)} by <code>trainer cohort</code> from the session exports students '
        f"handed in. {PRIVACY[names]}</p>",
        '<table id="headline">',
        _row(["Figure", "Value"], header=True),
    ]
    o += [_row([_h(k), _h(v)], attrs=f' data-figure="{_h(k)}"') for k, v in figures.items()]
    o += ["</table>", "</header>", *_section_input(cohort, names)]
    if cohort.sessions:
        o += [
            *_section_skills(cohort),
            *_section_calibration(cohort),
            *_section_moments(cohort),
            *_section_flags(cohort),
            *_section_sessions(cohort, names),
        ]
    else:
        o.append("<p>No session could be read, so there is nothing to report yet.</p>")
    o += ["</body>", "</html>"]
    return "\n".join(o) + "\n"


#: The CSV's columns, one row per session.
CSV_COLUMNS: tuple[str, ...] = (
    "session", "student", "scenario_id", "scenario_title", "started_at", "finished", "outcome",
    "ending", "replies", *(f"{s}_{what}" for s in SKILLS for what in ("score", "level", "rating", "gap")),
    "flags", "broke_down", "file", "run_id",
)  # fmt: skip
# run_id last: a spreadsheet made from an earlier report keeps its columns where they were.


def _safe(value: object) -> object:
    """A cell a spreadsheet will not run as a formula (a leading =, +, -, @ is quoted with ')."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(cohort: Cohort, *, names: bool = False) -> str:
    """One row per session (CSV_COLUMNS); `file` is left empty unless `names`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for s in cohort.sessions:
        d = s.debrief
        row: list[object] = [
            s.label,
            s.student,
            d.scenario_id,
            cohort.scenario_titles.get(s.key, d.scenario_title),
            d.started_at.isoformat(),
            d.outcome.finished,
            d.outcome.outcome or "",
            d.outcome.title or "",
            len(s.replies),
        ]
        for skill in SKILLS:
            r = d.skill(skill)
            gap = r.rating - r.level if r.rating is not None and r.level is not None else ""
            row += [rounded(r.score, 3), r.level or "", r.rating if r.rating is not None else "", gap]
        row += [len(d.flags), d.outcome.outcome in BREAKDOWNS, s.file if names else "", s.run]
        writer.writerow([_safe(v) for v in row])
    return out.getvalue()


def flags_jsonl(cohort: Cohort) -> str:
    """Every flag as one JSON line in the `trainer eval` format (text, context, labels, plus where from)."""
    return "".join(json.dumps(f.eval_line(), ensure_ascii=False) + "\n" for f in cohort.flags())
