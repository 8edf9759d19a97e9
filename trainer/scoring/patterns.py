"""The rules as data: reading and checking `models/patterns/<signal>.jsonl`.

Each line of a pattern file is one rule (or one exception) in JSON:

    {"id": "secrecy", "signal": "overstep", "kind": "rule",
     "reason": "'{text}' promises secrecy you cannot keep if someone is at risk",
     "negation": "flip", "negated": {"signal": "boundaries", "reason": "..."},
     "phrases": ["keep it between us"], "patterns": [[{"NORM": "keep"}, ...]]}

- `kind` is "rule" (marks the signal) or "exception" (cancels the hits of the signals in `cancels` that
  overlap it: how practical apologies such as "sorry, could you say that again?" stop counting as sympathy).
- `reason` is shown to the learner; `{text}` becomes the words matched.
- `negation` says what a negator just before the match does: "ignore", "cancel" (drop the hit) or "flip"
  (the hit becomes `negated.signal` with `negated.reason`: "I can't keep it secret" states a boundary).
- `qualifiers` (optional, lower-case words) flip a "flip" rule, or cancel a "cancel" one, when they follow
  its words in the sentence (a "flip" rule also takes the pipeline's own, "unless" and "except"): "I'll
  take the chocolates *to the office* and *record* them" hands a gift in, which is the frame; "Scared of
  him *or* of the police?" offers a choice, which is a question, not a feeling guessed.
- `phrases` are matched case-insensitively on normalised tokens ("I'm" also matches "I am");
  `patterns` are spaCy Matcher token patterns.
- `not_before` (optional, lower-case NORMs): the match does not hold when the word right after it is one of
  these. "I won't tell Craig" keeps a secret from the one she is afraid of, which a worker can keep; "I won't
  tell Craig *or* anyone" is the promise of secrecy again (`not_telling_them`).
- `withdraws` (optional, a list of signals) says what the sentence holding a hit cannot carry, whatever
  the classifier reads in it: a comfort cliché is never a reflection (`["empathy"]`), collusion never
  states the frame (`["boundaries"]`). Applied by `trainer.scoring.cautions.settle_withdrawals`.
  An exception may withdraw signals it cancels, from its sentence, when no rule found them in the reply:
  "I'm sorry nobody told you I was coming" (`agency_apology`) owns a failure, whatever the classifier
  makes of "sorry". Only exceptions that are never said with the signal should: "I mean" is not one.

Used by the rules component (`trainer.scoring.components`) and the model build.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from trainer.scoring.api import SIGNALS

KINDS = ("rule", "exception")
NEGATIONS = ("ignore", "cancel", "flip")


class PatternError(ValueError):
    """A pattern file line that cannot be used, with where it is."""

    def __init__(self, path: str, line: int, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path}:{line}: {message}")


def check_rule(raw: Any, where: str = "<rule>", line: int = 0) -> dict[str, Any]:
    """Check one rule (a parsed JSON line) and return it with defaults filled in.

    Raises PatternError naming `where:line` and the problem.
    """

    def fail(message: str) -> PatternError:
        return PatternError(where, line, message)

    if not isinstance(raw, dict):
        raise fail("a rule is a JSON object")
    known = {"id", "signal", "kind", "reason", "negation", "negated", "cancels", "phrases", "patterns",
             "withdraws", "qualifiers", "not_before"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise fail(f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(known))}")
    rule: dict[str, Any] = dict(raw)
    if not isinstance(rule.get("id"), str) or not rule["id"].strip():
        raise fail("every rule needs an 'id' (a short name)")
    if rule.get("signal") not in SIGNALS:
        raise fail(f"'signal' must be one of {', '.join(SIGNALS)} (got {rule.get('signal')!r})")
    rule.setdefault("kind", "rule")
    if rule["kind"] not in KINDS:
        raise fail(f"'kind' must be one of {', '.join(KINDS)}")
    if not isinstance(rule.get("reason"), str) or not rule["reason"].strip():
        raise fail("every rule needs a learner-facing 'reason'")
    if rule["kind"] == "exception":
        cancels = rule.setdefault("cancels", [rule["signal"]])
        if not isinstance(cancels, list) or not all(c in SIGNALS for c in cancels):
            raise fail(f"'cancels' is a list of signals ({', '.join(SIGNALS)})")
        rule["negation"] = "ignore"
    else:
        rule.setdefault("negation", "ignore")
        if rule["negation"] not in NEGATIONS:
            raise fail(f"'negation' must be one of {', '.join(NEGATIONS)}")
        if rule["negation"] == "flip":
            negated = rule.get("negated")
            ok = isinstance(negated, dict) and negated.get("signal") in SIGNALS and negated.get("reason")
            if not ok:
                raise fail("a rule with negation 'flip' needs 'negated': {\"signal\": ..., \"reason\": ...}")
    qualifiers = rule.setdefault("qualifiers", [])
    if not isinstance(qualifiers, list) or not all(isinstance(q, str) and q == q.lower().strip() and q
                                                   for q in qualifiers):
        raise fail("'qualifiers' is a list of lower-case words")
    if qualifiers and rule["negation"] not in ("flip", "cancel"):
        raise fail("'qualifiers' flip or cancel a rule: give it \"negation\": \"flip\" or \"cancel\"")
    not_before = rule.setdefault("not_before", [])
    if not isinstance(not_before, list) or not all(isinstance(w, str) and w == w.lower().strip() and w
                                                    for w in not_before):
        raise fail("'not_before' is a list of lower-case words (NORMs)")
    withdraws = rule.setdefault("withdraws", [])
    if rule["kind"] == "exception":  # an exception withdraws what it cancels, from its own sentence
        if not isinstance(withdraws, list) or not all(w in rule["cancels"] for w in withdraws):
            raise fail(f"an exception withdraws only signals it cancels ({', '.join(cancels)})")
    elif not isinstance(withdraws, list) or not all(w in SIGNALS and w != rule["signal"] for w in withdraws):
        raise fail(f"'withdraws' is a list of other signals ({', '.join(SIGNALS)})")
    phrases = rule.setdefault("phrases", [])
    patterns = rule.setdefault("patterns", [])
    if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
        raise fail("'phrases' is a list of non-empty strings")
    if not isinstance(patterns, list) or not all(isinstance(p, list) and p for p in patterns):
        raise fail("'patterns' is a list of token patterns (each a non-empty list of token objects)")
    if not phrases and not patterns:
        raise fail("a rule needs at least one phrase or pattern")
    return rule


def load_patterns(directory: Path) -> list[dict[str, Any]]:
    """Read every `*.jsonl` in `directory` (sorted by name), checked.

    Raises PatternError on the first bad line.
    """
    if not directory.is_dir():
        raise PatternError(str(directory), 0, "no such folder of pattern files")
    rules: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.jsonl")):
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not text.strip():
                continue
            try:
                raw = json.loads(text)
            except json.JSONDecodeError as exc:
                message = f"not valid JSON ({exc.msg}, column {exc.colno})"
                raise PatternError(str(path), number, message) from None
            rule = check_rule(raw, str(path), number)
            if rule["id"] in seen:
                message = f"rule id {rule['id']!r} already used in {seen[rule['id']]}"
                raise PatternError(str(path), number, message)
            seen[rule["id"]] = f"{path.name}:{number}"
            rules.append(rule)
    return rules
