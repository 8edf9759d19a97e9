"""`trainer rehearse --explore SCENARIO`: a bounded walk over every branch of a scenario.

Offers each canned reply (one per signal, `rehearse.CANNED_REPLIES`) and each authored option at every
moment, through the real engine and a scorer passed in, and reports which nodes and endings were reached,
the shortest path to each ending (a witness), and the dead ends. Imports neither spaCy nor Textual.
"""

from __future__ import annotations

import io
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML

from trainer.authoring.rehearse import CANNED_REPLIES, NEUTRAL, THRESHOLD, Rehearser, _short
from trainer.scenario.conditions import cues_in, subconditions
from trainer.scenario.engine import EndingReached, EngineError, Prompt, RunState, Session
from trainer.scenario.placeholders import fill
from trainer.scenario.risk import RiskProgress
from trainer.scenario.schema import SIGNALS, Condition, InputMode, Scenario


@dataclass
class Exploration:
    """What a bounded walk over every branch found."""

    scenario_id: str
    states: int
    moves: int
    truncated: bool
    """True when the walk stopped at its bound with states still to visit."""
    nodes_reached: set[str]
    endings_reached: dict[str, str]
    """Ending node -> the outcome."""
    all_nodes: list[str]
    all_endings: list[str]
    stuck: list[str]
    """Nodes of states from which no ending could be reached (loops with no exit)."""
    canned_misses: list[str]
    """Canned replies the scorer did not rate as their signal, where it happened (node), with the score."""
    cycles: list[list[str]] = field(default_factory=list)
    """Loops a student can go round without limit, though they have an exit: each as the nodes of one
    round, first node repeated at the end (["pity", "opening_up", "pity"]). The walk comes back to a state
    it has seen (same moment, variables and line), so nothing stops a student going round again and the
    service user saying the same lines again."""
    witnesses: dict[str, list[str]] = field(default_factory=dict)
    """For each ending reached: the replies of the first walk that reached it (a ready-made rehearsal)."""
    unsafe: dict[tuple[str, str], tuple[list[str], list[str]]] = field(default_factory=dict)
    """(risk node, built ending) -> (the nodes, the replies) of the first walk that reached a built ending
    after that disclosure with no reply matching its `safe_reply` cues (see trainer.scenario.risk)."""
    risk_nodes: list[str] = field(default_factory=list)
    """The nodes marked `risk:` (disclosures of risk)."""

    @property
    def unreached_nodes(self) -> list[str]:
        return [n for n in self.all_nodes if n not in self.nodes_reached]

    @property
    def unreached_endings(self) -> list[str]:
        return [n for n in self.all_endings if n not in self.endings_reached]


def _signal_thresholds(scenario: Scenario) -> dict[str, list[float]]:
    """Every score boundary a condition in the scenario tests, per signal (0.5 always)."""
    found: dict[str, set[float]] = {s: {THRESHOLD} for s in SIGNALS}

    def walk(cond: Condition | None) -> None:
        if cond is None:
            return
        if cond.signal is not None:
            found.setdefault(cond.signal, {THRESHOLD})
            if cond.min is not None:
                found[cond.signal].add(cond.min)
            if cond.max is not None:
                found[cond.signal].add(cond.max + 1e-9)
        for sub in subconditions(cond):
            walk(sub)

    for node in scenario.nodes.values():
        for variant in node.variants:
            walk(variant.if_)
        for opt in node.options:
            walk(opt.if_)
        for response in node.responses:
            walk(response.if_)
    return {s: sorted(v) for s, v in found.items()}


def cues_deciding(scenario: Scenario, node_id: str) -> list[str]:
    """The cues a reply at this node can make a difference with: those its rules test, and those tested by
    the variants and option conditions of the nodes it leads to (they look at the reply that led there)."""
    node = scenario.nodes[node_id]
    found: set[str] = set()
    for response in node.responses:
        found |= cues_in(response.if_)
    targets = {r.goto for r in node.responses} | {o.goto for o in node.options if o.goto}
    targets |= {node.default.goto} if node.default is not None else set()
    for target in targets & set(scenario.nodes):
        nxt = scenario.nodes[target]
        for cond in [v.if_ for v in nxt.variants] + [o.if_ for o in nxt.options]:
            found |= cues_in(cond)
    return [c for c in scenario.cues if c in found]


def candidate_replies(scenario: Scenario, node_id: str) -> list[str]:
    """The typed replies `--explore` tries at a free-text moment: the canned reply per signal, the
    neutral one, the node's model answers, and, for each cue that can make a difference here, each canned
    reply opened with the cue's first phrase (so that rules testing a cue with a signal can fire)."""
    texts = list(CANNED_REPLIES.values())
    texts += [fill(answer, None) for answer in scenario.nodes[node_id].model_answers]
    for cue_id in cues_deciding(scenario, node_id):
        cue = scenario.cues[cue_id]
        if cue.phrases:
            texts += [f"About {cue.phrases[0]}: {canned}" for canned in CANNED_REPLIES.values()]
    return list(dict.fromkeys(texts))


def _branch(scenario: Scenario, scenario_id: str, state: RunState) -> Session:
    # Only the last exchange matters for what happens next (the line, and the reply that led here, which
    # decides option availability); a trimmed transcript keeps each branch cheap however deep the walk.
    trimmed = state.model_copy(update={"transcript": state.transcript[-3:]})
    return Session(scenario, scenario_id, trimmed)


def explore(rehearser: Rehearser, max_states: int = 5000) -> Exploration:
    """Walk every branch reachable with the authored options and the candidate typed replies, breadth
    first, visiting each distinct state (node, variables, line, options on offer) once, up to `max_states`.

    Moves whose assessments cross the same score boundaries and match the same cues lead to the same
    place, so only one of each is played.
    """
    scenario, scenario_id = rehearser.scenario, rehearser.scenario_id
    thresholds = _signal_thresholds(scenario)

    def klass(assessment: Mapping[str, Any]) -> tuple[Any, ...]:
        scores = assessment.get("scores", {})
        marks = tuple(sum(scores.get(s, 0.0) >= t for t in ts) for s, ts in sorted(thresholds.items()))
        return marks, tuple(sorted(assessment.get("cues", [])))

    def key(session: Session, progress: RiskProgress) -> tuple[Any, ...]:
        step = session.current()
        offered = tuple(o.available for o in step.options) if isinstance(step, Prompt) else ()
        risk = (tuple(sorted(progress.pending)), tuple(sorted(progress.run)), tuple(sorted(progress.said)))
        return step.node, tuple(sorted(step.variables.items())), step.line, offered, risk

    first = Session(scenario, scenario_id)
    start_key = key(first, RiskProgress())
    seen: dict[tuple[Any, ...], tuple[RunState, list[str]]] = {start_key: (first.state, [])}
    # Per state: where it stands with the disclosures of risk, and the nodes walked (for the report).
    trail: dict[tuple[Any, ...], tuple[RiskProgress, list[str]]] = {start_key: (RiskProgress(), [])}
    unsafe: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    queue: deque[tuple[Any, ...]] = deque([start_key])
    edges: dict[tuple[Any, ...], set[tuple[Any, ...]]] = {}
    endings: dict[str, str] = {}
    witnesses: dict[str, list[str]] = {}
    nodes_reached: set[str] = set()
    misses: dict[tuple[str, str], float] = {}
    moves = 0
    truncated = False

    while queue:
        here = queue.popleft()
        state, replies_so_far = seen[here]
        session = _branch(scenario, scenario_id, state)
        step = session.current()
        nodes_reached.add(step.node)
        edges.setdefault(here, set())
        progress, walked = trail[here]
        if isinstance(step, EndingReached):
            endings.setdefault(step.node, step.ending.outcome.value)
            witnesses.setdefault(step.node, replies_so_far)
            if step.ending.outcome.value == "built":
                for risk_node in sorted(progress.pending):
                    unsafe.setdefault((risk_node, step.node), ([*walked, step.node], replies_so_far))
            continue
        moves_here: list[tuple[str, int | None, str]] = []  # (text, option, how it is written)
        if step.input_mode is not InputMode.free:
            moves_here += [
                (fill(o.text, None), o.number, f"#{o.number}") for o in step.options if o.available
            ]
        if step.input_mode is not InputMode.options:
            moves_here += [(t, None, t) for t in candidate_replies(scenario, step.node)]
        assessments = rehearser.assess([(text, step.line) for text, _o, _w in moves_here])
        for signal, canned in CANNED_REPLIES.items():
            if signal == NEUTRAL or step.input_mode is InputMode.options:
                continue
            (a,) = rehearser.assess([(canned, step.line)])
            score = a["scores"].get(signal, 0.0)
            if score < THRESHOLD:
                misses.setdefault((signal, step.node), score)
        tried: set[tuple[Any, ...]] = set()
        for (text, option, written), assessment in zip(moves_here, assessments, strict=True):
            move_class = (option if option is not None and scenario.nodes[step.node].options[option - 1].goto
                          else None, klass(assessment))
            if move_class in tried:
                continue
            tried.add(move_class)
            branch = _branch(scenario, scenario_id, state)
            try:
                branch.submit(text, assessment, option=option)
            except EngineError:
                continue  # not a move this moment allows; nothing to explore
            moves += 1
            after = progress.after(scenario, step.node, assessment.get("cues", []))
            there = key(branch, after)
            edges[here].add(there)
            if there not in seen:
                if len(seen) >= max_states:
                    truncated = True
                    continue
                seen[there] = (branch.state, [*replies_so_far, written])
                trail[there] = (after, [*walked, step.node])
                queue.append(there)

    # States that can reach an ending, found backwards; the rest are stuck in loops with no exit.
    reverse: dict[tuple[Any, ...], set[tuple[Any, ...]]] = {}
    for source, targets in edges.items():
        for target in targets:
            reverse.setdefault(target, set()).add(source)
    can_end = {k for k in seen if k[0] in endings}
    frontier = deque(can_end)
    while frontier:
        for source in reverse.get(frontier.popleft(), ()):
            if source not in can_end:
                can_end.add(source)
                frontier.append(source)
    stuck = sorted({k[0] for k in edges if k not in can_end}) if not truncated else []
    cycles = _cycles(list(seen), edges, can_end)

    return Exploration(
        scenario_id=scenario_id,
        states=len(seen),
        moves=moves,
        truncated=truncated,
        nodes_reached=nodes_reached,
        endings_reached=endings,
        all_nodes=list(scenario.nodes),
        all_endings=[n for n, node in scenario.nodes.items() if node.ending is not None],
        stuck=stuck,
        cycles=cycles,
        canned_misses=[f"{s} at '{n}' ({score:.2f})" for (s, n), score in sorted(misses.items())],
        witnesses=witnesses,
        unsafe=unsafe,
        risk_nodes=[n for n, node in scenario.nodes.items() if node.risk is not None],
    )


def _cycles(
    order: list[tuple[Any, ...]], edges: Mapping[tuple[Any, ...], set[tuple[Any, ...]]], can_end: set[Any]
) -> list[list[str]]:
    """The loops of the walked states that a student can go round and still leave (loops with no exit
    are reported as stuck): one round of each, by node names, each distinct round once, in walk order."""
    index = {k: i for i, k in enumerate(order)}
    # Stopped at the bound, the walk has edges to states it never visited: they are in no loop it saw.
    edges = {k: {t for t in targets if t in index} for k, targets in edges.items() if k in index}
    components = _strong_components(order, edges)
    rounds: list[list[str]] = []
    for component in components:
        first = min(component, key=index.__getitem__)
        if first not in can_end:
            continue
        if len(component) == 1 and first not in edges.get(first, ()):
            continue  # a single state with no edge to itself is no loop
        # The shortest way round from the component's first state back to it, inside the component.
        came: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        queue = deque([first])
        while queue and first not in came:
            at = queue.popleft()
            for nxt in sorted(edges.get(at, set()) & component, key=index.__getitem__):
                if nxt not in came:
                    came[nxt] = at
                    queue.append(nxt)
        path, at = [first], came[first]
        while at != first:
            path.append(at)
            at = came[at]
        nodes = [str(k[0]) for k in [first, *reversed(path[1:]), first]]
        if nodes not in rounds:
            rounds.append(nodes)
    return rounds


def _strong_components(
    order: list[tuple[Any, ...]], edges: Mapping[tuple[Any, ...], set[tuple[Any, ...]]]
) -> list[set[tuple[Any, ...]]]:
    """Strongly connected components (Kosaraju, iterative: a deep walk must not hit the recursion limit)."""
    finished: list[tuple[Any, ...]] = []
    visited: set[tuple[Any, ...]] = set()
    for root in order:
        if root in visited:
            continue
        visited.add(root)
        stack = [(root, iter(edges.get(root, ())))]
        while stack:
            at, children = stack[-1]
            for nxt in children:
                if nxt not in visited:
                    visited.add(nxt)
                    stack.append((nxt, iter(edges.get(nxt, ()))))
                    break
            else:
                stack.pop()
                finished.append(at)
    reverse: dict[tuple[Any, ...], set[tuple[Any, ...]]] = {}
    for source, targets in edges.items():
        for target in targets:
            reverse.setdefault(target, set()).add(source)
    assigned: set[tuple[Any, ...]] = set()
    components = []
    for root in reversed(finished):
        if root in assigned:
            continue
        component, todo = {root}, [root]
        assigned.add(root)
        while todo:
            for source in reverse.get(todo.pop(), ()):
                if source not in assigned:
                    assigned.add(source)
                    component.add(source)
                    todo.append(source)
        components.append(component)
    return components


def format_witnesses(ex: Exploration) -> str:
    """For each ending reached, the replies of the first walk that reached it, written as a rehearsal file
    an author can paste from (the canned replies are placeholders to reword in a learner's voice)."""
    yaml = YAML(typ="rt")
    yaml.width = 4096  # one reply per line: folding would leave trailing spaces for the author to trip on
    entries = [
        {"name": f"explored: reaches {ending}", "replies": list(replies), "expect_ending": ending}
        for ending, replies in ex.witnesses.items()
    ]
    buffer = io.StringIO()
    yaml.dump(entries, buffer)
    return buffer.getvalue()


def format_exploration(ex: Exploration) -> str:
    """The coverage report `--explore` prints."""
    pct = 100 * len(ex.nodes_reached) / max(1, len(ex.all_nodes))
    bound = " (stopped at the bound: raise --max-states to go further)" if ex.truncated else ""
    reached = ", ".join(f"{n} ({o})" for n, o in ex.endings_reached.items()) or "none"
    lines = [
        f"Explored {ex.scenario_id}: {ex.states} states, {ex.moves} moves{bound}",
        f"Nodes reached: {len(ex.nodes_reached)}/{len(ex.all_nodes)} ({pct:.0f}%)",
        f"Endings reached: {len(ex.endings_reached)}/{len(ex.all_endings)}: {reached}",
        f"Nodes never reached: {', '.join(ex.unreached_nodes) or 'none'}",
        f"Endings never reached: {', '.join(ex.unreached_endings) or 'none'}",
        f"Loops with no exit: {', '.join(ex.stuck) or 'none'}",
        "Loops a student can go round without limit (the same lines again): "
        + ("; ".join(" > ".join(r) for r in ex.cycles) or "none"),
    ]
    if ex.risk_nodes and not ex.unsafe:
        lines.append(f"Built without acting on a disclosure ({', '.join(ex.risk_nodes)}): never")
    for (risk_node, ending), (nodes, replies) in ex.unsafe.items():
        lines.append(
            f"Built without acting on a disclosure: after '{risk_node}', {ending} (built) is reached with no "
            f"reply matching its safe_reply cues: {' > '.join(nodes)}; replies: "
            + " | ".join(_short(r, 60) for r in replies)
        )
    if ex.canned_misses:
        lines.append(
            "Canned replies the scorer did not rate as their signal (branches needing them may be missed): "
            + "; ".join(ex.canned_misses)
        )
    return "\n".join(lines)
