"""Rehearsals: scripted replies played headless through the real engine and the real scorer.

An educator writing a scenario wants to know three things without playing it by hand every time:
what happens to a given list of replies (`trainer rehearse SCENARIO --replies FILE`), whether the paths
they designed still happen after an edit to the scenario or the scorer (`trainer rehearse --check`,
against the rehearsal files in `scenarios/rehearsals/<scenario-id>.yaml`), and whether every ending can be
reached at all (`trainer rehearse --explore SCENARIO`, a bounded walk over every branch it can find).

The scorer is passed in (anything with `assess_many` and `compile_cues`, like
`trainer.scoring.scorer.Scorer`), so this module imports neither spaCy nor Textual; `load_scorer()` loads
the real one. Library code raises `RehearsalError` with the file and line at fault; the CLI decides exit
codes. Used by the CLI, `trainer new` (whose starter scenario ships with rehearsals) and the tests.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from trainer import textnorm
from trainer.scenario.conditions import SIGNAL_THRESHOLD
from trainer.scenario.engine import EndingReached, EngineError, Prompt, Session, TurnRecord
from trainer.scenario.loader import did_you_mean
from trainer.scenario.placeholders import fill
from trainer.scenario.schema import SIGNALS, Cue, InputMode, Scenario
from trainer.scenario.speakers import short_speaker
from trainer.scenario.text_checks import byte_position, decode
from trainer.scenario.yaml_limits import TooComplex, check_events

THRESHOLD = SIGNAL_THRESHOLD
"""The score at which a signal counts as present: the engine's (as in trainer.scoring.api)."""

NEUTRAL = "neutral"

#: One reply per signal that the scorer should rate as showing that signal (and, as far as possible, only
#: that one), plus a neutral reply that shows none. `--explore` offers each at every free-text moment; a
#: test checks the scorer really gives each its signal, so exploration does not silently lose a branch.
CANNED_REPLIES: dict[str, str] = {
    "empathy": (
        "It sounds like this has been really hard for you, and you've been carrying it on your own. "
        "Have I got that right?"
    ),
    "sympathy": "Oh, you poor thing, that's awful. I'm so sorry. Don't worry, everything will be fine.",
    "purpose": (
        "I'm here because of the referral we received. Today I'd like to explain why I've come and agree "
        "what happens next; it will take about an hour."
    ),
    "boundaries": (
        "I can't promise to keep everything secret: if someone was at risk of harm I would have to share "
        "it with my manager. I'm your worker, not a friend."
    ),
    "overstep": (
        "I promise I won't tell anyone. Here's my personal number, ring me any time, day or night - we "
        "can be friends."
    ),
    NEUTRAL: "Okay. Can you tell me a bit more about that?",
}

_OPTION_PICK = re.compile(r"^\s*(?:#|option\s+)(\d+)\s*\.?\s*$", re.IGNORECASE)


class RehearsalError(ValueError):
    """A replies file or rehearsal file that cannot be used, or a reply the scenario refuses; the message
    says where (file:line) and what to do."""


class Assessor(Protocol):
    """What rehearsals need from a scorer (trainer.scoring.scorer.Scorer has it)."""

    def compile_cues(self, cues: Mapping[str, Cue]) -> Any: ...

    def assess_many(self, items: Iterable[Any], batch_size: int = ..., cues: Any = ...) -> list[Any]: ...


def load_scorer() -> Assessor:
    """The real scorer, loaded once per process. Raises the scorer's ModelError when it is missing."""
    # Imported here: spaCy takes a second or two to load, and only rehearsing needs it.
    from trainer.scoring.scorer import Scorer

    return Scorer.load()


# --- replies -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """One scripted reply: typed text, or the pick of an option by number."""

    text: str
    """As written; for an option pick, the pick itself ("#2")."""
    option: int | None
    """The 1-based option number for a pick ("#2", "option 2"), else None."""
    where: str
    """Where it was written, for messages: "replies.txt:3"."""


def parse_reply(raw: str, where: str) -> Reply:
    """A reply as written: `#2` or `option 2` picks option 2; anything else is typed text."""
    match = _OPTION_PICK.match(raw)
    if match:
        number = int(match.group(1))
        if number < 1:
            raise RehearsalError(f"{where}: there is no option {number}; options are numbered from 1.")
        return Reply(text=raw.strip(), option=number, where=where)
    return Reply(text=raw.strip(), option=None, where=where)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def _line_of(seq: CommentedSeq, index: int) -> int:
    try:
        return int(seq.lc.item(index)[0]) + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return int(seq.lc.line) + 1


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
        return decode(raw)  # UTF-8, or UTF-16 with its byte-order mark ("Unicode")
    except FileNotFoundError:
        raise RehearsalError(f"{path}: no such file.") from None
    except UnicodeDecodeError as exc:
        if exc.encoding != "utf-8":  # a UTF-16/32 byte-order mark, then bytes that are not
            raise RehearsalError(f"{path}: saved as 'Unicode' ({exc.encoding}) but damaged (cut short?); "
                                 "open it and save it as UTF-8.") from None
        # Where, as validate and eval say it: the line and column of the first byte that is not UTF-8.
        line, col = byte_position(raw, exc.start)
        raise RehearsalError(f"{path}:{line}:{col}: byte 0x{raw[exc.start]:02x} is not UTF-8 text (the file "
                             "is saved in another encoding, such as Windows-1252 or Latin-1); open it and "
                             "save it as UTF-8. Nothing was played.") from None
    except OSError as exc:
        raise RehearsalError(f"{path}: cannot be read ({exc.strerror or exc}).") from None


def _load_yaml(path: Path, text: str) -> Any:
    # Replies are typed text: a BOM, separators (U+2028, Word's vertical tab) and invisible characters go
    # as they do in a text replies file (trainer.textnorm); lines keep their numbers.
    text = textnorm.clean_text(text)
    try:
        check_events(_yaml().parse(text))  # bounds depth and aliases before anything composes the file
        return _yaml().load(text)
    except TooComplex as exc:
        raise RehearsalError(f"{path}:{exc.line + 1}:{exc.col + 1}: {exc.detail}; a replies file is a "
                             "list of replies, one per `- ` line.") from None
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RehearsalError(f"{where}: not valid YAML ({problem}).") from None
    except (ValueError, TypeError, ArithmeticError, LookupError, AttributeError) as exc:
        # ruamel's constructors raise plain errors for malformed tagged values, e.g. `!!int abc`
        raise RehearsalError(f"{path}: a value cannot be read ({exc}); write it as plain text.") from None


def _replies_from_seq(path: Path, seq: Any, what: str) -> list[Reply]:
    if not isinstance(seq, CommentedSeq):
        raise RehearsalError(f"{path}: {what} must be a list of replies, one per `- ` line.")
    replies = []
    for i, item in enumerate(seq):
        where = f"{path}:{_line_of(seq, i)}"
        if isinstance(item, bool):
            raise RehearsalError(
                f"{where}: YAML read this reply as {str(item).lower()}; put it in quotes to say the words."
            )
        if isinstance(item, int):
            raise RehearsalError(
                f"{where}: a bare number is not a reply; write '#{item}' to pick option {item}."
            )
        if not isinstance(item, str) or textnorm.is_blank(item):
            raise RehearsalError(f"{where}: each reply must be some words, or '#N' to pick option N.")
        replies.append(parse_reply(textnorm.clean_line(item), where))
    return replies


def read_replies(path: str | Path) -> list[Reply]:
    """Replies from a file: a text file with one reply per line (blank lines skipped), or YAML holding a
    list of replies (or a mapping with a `replies` list). Raises RehearsalError saying where."""
    path = Path(path)
    text = _read_text(path)  # one normalisation for every input (trainer.textnorm): BOM, separators
    if path.suffix.lower() in (".yaml", ".yml"):
        data = _load_yaml(path, text)
        if isinstance(data, CommentedMap) and "replies" in data:
            data = data["replies"]
        replies = _replies_from_seq(path, data, "the file")
    else:
        replies = [
            parse_reply(textnorm.clean_line(line), f"{path}:{number}")
            for number, line in enumerate(textnorm.split_lines(text), 1)  # clean_line drops a BOM
            if not textnorm.is_blank(line)
        ]
    if not replies:
        raise RehearsalError(f"{path}: no replies; write one reply per line ('#2' picks option 2).")
    return replies


# --- playing -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Turn:
    """One exchange of a rehearsal: what the service user said, the reply, how it was scored, the move."""

    node: str
    line: str
    reply: str
    option: int | None
    scores: dict[str, float]
    cues: list[str]
    rule: str
    """Which rule moved the scenario on: "option 2", "response 1" or "default"."""
    goto: str
    variables: dict[str, int]
    """The variables after the move."""

    def present(self) -> list[str]:
        """The signals scored as present, in the scorer's order."""
        return [s for s in SIGNALS if self.scores.get(s, 0.0) >= THRESHOLD]


@dataclass
class Played:
    """The result of playing a list of replies."""

    scenario_id: str
    start: str
    turns: list[Turn]
    ending: EndingReached | None
    """The ending reached, or None when the replies ran out first."""
    unused: int = 0
    """Replies left over after the ending."""

    @property
    def path(self) -> list[str]:
        """The nodes visited, from the start to where it stopped."""
        return [self.start, *(t.goto for t in self.turns)]

    @property
    def last_node(self) -> str:
        return self.path[-1]


class Rehearser:
    """Plays replies through a fresh engine session per rehearsal, scoring each with the real scorer.

    Assessments are cached by (reply, service-user line), so many rehearsals of one scenario stay fast.
    """

    def __init__(self, scenario: Scenario, scenario_id: str, scorer: Assessor) -> None:
        """Compile the scenario's cues once. Raises RehearsalError when the engine cannot play the scenario
        or the scorer cannot compile one of its cues."""
        self.scenario = scenario
        self.scenario_id = scenario_id
        self.scorer = scorer
        try:
            Session(scenario, scenario_id)
        except EngineError as exc:
            raise RehearsalError(f"{scenario_id}: {exc}") from None
        try:
            self.cues = scorer.compile_cues(scenario.cues)
        except ValueError as exc:  # the scorer's CueError names the cue; validate points at its line
            raise RehearsalError(f"{scenario_id}: {exc} (run `trainer validate {scenario_id}`)") from None
        self._cache: dict[tuple[str, str], dict[str, Any]] = {}

    def assess(self, pairs: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
        """The assessments (as the engine takes them) of (reply, context) pairs, scoring only new ones."""
        todo = list(dict.fromkeys(p for p in pairs if p not in self._cache))
        if todo:
            for pair, assessment in zip(todo, self.scorer.assess_many(todo, cues=self.cues), strict=True):
                mapping = assessment.as_mapping()
                mapping.pop("evidence", None)  # rehearsals compare paths; evidence would bloat the cache
                self._cache[pair] = mapping
        return [self._cache[p] for p in pairs]

    def play(self, replies: Sequence[Reply]) -> Played:
        """Play the replies in order from the start until an ending or the last reply.

        Raises RehearsalError (naming the reply's file and line) when the scenario refuses a reply: an
        option that does not exist, a typed reply where only options are allowed, and so on.
        """
        session = Session(self.scenario, self.scenario_id)
        played = Played(self.scenario_id, self.scenario.start, [], None)
        for index, reply in enumerate(replies):
            step = session.current()
            if isinstance(step, EndingReached):
                played.unused = len(replies) - index
                break
            text = self._text_of(step, reply)
            (assessment,) = self.assess([(text, step.line)])
            try:
                after = session.submit(text, assessment, option=reply.option)
            except EngineError as exc:
                raise RehearsalError(f"{reply.where}: at '{step.node}': {exc}") from None
            learner = session.state.transcript[-2]
            played.turns.append(_turn(step, learner, after))
        step = session.current()
        if isinstance(step, EndingReached):
            played.ending = step
        return played

    def _text_of(self, step: Prompt, reply: Reply) -> str:
        if reply.option is None:
            return reply.text
        if step.input_mode is InputMode.free or not step.options:
            raise RehearsalError(
                f"{reply.where}: '{reply.text}' picks an option, but at '{step.node}' the learner types "
                "a reply."
            )
        if reply.option > len(step.options):
            raise RehearsalError(
                f"{reply.where}: there is no option {reply.option} at '{step.node}' "
                f"(it has {len(step.options)})."
            )
        # `{learner}` in an option: its fallback, as for a student who gave no name
        return fill(step.options[reply.option - 1].text, None)


def _turn(step: Prompt, learner: TurnRecord, after: Prompt | EndingReached) -> Turn:
    assessment = learner.assessment or {}
    return Turn(
        node=step.node,
        # Said by someone else (the node's `speaker`): their name first, without what is in brackets.
        line=f"{short_speaker(step.name)}: {step.line}" if step.name else step.line,
        reply=learner.text,
        option=learner.option,
        scores=dict(assessment.get("scores", {})),
        cues=list(assessment.get("cues", [])),
        rule=learner.rule or "",
        goto=after.node,
        variables=dict(after.variables),
    )


def _short(text: str, width: int = 72) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def format_scores(scores: Mapping[str, float]) -> str:
    """The five scores on one line, present signals marked with *: `empathy 0.81*  sympathy 0.02 ...`."""
    return "  ".join(
        f"{s} {scores.get(s, 0.0):.2f}{'*' if scores.get(s, 0.0) >= THRESHOLD else ''}" for s in SIGNALS
    )


def format_played(played: Played) -> str:
    """A readable account of a rehearsal: each turn with its scores and move, then the ending and path."""
    lines = [f"Rehearsal of {played.scenario_id}: {len(played.turns)} replies played", ""]
    for number, turn in enumerate(played.turns, 1):
        picked = f" (option {turn.option})" if turn.option is not None else ""
        lines.append(f"{number:>2}. [{turn.node}] {_short(turn.line)}")
        lines.append(f"    you{picked}: {_short(turn.reply)}")
        lines.append(f"    scores: {format_scores(turn.scores)}")
        if turn.cues:
            lines.append(f"    cues: {', '.join(turn.cues)}")
        state = ", ".join(f"{k} {v}" for k, v in turn.variables.items())
        lines.append(f"    {turn.rule} -> {turn.goto}   ({state})")
    lines.append("")
    if played.ending is not None:
        ending = played.ending.ending
        lines.append(f"Ending: {played.ending.node} ({ending.outcome.value}) \"{ending.title}\"")
    else:
        lines.append(f"No ending: the replies ran out at '{played.last_node}'.")
    if played.unused:
        lines.append(f"{played.unused} repl{'y was' if played.unused == 1 else 'ies were'} not used: "
                     "the scenario had already ended.")
    lines.append("Path: " + " > ".join(played.path))
    return "\n".join(lines)


# --- rehearsal files and --check ---------------------------------------------------------------------


@dataclass(frozen=True)
class Rehearsal:
    """One entry of a rehearsal file."""

    name: str
    replies: list[Reply]
    expect_ending: str
    expect_path: list[str] | None
    where: str
    """file:line of the entry, for messages."""


_REHEARSAL_KEYS = ("name", "replies", "expect_ending", "expect_path")


def rehearsal_file(scenario_path: str | Path) -> Path:
    """Where a scenario's rehearsals live: `rehearsals/<scenario-id>.yaml` beside the scenario."""
    path = Path(scenario_path)
    return path.parent / "rehearsals" / f"{path.stem}.yaml"


def _string_list(entry: CommentedMap, key: str, where: str) -> list[str]:
    value = entry[key]
    if not isinstance(value, CommentedSeq) or not value:
        raise RehearsalError(f"{where}: `{key}` must be a list of node ids.")
    bad = [v for v in value if not isinstance(v, str)]
    if bad:
        raise RehearsalError(f"{where}: `{key}` must hold node ids; {bad[0]!r} is not one (quote it).")
    return [str(v) for v in value]


def load_rehearsals(path: str | Path, scenario: Scenario | None = None) -> list[Rehearsal]:
    """Read a rehearsal file: a list of `{name, replies, expect_ending, expect_path?}`.

    Raises RehearsalError naming file:line for every mistake of the file at once, one per line (unknown
    key, missing key, wrong type, a duplicate name); with `scenario`, also every `expect_ending` and
    `expect_path` that names no node of it, so that a fixed file does not fail again on the next mistake."""
    path = Path(path)
    data = _load_yaml(path, _read_text(path))
    if not isinstance(data, CommentedSeq) or not data:
        raise RehearsalError(
            f"{path}: a rehearsal file is a list of rehearsals, each `- name: ...` with `replies` and "
            "`expect_ending`."
        )
    rehearsals: list[Rehearsal] = []
    names: dict[str, str] = {}
    problems: list[str] = []
    for i, entry in enumerate(data):
        where = f"{path}:{_line_of(data, i)}"
        try:
            rehearsals.append(_rehearsal(path, entry, where, names))
        except RehearsalError as exc:
            problems.append(str(exc))
    if problems and scenario is not None:  # the names too, which `check_rehearsal` would report next
        for i, entry in enumerate(data):
            if isinstance(entry, CommentedMap):
                ending = entry.get("expect_ending")
                listed = entry.get("expect_path")
                problems += [f"{path}:{_line_of(data, i)}: {p}" for p in id_problems(
                    scenario, ending if isinstance(ending, str) else None,
                    [str(v) for v in listed if isinstance(v, str)] if isinstance(listed, list) else None)]
    if problems:
        raise RehearsalError("\n".join(problems))
    return rehearsals


def _rehearsal(path: Path, entry: Any, where: str, names: dict[str, str]) -> Rehearsal:
    """One entry of a rehearsal file; RehearsalError for every mistake in it, one per line."""
    if not isinstance(entry, CommentedMap):
        raise RehearsalError(f"{where}: each rehearsal is a mapping with name, replies and expect_ending.")
    problems = []
    for key in entry:
        if key not in _REHEARSAL_KEYS:
            hint = difflib.get_close_matches(str(key), _REHEARSAL_KEYS, n=1)
            did = f" Did you mean '{hint[0]}'?" if hint else ""
            problems.append(f"{path}:{entry.lc.key(key)[0] + 1}: unknown key '{key}'.{did} "
                            f"A rehearsal has {', '.join(_REHEARSAL_KEYS)}.")
    for key in ("name", "replies", "expect_ending"):
        if key not in entry:
            problems.append(f"{where}: this rehearsal has no `{key}`.")
    name = entry.get("name")
    if "name" in entry:
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{where}: `name` must be some words describing the rehearsal.")
        elif name in names:
            problems.append(f"{where}: the name '{name}' is already used at {names[name]}.")
        else:
            names[name] = where
    ending = entry.get("expect_ending")
    if "expect_ending" in entry and not isinstance(ending, str):
        problems.append(f"{where}: `expect_ending` must be the id of an ending node.")
    expect_path = None
    replies: list[Reply] = []
    for part in ("expect_path", "replies"):
        if part not in entry:
            continue
        try:
            if part == "expect_path":
                expect_path = _string_list(entry, "expect_path", where)
            else:
                replies = _replies_from_seq(path, entry["replies"], f"the replies of '{name}'")
                if not replies:
                    problems.append(f"{where}: '{name}' has no replies.")
        except RehearsalError as exc:
            problems.append(str(exc))
    if problems:
        raise RehearsalError("\n".join(problems))
    return Rehearsal(str(name), replies, str(ending), expect_path, where)


def id_problems(scenario: Scenario, ending: str | None, expect_path: list[str] | None) -> list[str]:
    """What is wrong with a rehearsal's `expect_ending` and `expect_path` for this scenario: [] when each
    names an ending or a node of it (None: not given)."""
    problems = []
    endings = [n for n, node in scenario.nodes.items() if node.ending is not None]
    if ending is not None and ending not in endings:
        problems.append(
            f"expect_ending '{ending}' is not an ending of this scenario"
            f"{did_you_mean(ending, endings)}; its endings are {', '.join(endings)}"
        )
    for node in expect_path or []:
        if node not in scenario.nodes:
            hint = did_you_mean(node, scenario.nodes)
            problems.append(f"expect_path names '{node}', which is not a node{hint}")
    return problems


@dataclass
class CheckResult:
    """The outcome of one rehearsal under `--check`: passed when `problems` is empty."""

    rehearsal: Rehearsal
    played: Played | None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _explain_turn(turn: Turn) -> str:
    present = ", ".join(turn.present()) or "no signal"
    cues = f"; cues {', '.join(turn.cues)}" if turn.cues else ""
    return (
        f"at '{turn.node}' the reply \"{_short(turn.reply, 60)}\" scored {present} "
        f"({format_scores(turn.scores)}){cues}; {turn.rule} went to '{turn.goto}'"
    )


def check_rehearsal(rehearser: Rehearser, rehearsal: Rehearsal) -> CheckResult:
    """Play one rehearsal and compare the ending (and the path, when given) with what it expects."""
    scenario = rehearser.scenario
    result = CheckResult(rehearsal, None)
    result.problems += id_problems(scenario, rehearsal.expect_ending, rehearsal.expect_path)
    if result.problems:
        return result
    try:
        played = rehearser.play(rehearsal.replies)
    except RehearsalError as exc:
        result.problems.append(str(exc))
        return result
    result.played = played
    actual = played.path
    expected = rehearsal.expect_path
    if expected is not None and actual != expected:
        pairs = zip(expected, actual, strict=False)
        step = next((i for i, (a, b) in enumerate(pairs) if a != b), min(len(expected), len(actual)))
        diff = [f"the path differs from step {step + 1}:",
                "      expected: " + " > ".join(expected),
                "      actual:   " + " > ".join(actual)]
        if 0 < step <= len(played.turns):
            diff.append("      " + _explain_turn(played.turns[step - 1]))
        result.problems.append("\n".join(diff))
    if played.ending is None:
        result.problems.append(
            f"the replies ran out at '{played.last_node}' before an ending "
            f"(expected '{rehearsal.expect_ending}')"
        )
    elif played.ending.node != rehearsal.expect_ending:
        problem = f"ended at '{played.ending.node}', expected '{rehearsal.expect_ending}'"
        if expected is None:  # without an expected path, show where the road went
            problem += "; path: " + " > ".join(actual)
        result.problems.append(problem)
    if played.unused:
        result.problems.append(
            f"{played.unused} repl{'y' if played.unused == 1 else 'ies'} left over after the ending "
            f"'{played.last_node}' (remove them, or the rehearsal is not testing what it says)"
        )
    return result


def format_check(result: CheckResult) -> str:
    """PASS/FAIL with the rehearsal's name and place, then each problem indented."""
    r = result.rehearsal
    if result.ok:
        return f"PASS {r.name} -> {r.expect_ending}"
    lines = [f"FAIL {r.name} ({r.where})"]
    lines += ["  - " + p for p in result.problems]
    return "\n".join(lines)


def uncovered_endings(scenario: Scenario, results: Sequence[CheckResult]) -> list[str]:
    """The endings no passing rehearsal reaches (every ending should have one)."""
    reached = {r.rehearsal.expect_ending for r in results if r.ok}
    return [n for n, node in scenario.nodes.items() if node.ending is not None and n not in reached]
