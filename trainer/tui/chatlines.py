"""The chat's lines as styled text: the service user's, the learner's (evidence highlighted in coach
mode) and the coach note. Rich Text throughout, so brackets in a reply or a name are shown as written."""

from __future__ import annotations

from rich.text import Text

from trainer.practice.coaching import CoachNote


def su_line(name: str, line: str) -> Text:
    text = Text()
    text.append(f"{name}: ", style="bold")
    text.append(line)
    return text


def learner_line(reply: str, note: CoachNote | None) -> Text:
    """The learner's reply; in coach mode the evidence words are highlighted."""
    text = Text()
    text.append("You: ", style="bold")
    body = Text(reply)
    for h in note.highlights if note else []:
        body.stylize("bold reverse" if h.caution else "bold underline", h.start, h.end)
    text.append_text(body)
    return text


def note_text(note: CoachNote) -> Text:
    text = Text()
    text.append(note.summary(), style="bold")
    if note.act:
        text.append(f"\n{note.act}")
    for signal, quote, reason in note.evidence:
        text.append(f"\n• {signal}: ")
        text.append(f"\"{quote}\"", style="italic")
        if reason:
            text.append(f" - {reason}")
    if note.notice:
        text.append(f"\nNote: {note.notice}", style="italic")
    if note.tip:
        text.append("\nTip: ", style="bold")
        text.append(note.tip)
    return text
