"""Diagnostics: the problems `trainer validate` finds in a scenario file, each with a place and a code.

One table (`CODES`) holds every code the scenario layer can report, with its severity and a message
template in the manner of Yarn Spinner ("Jump to undefined node '{0}'"). The codes are stable: they are
documented in scenarios/README.md and each has a test fixture in tests/fixtures/bad/<CODE>.yaml.

Used by the loader and the checks (which create diagnostics), and by the CLI and the app (which show
them). A diagnostic formats as `FILE:LINE:COL: CODE severity: message`, the shape editors and CI parse.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    error = "error"
    """The scenario cannot be played until this is fixed."""
    warning = "warning"
    """The scenario plays, but probably not as the author meant."""


@dataclass(frozen=True)
class Code:
    """One kind of problem: its stable code, severity, message template and a summary for the README."""

    code: str
    severity: Severity
    template: str
    """A `str.format` template filled with the details of one occurrence."""
    summary: str
    """What the problem is, in a few words, for the table in scenarios/README.md."""
    external: bool = False
    """Reported by a check outside the scenario layer (e.g. the scorer's), not by the loader itself."""


E, W = Severity.error, Severity.warning

_TABLE = [
    # Reading the file
    Code("SCN001", E, "this is not valid YAML: {problem}", "YAML syntax error"),
    Code("SCN002", E, "{problem}; a scenario is a mapping of fields such as `title:` and `nodes:`",
         "the file is empty or not a mapping"),
    Code("SCN003", E, "a tab is used for indentation{more}; YAML allows only spaces: indent with spaces",
         "tab used for indentation"),
    Code("SCN004", E, "cannot read this file: {problem}", "file missing, unreadable or not UTF-8"),
    Code("SCN005", E, "'{key}' is written twice here (first at line {first_line}); each key may appear "
         "once: {advice}", "the same key written twice (e.g. two nodes with one id)"),
    Code("SCN006", E, "the file is too big to read: {problem}",
         "aliases that expand too far (\"billion laughs\"), or a file past a million items"),
    Code("SCN007", E, "this is nested more than {limit} levels deep (mappings and lists inside each other), "
         "too deep to read; a scenario needs about a dozen levels: split the condition or the data into "
         "flatter parts (e.g. `all:` or `any:` lists instead of `not:` inside `not:`)",
         "nesting too deep to read"),
    Code("SCN008", E, "{what} is here, invisible in most editors; YAML does not allow it: delete it (put "
         "the cursor just after it and press Backspace) or type a space or a new line instead{more}",
         "an invisible control character, e.g. a vertical tab from Word's Shift+Enter"),
    Code("SCN009", W, "{what} is here, invisible in most editors; it shows as nothing but splits or joins "
         "words for the scorer and screen readers: delete it{more}",
         "an invisible formatting character in the text, e.g. a zero-width space from a web page"),
    # The format version
    Code("SCN010", E, "`schema_version` is missing; start the file with `schema_version: 1`",
         "schema_version missing"),
    Code("SCN011", E, "`schema_version: {found}` is not supported; this version of trainer reads "
         "`schema_version: {supported}`", "schema_version not supported"),
    Code("SCN012", E, "YAML read `{text}` as {read_as}, but text is expected here; put it in quotes: "
         "\"{text}\"", "a value YAML misread (yes/no/on/off, numbers, dates) where text was expected"),
    Code("SCN013", W, "YAML reads ' {lost}' as a comment (a space then '#' starts one), so this text ends "
         "before it and the rest is lost; put the whole text in quotes: \"{full}\"",
         "a '#' in the middle of unquoted text, read as a comment"),
    Code("SCN014", W, "this file's id '{id}' (a scenario's id is its file name) is also the id of the "
         "bundled scenario {bundled}, which is a different scenario; sessions, exports and the cohort "
         "report know a scenario by its id, so the two would be mixed up: rename the file (e.g. "
         "{suggestion})",
         "a file whose id (file name) is a bundled scenario's, holding another scenario"),
    # The shape of the data (checked against the schema)
    Code("SCN020", E, "unknown key '{key}'{suggestion}; allowed here: {allowed}", "unknown key"),
    Code("SCN021", E, "`{key}` is missing: {doc}", "a required field is missing"),
    Code("SCN022", E, "{problem}", "a value of the wrong type or not allowed"),
    Code("SCN023", E, "'{value}' is not a valid id{why}: an id starts with a letter and uses only ASCII "
         "letters (a-z, A-Z, no accents), digits, _ and - (at most 64 characters)", "invalid id"),
    Code("SCN024", E, "{problem}; write one test, e.g. `{{signal: empathy}}`, `{{var: trust, min: 6}}` or "
         "`{{not: {{signal: purpose}}}}`", "a malformed condition"),
    # The graph of nodes
    Code("SCN030", E, "goes to node '{target}', which does not exist{suggestion}",
         "transition to an undefined node"),
    Code("SCN031", E, "the start node '{target}' does not exist{suggestion}", "start node undefined"),
    Code("SCN032", E, "this node can never be reached from the start node '{start}': add a transition to "
         "it or remove it", "unreachable node"),
    Code("SCN033", E, "this ending can never be reached from the start node '{start}': add a transition "
         "to it or remove it", "unreachable ending"),
    Code("SCN034", E, "this node has no way out: add a `default:` with a `goto`, or make it an `ending:`",
         "a node with no way out that is not an ending"),
    Code("SCN035", W, "this node is an ending, so its {fields} never used (the conversation stops here); "
         "remove {them} or remove `ending:`", "an ending that also has responses, options or default"),
    Code("SCN036", E, "`input: options` asks the learner to pick an option, but this node has no `options`",
         "options-only node with no options"),
    Code("SCN037", W, "with `input: free` these options are never shown: remove them or write "
         "`input: both`", "options on a free-text node"),
    Code("SCN038", E, "no ending can be reached from this node: every path from here loops back; add a "
         "transition towards an ending", "a node from which no ending can be reached"),
    Code("SCN039", W, "this node expects {signals} but has no `model_answers`: when a learner misses this "
         "moment the debrief will have no model answer to show; add one or two under `model_answers:`",
         "a node that `expect`s a skill but has no model answer for the debrief"),
    # Names used in conditions, effects and expect
    Code("SCN040", E, "unknown signal '{name}'{suggestion}; the signals are: {known}", "unknown signal"),
    Code("SCN041", E, "unknown cue '{name}'{suggestion}; {known}", "unknown cue"),
    Code("SCN042", E, "unknown variable '{name}'{suggestion}; {known}", "unknown variable in a condition"),
    Code("SCN043", E, "the effect changes unknown variable '{name}'{suggestion}; {known}",
         "unknown variable in effects"),
    Code("SCN044", E, "`expect` names unknown signal '{name}'{suggestion}; the signals are: {known}",
         "unknown signal in expect"),
    Code("SCN045", E, "`{field}: {value}` is outside 0-1: a signal's score runs from 0 to 1 (0.5 means "
         "present)", "signal min/max outside 0-1"),
    Code("SCN046", W, "this condition can never hold: {why}", "a condition that can never hold"),
    # Acting on risk (trainer/scenario/risk.py)
    Code("SCN050", W, "after this disclosure ({disclosure}) the built ending '{ending}' can be reached "
         "without a reply that acts on the risk: {route}; make the rules towards it require the safe reply "
         "(cues: {cues}), e.g. `{example}`", "a built ending reachable from a disclosure of risk without "
         "the safe reply"),
    Code("SCN052", W, "this line discloses risk ({kind}: \"{words}\") but node '{node}' has no `risk:` "
         "mark, so nothing asks the learner to act on it; mark the node with `risk: {{disclosure: ..., "
         "safe_reply: [...]}}` naming the cues a safe reply must match (e.g. telling your manager today, "
         "a plan for tonight), and make the rules towards a built ending require them",
         "a line that discloses risk on a node with no `risk:` mark"),
    Code("SCN053", W, "this cue {why}, but a reply that says its words only to refuse or deny them (\"I "
         "won't {phrase}\", \"I'm not going to ...\", \"... but I shouldn't\") matches it too, and takes the "
         "same road; write `negated: ignore` under it so that such a reply does not, or `negated: match` "
         "when its words are the fault however they are said", "a cue that hears an act, with no word on "
         "how a reply refusing that act counts (`negated`)"),
    # Checks from outside the scenario layer
    Code("SCN051", E, "unknown placeholder '{{{name}}}'{suggestion}; a `say` line, an option or a model "
         "answer may use {known} (the learner's name, e.g. `{{learner|love}}` with a fallback)",
         "unknown placeholder in a `say` line, an option or a model answer"),
    Code("SCN070", E, "spaCy cannot use this cue {what}: {problem}",
         "a cue pattern or phrase spaCy cannot use (checked by the scorer)", external=True),
    Code("SCN071", W, "cue patterns were not checked: {reason}", "cue patterns could not be checked (no "
         "scorer model)", external=True),
]

CODES: dict[str, Code] = {c.code: c for c in _TABLE}


@dataclass(frozen=True)
class Diagnostic:
    """One problem at one place in one file.

    `line` and `col` are 1-based, or None when no position is known (e.g. a file that cannot be read).
    `path` names the place by ids, e.g. "node 'greet' > response 2 > goto" ("" for the whole file).
    """

    file: Path
    line: int | None
    col: int | None
    code: str
    severity: Severity
    message: str
    path: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.error

    def format(self) -> str:
        """`FILE:LINE:COL: CODE severity: path: message`, as editors and CI parse it."""
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}:{self.col if self.col is not None else 1}"
        at = f"{self.path}: " if self.path else ""
        text = f"{where}: {self.code} {self.severity}: {at}{self.message}"
        # One diagnostic, one line, whatever a quoted key, id or file name holds (\r, U+2028, ...).
        parts = text.splitlines()
        return " ".join(parts) if len(parts) > 1 else text

    def sort_key(self) -> tuple[str, int, int, str]:
        return (str(self.file), self.line or 0, self.col or 0, self.code)


class _Fields(dict[str, object]):
    # A field a caller forgot shows as {name} in the message, rather than crashing the whole validation.
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def make(
    code: str,
    file: Path,
    line: int | None = None,
    col: int | None = None,
    path: str = "",
    note: str = "",
    **fields: object,
) -> Diagnostic:
    """A diagnostic of a code from the table, its message filled from `fields`.

    `note` is added after the message, e.g. to say which enclosing key a position belongs to.
    """
    entry = CODES[code]
    message = entry.template.format_map(_Fields(fields))
    if note:
        message += f" ({note})"
    # One diagnostic, one line (as editors and CI read them), whatever text a message quotes.
    message = " ".join(message.splitlines()) if "\n" in message or "\r" in message else message
    return Diagnostic(file=file, line=line, col=col, code=code, severity=entry.severity, message=message,
                      path=path)


def summary(diagnostics: list[Diagnostic], files: int) -> str:
    """One line for the end of a run: "2 files, 1 error, 0 warnings"."""
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors

    def n(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    return f"{n(files, 'file')}, {n(errors, 'error')}, {n(warnings, 'warning')}"
