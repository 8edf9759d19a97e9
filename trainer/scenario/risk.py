"""Acting on risk: the check that a disclosure of risk is never resolved by warmth alone.

Pure functions on the schema (no loader, no diagnostics: `trainer.scenario.checks` turns a route found
here into SCN050).

A node with `risk:` is a moment where the service user discloses a risk (children alone overnight, a
baby's cot shaken, a man locked in). Its `safe_reply` names the cues a safe reply must match, all of
them (e.g. telling the manager today, and a plan for tonight). The check (SCN050, a warning) looks for a
path from that node to an ending with outcome `built` along which no transition requires those cues:
such a path lets a learner "build the relationship" with a reply that only empathises, and teaches that
warmth is enough when someone is at risk.

What a transition requires is read from its condition and its place: response i fires only when rules
1..i-1 did not hold, so `not` of an earlier rule counts (`{not: {cue: x}}` first, then anything, requires
x); `default` fires when no rule held; `any` requires only what every branch requires; a signal or a
variable requires no cue. An option with its own `goto` is checked by its words: it carries a cue when
its text contains one of the cue's phrases (the cue's spaCy patterns cannot be checked without the
scorer, so write a phrase the option uses).

A second check (SCN052, a warning) catches the disclosure that was never marked: a `say` line (or a
variant's) that uses the words of a disclosure - suicide, self-harm, an overdose, being hit or grabbed,
children alone overnight, someone locked in, a baby shaken (`DISCLOSURE_WORDS`) - on a node with no
`risk:`, so nothing asks the learner to act on it. The words are matched as phrases that disclose, not
as bare words: "it hit me", "shaking his head", "shaken up" and "locked in to a contract" do not count.
Endings are not checked: no reply follows them, so their narration may name what the learner leaves
holding.

The safe reply may be said across the learner's consecutive replies at the disclosure and at the
follow-up moments marked `risk:` (`RiskProgress`): the engine counts their cues when it chooses a rule at a
risk moment, and the coach note says what part was said. `trainer rehearse --explore` follows the same
rule on real replies (see trainer/authoring/explore.py): a built ending reached after a disclosure
whose safe cues no reply (or run of replies) matched is reported with the replies that reached it.

Sources: Working Together to Safeguard Children 2023, ch. 3 (act on a concern without delay; talk to
the manager); Care Act 2014 s42 (adult safeguarding enquiries).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from trainer.scenario.schema import Condition, Cue, Node, Outcome, Scenario

Loc = tuple[str | int, ...]
"""A path inside a node, e.g. ("responses", 1, "goto") (as in trainer.scenario.loader)."""

_WORD = re.compile(r"\w+|[^\w\s]")

_ONE = r"(?:him|her|them|me|the\s+(?:kids|children|baby|boys|girls))"
_OWN = r"(?:on\s+(?:their|his|her)\s+own|by\s+(?:themselves|himself|herself))"
_NIGHT = r"(?:overnight|all\s+night|at\s+night)\b"
#: What a disclosure of risk sounds like, by kind: phrases, case-insensitive, on whole words. Each pattern
#: names the act, not the word alone, so everyday uses pass ("it hit me", "his hands shake").
DISCLOSURE_WORDS: dict[str, str] = {
    "suicide": (r"\bsuicid(?:e|al)\b|\bkill(?:ing)?\s+(?:my|him|her|them)sel(?:f|ves)\b(?!\s+laughing)|"
                r"\bend(?:ing)?\s+(?:it\s+all|my\s+(?:own\s+)?life)\b|\btake\s+my\s+(?:own\s+)?life\b|"
                r"\bbetter\s+off\s+(?:without\s+me|dead|if\s+i\s+(?:was|wasn'?t|weren'?t)\s+(?:here|around))\b|"
                r"\bdon'?t\s+want\s+to\s+(?:be\s+here|live|wake\s+up)\b"),
    "self-harm": r"\bself[-\s]harm\w*|\b(?:cut|cutting|hurt|hurting|harm|harming)\s+myself\b",
    "overdose": (r"\boverdos(?:e|ed|es|ing)\b|\b(?:took|taken|swallowed)\s+(?:all|too\s+many)\s+(?:of\s+)?"
                 r"(?:the\s+|my\s+|her\s+|his\s+|their\s+)?(?:pills|tablets)\b"),
    "violence": (r"(?<!\bit\s)(?<!\bthat\s)(?<!\bthis\s)\b(?:hit|hits|hitting|beat|beats|beating|"
                 rf"punch(?:es|ed)?|slap(?:s|ped)?|kick(?:s|ed)?|hurt(?:s|ing)?|grab(?:s|bed)?|squeez(?:es|ed)|"
                 rf"shov(?:es|ed)|chok(?:es|ed)|strangl(?:es|ed))\s+"
                 rf"(?:{_ONE}|(?:my|his|her|their)\s+(?:arms?|neck|throat|wrists?))\b"
                 r"(?!\s+(?:up|to\s+it|out|for\s+six|feelings)\b)"),
    "children alone overnight": (rf"\balone\s+{_NIGHT}|\b{_OWN}\s+{_NIGHT}|"
                                 rf"\b(?:nights?|shifts?|at\s+work)\b[^?!\n]{{0,40}}?\b{_OWN}|"
                                 rf"\b{_OWN}\s+when\s+i'?m\s+(?:at\s+work|on\s+(?:a\s+)?shift|working)\b"),
    "locked in": (rf"\block(?:ed|s)?\s+(?:(?:{_ONE}|myself)\s+)?in\b"
                  r"(?!\s+(?:to\b|a\s+(?:deal|contract)|the\s+(?:deal|contract|price)))|"
                  r"\block(?:ed|s|ing)?\s+(?:his|her|their)\s+(?:bed)?(?:room\s+)?door\b"),
    "shaken": r"\bshaken\b(?!\s+up\b)|\bshook\s+(?:the\s+(?:baby|cot)|him|her)\b",
}
_DISCLOSURE = {kind: re.compile(rx, re.IGNORECASE) for kind, rx in DISCLOSURE_WORDS.items()}


def disclosure_words(text: str) -> list[tuple[str, str]]:
    """(kind, the words) for each kind of disclosure `text` makes, in `DISCLOSURE_WORDS` order: e.g.
    [("overdose", "took all my tablets")]. Empty for a line that discloses nothing."""
    found = []
    for kind, rx in _DISCLOSURE.items():
        match = rx.search(text)
        if match:
            found.append((kind, " ".join(match.group().split())))
    return found


@dataclass(frozen=True)
class Unmarked:
    """A line that discloses risk on a node with no `risk:` mark."""

    node: str
    loc: Loc
    """Where the line is inside the node: ("say",) or ("variants", i, "say")."""
    kind: str
    words: str


def unmarked_disclosures(scenario: Scenario) -> list[Unmarked]:
    """Every `say` line (and variant) of a node that is neither an ending nor marked `risk:` and that
    discloses risk (`disclosure_words`), first kind per line."""
    found = []
    for node_id, node in scenario.nodes.items():
        if node.risk is not None or node.ending is not None:
            continue
        for loc, text in node.say_lines():
            words = disclosure_words(str(text))
            if words:
                found.append(Unmarked(node_id, loc, *words[0]))
    return found


@dataclass(frozen=True)
class Edge:
    """One transition out of a node: where it is written, where it goes, and the cues it requires."""

    loc: Loc
    """The path inside the node, e.g. ("responses", 1, "goto")."""
    target: str
    requires: frozenset[str]
    """Cues the learner's reply certainly matched when this transition fires."""


def requires(cond: Condition, negated: bool = False) -> frozenset[str]:
    """The cues a reply certainly matched when `cond` holds (or, with `negated`, when it does not hold)."""
    if cond.cue is not None:
        return frozenset() if negated else frozenset({cond.cue})
    if cond.not_ is not None:
        return requires(cond.not_, not negated)
    group = cond.all if cond.all is not None else cond.any
    if group is None:
        return frozenset()  # a signal or a variable: no cue is implied
    parts = [requires(c, negated) for c in group]
    # all holds: every part holds (union). any holds: some part holds (only what all share).
    # Negated, the roles swap (not all = any not; not any = all not).
    conjunction = (cond.all is not None) != negated
    if conjunction:
        return frozenset().union(*parts)
    return frozenset.intersection(*parts) if parts else frozenset()


def phrase_cues(text: str, cues: dict[str, Cue]) -> frozenset[str]:
    """The cues whose phrases occur in `text`, word for word and case-insensitively (patterns are not
    checked: that needs the scorer)."""
    words = [w.lower() for w in _WORD.findall(text)]
    found = set()
    for cue_id, cue in cues.items():
        for phrase in cue.phrases:
            target = [w.lower() for w in _WORD.findall(phrase)]
            n = len(target)
            if n and any(words[i : i + n] == target for i in range(len(words) - n + 1)):
                found.add(cue_id)
                break
    return frozenset(found)


def edges(node: Node, cues: dict[str, Cue]) -> Iterator[Edge]:
    """Every transition of a node with the cues it requires: responses (in order), options, default."""
    earlier: frozenset[str] = frozenset()  # what "no earlier rule held" implies
    for i, response in enumerate(node.responses):
        yield Edge(("responses", i, "goto"), response.goto, requires(response.if_) | earlier)
        earlier |= requires(response.if_, negated=True)
    for i, option in enumerate(node.options):
        if option.goto is not None:
            yield Edge(("options", i, "goto"), option.goto, phrase_cues(option.say, cues))
    if node.default is not None:
        yield Edge(("default", "goto"), node.default.goto, earlier)


@dataclass(frozen=True)
class UnsafeRoute:
    """A way from a disclosure to a built ending on which the safe reply is never required."""

    node: str
    """The node marked `risk:`."""
    ending: str
    steps: tuple[tuple[str, Loc], ...]
    """Each transition taken: the node it leaves and where it is written in that node."""

    def describe(self) -> str:
        """e.g. "secret_told > response 2 > planning > default > end_built"."""
        parts = []
        for node, loc in self.steps:
            parts += [node, _describe_loc(loc)]
        return " > ".join([*parts, self.ending])


def _describe_loc(loc: Loc) -> str:
    kind = loc[0]
    if kind == "default":
        return "default"
    return f"{'response' if kind == 'responses' else 'option'} {int(loc[1]) + 1}"


def unsafe_route(scenario: Scenario, node_id: str) -> UnsafeRoute | None:
    """The shortest route from the risk node `node_id` to a built ending on which no transition requires
    every cue of its `safe_reply`, or None when every such route requires them."""
    risk = scenario.nodes[node_id].risk
    if risk is None:
        return None
    safe = frozenset(risk.safe_reply)
    came_from: dict[str, tuple[str, Loc] | None] = {node_id: None}
    queue = deque([node_id])
    while queue:
        here = queue.popleft()
        node = scenario.nodes[here]
        if node.ending is not None:
            if node.ending.outcome is Outcome.built:
                steps = []
                at: str = here
                while (back := came_from[at]) is not None:
                    steps.append(back)
                    at = back[0]
                return UnsafeRoute(node_id, here, tuple(reversed(steps)))
            continue
        for edge in edges(node, scenario.cues):
            if safe <= edge.requires or edge.target not in scenario.nodes or edge.target in came_from:
                continue
            came_from[edge.target] = (here, edge.loc)
            queue.append(edge.target)
    return None


def risk_cues(scenario: Scenario) -> dict[str, frozenset[str]]:
    """For each node marked `risk:`, the cues its safe reply must match."""
    return {n: frozenset(node.risk.safe_reply) for n, node in scenario.nodes.items() if node.risk is not None}


@dataclass(frozen=True)
class RiskProgress:
    """Where a run stands with the disclosures of risk it has met, after some learner replies.

    A safe reply may be said across the learner's consecutive replies at the disclosure and at the moments
    marked `risk:` that follow it ("I need to talk to my manager today", then, when she asks "And then
    what?", "your mum gets her own assessment, with her GP"): the cues of `safe_reply` are counted over that
    run of replies, not only within one. A reply at a moment that is not marked `risk:` ends the run; after
    it a reply must say the rest in one go. Warmth never counts: only the cues of `safe_reply` do.
    """

    pending: frozenset[str] = frozenset()
    """The risk nodes passed whose safe reply has not been given in full."""
    run: frozenset[str] = frozenset()
    """The `safe_reply` cues matched by the current run of consecutive replies at nodes marked `risk:`
    (empty once a reply is made at a node that is not)."""
    said: frozenset[tuple[str, str]] = frozenset()
    """(pending risk node, cue of its safe reply) for each part of it that some reply did say: a disclosure
    acted on in part is never reported as not acted on at all."""

    def after(self, scenario: Scenario, node_id: str, matched: Iterable[str]) -> RiskProgress:
        """The progress after a learner reply at `node_id` that matched the cues `matched`: a reply at a
        risk node adds it to `pending`; a pending node is cleared when the reply's cues, with the run's
        when the reply is part of a run at risk moments, include every cue of its `safe_reply`."""
        need = risk_cues(scenario)
        relevant = frozenset().union(*need.values()) if need else frozenset()
        cues = frozenset(matched) & relevant
        node = scenario.nodes.get(node_id)
        at_risk = node is not None and node.risk is not None
        pending = self.pending | {node_id} if at_risk else self.pending
        run = self.run | cues if at_risk else frozenset()
        heard = run if at_risk else cues
        left = frozenset(n for n in pending if not need.get(n, frozenset()) <= heard)
        said = {(n, c) for n, c in self.said if n in left}
        said |= {(n, c) for n in left for c in need.get(n, frozenset()) & heard}
        return RiskProgress(left, run, frozenset(said))

    def parts_said(self, node_id: str) -> frozenset[str]:
        """The cues of `node_id`'s safe reply that some reply has said while it is pending."""
        return frozenset(c for n, c in self.said if n == node_id)


def risk_progress(scenario: Scenario, replies: Iterable[tuple[str, Iterable[str]]]) -> RiskProgress:
    """The progress after the learner replies `replies`, each (the node it was made at, the cues it
    matched), in order."""
    progress = RiskProgress()
    for node_id, matched in replies:
        progress = progress.after(scenario, node_id, matched)
    return progress


def pending_after(
    scenario: Scenario, pending: frozenset[str], node_id: str, matched: Iterable[str]
) -> frozenset[str]:
    """The disclosures not yet acted on after one reply at `node_id` that matched the cues `matched`,
    taken alone (no earlier reply's parts count: see `RiskProgress` for a run of replies)."""
    return RiskProgress(pending).after(scenario, node_id, matched).pending
