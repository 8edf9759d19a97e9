"""Checks on a scenario that does not match the schema yet, so that its errors come in one round.

A file with a schema error (`expect: boundaries` where a list is expected) cannot become a `Scenario`, so
the graph and naming checks (trainer.scenario.checks) used to wait for it to be fixed: the author fixed
"1 error" and the next run found two more (`min: 50`, a `goto` to a node that does not exist). Here the
parts the schema rejected are set aside - the key at fault removed, or when that is not enough its whole
node or cue replaced by a stand-in - and the checks run on the rest. Only the checks that look at one place
are kept (names, gotos, values); those about the shape of the whole graph (reachability, loops, routes
after a disclosure) wait for a scenario that is whole, since a stand-in changes the shape.

Used by the loader. `checks_despite_errors` never raises: when the rest cannot be made to match the
schema within a few rounds it returns nothing, as before.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from trainer.scenario.checks import check_scenario
from trainer.scenario.diagnostics import Diagnostic
from trainer.scenario.loaded import LoadedScenario, Positions
from trainer.scenario.schema import Scenario

#: The checks whose findings stand on their own, whatever else of the scenario was set aside.
LOCAL_CODES = frozenset({
    "SCN030", "SCN031", "SCN035", "SCN037", "SCN040", "SCN041", "SCN042", "SCN043", "SCN044", "SCN045",
    "SCN046", "SCN051",
})
_STAND_IN_NODE = {"say": ".", "ending": {"outcome": "partial", "title": ".", "note": "."}}
_STAND_IN_CUE = {"phrases": ["."]}
_PLACEHOLDERS: dict[str, Any] = {
    "title": ".", "summary": ".", "setting": ".", "objectives": ["."],
    "service_user": {"name": ".", "situation": ".", "wants": ".", "fears": "."},
}
_ROUNDS = 6
_NAMING = frozenset({"SCN030", "SCN031", "SCN041", "SCN042", "SCN043"})


def checks_despite_errors(
    path: Path, positions: Positions, values: dict[str, Any], errors: Sequence[Mapping[str, Any]],
    reported: Sequence[Diagnostic],
) -> list[Diagnostic]:
    """The local check diagnostics (LOCAL_CODES) of a scenario whose `values` failed the schema with
    `errors` (pydantic's), skipping any at a place already `reported`; [] when it cannot be checked."""
    try:
        scenario, removed = _set_aside(copy.deepcopy(values), errors)
        if scenario is None:
            return []
        loaded = LoadedScenario(id=path.stem, path=path, scenario=scenario, warnings=[], positions=positions)
        checked = check_scenario(loaded)
    except Exception:  # pragma: no cover - a best effort: the schema errors are reported regardless
        return []
    taken = {(d.line, d.col) for d in reported}
    found = []
    for d in checked:
        if d.code not in LOCAL_CODES or (d.line, d.col) in taken:
            continue
        if d.code in _NAMING and any(f"'{r}'" in d.message for r in removed):
            continue  # a node, cue or variable set aside because its id was rejected: reported already
        found.append(d)
    return found


def _set_aside(
    values: dict[str, Any], errors: Sequence[Mapping[str, Any]]
) -> tuple[Scenario | None, set[str]]:
    """The scenario with the rejected parts set aside (None if that fails), and the ids removed (nodes,
    cues and variables whose id itself was rejected)."""
    removed: set[str] = set()
    for _ in range(_ROUNDS):
        now: set[tuple[Any, ...]] = set()
        for error in errors:
            loc, kind = tuple(error.get("loc", ())), str(error.get("type", ""))
            if not _set_aside_one(values, loc, kind, now, removed):
                return None, removed
        try:
            return Scenario.model_validate(values), removed
        except ValidationError as exc:
            errors = [dict(e) for e in exc.errors()]
    return None, removed


def _set_aside_one(
    values: dict[str, Any], loc: tuple[Any, ...], kind: str, now: set[tuple[Any, ...]], removed: set[str]
) -> bool:
    """Set aside the part of `values` at `loc`; False when it cannot be (the scenario cannot be checked).

    In a node or cue, the key at fault goes (for a missing field, the key holding the mapping that lacks
    it); when there is no such key (the node itself is not a mapping), the whole of it is replaced by a
    stand-in. `now` holds the nodes and cues changed this round."""
    if not loc:
        return False
    head = loc[0]
    if head in ("nodes", "cues") and len(loc) >= 2 and isinstance(values.get(head), dict):
        group, key = values[head], loc[1]
        if "[key]" in loc:  # the id itself was rejected
            group.pop(key, None)
            removed.add(str(key))
            return True
        unit = (head, key)
        if unit in now and group.get(key) == (_STAND_IN_NODE if head == "nodes" else _STAND_IN_CUE):
            return True  # already stood in for this round
        # A missing field: the mapping that lacks it goes (the key holding it, e.g. `responses`).
        inside = loc[2:-1] if kind == "missing" else loc[2:]
        if inside:
            if _delete_key(group.get(key), inside):
                now.add(unit)
                return True
            if unit in now:
                return True  # set aside already this round, with the key that held it
        if key in group:  # nothing smaller to remove: a stand-in for it all
            group[key] = copy.deepcopy(_STAND_IN_NODE if head == "nodes" else _STAND_IN_CUE)
            now.add(unit)
        return True
    if head == "variables" and len(loc) >= 2 and isinstance(values.get(head), dict):
        if "[key]" in loc:
            values[head].pop(loc[1], None)
            removed.add(str(loc[1]))
        else:
            values[head][loc[1]] = 0
        return True
    if isinstance(head, str) and head in _PLACEHOLDERS:
        values[head] = copy.deepcopy(_PLACEHOLDERS[head])
        return True
    if isinstance(head, str) and head in values and head not in ("nodes", "start", "schema_version"):
        del values[head]  # an optional field (difficulty, referral, ...) or an unknown key
        return True
    return False


def _delete_key(node: Any, loc: tuple[Any, ...]) -> bool:
    """Delete the deepest mapping key on `loc` inside `node` (an item of a list is removed with the list's
    key, so that the other items keep their numbers); False when there is none to delete."""
    keys: list[tuple[dict[str, Any], str]] = []
    current = node
    for part in loc:
        if isinstance(current, dict) and isinstance(part, str) and part in current:
            keys.append((current, part))
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        else:
            break
    if not keys:
        return False
    mapping, key = keys[-1]
    del mapping[key]
    return True
