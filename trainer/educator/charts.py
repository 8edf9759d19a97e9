"""Inline SVG charts for the cohort report: no scripts, no fonts to fetch, readable when printed.

Each function returns one `<svg>` element with role="img" and a <title> giving the numbers in words, so
a screen reader (and a reader of the printed page) gets what the bars show. Every label is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from trainer.educator.cohort import Calibration, Moment, SkillStats

COLOURS = {"empathy": "#1f5fa8", "purpose": "#2e7d32", "boundaries": "#6a3d9a"}
HIGHER, CLOSE, LOWER = "#c05800", "#9e9e9e", "#1f5fa8"


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def levels_svg(stats: SkillStats, name: str) -> str:
    """A bar per level 1-5: how many sessions scored it."""
    w, h, top, bottom = 200, 130, 32, 20
    peak = max(stats.levels.values(), default=0) or 1
    words = ", ".join(f"level {lv}: {stats.levels.get(lv, 0)}" for lv in range(1, 6))
    colour = COLOURS.get(stats.skill, "#555")
    out = [
        f'<svg class="chart" role="img" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        f'data-skill="{_e(stats.skill)}">',
        f"<title>{_e(name)}: sessions per level ({words})</title>",
        f'<text x="{w / 2}" y="12" text-anchor="middle" font-size="11">{_e(name)}</text>',
    ]
    bar = (w - 20) / 5
    for i, level in enumerate(range(1, 6)):
        count = stats.levels.get(level, 0)
        height = (h - top - bottom) * count / peak
        x = 10 + i * bar
        y = h - bottom - height
        out.append(
            f'<rect x="{x + 3:.1f}" y="{y:.1f}" width="{bar - 6:.1f}" height="{height:.1f}" fill="{colour}"/>'
        )
        out.append(
            f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-size="10">{count}</text>'
        )
        out.append(
            f'<text x="{x + bar / 2:.1f}" y="{h - 6}" text-anchor="middle" font-size="10">{level}</text>'
        )
    out.append(f'<line x1="10" y1="{h - bottom}" x2="{w - 10}" y2="{h - bottom}" stroke="#999"/>')
    out.append("</svg>")
    return "".join(out)


def calibration_svg(rows: Sequence[Calibration], names: dict[str, str]) -> str:
    """One stacked bar per skill: sessions rated higher than shown, close, lower."""
    w, row_h, label_w = 520, 28, 130
    h = row_h * len(rows) + 30
    out = [f'<svg class="chart" role="img" viewBox="0 0 {w} {h}" width="{w}" height="{h}">']
    words = "; ".join(
        f"{names.get(r.skill, r.skill)}: {r.higher} higher, {r.close} within one level, {r.lower} lower"
        for r in rows
    )
    out.append(f"<title>Self-rating against the level shown, per skill ({_e(words)})</title>")
    span = w - label_w - 10
    for i, r in enumerate(rows):
        y = 6 + i * row_h
        out.append(f'<text x="0" y="{y + 15}" font-size="11">{_e(names.get(r.skill, r.skill))}</text>')
        x = float(label_w)
        for count, colour, what in (
            (r.higher, HIGHER, "higher"),
            (r.close, CLOSE, "within one level"),
            (r.lower, LOWER, "lower"),
        ):
            if not r.rated or not count:
                continue
            width = span * count / r.rated
            out.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="20" fill="{colour}">'
                f"<title>{count} {what}</title></rect>"
            )
            out.append(
                f'<text x="{x + width / 2:.1f}" y="{y + 14}" text-anchor="middle" font-size="11" '
                f'fill="#fff">{count}</text>'
            )
            x += width
        if not r.rated:
            out.append(f'<text x="{label_w}" y="{y + 15}" font-size="11" fill="#555">no ratings</text>')
    y = h - 8
    for i, (colour, what) in enumerate(
        ((HIGHER, "rated 2+ higher"), (CLOSE, "within one level"), (LOWER, "rated 2+ lower"))
    ):
        out.append(
            f'<rect x="{label_w + i * 130}" y="{y - 9}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{label_w + i * 130 + 14}" y="{y}" font-size="10">{what}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def moments_svg(moments: Sequence[Moment]) -> str:
    """One bar per moment that expects a skill: the share of replies there that showed it (the mean over
    its expected skills when it expects several; the label gives each)."""
    rows = [m for m in moments if m.expect]
    if not rows:
        return ""
    w, row_h, label_w = 520, 22, 190
    h = row_h * len(rows) + 8
    words = "; ".join(f"{m.node}: {m.per_skill}" for m in rows)
    out = [
        f'<svg class="chart" role="img" viewBox="0 0 {w} {h}" width="{w}" height="{h}">',
        f"<title>Replies that showed each expected skill, per moment ({_e(words)})</title>",
    ]
    span = w - label_w - 50
    for i, m in enumerate(rows):
        y = 4 + i * row_h
        rate = m.shown_rate or 0.0
        out.append(f'<text x="0" y="{y + 13}" font-size="11">{_e(m.node[:28])}</text>')
        out.append(f'<rect x="{label_w}" y="{y}" width="{span}" height="16" fill="#eee"/>')
        out.append(f'<rect x="{label_w}" y="{y}" width="{span * rate:.1f}" height="16" fill="#2e7d32"/>')
        label = (", ".join(f"{m.shown_by[s]}/{m.replies}" for s in m.expect) if m.replies
                 else "not reached")
        out.append(f'<text x="{label_w + span + 6}" y="{y + 13}" font-size="11">{_e(label)}</text>')
    out.append("</svg>")
    return "".join(out)
