"""The scorer's Python API, as the TUI, the plain player, rehearsals and the CLI use it.

    scorer = Scorer.load()                     # once; loads models/scorer
    a = scorer.assess("It sounds like ...", context="the service user's last line")
    a.scores["empathy"]  -> 0.0-1.0 (0.5 and above means present)
    a.evidence           -> [Evidence(signal, start, end, text, source, reason), ...]
    a.as_mapping()       -> the plain mapping the engine takes

Scenario cues: `matcher = scorer.compile_cues(scenario.cues)` once per scenario (raises CueError naming the
bad cue), then `scorer.assess(text, context, cues=matcher)` fills `a.cues` with the ids matched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SIGNALS: tuple[str, ...] = ("empathy", "sympathy", "purpose", "boundaries", "overstep")
AGAINST: tuple[str, ...] = ("sympathy", "overstep")
"""The signals that count against the learner (pity, false reassurance, talk about oneself; the frame
crossed): shown as cautions, never as things done well."""
THRESHOLD = 0.5
MAX_CHARS = 5000
"""Replies longer than this are truncated before scoring, with a note saying so."""


@dataclass(frozen=True)
class Evidence:
    """The words that earned (or cost) a score."""

    signal: str
    start: int
    """Character offset into the reply."""
    end: int
    text: str
    source: str
    """What found it: "rule:<pattern id>", "classifier", "context:<how>" or "act:<act>" (a sentence whose
    dialogue act carries the signal)."""
    reason: str
    """One short learner-facing sentence, e.g. "'It sounds like' opens a reflection: you give back what you
    heard, tentatively"."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "signal": self.signal,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "source": self.source,
            "reason": self.reason,
        }


ACTS: tuple[str, ...] = (
    "reflection_simple",
    "reflection_complex",
    "question_open",
    "question_closed",
    "advice",
    "information",
    "reassurance",
    "self_disclosure",
    "sympathy",
    "affirmation",
    "structuring",
    "boundary",
    "overstep",
    "other",
)
"""The dialogue acts, after the MITI 4.2.1 behaviour codes (reflection simple/complex, question, giving
information, persuading/advice, affirm) and the relationship-based practice texts (sympathy and false
reassurance, self-disclosure, structuring the meeting, boundary statements and oversteps). Defined in
models/README.md."""


ACT_PRIORITY: tuple[str, ...] = (
    "overstep", "boundary", "reflection_complex", "reflection_simple", "sympathy", "reassurance",
    "self_disclosure", "advice", "structuring", "affirmation", "information", "question_open",
    "question_closed", "other",
)
"""A reply's main act is the first of its sentence acts in this order (the labelling guide's rule: the
act a practice educator would name first; an overstep anywhere is the main act)."""


@dataclass(frozen=True)
class Act:
    """The dialogue act of one sentence (or of a whole reply), with its span."""

    label: str
    """One of ACTS."""
    start: int
    """Character offset into the reply."""
    end: int
    text: str
    confidence: float
    """0-1."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "act": self.label,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "confidence": round(self.confidence, 4),
        }


@dataclass(frozen=True)
class Assessment:
    """The scorer's verdict on one reply."""

    text: str
    scores: dict[str, float]
    evidence: list[Evidence] = field(default_factory=list)
    cues: list[str] = field(default_factory=list)
    note: str | None = None
    """Set when the input was refused or truncated, e.g. "Only the first 5,000 characters were scored"."""

    acts: tuple[Act, ...] = ()
    """One act per sentence, in order. Empty until the scorer's act layer fills it."""

    def present(self) -> list[str]:
        """The signals at or above the threshold, in SIGNALS order."""
        return [s for s in SIGNALS if self.scores.get(s, 0.0) >= THRESHOLD]

    @property
    def main_act(self) -> str | None:
        """The reply's act as a whole: the most telling of its sentence acts, in the labelling guide's order
        (overstep, boundary, reflections, sympathy ... before questions and "other"; see
        ACT_PRIORITY), or None when no acts are known."""
        if not self.acts:
            return None
        rank = {act: i for i, act in enumerate(ACT_PRIORITY)}
        return min((a.label for a in self.acts), key=lambda label: rank.get(label, len(rank)))

    def as_mapping(self) -> dict[str, Any]:
        """The plain mapping the engine takes and the transcript stores."""
        return {
            "scores": dict(self.scores),
            "cues": list(self.cues),
            "evidence": [e.as_dict() for e in self.evidence],
            **({"acts": [a.as_dict() for a in self.acts]} if self.acts else {}),
            **({"note": self.note} if self.note else {}),
        }


class CueError(ValueError):
    """A scenario cue that cannot be compiled, with where it is, so the validator can point at the line.

    `field` is "phrases" or "patterns"; `index` is the 0-based position in that list.
    """

    def __init__(self, cue_id: str, field: str, index: int, message: str) -> None:
        self.cue_id, self.field, self.index, self.message = cue_id, field, index, message
        super().__init__(f"cue '{cue_id}' > {field} {index + 1}: {message}")


class ModelError(RuntimeError):
    """The scorer's pipeline is missing or cannot be loaded; the message says what to do."""
