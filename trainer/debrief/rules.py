"""Missed-moment rules: the moments the debrief points the student back to.

Each rule has a stable id (shown in the debrief and the JSON export, and tested one by one):

| id                   | fires when                                                                     |
|----------------------|--------------------------------------------------------------------------------|
| expected-signal      | a node lists `expect` signals and the learner's reply there lacked one          |
| no-purpose           | three learner replies pass without any stating the purpose (or the meeting     |
|                      | ends sooner without one)                                                        |
| cue-missed           | a scenario cue with a `missing_note` was matched by no reply                    |
| overstep             | any reply shows overstep                                                        |
| feeling-unanswered   | the service user's line expresses a feeling or fear (keyword heuristic below)  |
|                      | and the reply did not show empathy; not repeated where expected-signal already |
|                      | said so for empathy                                                             |

The feeling heuristic is deliberately simple: a word list (FEELING_WORDS) matched on whole words in the
service user's line, case-insensitively. It will miss feelings said without those words ("I just don't
know any more") and can fire on a line that uses one in passing ("I'm not worried about the rent"); authors
who need precision put `expect: [empathy]` on the node.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from trainer.debrief.model import Line, MissedMoment
from trainer.scenario.schema import Node, Scenario

#: How many learner replies may pass before the no-purpose rule fires.
PURPOSE_WITHIN = 3

#: Words and phrases that mark a service-user line as expressing a feeling or a fear.
FEELING_WORDS: tuple[str, ...] = (
    "afraid", "scared", "frightened", "terrified", "fear", "fears", "frightening", "scary",
    "worried", "worry", "worries", "worrying", "anxious", "nervous", "panic", "panicking",
    "upset", "angry", "furious", "annoyed", "fed up", "sick of", "hate",
    "sad", "miserable", "depressed", "lonely", "alone", "on my own", "isolated",
    "ashamed", "embarrassed", "guilty", "humiliated", "useless", "failure", "failed", "hopeless",
    "exhausted", "tired", "shattered", "can't cope", "cannot cope", "not coping", "overwhelmed",
    "too much", "stressed", "hurt", "hurts", "crying", "cry", "cried", "tears", "heartbroken",
    "lose", "losing", "take them away", "take the kids", "nobody listens",
    "no one listens", "nobody cares", "no one cares", "judged", "judging",
)  # fmt: skip

_FEELING_RE = re.compile(
    r"(?<![\w'])(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in FEELING_WORDS) + r")(?![\w])",
    re.IGNORECASE,
)

_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "the"}

_WORDS = ("no", "one", "two", "three", "four", "five")

_VERBS: dict[str, str] = {
    "empathy": "reflect what {name} felt or meant",
    "purpose": "say why you were there or what happens next",
    "boundaries": "set out the professional frame",
}


def feeling_words(text: str) -> list[str]:
    """The feeling words found in a service-user line (empty when none): the heuristic behind
    feeling-unanswered."""
    return [m.group(0) for m in _FEELING_RE.finditer(text)]


@dataclass(frozen=True)
class Context:
    """What the rules look at."""

    scenario: Scenario | None
    lines: Sequence[Line]
    name: str
    """The service user's name ("Sarah Jones", or "The service user")."""
    finished: bool

    @property
    def short(self) -> str:
        """How messages name the service user: the first name ("Sarah"), or the full name when it starts
        with a title ("Mr Ahmed")."""
        parts = self.name.split()
        if len(parts) < 2 or parts[0].lower().rstrip(".") in _TITLES:
            return self.name
        return parts[0]

    def replies(self) -> list[Line]:
        return [line for line in self.lines if line.speaker == "learner"]

    def said_before(self, line: Line) -> str | None:
        """The service user's last line before a learner reply (variants applied, as it was said)."""
        earlier = self._line_before(line)
        return earlier.text if earlier is not None else None

    def said_by(self, line: Line) -> str | None:
        """Who said the line before a learner reply when it was not the service user ("Minh (Lan's son)"),
        else None."""
        earlier = self._line_before(line)
        return earlier.name if earlier is not None else None

    def who_before(self, line: Line) -> str:
        """How messages name whoever said the line before a learner reply: `short` for the service user;
        for another speaker their name without its bracket ("Minh" for "Minh (Lan's son)")."""
        name = self.said_by(line)
        if name is None:
            return self.short
        return name.split(" (")[0].strip() or name

    def _line_before(self, line: Line) -> Line | None:
        for earlier in reversed(self.lines[: self.lines.index(line)]):
            if earlier.speaker == "service_user":
                return earlier
        return None

    def node(self, node_id: str) -> Node | None:
        if self.scenario is None:
            return None
        return self.scenario.nodes.get(node_id)


_STAGE = re.compile(r"\([^()]*\)")


def _quote(text: str, limit: int = 160) -> str:
    # Stage directions ("(She starts to close the door.)") are left out of quotes in messages: the words
    # are the point there, and the full line is kept in `said`.
    text = " ".join((_STAGE.sub(" ", text) if _STAGE.sub("", text).strip() else text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "\u2026"
    return "\u201c" + text + "\u201d"


quote = _quote
"""A line quoted for a message: stage directions left out, cut at `limit` characters, in curly quotes."""


def _moment(
    ctx: Context, rule: str, line: Line, message: str, signals: list[str], quoted: bool = False
) -> MissedMoment:
    node = ctx.node(line.node)
    return MissedMoment(
        rule=rule,
        message=message,
        quoted=quoted,
        signals=signals,
        index=line.index,
        reply=line.reply,
        node=line.node,
        said=ctx.said_before(line),
        said_by=ctx.said_by(line),
        reply_text=line.text,
        model_answers=list(node.model_answers) if node else [],
        tip=node.tip if node else None,
        references=list(node.references) if node else [],
    )


def _general(line: Line, message: str) -> MissedMoment:
    # About the opening as a whole, so no single line is quoted; tied to the reply where it became true.
    return MissedMoment(rule="no-purpose", message=message, signals=["purpose"], index=line.index,
                        reply=line.reply, node=line.node)


def expected_signal(ctx: Context) -> list[MissedMoment]:
    """A node with `expect` whose reply lacked an expected signal."""
    found = []
    for line in ctx.replies():
        node = ctx.node(line.node)
        if node is None:
            continue
        lacking = [s for s in node.expect if s not in line.present]
        if not lacking:
            continue
        said = ctx.said_before(line) or node.say
        who = ctx.who_before(line)
        verbs = [_VERBS.get(s, f"show {s}").format(name=who) for s in lacking]
        message = f"{who} said {_quote(said)} and reply {line.reply} did not {', or '.join(verbs)}."
        found.append(_moment(ctx, "expected-signal", line, message, lacking, quoted=True))
    return found


def no_purpose(ctx: Context) -> list[MissedMoment]:
    """Three learner replies with no purpose stated (or a meeting that ended sooner without one)."""
    replies = ctx.replies()
    first = replies[:PURPOSE_WITHIN]
    if any("purpose" in line.present for line in first):
        return []
    if len(replies) >= PURPOSE_WITHIN:
        late = next((line for line in replies if "purpose" in line.present), None)
        message = (
            f"Your first {_WORDS[PURPOSE_WITHIN]} replies did not say why you were there, what you needed to "
            "achieve or what happens next"
            + (f"; you first did at reply {late.reply}." if late else ", and no later reply did either.")
        )
        return [_general(first[-1], message)]
    if ctx.finished and replies:
        message = "The meeting ended before you said why you were there or what happens next."
        return [_general(replies[-1], message)]
    return []


def cue_missed(ctx: Context) -> list[MissedMoment]:
    """A cue with a `missing_note` that no reply matched."""
    if ctx.scenario is None:
        return []
    matched = {cue for line in ctx.replies() for cue in line.cues}
    return [
        MissedMoment(rule="cue-missed", message=cue.missing_note, node=None)
        for cue_id, cue in ctx.scenario.cues.items()
        if cue.missing_note and cue_id not in matched
    ]


def overstep(ctx: Context) -> list[MissedMoment]:
    """Every reply that overstepped the professional frame."""
    found = []
    for line in ctx.replies():
        if "overstep" not in line.present:
            continue
        marks = [m for m in line.marks if m.signal == "overstep"]
        if marks:
            why = "; ".join(f"{_quote(m.text)}: {m.reason}" for m in marks)
            message = f"Reply {line.reply} overstepped the professional frame - {why}"
        else:
            message = f"Reply {line.reply} overstepped the professional frame: {_quote(line.text)}."
        found.append(_moment(ctx, "overstep", line, message, ["overstep"]))
    return found


def feeling_unanswered(ctx: Context) -> list[MissedMoment]:
    """A service-user line expressing a feeling or fear answered without empathy (keyword heuristic)."""
    found = []
    for line in ctx.replies():
        if "empathy" in line.present:
            continue
        node = ctx.node(line.node)
        if node is not None and "empathy" in node.expect:
            continue  # expected-signal already points at this reply, with the author's own framing
        said = ctx.said_before(line)
        if said is None:
            continue
        words = feeling_words(said)
        if not words:
            continue
        named = ", ".join(dict.fromkeys(w.lower() for w in words))
        message = (
            f"{ctx.who_before(line)} said {_quote(said)} - words of feeling or fear ({named}) - and reply "
            f"{line.reply} did not put it into words."
        )
        found.append(_moment(ctx, "feeling-unanswered", line, message, ["empathy"], quoted=True))
    return found


#: The rules in the order their findings are listed (within a rule, by reply).
RULES: dict[str, Callable[[Context], list[MissedMoment]]] = {
    "overstep": overstep,
    "expected-signal": expected_signal,
    "feeling-unanswered": feeling_unanswered,
    "no-purpose": no_purpose,
    "cue-missed": cue_missed,
}


def missed_moments(ctx: Context) -> list[MissedMoment]:
    """All rules' findings, ordered by reply (moments tied to no reply, like cue-missed, last)."""
    found = [m for rule in RULES.values() for m in rule(ctx)]
    order = list(RULES)
    return sorted(found, key=lambda m: (m.index is None, m.index or 0, order.index(m.rule)))
