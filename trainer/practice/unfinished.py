"""Unfinished sessions in words a student can choose between: when each was started (local time), how
many replies it has, when it was last played, and the last thing the student said there, cut on a word.
Two unfinished runs of one scenario used to read the same ("doorstep-example  1 reply"), so the student
could not tell which to resume or discard.

Used by `trainer history` and `trainer discard` (trainer.cli.history), the app's home screen
(trainer.tui.home) and the plain player's offer to resume (trainer.plain.player). Takes the `SavedRun`s
of `trainer.scenario.saves` (read by attribute, so a test's stand-in will do); imports the standard
library only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

#: Below this many characters a quote of the last reply says too little: it gets a line of its own.
MIN_QUOTE = 24
ELLIPSIS = "\u2026"


def replies(n: int) -> str:
    """ "no replies yet", "1 reply", "3 replies"."""
    return "no replies yet" if n == 0 else f"{n} {'reply' if n == 1 else 'replies'}"


def cut_on_word(text: str, width: int) -> str:
    """`text` on one line (runs of spaces and line breaks made one space) in at most `width` characters:
    as it is when it fits, else cut after the last whole word that fits, with "…". A first word longer
    than `width` is cut inside it."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    if width <= 1:
        return ELLIPSIS[:width]
    room = flat[: width - 1]
    if flat[width - 1] != " " and " " in room:
        room = room[: room.rfind(" ")]
    return room.rstrip(" ,;:.!?-\u2013\u2014") + ELLIPSIS


def _local(when: Any) -> datetime | None:
    return when.astimezone() if isinstance(when, datetime) else None


def when_text(run: Any, *, date: str = "%Y-%m-%d", time: str = "%H:%M") -> str:
    """ "started 2026-12-01 14:05, last played 14:32" in local time (the date repeated only when the last
    play was on another day; no "last played" when it was the same minute, or second when `time` has
    seconds). `date` is the strftime of the day ("%a %d %b" on the home screen), `time` of the time
    ("%H:%M:%S" where two runs would otherwise read the same)."""
    started, updated = _local(getattr(run, "started_at", None)), _local(getattr(run, "updated_at", None))
    first = started or updated
    if first is None:
        return ""
    said = f"{'started' if started else 'last played'} {first:{date} {time}}"
    if started and updated and f"{updated:%Y-%m-%d {time}}" != f"{started:%Y-%m-%d {time}}":
        same_day = updated.date() == started.date()
        said += f", last played {updated:{time}}" if same_day else f", last played {updated:{date} {time}}"
    return said


def last_said(run: Any, width: int, *, lead: str = "you last said ") -> str:
    """ 'you last said "It sounds like things have…"' within `width` characters (`lead` before the quote),
    or "" before the first reply (or when there is no room for a useful quote)."""
    text = getattr(run, "last_said", None)
    lead += '"'
    if not text or not str(text).strip() or width - len(lead) - 1 < 4:
        return ""
    return f'{lead}{cut_on_word(str(text), width - len(lead) - 1)}"'


def describe(
    run: Any, width: int, *, date: str = "%Y-%m-%d", lead: str = "you last said ", time: str = "%H:%M"
) -> list[str]:
    """What tells the run apart, in lines of at most `width` characters: when (when_text) and how many
    replies, then the last thing said (after `lead`): on the same line when a quote of MIN_QUOTE
    characters fits there and the quote is whole (or would be cut on a line of its own too), else on a
    line of its own."""
    count = replies(int(getattr(run, "turns", 0) or 0))
    detail = ", ".join(p for p in (when_text(run, date=date, time=time), count) if p)
    if not getattr(run, "last_said", None):
        return [detail]
    room = width - len(detail) - 2
    beside = last_said(run, room, lead=lead) if room >= MIN_QUOTE + len(lead) + 2 else ""
    quote = last_said(run, width, lead=lead)
    if beside and (beside == last_said(run, 10**6, lead=lead) or quote.endswith(ELLIPSIS + '"')):
        return [f"{detail}; {beside}"]  # whole beside it, or cut on a line of its own as well
    return [detail, quote] if quote else [detail]


def cli_lines(runs: list[Any], columns: int) -> list[str]:
    """The unfinished runs as `trainer history` lists them, each a block of lines within `columns`:

        15345b6c3b6144c5b904da2ed709a685  doorstep-example
            started 2026-12-01 14:05, 2 replies; you last said "It sounds like things have been…"

    The run id first, whole: it is what `trainer play --resume` and `trainer discard` take."""
    indent = "      "
    out = []
    for run in runs:
        out.append(f"  {getattr(run, 'run_id', '?')}  {getattr(run, 'scenario_id', '?')}")
        out += [indent + line for line in describe(run, max(columns - len(indent), 40))]
    return out
