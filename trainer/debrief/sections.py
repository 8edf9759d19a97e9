"""The debrief's newer sections for the Markdown and HTML exports: the moments each session score counted
(or the parts of the purpose covered), what was noted but not counted, and the MITI-style summary.

Kept apart from trainer.debrief.export so that module stays the renderer of the original sections; these
functions return lines that `to_markdown` and `to_html` insert.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from trainer.debrief.model import Debrief, SkillResult
from trainer.debrief.moments import PURPOSE_PARTS


def _h(text: str) -> str:
    return escape(text, quote=True)


def skill_detail_md(skill: SkillResult, md: Callable[[str], str]) -> list[str]:
    """Markdown lines under a skill's definition: the moments counted (or the parts), and what was noted."""
    out: list[str] = []
    if skill.parts:
        out.append("Parts of the purpose made clear:")
        out += [
            f"- {md(PURPOSE_PARTS.get(p, p))}: " + (f"reply {r}" if r is not None else "not yet")
            for p, r in skill.parts.items()
        ]
        out.append("")
    if skill.moments:
        out.append("Moments counted:")
        out += [f"- Reply {m.reply}: {md(m.why)} - {md(m.verdict)}." for m in skill.moments]
        out.append("")
    if skill.noted:
        out += [*(f"_{md(n)}_" for n in skill.noted), ""]
    return out


def skill_detail_html(skill: SkillResult) -> list[str]:
    """HTML for the same."""
    out: list[str] = []
    if skill.parts:
        items = "".join(
            f"<li>{_h(PURPOSE_PARTS.get(p, p))}: " + (f"reply {r}" if r is not None else "not yet") + "</li>"
            for p, r in skill.parts.items()
        )
        out.append(f'<p class="muted">Parts of the purpose made clear:</p><ul class="parts">{items}</ul>')
    if skill.moments:
        items = "".join(f"<li>Reply {m.reply}: {_h(m.why)} - {_h(m.verdict)}.</li>" for m in skill.moments)
        out.append(f'<p class="muted">Moments counted:</p><ul class="moments">{items}</ul>')
    out += [f'<p class="muted"><em>{_h(n)}</em></p>' for n in skill.noted]
    return out


def miti_md(d: Debrief, md: Callable[[str], str]) -> list[str]:
    """The MITI-style summary as a Markdown section (empty when there is none)."""
    if d.miti is None:
        return []
    out = [
        "## Your replies beside MITI's thresholds",
        "",
        "| Measure | Yours | MITI fair | MITI good |",
        "|---|---|---|---|",
    ]
    out += [f"| {md(m.name)} | {md(m.shown)} | {md(m.fair)} | {md(m.good)} |" for m in d.miti.measures]
    source = "the scorer's dialogue acts" if d.miti.source == "acts" else "the signals (no dialogue acts yet)"
    out += ["", f"Counted from {source}. {md(d.miti.note)}", "", f"_{md(d.miti.citation)}_", ""]
    return out


def miti_html(d: Debrief) -> list[str]:
    """The MITI-style summary as an HTML section (empty when there is none)."""
    if d.miti is None:
        return []
    rows = "".join(
        f"<tr><td>{_h(m.name)}</td><td>{_h(m.shown)}</td><td>{_h(m.fair)}</td><td>{_h(m.good)}</td></tr>"
        for m in d.miti.measures
    )
    source = "the scorer's dialogue acts" if d.miti.source == "acts" else "the signals (no dialogue acts yet)"
    return [
        '<section id="miti">',
        "<h2>Your replies beside MITI's thresholds</h2>",
        f"<table><tr><th>Measure</th><th>Yours</th><th>MITI fair</th><th>MITI good</th></tr>{rows}</table>",
        f'<p class="muted">Counted from {_h(source)}. {_h(d.miti.note)}</p>',
        f'<p class="muted"><em>{_h(d.miti.citation)}</em></p>',
        "</section>",
    ]
