"""Measuring the act layer: per-act figures, act families, and empathy read as "a reflection".

    report = act_report(items, assessments)      # items: evaluate.Labelled, same order as assessments
    print(report.table())                        # empty string when no item carries an act

Two levels, because the data comes in two kinds:
- own data (`act` one of api.ACTS): main-act accuracy, precision/recall/F1 per act, and the confusion
  between the main acts (gold rows, predicted columns);
- every item with a family (own acts or the real dev set's MITI codes, see `evaluate.family`): per-family
  P/R/F1 where MITI's "therapist input" is matched by advice or information, the family confusion,
  and empathy-as-reflection: the empathy signal scored against "the main act is a reflection", with the
  share of questions, advice and information that the scorer calls empathy (targets on the real dev set:
  F1 >= 0.80 and <= 10% each, see models/README.md).

Used by `trainer eval`, `trainer.scoring.bench` and the model build's dev report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from trainer.scoring.api import ACTS, Assessment
from trainer.scoring.evaluate import FAMILIES, Labelled, family

PREDICTED_FAMILIES = ("reflection", "question", "advice", "information", "other")
"""The families a main act of ours falls into (`evaluate.family`): all of FAMILIES but MITI's "input"."""
CALLED_EMPATHY = ("question", "advice", "information")
"""The families whose share called empathy is reported (the issue's "<= 10% each")."""


@dataclass
class Prf:
    """Counts for one class, one-vs-rest."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

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

    def as_dict(self) -> dict[str, Any]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "support": self.support}


@dataclass
class ActReport:
    """Act figures over a set of labelled replies (see the module docstring)."""

    n_acts: int = 0
    """Items labelled with one of our acts."""
    correct: int = 0
    acts: dict[str, Prf] = field(default_factory=lambda: {a: Prf() for a in ACTS})
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    n_family: int = 0
    family_correct: int = 0
    families: dict[str, Prf] = field(default_factory=dict)
    family_confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    empathy: Prf = field(default_factory=Prf)
    """Empathy signal present vs the main act's family is "reflection"."""
    called_empathy: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Per family in CALLED_EMPATHY: (called empathy, total)."""
    called_mixed: Counter[str] = field(default_factory=Counter)
    """Per family in CALLED_EMPATHY: how many of those called empathy hold a sentence scored a reflection
    beside a sentence of another act (`mixed_turn`): a turn MITI codes twice, a reflection and a question
    say, where a corpus with one code per turn gives only one."""

    @property
    def accuracy(self) -> float:
        return self.correct / self.n_acts if self.n_acts else 0.0

    @property
    def family_accuracy(self) -> float:
        return self.family_correct / self.n_family if self.n_family else 0.0

    def macro_f1(self) -> float:
        """Macro F1 over the acts that occur in the gold labels."""
        seen = [r.f1 for r in self.acts.values() if r.support]
        return sum(seen) / len(seen) if seen else 0.0

    def share_called_empathy(self, fam: str) -> float:
        called, total = self.called_empathy.get(fam, (0, 0))
        return called / total if total else 0.0

    def share_called_mixed(self, fam: str) -> float:
        """The share of the family's items called empathy that are mixed turns (`called_mixed`)."""
        total = self.called_empathy.get(fam, (0, 0))[1]
        return self.called_mixed[fam] / total if total else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "n_acts": self.n_acts,
            "act_accuracy": round(self.accuracy, 4),
            "act_macro_f1": round(self.macro_f1(), 4),
            "acts": {a: r.as_dict() for a, r in self.acts.items() if r.support or r.fp},
            "n_family": self.n_family,
            "family_accuracy": round(self.family_accuracy, 4),
            "families": {f: r.as_dict() for f, r in self.families.items()},
            "empathy_as_reflection": self.empathy.as_dict(),
            "called_empathy": {f: round(self.share_called_empathy(f), 4) for f in self.called_empathy},
            "called_empathy_mixed": {f: round(self.share_called_mixed(f), 4) for f in self.called_empathy},
        }

    def table(self) -> str:
        """Plain-text tables for the terminal; "" when nothing carried an act."""
        out: list[str] = []
        if self.n_acts:
            out.append(f"main act: accuracy {self.accuracy:.3f}, macro F1 {self.macro_f1():.3f} "
                       f"({self.n_acts} replies)")
            out.append(f"{'act':<20}{'precision':>10}{'recall':>8}{'F1':>7}{'support':>9}")
            for a, r in self.acts.items():
                if r.support or r.fp:
                    out.append(f"{a:<20}{r.precision:>10.3f}{r.recall:>8.3f}{r.f1:>7.3f}{r.support:>9}")
            out.append("")
            out.append(_confusion(self.confusion, "gold act \\ scored"))
        if self.n_family:
            if out:
                out.append("")
            out.append(f"act family: accuracy {self.family_accuracy:.3f} ({self.n_family} replies; "
                       "MITI therapist input = advice or information)")
            out.append(f"{'family':<20}{'precision':>10}{'recall':>8}{'F1':>7}{'support':>9}")
            for f, r in self.families.items():
                out.append(f"{f:<20}{r.precision:>10.3f}{r.recall:>8.3f}{r.f1:>7.3f}{r.support:>9}")
            out.append("")
            out.append(_confusion(self.family_confusion, "gold family \\ scored"))
            out.append("")
            e = self.empathy
            out.append(f"empathy as reflection: precision {e.precision:.3f}  recall {e.recall:.3f}  "
                       f"F1 {e.f1:.3f}  (support {e.support})")
            shares = "  ".join(
                f"{f} {self.share_called_empathy(f):.1%} (of {self.called_empathy[f][1]})"
                for f in CALLED_EMPATHY if self.called_empathy.get(f, (0, 0))[1]
            )
            if shares:
                out.append(f"called empathy: {shares}")
                mixed = "  ".join(f"{f} {self.share_called_mixed(f):.1%}" for f in CALLED_EMPATHY
                                  if self.called_empathy.get(f, (0, 0))[1])
                out.append(f"  of which a sentence scored a reflection beside another act's: {mixed}")
        return "\n".join(out)


def _confusion(counts: Counter[tuple[str, str]], title: str, limit: int = 9) -> str:
    totals: Counter[str] = Counter()
    for (g, _p), n in counts.items():
        totals[g] += n
    rows_l = sorted(totals, key=lambda g: -totals[g])[:limit]
    pred_totals: Counter[str] = Counter()
    for (_g, p), n in counts.items():
        pred_totals[p] += n
    cols = sorted(set(rows_l) | set(pred_totals), key=lambda p: (-(totals[p] + pred_totals[p]), p))[:limit]
    short = {c: _abbrev(c) for c in cols}
    lines = [f"{title:<22}" + "".join(f"{short[c]:>8}" for c in cols)]
    for g in rows_l:
        lines.append(f"{g:<22}" + "".join(f"{counts.get((g, c), 0):>8}" for c in cols))
    return "\n".join(lines)


def _abbrev(name: str) -> str:
    parts = name.split("_")
    if len(parts) == 2:
        return (parts[0][:4] + "_" + parts[1][:2])[:7]
    return name[:6]


def act_report(items: Sequence[Labelled], assessments: Sequence[Assessment]) -> ActReport:
    """Compare the scored acts with the labelled ones (same order). Items without an act are skipped."""
    report = ActReport()
    has_input = any(x.family == "input" for x in items)  # gold only: never predicted (PREDICTED_FAMILIES)
    report.families = {f: Prf() for f in FAMILIES if f in PREDICTED_FAMILIES or has_input}
    for item, a in zip(items, assessments, strict=True):
        predicted = a.main_act or "other"
        if item.act is not None:
            report.n_acts += 1
            report.correct += predicted == item.act
            report.confusion[(item.act, predicted)] += 1
            for act, r in report.acts.items():
                if predicted == act and item.act == act:
                    r.tp += 1
                elif predicted == act:
                    r.fp += 1
                elif item.act == act:
                    r.fn += 1
        if item.family is None:
            continue
        report.n_family += 1
        pf = family(predicted) or "other"
        gold = item.family
        hit = pf == gold or (gold == "input" and pf in ("advice", "information"))
        report.family_correct += hit
        report.family_confusion[(gold, pf)] += 1
        for f, r in report.families.items():
            if f == "input":  # never predicted as such: matched through advice or information
                r.tp += gold == f and hit
                r.fn += gold == f and not hit
            elif pf == f and gold == f:
                r.tp += 1
            elif pf == f and not (gold == "input" and hit):
                r.fp += 1
            elif gold == f:
                r.fn += 1
        empathic = "empathy" in a.present()
        reflection = gold == "reflection"
        if empathic and reflection:
            report.empathy.tp += 1
        elif empathic:
            report.empathy.fp += 1
        elif reflection:
            report.empathy.fn += 1
        if gold in CALLED_EMPATHY:
            called, total = report.called_empathy.get(gold, (0, 0))
            report.called_empathy[gold] = (called + empathic, total + 1)
            report.called_mixed[gold] += empathic and mixed_turn(a)
    return report


def mixed_turn(assessment: Assessment) -> bool:
    """Whether a reply holds a sentence scored a reflection and one scored an act other than a reflection
    or "other" ("So you're halfway there. What made it a five?": a reflection, then an open question)."""
    labels = {act.label for act in assessment.acts}
    reflections = {a for a in labels if family(a) == "reflection"}
    return bool(reflections) and bool(labels - reflections - {"other"})
