"""The graph view of a scenario: Mermaid or Graphviz DOT text, for `trainer graph`.

Nodes are labelled with their id and the start of the service user's line; endings are drawn differently
and coloured by outcome; each edge is labelled with what takes the conversation along it, in words:
"empathy", "not purpose", "trust >= 6", "option 2", "otherwise". Authors paste the Mermaid into a
Markdown file (GitHub and most editors draw it) or run `dot -Tsvg` on the DOT.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trainer.scenario.schema import Condition, Node, Outcome, Scenario
from trainer.scenario.speakers import short_speaker

#: Fill colours by outcome: green for built, amber for partial, red for broke_down, purple for crossed.
OUTCOME_COLOURS: dict[Outcome, str] = {
    Outcome.built: "#c8e6c9",
    Outcome.partial: "#fff3c4",
    Outcome.broke_down: "#ffcdd2",
    Outcome.boundary_crossed: "#e1bee7",
}


@dataclass(frozen=True)
class Edge:
    """One way from a node to another, with what takes it, in words."""

    source: str
    target: str
    label: str


def condition_label(cond: Condition) -> str:
    """A condition in a few words: "empathy", "not purpose", "trust >= 6", "empathy and cue school"."""
    if cond.signal is not None or cond.var is not None:
        name = cond.signal if cond.signal is not None else cond.var
        parts = []
        if cond.min is not None:
            parts.append(f"{name} >= {cond.min:g}")
        if cond.max is not None:
            parts.append(f"{name} <= {cond.max:g}")
        if cond.equals is not None:
            parts.append(f"{name} = {cond.equals}")
        return " and ".join(parts) or str(name)
    if cond.cue is not None:
        return f"cue {cond.cue}"
    if cond.not_ is not None:
        return f"not {_grouped(cond.not_)}"
    if cond.all is not None:
        return " and ".join(_grouped(c) for c in cond.all) or "always"
    if cond.any is not None:
        return " or ".join(_grouped(c) for c in cond.any) or "never"
    return "?"


def _grouped(cond: Condition) -> str:
    label = condition_label(cond)
    return f"({label})" if " and " in label or " or " in label else label


def node_edges(node_id: str, node: Node) -> list[Edge]:
    """The edges out of one node, in the order the engine tries them: options, responses, default."""
    found = []
    for i, option in enumerate(node.options, start=1):
        if option.goto is not None:
            label = f"option {i}" + (f" if {condition_label(option.if_)}" if option.if_ is not None else "")
            found.append(Edge(node_id, option.goto, label))
    for response in node.responses:
        found.append(Edge(node_id, response.goto, condition_label(response.if_)))
    if node.default is not None:
        found.append(Edge(node_id, node.default.goto, "otherwise"))
    return found


def edges(scenario: Scenario) -> list[Edge]:
    """Every edge of the scenario, node by node."""
    return [edge for node_id, node in scenario.nodes.items() for edge in node_edges(node_id, node)]


def line_start(text: str, limit: int = 40) -> str:
    """The first words of a line, cut at a word boundary: "[Opens the door a few inches, keeping...]"."""
    flat = re.sub(r"\s+", " ", text).strip()
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0].rstrip(",.;:-")
    return cut + "..."


def node_line(node: Node) -> str:
    """The start of a node's line, after the name of whoever says it when that is not the service user
    (the node's `speaker`, without what follows in brackets): "George: (George shuffles in...". """
    who = f"{short_speaker(node.speaker)}: " if node.speaker else ""
    return who + line_start(node.say)


def to_mermaid(scenario: Scenario) -> str:
    """A Mermaid flowchart of the scenario."""
    # Mermaid ids are n0, n1, ...: node ids such as "end" or "first-visit" would confuse its parser.
    ids = {node_id: f"n{i}" for i, node_id in enumerate(scenario.nodes)}
    lines = ["flowchart TD"]
    for node_id, node in scenario.nodes.items():
        label = _mermaid_text(f"{node_id}: {node_line(node)}")
        if node.ending is not None:
            label = _mermaid_text(f"{node_id} ({node.ending.outcome}): {node_line(node)}")
            lines.append(f'    {ids[node_id]}(["{label}"]):::{node.ending.outcome}')
        else:
            lines.append(f'    {ids[node_id]}["{label}"]')
    for edge in edges(scenario):
        target = ids.get(edge.target)
        if target is None:  # a goto to a node that does not exist: draw it, so the author sees it
            target = f'missing_{len(ids)}["{_mermaid_text(edge.target)} (missing)"]'
        lines.append(f'    {ids[edge.source]} -->|"{_mermaid_text(edge.label)}"| {target}')
    if scenario.start in ids:
        lines.append(f"    class {ids[scenario.start]} start")
    lines.append("    classDef start stroke-width:3px")
    for outcome, colour in OUTCOME_COLOURS.items():
        lines.append(f"    classDef {outcome} fill:{colour},stroke:#555")
    return "\n".join(lines) + "\n"


#: Characters written as Mermaid entity codes in a quoted label. Mermaid turns every `#name;` and `#nnn;`
#: (base 10) into an HTML entity and renders the label as HTML, removing tags it does not know (its docs,
#: "Entity codes to escape characters": `#quot;` for a double quote, `#35;` for '#'). So '#' itself is
#: written first, then what would end the quotes (`"`), start a tag or an HTML entity (`<`, `&`), end an
#: edge label (`|`) or start a Markdown string (a backtick). A '>' alone starts nothing and stays.
_MERMAID_CODES = {"#": "#35;", '"': "#quot;", "<": "#lt;", "&": "#amp;", "|": "#124;", "`": "#96;"}
_MERMAID_SPECIAL = re.compile("[#\"<&|`]")
# Mermaid drops the last ';' of any stretch "style...:x#...;" or "classDef...:x#...;" in its source (for
# CSS colours), even inside a label: there, colons are written as codes too.
_MERMAID_STYLE = re.compile(r"style|classDef")


def _mermaid_text(text: str) -> str:
    """`text` for a quoted Mermaid label, shown by Mermaid exactly as written (on one line)."""
    text = re.sub(r"\s+", " ", text)
    text = _MERMAID_SPECIAL.sub(lambda m: _MERMAID_CODES[m.group()], text)
    if _MERMAID_STYLE.search(text):
        text = text.replace(":", "#58;")
    return text


def to_dot(scenario: Scenario) -> str:
    """A Graphviz DOT digraph of the scenario."""
    lines = [
        f"digraph {_dot_text(scenario.title)} {{",
        "    rankdir=TB;",
        '    node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica"];',
        '    edge [fontname="Helvetica", fontsize=10];',
    ]
    for node_id, node in scenario.nodes.items():
        attributes = [f"label={_dot_text(node_id + chr(10) + node_line(node))}"]
        if node.ending is not None:
            label = f"{node_id} ({node.ending.outcome})\n{node_line(node)}"
            attributes = [f"label={_dot_text(label)}", "shape=doubleoctagon",
                          f'fillcolor="{OUTCOME_COLOURS[node.ending.outcome]}"']
        if node_id == scenario.start:
            attributes.append("penwidth=3")
        lines.append(f"    {_dot_text(node_id)} [{', '.join(attributes)}];")
    for edge in edges(scenario):
        missing = "" if edge.target in scenario.nodes else ", color=red"
        source, target, label = _dot_text(edge.source), _dot_text(edge.target), _dot_text(edge.label)
        lines.append(f"    {source} -> {target} [label={label}{missing}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def render(scenario: Scenario, fmt: str = "mermaid") -> str:
    """The graph in `fmt`: "mermaid" or "dot". ValueError for another format."""
    if fmt == "mermaid":
        return to_mermaid(scenario)
    if fmt == "dot":
        return to_dot(scenario)
    raise ValueError(f"unknown graph format '{fmt}': use mermaid or dot")
