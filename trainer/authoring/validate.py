"""Validation glue: the scenario checks (trainer.scenario) plus the scorer's own cue-pattern check.

`cue_pattern_check()` is the extra check `trainer validate` passes to `validate_paths`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def cue_pattern_check() -> Callable[[Any], list[Any]]:
    """An extra check for `validate`: each cue compiled by the scorer's own cue matcher.

    The matcher is built on a blank English pipeline: compiling patterns needs only spaCy's vocabulary, so
    the check neither waits for nor depends on the trained model. spaCy is imported only when a scenario
    has token patterns (it takes a second), and only once.
    """
    pipeline: list[Any] = []

    def check(loaded: Any) -> list[Any]:
        cues = loaded.scenario.cues
        if not any(cue.patterns for cue in cues.values()):
            return []
        try:
            from trainer.scoring.api import CueError
            from trainer.scoring.scorer import CueMatcher

            if not pipeline:
                import spacy

                pipeline.append(spacy.blank("en"))
        except Exception as exc:  # the scorer cannot be imported: say so; the other checks stand
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            return [loaded.diagnostic("SCN071", ("cues",), at_key=True, reason=reason)]
        found = []
        for cue_id, cue in cues.items():
            try:
                CueMatcher(pipeline[0], {cue_id: cue})
            except CueError as exc:
                loc: tuple[str | int, ...] = ("cues", cue_id, exc.field, exc.index)
                what = "phrase" if exc.field == "phrases" else "pattern"
                found.append(loaded.diagnostic("SCN070", loc, at_key=True, what=what, problem=exc.message))
        return found

    return check
