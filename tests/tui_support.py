"""Test helpers for the app and plain-player tests: a fake scorer with fixed, keyword-based output.

The fake is for snapshot tests (whose pixels must not move when the real model is retrained) and for
fast unit tests of the screens; pilot tests that play a scenario end to end use the real scorer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trainer.scoring.api import SIGNALS, Assessment, Evidence

# (signal, phrase, reason): the first phrase of a signal found in a reply earns the signal (score 0.9).
RULES: list[tuple[str, str, str]] = [
    ("empathy", "it sounds like", "Reflects the feeling back"),
    ("empathy", "you feel", "Names what the person feels"),
    ("sympathy", "poor you", "Pity: your feelings, not theirs"),
    ("sympathy", "so sorry", "Condolence: your feelings, not theirs"),
    ("sympathy", "don't worry", "Reassurance that closes the feeling down"),
    ("purpose", "school", "Says why you are visiting"),
    ("purpose", "here because", "Says why you are visiting"),
    ("boundaries", "confidential", "States the limits of confidentiality"),
    ("boundaries", "my manager", "Names your accountability to the agency"),
    ("overstep", "my number", "Offers personal contact"),
    ("overstep", "promise not to tell", "Promises absolute secrecy"),
]


class FakeScorer:
    """Scores replies by fixed phrases, with evidence offsets, like the real scorer's rules."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None]] = []

    def compile_cues(self, cues: Mapping[str, Any]) -> dict[str, list[str]]:
        return {cue_id: [p.lower() for p in cue.phrases] for cue_id, cue in cues.items()}

    def assess(self, text: str, context: str | None = None, cues: Any = None) -> Assessment:
        self.calls.append((text, context))
        note = None
        if not text.strip():
            return Assessment(text, {s: 0.0 for s in SIGNALS}, note="Nothing to score: the reply is empty")
        if len(text) > 5000:
            text, note = text[:5000], "Only the first 5,000 characters were scored"
        lower = text.lower()
        scores = {s: 0.05 for s in SIGNALS}
        evidence = []
        for signal, phrase, reason in RULES:
            at = lower.find(phrase)
            if at >= 0 and scores[signal] < 0.5:
                scores[signal] = 0.9
                words = text[at : at + len(phrase)]
                evidence.append(Evidence(signal, at, at + len(phrase), words, "rule:fake", reason))
        matched = [cid for cid, phrases in (cues or {}).items() if any(p in lower for p in phrases)]
        return Assessment(text, scores, evidence, matched, note)


NAMED_KEYS = {"tab", "shift+tab", "ctrl+j", "shift+enter", "enter", "escape", "ctrl+s", "ctrl+q", "slash"}


def burst(app: Any, *parts: str) -> None:
    """Post keys to `app` all at once, as a terminal delivers a burst (a fast typist, tmux send-keys, a
    paste without bracketed paste): nothing waits in between, unlike `pilot.press`. A part named in
    NAMED_KEYS is that key; any other part is typed character by character ("\\n" as ctrl+j)."""
    from textual import events

    for part in parts:
        if part in NAMED_KEYS:
            app.post_message(events.Key(part, "/" if part == "slash" else None))
            continue
        for char in part:
            if char == "\n":
                app.post_message(events.Key("ctrl+j", None))
            elif char == " ":
                app.post_message(events.Key("space", " "))
            else:
                app.post_message(events.Key(char if char.isalnum() else f"char_{ord(char)}", char))
