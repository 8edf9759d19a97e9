"""Reading labelled replies and measuring the scorer against them.

Labelled lines are JSON `{"text", "context"?, "labels": [...], "acts"?: [...], "act"?, "setting"?}` (see
models/README.md). `act` is one of `api.ACTS`, or one of the real dev set's MITI codes (`reflection`,
`question`, `therapist_input` with `subtype`, `other`), which are kept as an act *family* (see `family`).
`read_labelled` collects problems with file:line instead of stopping (a line that is not UTF-8 is one
problem, the rest of the file is still read; a byte-order mark is dropped, as `trainer score` does, via
trainer.textnorm); `evaluate` computes, per signal, precision, recall, F1, Cohen's kappa and support, plus
the macro average, and keeps the misses for `trainer eval --errors`. A signal no line is labelled with
(support 0) cannot be measured: its figures are None (shown "-", JSON null) and the macro average leaves
it out (`Report.measured` says which signals it covers).

Used by `trainer eval`, the model build (dev-split report) and `trainer.scoring.bench`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainer import textnorm
from trainer.jsonfields import field_hint
from trainer.scoring.api import ACTS, SIGNALS, THRESHOLD, Assessment

FAMILIES: tuple[str, ...] = ("reflection", "question", "advice", "information", "input", "other")
"""Act families, the level at which own acts and the real dev set's MITI codes meet: "input" is MITI's
therapist input of an unknown or other kind (negotiation, options), matched by advice or information."""

MITI_CODES = ("reflection", "question", "therapist_input", "other")


def family(act: str | None, subtype: str | None = None) -> str | None:
    """The family of an act of ours (`reflection_simple` -> "reflection", `sympathy` -> "other") or of a
    MITI code with its subtype (`therapist_input`/`advice` -> "advice"); None for None."""
    if act is None:
        return None
    if act.startswith("reflection"):
        return "reflection"
    if act.startswith("question"):
        return "question"
    if act in ("advice", "information"):
        return act
    if act == "therapist_input":
        return subtype if subtype in ("advice", "information") else "input"
    return "other"


@dataclass(frozen=True)
class Labelled:
    """One labelled reply and where it came from."""

    text: str
    context: str | None
    labels: frozenset[str]
    source: str
    """file:line"""
    acts: tuple[str, ...] = ()
    """The acts of the reply's sentences, in order (of ACTS), when labelled."""
    act: str | None = None
    """The reply's main act (of ACTS), when labelled with our acts."""
    family: str | None = None
    """The main act's family (of FAMILIES), from `act` or from a MITI code."""


@dataclass(frozen=True)
class Problem:
    """A line that could not be used."""

    source: str
    message: str
    skipped: str = "line"
    """What was left out because of it: "line", or "file" when the file could not be opened."""

    def format(self) -> str:
        return f"{self.source}: {self.message}"


LABELLED_FIELDS = ("text", "context", "labels", "acts", "act", "subtype")
"""The fields of a labelled line: a misspelling is suggested only for one of these that is missing."""


def _no_field(raw: dict[str, Any], field: str) -> str:
    hint = field_hint(raw, (field,), known=LABELLED_FIELDS)  # {"label": [...]}: "labels" misspelt
    return f'no "{field}" field' + (f" ({hint})" if hint else "")


def parse_labelled(line: str, source: str) -> Labelled:
    """Parse one JSON line; raises ValueError with a learner-readable message."""
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(raw, dict):
        raise ValueError('each line must be a JSON object like {"text": "...", "labels": ["empathy"]}')
    text = raw.get("text")
    if "text" not in raw:
        raise ValueError(_no_field(raw, "text"))
    if not isinstance(text, str) or not text.strip():
        raise ValueError('"text" must be a non-empty string')
    context = raw.get("context")
    if context is not None and not isinstance(context, str):
        raise ValueError('"context" must be a string when given')
    labels = raw.get("labels")
    if "labels" not in raw:
        example = 'e.g. "labels": ["empathy"] (it may be empty)'
        raise ValueError(f"{_no_field(raw, 'labels')}: give a list of signal names, {example}")
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        raise ValueError('"labels" must be a list of signal names (it may be empty)')
    unknown = sorted(set(labels) - set(SIGNALS))
    if unknown:
        raise ValueError(f"unknown label(s) {', '.join(unknown)}; the signals are {', '.join(SIGNALS)}")
    acts = raw.get("acts", [])
    if not isinstance(acts, list) or not all(isinstance(x, str) for x in acts):
        raise ValueError('"acts" must be a list of act names, one per sentence')
    bad = sorted(set(acts) - set(ACTS))
    if bad:
        raise ValueError(f"unknown act(s) {', '.join(bad)}; the acts are {', '.join(ACTS)}")
    act = raw.get("act")
    subtype = raw.get("subtype")
    if act is not None and (not isinstance(act, str) or act not in ACTS + MITI_CODES):
        raise ValueError(f'"act" must be one of {", ".join(ACTS)} (or a MITI code: {", ".join(MITI_CODES)})')
    fam = family(act, subtype if isinstance(subtype, str) else None) if act in ACTS + MITI_CODES else None
    miti = "subtype" in raw or act in MITI_CODES[:3]  # the real dev set's codes ("other" is in both)
    own = act if act in ACTS and not miti else None
    return Labelled(text, context or None, frozenset(labels), source, tuple(acts), own, fam)


def read_labelled(paths: Iterable[Path]) -> tuple[list[Labelled], list[Problem]]:
    """All usable lines of the files, in order, and the problems found (blank lines are skipped)."""
    items: list[Labelled] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(str(path), f"cannot read the file ({exc.strerror or exc})", "file"))
            continue
        # Lines as an editor numbers them, each decoded on its own: one bad byte costs one line.
        raw_lines = _BYTE_LINES.split(data)
        if raw_lines and raw_lines[-1] == b"":
            raw_lines.pop()
        for number, raw in enumerate(raw_lines, start=1):
            source = f"{path}:{number}"
            try:
                line = textnorm.strip_bom(raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                problems.append(Problem(source, f"not UTF-8 text (byte {exc.start + 1}); save the file as "
                                        "UTF-8"))
                continue
            if textnorm.is_blank(line):
                continue
            try:
                items.append(parse_labelled(line, source))
            except ValueError as exc:
                problems.append(Problem(source, str(exc)))
    return items, problems


_BYTE_LINES = re.compile(rb"\r\n|\r|\n")


@dataclass
class SignalReport:
    """How well one signal is found."""

    signal: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    false_positives: list[tuple[Labelled, dict[str, float]]] = field(default_factory=list)
    false_negatives: list[tuple[Labelled, dict[str, float]]] = field(default_factory=list)

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def measured(self) -> bool:
        """False when no line is labelled with the signal: there is nothing to find, so no figure means
        anything (the false positives are still counted and listed)."""
        return self.support > 0

    @property
    def precision(self) -> float | None:
        """None when not measured; 0.0 when the scorer found the signal nowhere although it is labelled."""
        if not self.measured:
            return None
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float | None:
        return self.tp / self.support if self.measured else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def kappa(self) -> float | None:
        """Cohen's kappa between the labels and the scorer (agreement beyond chance); None when not
        measured."""
        n = self.tp + self.fp + self.fn + self.tn
        if not n or not self.measured:
            return None
        observed = (self.tp + self.tn) / n
        yes = ((self.tp + self.fp) / n) * ((self.tp + self.fn) / n)
        no = ((self.tn + self.fn) / n) * ((self.tn + self.fp) / n)
        expected = yes + no
        return (observed - expected) / (1 - expected) if expected < 1 else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "f1": _round(self.f1),
            "kappa": _round(self.kappa),
            "support": self.support,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class Report:
    """Per-signal reports and the macro average."""

    signals: dict[str, SignalReport]
    n: int

    @property
    def measured(self) -> list[str]:
        """The signals some line is labelled with: the ones the macro average covers."""
        return [s for s, r in self.signals.items() if r.measured]

    def macro(self, attr: str) -> float | None:
        """The mean of `attr` over the measured signals; None when none is measured."""
        values = [float(v) for r in self.signals.values() if (v := getattr(r, attr)) is not None]
        return sum(values) / len(values) if values else None

    def as_dict(self, errors: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "n": self.n,
            "signals": {s: r.as_dict() for s, r in self.signals.items()},
            "macro": {k: _round(self.macro(k)) for k in ("precision", "recall", "f1", "kappa")},
            "macro_signals": self.measured,
        }
        if errors:
            out["errors"] = {
                s: {
                    "false_positives": [_miss(x, sc) for x, sc in r.false_positives],
                    "false_negatives": [_miss(x, sc) for x, sc in r.false_negatives],
                }
                for s, r in self.signals.items()
            }
        return out

    def table(self) -> str:
        """A plain-text table for the terminal."""
        rows = [f"{'signal':<12}{'precision':>10}{'recall':>8}{'F1':>7}{'kappa':>7}{'support':>9}"]
        for s, r in self.signals.items():
            rows.append(f"{s:<12}{_cell(r.precision, 10)}{_cell(r.recall, 8)}{_cell(r.f1, 7)}"
                        f"{_cell(r.kappa, 7)}{r.support:>9}")
        rows.append(
            f"{'macro':<12}{_cell(self.macro('precision'), 10)}{_cell(self.macro('recall'), 8)}"
            f"{_cell(self.macro('f1'), 7)}{_cell(self.macro('kappa'), 7)}{self.n:>9}"
        )
        unmeasured = [s for s, r in self.signals.items() if not r.measured]
        if unmeasured:
            found = [f"{s} on {r.fp}" for s, r in self.signals.items() if not r.measured and r.fp]
            it, they = ("it", "it") if len(unmeasured) == 1 else ("they", "them")
            rows.append(
                f"- : no line is labelled {', '.join(unmeasured)}, so {it} cannot be measured here and the "
                f"macro row leaves {they} out (it covers {len(self.measured)} of {len(self.signals)} "
                "signals)."
                + (f" The scorer still found {', '.join(found)} line(s): see --errors." if found else "")
            )
        return "\n".join(rows)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _cell(value: float | None, width: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:>{width}.3f}"


def _miss(item: Labelled, scores: dict[str, float]) -> dict[str, Any]:
    return {
        "source": item.source,
        "text": item.text,
        "context": item.context,
        "labels": sorted(item.labels),
        "scores": scores,
    }


def evaluate(items: Sequence[Labelled], assessments: Sequence[Assessment]) -> Report:
    """Compare assessments (same order as items) with the labels."""
    reports = {s: SignalReport(s) for s in SIGNALS}
    for item, a in zip(items, assessments, strict=True):
        for s in SIGNALS:
            predicted = a.scores.get(s, 0.0) >= THRESHOLD
            gold = s in item.labels
            r = reports[s]
            if predicted and gold:
                r.tp += 1
            elif predicted:
                r.fp += 1
                r.false_positives.append((item, a.scores))
            elif gold:
                r.fn += 1
                r.false_negatives.append((item, a.scores))
            else:
                r.tn += 1
    return Report(reports, len(items))
