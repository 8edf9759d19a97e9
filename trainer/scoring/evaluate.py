"""Reading labelled replies and measuring the scorer against them.

Labelled lines are JSON `{"text", "context"?, "labels": [...], "acts"?: [...], "act"?, "setting"?}` (see
models/README.md). `act` is one of `api.ACTS`, or one of the real dev set's MITI codes (`reflection`,
`question`, `therapist_input` with `subtype`, `other`), which are kept as an act *family* (see `family`).
`read_labelled` collects problems with file:line instead of stopping; `evaluate` computes, per signal,
precision, recall, F1, Cohen's kappa and support, plus the macro average, and keeps the misses for
`trainer eval --errors`.

Used by `trainer eval`, the model build (dev-split report) and `trainer.scoring.bench`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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

    def format(self) -> str:
        return f"{self.source}: {self.message}"


def parse_labelled(line: str, source: str) -> Labelled:
    """Parse one JSON line; raises ValueError with a learner-readable message."""
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(raw, dict):
        raise ValueError('each line must be a JSON object like {"text": "...", "labels": ["empathy"]}')
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError('"text" must be a non-empty string')
    context = raw.get("context")
    if context is not None and not isinstance(context, str):
        raise ValueError('"context" must be a string when given')
    labels = raw.get("labels")
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
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(str(path), f"cannot read the file ({exc.__class__.__name__}: {exc})"))
            continue
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                items.append(parse_labelled(line, f"{path}:{number}"))
            except ValueError as exc:
                problems.append(Problem(f"{path}:{number}", str(exc)))
    return items, problems


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
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def kappa(self) -> float:
        """Cohen's kappa between the labels and the scorer (agreement beyond chance)."""
        n = self.tp + self.fp + self.fn + self.tn
        if not n:
            return 0.0
        observed = (self.tp + self.tn) / n
        yes = ((self.tp + self.fp) / n) * ((self.tp + self.fn) / n)
        no = ((self.tn + self.fn) / n) * ((self.tn + self.fp) / n)
        expected = yes + no
        return (observed - expected) / (1 - expected) if expected < 1 else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "kappa": round(self.kappa, 4),
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

    def macro(self, attr: str) -> float:
        values = [float(getattr(r, attr)) for r in self.signals.values()]
        return sum(values) / len(values) if values else 0.0

    def as_dict(self, errors: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "n": self.n,
            "signals": {s: r.as_dict() for s, r in self.signals.items()},
            "macro": {k: round(self.macro(k), 4) for k in ("precision", "recall", "f1", "kappa")},
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
            rows.append(f"{s:<12}{r.precision:>10.3f}{r.recall:>8.3f}{r.f1:>7.3f}{r.kappa:>7.3f}{r.support:>9}")
        rows.append(
            f"{'macro':<12}{self.macro('precision'):>10.3f}{self.macro('recall'):>8.3f}"
            f"{self.macro('f1'):>7.3f}{self.macro('kappa'):>7.3f}{self.n:>9}"
        )
        return "\n".join(rows)


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
