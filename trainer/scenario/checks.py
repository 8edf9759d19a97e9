"""Checks on a scenario that the schema alone cannot make: the graph of nodes and the names it uses.

Run by the loader on every file that matches the schema: transitions to nodes that do not exist, nodes
and endings that cannot be reached, nodes with no way out, nodes from which no ending can be reached, and
conditions, effects and `expect` that name signals, cues or variables the scenario does not have.
Each problem is a diagnostic placed at the text the author wrote (see `LoadedScenario.diagnostic`).
"""

from __future__ import annotations

import difflib
from collections import deque
from collections.abc import Iterator, Mapping

from trainer.scenario.diagnostics import Diagnostic
from trainer.scenario.loaded import LoadedScenario, Loc, did_you_mean
from trainer.scenario.negation import undecided
from trainer.scenario.placeholders import check_placeholders
from trainer.scenario.risk import unmarked_disclosures, unsafe_route
from trainer.scenario.schema import (
    BUILTIN_VARIABLES,
    SIGNALS,
    VARIABLE_MAX,
    VARIABLE_MIN,
    Condition,
    Effects,
    InputMode,
    Node,
    Scenario,
)


def transitions(node: Node) -> Iterator[tuple[Loc, str]]:
    """Every `goto` of a node, with its path inside the node: responses, options, then default."""
    for i, response in enumerate(node.responses):
        yield ("responses", i, "goto"), response.goto
    for i, option in enumerate(node.options):
        if option.goto is not None:
            yield ("options", i, "goto"), option.goto
    if node.default is not None:
        yield ("default", "goto"), node.default.goto


def has_way_out(node: Node) -> bool:
    """Whether a node that is not an ending always leads somewhere: it has a default, or the learner can
    only pick options, each with its own goto, and at least one is always offered."""
    if node.default is not None:
        return True
    return (
        node.input_mode is InputMode.options
        and bool(node.options)
        and all(o.goto is not None for o in node.options)
        and any(o.if_ is None for o in node.options)
    )


def reachable(scenario: Scenario, aliases: Mapping[str, str] | None = None) -> set[str]:
    """The ids of the nodes a run can reach from the start (following every goto, whatever its condition).

    `aliases` maps a goto to the node it stands for (used to follow a misspelt goto to the node meant).
    """
    if scenario.start not in scenario.nodes:
        return set()
    seen = {scenario.start}
    queue = deque([scenario.start])
    while queue:
        for _, written in transitions(scenario.nodes[queue.popleft()]):
            target = (aliases or {}).get(written, written)
            if target in scenario.nodes and target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def check_scenario(loaded: LoadedScenario) -> list[Diagnostic]:
    """Every graph and naming problem of a scenario that already matches the schema."""
    scenario = loaded.scenario
    found: list[Diagnostic] = []
    found += _check_transitions(loaded)
    found += _check_nodes(loaded)
    found += _check_reachability(loaded)
    found += check_risk(loaded)
    for cue_id, why in undecided(scenario).items():
        phrase = scenario.cues[cue_id].phrases[0]
        found.append(loaded.diagnostic("SCN053", ("cues", cue_id), at_key=True, cue=cue_id, why=why,
                                       phrase=phrase))
    variables = [*BUILTIN_VARIABLES, *(v for v in scenario.variables if v not in BUILTIN_VARIABLES)]
    for node_id, node in scenario.nodes.items():
        base: Loc = ("nodes", node_id)
        for i, variant in enumerate(node.variants):
            found += _check_condition(loaded, variant.if_, (*base, "variants", i, "if"), variables)
        for i, option in enumerate(node.options):
            if option.if_ is not None:
                found += _check_condition(loaded, option.if_, (*base, "options", i, "if"), variables)
            found += _check_effects(loaded, option.effects, (*base, "options", i, "effects"), variables)
        for i, response in enumerate(node.responses):
            found += _check_condition(loaded, response.if_, (*base, "responses", i, "if"), variables)
            found += _check_effects(loaded, response.effects, (*base, "responses", i, "effects"), variables)
        if node.default is not None:
            found += _check_effects(loaded, node.default.effects, (*base, "default", "effects"), variables)
        known_expected = [s for s in node.expect if s in SIGNALS]
        if known_expected and not node.model_answers and node.ending is None:
            found.append(loaded.diagnostic("SCN039", (*base, "expect"), at_key=True,
                                           signals=" and ".join(known_expected)))
        for i, signal in enumerate(node.expect):
            if signal not in SIGNALS:
                hint = did_you_mean(signal, SIGNALS)
                found.append(loaded.diagnostic("SCN044", (*base, "expect", i), name=signal, suggestion=hint,
                                               known=", ".join(SIGNALS)))
    found += check_placeholders(loaded)  # `{learner}` in `say` lines (trainer.scenario.placeholders)
    return found


def _check_transitions(loaded: LoadedScenario) -> list[Diagnostic]:
    scenario = loaded.scenario
    found = []
    if scenario.start not in scenario.nodes:
        found.append(loaded.diagnostic("SCN031", ("start",), target=scenario.start,
                                       suggestion=_start_suggestion(scenario)))
    for node_id, node in scenario.nodes.items():
        for loc, target in transitions(node):
            if target not in scenario.nodes:
                found.append(loaded.diagnostic("SCN030", ("nodes", node_id, *loc), target=target,
                                               suggestion=did_you_mean(target, scenario.nodes)))
    return found


def _start_suggestion(scenario: Scenario) -> str:
    """A hint for a start node that does not exist: a node that is not an ending (a conversation cannot
    start at one), by a shared beginning ('doorstep' -> 'door') or by spelling, else those nodes listed."""
    written = scenario.start.lower()
    candidates = [n for n, node in scenario.nodes.items() if node.ending is None]
    shared = [n for n in candidates if n.lower().startswith(written) or written.startswith(n.lower())]
    if len(shared) == 1:
        return f" (did you mean '{shared[0]}'?)"
    hint = did_you_mean(scenario.start, shared or candidates)
    if hint or not candidates:
        return hint
    listed = ", ".join(candidates[:8]) + (", ..." if len(candidates) > 8 else "")
    return f"; the nodes that are not endings are: {listed}"


def _check_nodes(loaded: LoadedScenario) -> list[Diagnostic]:
    found = []
    for node_id, node in loaded.scenario.nodes.items():
        base: Loc = ("nodes", node_id)
        if node.ending is not None:
            unused = [name for name, present in (("responses", node.responses), ("options", node.options),
                                                  ("default", node.default)) if present]
            if unused:
                fields = " and ".join(f"`{u}`" for u in unused) + (" are" if len(unused) > 1 else " is")
                found.append(loaded.diagnostic("SCN035", (*base, "ending"), at_key=True, node=node_id,
                                               fields=fields, them="them" if len(unused) > 1 else "it"))
            continue
        if node.input is InputMode.options and not node.options:
            found.append(loaded.diagnostic("SCN036", (*base, "input"), node=node_id))
        elif not has_way_out(node):
            found.append(loaded.diagnostic("SCN034", base, at_key=True, node=node_id))
        if node.input is InputMode.free and node.options:
            found.append(loaded.diagnostic("SCN037", (*base, "options"), at_key=True, node=node_id))
    return found


def _check_reachability(loaded: LoadedScenario) -> list[Diagnostic]:
    scenario = loaded.scenario
    if scenario.start not in scenario.nodes:
        return []  # SCN031 says so; every node would be "unreachable"
    found = []
    # A misspelt goto is already reported (SCN030) with its likely meaning: follow it to the node meant, so
    # that its target is not also reported unreachable. A goto to a node with no likely meaning leaves the
    # shape of the graph unknown: check reachability once it is fixed, rather than report its consequences.
    aliases = {}
    for node in scenario.nodes.values():
        for _, target in transitions(node):
            if target not in scenario.nodes:
                close = difflib.get_close_matches(target, list(scenario.nodes), n=1, cutoff=0.6)
                if not close:
                    return []
                aliases[target] = close[0]
    seen = reachable(scenario, aliases)
    for node_id, node in scenario.nodes.items():
        if node_id not in seen:
            code = "SCN033" if node.ending is not None else "SCN032"
            found.append(loaded.diagnostic(code, ("nodes", node_id), at_key=True, node=node_id,
                                           start=scenario.start))

    # Which nodes can get to an ending? Nodes with no way out are already reported (SCN034/SCN036): count
    # them as finished here, so one mistake is not reported twice.
    predecessors: dict[str, set[str]] = {n: set() for n in scenario.nodes}
    for node_id, node in scenario.nodes.items():
        for _, written in transitions(node):
            target = aliases.get(written, written)
            if target in predecessors:
                predecessors[target].add(node_id)
    finishing = deque(
        n for n, node in scenario.nodes.items() if node.ending is not None or not has_way_out(node)
    )
    can_finish = set(finishing)
    while finishing:
        for before in predecessors[finishing.popleft()]:
            if before not in can_finish:
                can_finish.add(before)
                finishing.append(before)
    trapped = {n for n in seen if n not in can_finish}
    for node_id in scenario.nodes:
        # Report where a run enters a trap (the start, or a node reached from outside), not each node in it.
        outside = [p for p in predecessors[node_id] if p in seen and p not in trapped]
        entered = node_id == scenario.start or bool(outside)
        if node_id in trapped and entered:
            found.append(loaded.diagnostic("SCN038", ("nodes", node_id), at_key=True, node=node_id))
    return found


def check_risk(loaded: LoadedScenario) -> list[Diagnostic]:
    """SCN041 for a risk's `safe_reply` naming a cue the scenario does not declare; SCN050 for a built
    ending reachable from a disclosure of risk without the safe reply; SCN052 for a line that discloses
    risk on a node with no `risk:` mark (see trainer.scenario.risk)."""
    scenario = loaded.scenario
    found: list[Diagnostic] = []
    cues = list(scenario.cues)
    # A goto to a node that does not exist is reported (SCN030); a route through it would be guesswork.
    graph_known = all(t in scenario.nodes for node in scenario.nodes.values() for _l, t in transitions(node))
    for node_id, node in scenario.nodes.items():
        if node.risk is None:
            continue
        base: Loc = ("nodes", node_id, "risk")
        unknown = [cue for cue in node.risk.safe_reply if cue not in scenario.cues]
        for i, cue in enumerate(node.risk.safe_reply):
            if cue in unknown:
                found.append(loaded.diagnostic("SCN041", (*base, "safe_reply", i), name=cue,
                                               suggestion=did_you_mean(cue, cues), known=_known("cue", cues,
                                                                                                "cues")))
        route = unsafe_route(scenario, node_id) if graph_known and not unknown else None
        if route is not None:
            tests = [f"{{cue: {c}}}" for c in node.risk.safe_reply]
            example = tests[0] if len(tests) == 1 else f"{{all: [{', '.join(tests)}]}}"
            found.append(loaded.diagnostic(
                "SCN050", base, at_key=True, disclosure=node.risk.disclosure, ending=route.ending,
                route=route.describe(), cues=", ".join(node.risk.safe_reply), example=example))
    for line in unmarked_disclosures(scenario):
        found.append(loaded.diagnostic("SCN052", ("nodes", line.node, *line.loc), kind=line.kind,
                                       words=line.words, node=line.node))
    return found


def _known(kind: str, names: list[str], where: str) -> str:
    if not names:
        return f"this scenario has no {kind}s: declare them under `{where}:`"
    return f"the {kind}s are: {', '.join(names)}"


def _check_condition(
    loaded: LoadedScenario, cond: Condition, loc: Loc, variables: list[str]
) -> list[Diagnostic]:
    scenario = loaded.scenario
    found: list[Diagnostic] = []
    if cond.signal is not None:
        if cond.signal not in SIGNALS:
            hint = did_you_mean(cond.signal, SIGNALS)
            found.append(loaded.diagnostic("SCN040", (*loc, "signal"), name=cond.signal, suggestion=hint,
                                           known=", ".join(SIGNALS)))
        for name, value in (("min", cond.min), ("max", cond.max)):
            if value is not None and not 0 <= value <= 1:
                found.append(loaded.diagnostic("SCN045", (*loc, name), field=name, value=f"{value:g}"))
        if cond.min is not None and cond.max is not None and cond.min > cond.max:
            found.append(loaded.diagnostic("SCN046", loc, at_key=True, why=f"min {cond.min:g} is above max "
                                           f"{cond.max:g}"))
    elif cond.cue is not None:
        if cond.cue not in scenario.cues:
            cues = list(scenario.cues)
            found.append(loaded.diagnostic("SCN041", (*loc, "cue"), name=cond.cue, suggestion=did_you_mean(
                cond.cue, cues), known=_known("cue", cues, "cues")))
    elif cond.var is not None:
        if cond.var not in variables:
            known = _known("variable", variables, "variables") + " (declare your own under `variables:`)"
            found.append(loaded.diagnostic("SCN042", (*loc, "var"), name=cond.var,
                                           suggestion=did_you_mean(cond.var, variables), known=known))
        why = _never_holds(cond)
        if why:
            found.append(loaded.diagnostic("SCN046", loc, at_key=True, why=why))
    for key, group in (("all", cond.all), ("any", cond.any)):
        for i, inner in enumerate(group or []):
            found += _check_condition(loaded, inner, (*loc, key, i), variables)
    if cond.not_ is not None:
        found += _check_condition(loaded, cond.not_, (*loc, "not"), variables)
    return found


def _never_holds(cond: Condition) -> str | None:
    """Why a var condition can never hold, or None. trust and distress are kept within 0-10 by the engine;
    the author's own variables are not, so only their min/max/equals are compared with each other."""
    low, high, equals = cond.min, cond.max, cond.equals
    if cond.var in BUILTIN_VARIABLES:
        span = f"{cond.var} stays within {VARIABLE_MIN}-{VARIABLE_MAX}"
        if low is not None and low > VARIABLE_MAX:
            return f"min {low:g} is above {VARIABLE_MAX}, and {span}"
        if high is not None and high < VARIABLE_MIN:
            return f"max {high:g} is below {VARIABLE_MIN}, and {span}"
        if equals is not None and not VARIABLE_MIN <= equals <= VARIABLE_MAX:
            return f"equals {equals} is outside {VARIABLE_MIN}-{VARIABLE_MAX}, and {span}"
    if low is not None and high is not None and low > high:
        return f"min {low:g} is above max {high:g}"
    if equals is not None and ((low is not None and equals < low) or (high is not None and equals > high)):
        return f"equals {equals} is outside min/max"
    return None


def _check_effects(
    loaded: LoadedScenario, effects: Effects, loc: Loc, variables: list[str]
) -> list[Diagnostic]:
    found = []
    for name in effects:
        if name not in variables:
            known = _known("variable", variables, "variables") + " (declare your own under `variables:`)"
            found.append(loaded.diagnostic("SCN043", (*loc, name), at_key=True, name=name,
                                           suggestion=did_you_mean(name, variables), known=known))
    return found
