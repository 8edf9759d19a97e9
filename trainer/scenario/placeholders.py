"""Placeholders in what the service user says: `{learner}` is the learner's name.

A scenario can address the learner by name: `say: "Oh. {learner}, is it? Come in then."`. The name is
the one the learner gave (trainer.settings); it is filled in where lines are shown (the app and the plain
player both call `fill`), never stored in the scenario or the run. Options and model answers may use it too,
to introduce the worker in the student's own name (`I'm {learner|the social worker} from adult social care`):
an option is filled when it is shown and when it is picked (so the run stores, and the scorer reads, what the
student said), a model answer when the debrief is built, and rehearsals use the fallback. A fallback for
when no name was given follows a bar: `{learner|love}`. Without a name or a fallback the placeholder is
dropped with the comma or space before it ("Thanks, {learner}." reads "Thanks."). `trainer validate`
reports any other name in braces (SCN051), via `check_placeholders`, called from trainer.scenario.checks.

Imports only the standard library and trainer.scenario.loaded (diagnostics placed in the file).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from trainer.scenario.loaded import LoadedScenario, did_you_mean

if TYPE_CHECKING:
    from trainer.scenario.diagnostics import Diagnostic

KNOWN = ("learner",)
"""The placeholder names a `say` line may use."""

#: `{name}` or `{name|fallback}`, with the comma or spaces before it (dropped with an empty value).
PLACEHOLDER = re.compile(r"(?P<before>,?[ \t]*)\{(?P<name>[^{}|]*)(?:\|(?P<fallback>[^{}]*))?\}")


def unknown_placeholders(text: str) -> list[str]:
    """The names in braces in `text` that are not placeholders trainer knows, in order of appearance."""
    names = [m.group("name").strip() for m in PLACEHOLDER.finditer(text)]
    return [name for name in names if name not in KNOWN]


def fill(text: str, learner_name: str | None) -> str:
    """`text` with its placeholders filled in: `{learner}` becomes `learner_name`, or the fallback after
    the bar, or nothing (with the comma or space before it). Unknown placeholders are left as written
    (`trainer validate` reports them)."""
    if "{" not in text:
        return text

    def value(match: re.Match[str]) -> str:
        name = match.group("name").strip()
        if name not in KNOWN:
            return match.group(0)
        filled = (learner_name or "").strip() or (match.group("fallback") or "").strip()
        return match.group("before") + filled if filled else ""

    return PLACEHOLDER.sub(value, text)


def check_placeholders(loaded: LoadedScenario) -> list[Diagnostic]:
    """SCN051 for every unknown placeholder in a node's `say`, a variant's `say`, an option's `say` or a
    model answer (options and model answers may introduce the worker as `{learner}`)."""
    found = []
    for node_id, node in loaded.scenario.nodes.items():
        lines = [*node.say_lines()]
        lines += [(("options", i, "say"), option.say) for i, option in enumerate(node.options)]
        lines += [(("model_answers", i), answer) for i, answer in enumerate(node.model_answers)]
        for loc, text in lines:
            for name in unknown_placeholders(str(text)):
                found.append(loaded.diagnostic("SCN051", ("nodes", node_id, *loc), name=name,
                                               suggestion=did_you_mean(name, KNOWN),
                                               known=", ".join(f"{{{k}}}" for k in KNOWN)))
    return found
