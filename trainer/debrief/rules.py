"""Missed-moment rules: the moments the debrief points the student back to.

Each rule has a stable id (shown in the debrief and the JSON export, and tested one by one):

| id                   | fires when                                                                     |
|----------------------|--------------------------------------------------------------------------------|
| expected-signal      | a node lists `expect` signals and the learner's reply there lacked one (not for |
|                      | an option of the node that is an action, "(Ringing back.)", and raises trust;   |
|                      | nor for boundaries when the very next reply stated the frame, not overstepping; |
|                      | nor for purpose when the reply gave why, what to achieve or what happens next   |
|                      | in other words, as the purpose score counts it: `Context.purpose_said`; a reply |
|                      | giving only who you are or how long you have is told that it did)               |
| no-purpose           | three learner replies pass without any stating the purpose (the signal, or the |
|                      | parts as above), or the meeting ends sooner without one                         |
| cue-missed           | a scenario cue with a `missing_note` was matched by no reply; a note "If <what  |
|                      | happened>, ..." only when that moment came (`cue_moments`), said as fact; not   |
|                      | when the scores credit the cue's `skill` (at that moment, for an "If" note); a  |
|                      | note on the learner's own act ("If you took ...") kept as written, and not said |
|                      | when every reply at a test of the frame up to it stated the frame there         |
| cue-matched          | a reply matched a cue with a `matched_note` (jargon, a false promise); not a    |
|                      | reply that matched it only in turning it down (`refused`: "I won't hug you")    |
| overstep             | any reply shows overstep                                                        |
| feeling-unanswered   | the service user's line expresses a feeling or fear (keyword heuristic below)  |
|                      | and the reply did not show empathy; not repeated where expected-signal already |
|                      | said so for empathy                                                             |

The feeling heuristic is deliberately simple: a word list (FEELING_WORDS) matched on whole words in the
service user's line, case-insensitively. It will miss feelings said without those words ("I just don't
know any more") and can fire on a line that uses one in passing ("I'm not worried about the rent"); authors
who need precision put `expect: [empathy]` on the node. Stage directions ("(A woman's voice, tired.)") are
not words said, so they are left out first.

The findings about one reply are merged (`merge`): the debrief says each thing once, with one model
answer and tip.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from trainer.debrief.model import Line, MissedMoment
from trainer.scenario.conditions import cue_means_here, nodes_testing
from trainer.scenario.schema import Node, Scenario
from trainer.scenario.speakers import short_speaker

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


#: The parts of the purpose (trainer.debrief.moments.PURPOSE_PARTS, in its order; that module imports this
#: one) and those that say what the missed-moment rules ask for: why you were there, what you needed to
#: achieve, what happens next. A reply giving only who you are or how long you have is told what it did.
PURPOSE_ORDER = ("who", "why", "achieve", "how_long", "next")
PURPOSE_SAID = frozenset({"why", "achieve", "next"})
_PARTS_DONE = {"who": "said who you are", "how_long": "said how long you had"}

_DONE: dict[str, str] = {
    "empathy": "reflected what {name} felt or meant",
    "purpose": "said why you were there or what happens next",
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
    risks_pending: frozenset[str] = frozenset()
    """The risk moments (node ids) whose disclosure no reply acted on in full by the end of a finished run
    (trainer.scenario.risk.RiskProgress.pending, replayed once per debrief); empty for an unfinished run."""
    credits: Mapping[str, frozenset[int]] = field(default_factory=dict)
    """What the debrief's own scores credit, by cue skill ("purpose:how_long") -> the transcript indexes of
    the replies (trainer.debrief.credits): a cue with that `skill` is then no miss."""
    tested: frozenset[int] = frozenset()
    """The transcript indexes of the replies to a test of the frame (trainer.debrief.credits.frame_tested),
    kept or not."""

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
        return short_speaker(name)

    def _line_before(self, line: Line) -> Line | None:
        for earlier in reversed(self.lines[: self.lines.index(line)]):
            if earlier.speaker == "service_user":
                return earlier
        return None

    def parts_of(self, line: Line) -> list[str]:
        """The parts of the purpose a learner reply covers (in PURPOSE_ORDER), as the purpose score counts
        them (`credits`, "purpose:<part>"); empty when the debrief has no credits (a rule run alone)."""
        return [p for p in PURPOSE_ORDER if line.index in self.credits.get(f"purpose:{p}", frozenset())]

    def purpose_said(self, line: Line) -> bool:
        """Whether a learner reply said why you were there, what you needed to achieve or what happens next:
        the scorer's purpose signal, or those parts of the purpose in other words (`parts_of`), as the
        purpose score counts them."""
        return "purpose" in line.present or bool(PURPOSE_SAID.intersection(self.parts_of(line)))

    def frame_stated_next(self, line: Line) -> Line | None:
        """The learner's very next reply after `line` when it stated the frame without overstepping, else
        None: students often answer the feeling first and state the frame in their next reply, and the
        debrief credits the moment with it (trainer.debrief.sessionscores, `expected_signal`)."""
        replies = self.replies()
        at = replies.index(line) if line in replies else -1
        after = replies[at + 1] if 0 <= at < len(replies) - 1 else None
        if after is None or "boundaries" not in after.present or "overstep" in after.present:
            return None
        return after

    def node(self, node_id: str) -> Node | None:
        if self.scenario is None:
            return None
        return self.scenario.nodes.get(node_id)


_STAGE = re.compile(r"\([^()]*\)")
_STAGE_ANY = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def spoken(text: str) -> str:
    """The words said, without stage directions in round or square brackets ("(A woman's voice, tired.)"
    is not said: no feeling is heard in it). Every bracket goes, unlike `trainer.textnorm.spoken`, which
    keeps a lower-case aside of several words for the scorer; the debrief's moments and MITI counts use
    this one (through `trainer.debrief.moments`)."""
    return _STAGE_ANY.sub(" ", text)


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


def _rewarded_option(node: Node, line: Line) -> bool:
    """Whether the reply is one of the moment's own options that is an action (it opens with a stage
    direction, "(Ringing straight back on the same number.) ...") and that its author rewards (its effects
    raise trust): the scorer reads words, not actions, so the author's judgement of the action stands."""
    if line.option is None or not 1 <= line.option <= len(node.options):
        return False
    option = node.options[line.option - 1]
    return option.say.lstrip().startswith(("(", "[")) and option.effects.get("trust", 0) > 0


def expected_signal(ctx: Context) -> list[MissedMoment]:
    """A node with `expect` whose reply lacked an expected signal."""
    found = []
    for line in ctx.replies():
        node = ctx.node(line.node)
        if node is None:
            continue
        lacking = [s for s in node.expect if s not in line.present]
        if "boundaries" in lacking and "overstep" not in line.present and ctx.frame_stated_next(line):
            lacking.remove("boundaries")  # stated in the very next reply: the session score credits it too
        if "purpose" in lacking and ctx.purpose_said(line):
            lacking.remove("purpose")  # said in other words: the purpose score credits this reply with it
        if not lacking or _rewarded_option(node, line):
            continue
        said = ctx.said_before(line) or node.say
        who = ctx.who_before(line)
        verbs = [_VERBS.get(s, f"show {s}").format(name=who) for s in lacking]
        # What the reply did of what the moment expected is said too: the tip may be about that part.
        done = [_DONE[s].format(name=who) for s in node.expect if s in line.present and s in _DONE]
        if "purpose" in lacking:  # what the reply did give of the purpose is said, not denied
            done += [_PARTS_DONE[p] for p in ctx.parts_of(line) if p in _PARTS_DONE]
        if "boundaries" in lacking and "empathy" in line.present and "empathy" not in node.expect:
            done.append(f"heard {who}, which was good")  # a reflection where the frame needed saying
        did = f"{' and '.join(done)}, but " if done else ""
        message = f"{who} said {_quote(said)} and reply {line.reply} {did}did not {', or '.join(verbs)}."
        found.append(_moment(ctx, "expected-signal", line, message, lacking, quoted=True))
    return found


def no_purpose(ctx: Context) -> list[MissedMoment]:
    """Three learner replies with no purpose stated (or a meeting that ended sooner without one)."""
    replies = ctx.replies()
    first = replies[:PURPOSE_WITHIN]
    if any(ctx.purpose_said(line) for line in first):
        return []
    if len(replies) >= PURPOSE_WITHIN:
        late = next((line for line in replies if ctx.purpose_said(line)), None)
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


_CONDITIONAL = re.compile(r"^\s*If\s+([^,]+),\s*(.+)$", re.IGNORECASE | re.DOTALL)


def cue_moments(scenario: Scenario, cue_id: str) -> list[str]:
    """The nodes where a cue's moment comes, for a note that says "If <what happened>, ...": the
    disclosures of risk whose safe reply needs the cue; else the nodes with a rule that tests it; else
    the nodes whose line (or a variant's) uses one of the cue's phrases. Empty when none can be told."""
    risk = [n for n, node in scenario.nodes.items()
            if node.risk is not None and cue_id in node.risk.safe_reply]
    if risk:
        return risk
    tested = [n for n in nodes_testing(scenario, cue_id) if scenario.nodes[n].ending is None]
    if tested:
        return tested
    cue = scenario.cues[cue_id]
    words = _phrases_re(cue.phrases)
    if words is None:
        return []
    return [n for n, node in scenario.nodes.items()
            if node.ending is None and any(words.search(spoken(text)) for _loc, text in node.say_lines())]


#: A condition that is the learner's own act ("If you took Arthur's tomatoes, ..."), not something that
#: happened to them ("If Jade told you ..."): the moment coming does not make it true.
_YOU_DID = re.compile(r"\s*you\b", re.IGNORECASE)


def _frame_kept_until(ctx: Context, line: Line) -> bool:
    """Whether there was a test of the frame up to `line` (itself included: `Context.tested`) and the reply
    at every one stated the frame there without overstepping: then an act the frame rules out ("If you
    took ...") did not happen. (Stated only in the next reply does not say what the reply at the test did:
    "Oh lovely, thank you" took the tomatoes, whatever was said of the money after.)"""
    tests = [r for r in ctx.replies() if r.index in ctx.tested and r.index <= line.index]
    return bool(tests) and all("boundaries" in r.present and "overstep" not in r.present for r in tests)


def _phrases_re(phrases: Sequence[str], *, endings: bool = False) -> re.Pattern[str] | None:
    """The phrases as one pattern on whole words; with `endings`, a phrase's last word may end in -s, -es,
    -ed or -ing as well ("hugs" for "hug"), as the cue matcher hears any form of a word."""
    words = [p.strip() for p in phrases if p.strip()]
    if not words:
        return None
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
    tail = r"(?:s|es|ed|ing)?" if endings else ""
    return re.compile(r"(?<![\w'])(?:" + body + r")" + tail + r"(?![\w])", re.IGNORECASE)


def cue_missed(ctx: Context) -> list[MissedMoment]:
    """A cue with a `missing_note` that no reply matched. A conditional note ("If Jordan told you ...,
    you never ...") is said only when its moment came in this run (`cue_moments`), tied to the first reply
    there, with the condition replaced by what was said: "Jordan said “...” (reply 7); you never ..."."""
    if ctx.scenario is None:
        return []
    matched = {cue for line in ctx.replies() for cue in line.cues}
    found = []
    for cue_id, cue in ctx.scenario.cues.items():
        if not cue.missing_note or cue_id in matched:
            continue
        credited = ctx.credits.get(cue.skill, frozenset()) if cue.skill else frozenset()
        conditional = _CONDITIONAL.match(cue.missing_note)
        if conditional is None:
            if credited:
                continue  # the scores credit the same thing, said in other words than the cue's
            found.append(MissedMoment(rule="cue-missed", message=cue.missing_note, node=None))
            continue
        moments = set(cue_moments(ctx.scenario, cue_id))
        line = next((r for r in ctx.replies() if r.node in moments), None)
        if line is None:
            continue  # the moment never came: the note would be about something that did not happen
        if any(r.index in credited for r in ctx.replies() if r.node in moments):
            continue  # the scores credit it at that moment
        if _YOU_DID.match(conditional.group(1)):  # "If you took his tomatoes": the learner's own act
            if _frame_kept_until(ctx, line):
                continue  # the frame was kept at every test of it so far: they did not take them
            message = " ".join(cue.missing_note.split())  # said as written: the debrief cannot tell the act
            found.append(_moment(ctx, "cue-missed", line, message, []))
            continue
        said = ctx.said_before(line)
        rest = " ".join(conditional.group(2).split())
        fact = f"{ctx.who_before(line)} said {_quote(said)}" if said else f"At reply {line.reply}"
        message = f"{fact} (reply {line.reply}); {rest}"
        found.append(_moment(ctx, "cue-missed", line, message, [], quoted=said is not None))
    return found


def cue_matched(ctx: Context) -> list[MissedMoment]:
    """A reply that matched a cue with a `matched_note` (something a reply should not do: jargon, a false
    promise), once per cue, at the first reply that matched it (at a node whose rules test the cue, when
    any does)."""
    if ctx.scenario is None:
        return []
    found = []
    for cue_id, cue in ctx.scenario.cues.items():
        if not cue.matched_note:
            continue
        line = next((r for r in ctx.replies() if cue_id in r.cues and not refused(cue.phrases, r)
                     and cue_means_here(ctx.scenario, cue_id, r.node)), None)
        if line is not None:
            message = f"Reply {line.reply}: {' '.join(cue.matched_note.split())}"
            found.append(_moment(ctx, "cue-matched", line, message, []))
    return found


#: Words that turn down what follows them ("I'm not going to hold your hand", "I'd rather not hold hands").
_REFUSING = re.compile(r"\b(?:not|no|never|nor|cannot|cant|wont|dont|shouldnt|wouldnt|couldnt|isnt|arent)\b|"
                       r"n['\u2019]t\b", re.IGNORECASE)
_CLAUSE = re.compile(r"[,;:.!?\u2013\u2014]|\s-\s|\bbut\b|\bthough\b", re.IGNORECASE)


def refused(phrases: Sequence[str], line: Line) -> bool:
    """Whether a reply matched a cue's phrases only in turning that thing down: the reply stated the frame
    without overstepping, and each place its words stand is evidence of the frame from one of the scorer's
    rules ("I won't hug you": physical_contact, negated; "hugs aren't something I can do": touch_declined)
    or follows a refusal within four words of its clause ("I'd rather not hold hands"). A `matched_note`
    ("You spoke of touch ... if you offered it") is not said there: the boundaries score praises the same
    words ("I can't promise, but don't worry" still reassures: the refusal is another clause's). A cue
    heard only by its patterns is not read this way (False)."""
    if "boundaries" not in line.present or "overstep" in line.present:
        return False
    words = _phrases_re(phrases, endings=True)
    found = list(words.finditer(line.text)) if words is not None else []
    if not found:
        return False
    frame = [(m.start, m.end) for m in line.marks
             if m.signal == "boundaries" and m.source.startswith("rule:")]
    for hit in found:
        if any(start < hit.end() and hit.start() < end for start, end in frame):
            continue
        clause = _CLAUSE.split(line.text[: hit.start()])[-1]  # "I can't promise, but don't worry": no
        if not any(_REFUSING.search(word) for word in re.findall(r"[\w']+", clause)[-4:]):
            return False
    return True


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
        words = feeling_words(spoken(said))
        if not words:
            continue
        named = ", ".join(dict.fromkeys(w.lower() for w in words))
        message = (
            f"{ctx.who_before(line)} said {_quote(said)} and reply {line.reply} did not put it into words - "
            f"words of feeling or fear ({named})."
        )
        found.append(_moment(ctx, "feeling-unanswered", line, message, ["empathy"], quoted=True))
    return found


#: The rules in the order their findings are listed (within a rule, by reply).
RULES: dict[str, Callable[[Context], list[MissedMoment]]] = {
    "overstep": overstep,
    "expected-signal": expected_signal,
    "feeling-unanswered": feeling_unanswered,
    "no-purpose": no_purpose,
    "cue-matched": cue_matched,
    "cue-missed": cue_missed,
}


def missed_moments(ctx: Context) -> list[MissedMoment]:
    """All rules' findings, ordered by reply (moments tied to no reply, like most cue-missed, last); the
    findings about one reply are merged into one moment (`merge`), so its model answer and tip are said
    once."""
    found = [m for rule in RULES.values() for m in rule(ctx)]
    order = list(RULES)
    found.sort(key=lambda m: (m.index is None, m.index or 0, order.index(m.rule)))
    return merge(found)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text[-1:] in ".?!”" else text + "."


_SAID = re.compile(r"^[^\u201c]{0,80}? said \u201c[^\u201d]*\u201d")
_JOIN = re.compile(r"^(?:\s*\(reply \d+\))?[\s;:,-]*(?:and\s+)?")


def _without_quote(message: str, before: str) -> str:
    """`message` without the quote `before` already opens with ("Jordan said “...” (reply 7); you never
    ..." after "Jordan said “...” and reply 7 did not ..." gives "You never ..."): a quote said once."""
    said = _SAID.match(message)
    if said is None or not before.startswith(said.group(0)):
        return message
    rest = _JOIN.sub("", message[said.end():], count=1)
    return rest[:1].upper() + rest[1:] if rest else message


def merge(moments: Sequence[MissedMoment]) -> list[MissedMoment]:
    """One moment per reply: the messages of the findings that quote the same reply (and so would repeat its
    model answers and tip) said one after the other, each once, their signals joined; the first finding's
    rule. Moments about no single line (no-purpose, most cue-missed) are kept as they are."""
    out: list[MissedMoment] = []
    at: dict[int, int] = {}
    for m in moments:
        if m.index is None or m.reply_text is None or m.index not in at:
            if m.index is not None and m.reply_text is not None:
                at[m.index] = len(out)
            out.append(m)
            continue
        first = out[at[m.index]]
        if m.message in first.message:
            continue
        out[at[m.index]] = first.model_copy(update={
            "message": f"{_sentence(first.message)} {_without_quote(m.message, first.message)}",
            "signals": list(dict.fromkeys([*first.signals, *m.signals])),
            "quoted": first.quoted or m.quoted,
        })
    return out
