"""How the people of a scenario are named where a line is short: the chat, the plain player, exports,
the graph and rehearsals all call them the same way.

    first_name("Marcia Bell")          -> "Marcia"   (the service user, as the conversation addresses them)
    short_speaker("Minh (Lan's son)")  -> "Minh"     (another speaker, without what the bracket explains)
"""

from __future__ import annotations


def first_name(name: str) -> str:
    """The first word of a name; the name itself when it has none."""
    return name.split()[0] if name.split() else name


def short_speaker(name: str) -> str:
    """A speaker's name without its bracketed explanation; the name itself when that leaves nothing."""
    return name.split(" (")[0].strip() or name
