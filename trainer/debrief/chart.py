"""The skill charts of the HTML export, as inline SVG written by hand (no library, no network).

`series_svg` draws each learner reply's score per signal (the per-turn series); `rating_svg` sets the
session score (on the 1-5 scale) beside the student's own rating. Every text is escaped. Lines differ by
dash pattern and marker shape as well as colour, so the chart survives black-and-white printing.
"""

from __future__ import annotations

from html import escape

from trainer.debrief.model import Debrief

#: signal -> (colour, dash pattern, marker shape)
STYLE: dict[str, tuple[str, str, str]] = {
    "empathy": ("#1f5fa8", "", "circle"),
    "purpose": ("#2e7d32", "", "square"),
    "boundaries": ("#6a3d9a", "", "diamond"),
    "sympathy": ("#c05800", "6 4", "circle"),
    "overstep": ("#b00020", "6 4", "cross"),
}

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 130, 16, 40


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if shape == "diamond":
        return (f'<polygon points="{x:.1f},{y - 4.5:.1f} {x + 4.5:.1f},{y:.1f} {x:.1f},{y + 4.5:.1f} '
                f'{x - 4.5:.1f},{y:.1f}" fill="{colour}"/>')
    if shape == "cross":
        return (f'<path d="M{x - 4:.1f},{y - 4:.1f} L{x + 4:.1f},{y + 4:.1f} M{x - 4:.1f},{y + 4:.1f} '
                f'L{x + 4:.1f},{y - 4:.1f}" stroke="{colour}" stroke-width="2"/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'


def series_svg(debrief: Debrief) -> str:
    """Each reply's score for empathy, purpose and boundaries (solid), sympathy and overstep (dashed)."""
    lines: dict[str, list[tuple[int, float]]] = {s: [] for s in STYLE}
    for skill in debrief.skills:
        for point in skill.series:
            lines[skill.signal].append((point.reply, point.score))
            if skill.counter and point.counter is not None:
                lines[skill.counter].append((point.reply, point.counter))
    replies = max((r for pts in lines.values() for r, _ in pts), default=0)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(reply: int) -> float:
        return LEFT + (plot_w / 2 if replies <= 1 else (reply - 1) * plot_w / (replies - 1))

    def y(score: float) -> float:
        return TOP + (1 - max(0.0, min(1.0, score))) * plot_h

    parts = [
        '<svg class="chart" role="img" aria-labelledby="series-title series-desc"'
        f' viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">',
        '<title id="series-title">Scores reply by reply</title>',
        '<desc id="series-desc">Each reply\'s score from 0 to 1 for each signal; 0.5 and above means the '
        "signal was shown.</desc>",
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#999"/>',
    ]
    for tick in (0.0, 0.5, 1.0):
        dash = ' stroke-dasharray="2 3"' if tick == 0.5 else ""
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
                     f'stroke="#bbb"{dash}/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11">'
                     f"{tick:g}</text>")
    for reply in range(1, replies + 1):
        parts.append(f'<text x="{x(reply):.1f}" y="{TOP + plot_h + 16}" text-anchor="middle" '
                     f'font-size="11">{reply}</text>')
    parts.append(f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 6}" text-anchor="middle" '
                 'font-size="12">reply</text>')
    legend_y = TOP + 8
    for signal, points in lines.items():
        if not points:
            continue
        colour, dash, shape = STYLE[signal]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        coords = " ".join(f"{x(r):.1f},{y(s):.1f}" for r, s in points)
        parts.append(f'<g class="series series-{escape(signal)}" data-signal="{escape(signal)}">')
        if len(points) > 1:
            parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"'
                         f"{dash_attr}/>")
        parts.extend(_marker(shape, x(r), y(s), colour) for r, s in points)
        parts.append("</g>")
        lx = WIDTH - RIGHT + 14
        parts.append(f'<line x1="{lx}" x2="{lx + 22}" y1="{legend_y}" y2="{legend_y}" stroke="{colour}" '
                     f'stroke-width="2"{dash_attr}/>')
        parts.append(_marker(shape, lx + 11, legend_y, colour))
        parts.append(f'<text x="{lx + 28}" y="{legend_y + 4}" font-size="12">{escape(signal)}</text>')
        legend_y += 20
    if replies == 0:
        parts.append(f'<text x="{LEFT + plot_w / 2:.1f}" y="{TOP + plot_h / 2:.1f}" text-anchor="middle" '
                     'font-size="13">No replies to chart</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def rating_svg(debrief: Debrief) -> str:
    """Per skill: the session score on the 1-5 scale (bar) and the student's own rating (hollow marker)."""
    width, row, left = 640, 34, 200
    height = 30 + row * len(debrief.skills) + 24
    scale = (width - left - 30) / 5

    parts = [
        f'<svg class="chart" role="img" aria-labelledby="rating-title" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}">',
        '<title id="rating-title">Your replies (bar) beside your own rating (ring), on the 1-5 scale</title>',
    ]
    for level in range(0, 6):
        gx = left + level * scale
        parts.append(f'<line x1="{gx:.1f}" x2="{gx:.1f}" y1="20" y2="{height - 24}" stroke="#ddd"/>')
        parts.append(f'<text x="{gx:.1f}" y="14" text-anchor="middle" font-size="11">{level}</text>')
    for i, skill in enumerate(debrief.skills):
        cy = 30 + i * row
        colour = STYLE[skill.signal][0]
        parts.append(f'<text x="{left - 8}" y="{cy + 14}" text-anchor="end" font-size="12">'
                     f"{escape(skill.name)}</text>")
        if skill.level is not None:
            parts.append(f'<rect class="bar" data-skill="{escape(skill.skill)}" x="{left}" y="{cy + 3}" '
                         f'width="{skill.level * scale:.1f}" height="16" fill="{colour}" opacity="0.75"/>')
        if skill.rating is not None:
            rx = left + skill.rating * scale
            parts.append(f'<circle class="rating" data-skill="{escape(skill.skill)}" cx="{rx:.1f}" '
                         f'cy="{cy + 11}" r="7" fill="white" stroke="#000" stroke-width="2"/>')
    parts.append(f'<text x="{left}" y="{height - 6}" font-size="11">bar: your replies; ring: your rating '
                 "(none when skipped)</text>")
    parts.append("</svg>")
    return "\n".join(parts)
