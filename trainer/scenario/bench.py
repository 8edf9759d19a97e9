"""Benchmarks of the scenario layer, for `make bench` (trainer/bench.py prints them).

Generates a large scenario (2,000 nodes, written the way authors write them: block style, variants,
responses, options, effects, model answers) to a temporary file and measures loading and validating it,
the median of several runs; then the bundled scenarios. Target: a 2,000-node scenario loads and validates
well under a second.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from trainer.scenario.loader import BUNDLED_DIR, _from_parsed, _gc_paused, _load, _parse, discover

TARGET_SECONDS = 1.0


def generate(nodes: int) -> str:
    """A valid scenario of `nodes` nodes (the last three are endings), every node reachable."""
    lines = [
        "# yaml-language-server: $schema=./scenario.schema.json",
        "schema_version: 1",
        "title: A very long conversation",
        "summary: Generated for the benchmark.",
        "setting: An office.",
        "objectives:",
        "  - Keep going.",
        "service_user:",
        "  name: Alex",
        "  situation: Generated.",
        "  wants: To be heard.",
        "  fears: Being rushed.",
        "variables:",
        "  hope: 3",
        "cues:",
        "  mentions_school:",
        '    phrases: ["school", "teacher"]',
        "start: n0",
        "nodes:",
    ]
    talking = nodes - 3
    endings = [("ending_built", "built"), ("ending_broke", "broke_down"),
               ("ending_crossed", "boundary_crossed")]
    for i in range(talking):
        following = f"n{i + 1}" if i + 1 < talking else endings[0][0]
        lines += [
            f"  n{i}:",
            f'    say: "Line {i}: I am not sure what you want from me, to be honest."',
            "    variants:",
            "      - if: {var: trust, min: 7}",
            f"        say: Line {i}, said more warmly.",
            "    expect: [empathy]",
            "    responses:",
            "      - if: {all: [{signal: empathy}, {not: {signal: sympathy}}]}",
            f"        goto: {following}",
            "        effects: {trust: 1, hope: 1}",
            "      - if: {signal: overstep}",
            f"        goto: {endings[2][0]}",
            "      - if: {cue: mentions_school}",
            f"        goto: {following}",
            "    default:",
            f"      goto: {following if i % 10 else endings[1][0]}",
            "      effects: {trust: -1}",
            "    model_answers:",
            "      - It sounds like you're not sure why I'm here.",
        ]
    for node_id, outcome in endings:
        lines += [
            f"  {node_id}:",
            "    say: That's that, then.",
            "    ending:",
            f"      outcome: {outcome}",
            "      title: An ending",
            "      note: What it means.",
        ]
    return "\n".join(lines) + "\n"


def _timed_load(path: Path) -> tuple[float, float]:
    """One load of `path`: seconds spent reading and parsing the YAML, and checking it."""
    with _gc_paused():  # as `load_scenario` does
        start = time.perf_counter()
        text = path.read_text(encoding="utf-8")
        data, duplicates, problems = _parse(path, text)
        parsed = time.perf_counter()
        if problems:
            raise ValueError(problems[0].format())
        _from_parsed(path, text, data, duplicates)
        return parsed - start, time.perf_counter() - parsed


def run(nodes: int = 2000, repeats: int = 3) -> list[tuple[str, str, str]]:
    """The figures: (name, value, unit or note) per line."""
    figures: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.yaml"
        text = generate(nodes)
        path.write_text(text, encoding="utf-8")
        loaded, diagnostics = _load(path)
        if loaded is None or diagnostics:
            first = diagnostics[0].format() if diagnostics else "did not load"
            return [("scenario: generated scenario", "invalid", first)]
        lines = text.count("\n")
        runs = [_timed_load(path) for _ in range(repeats)]
    total = statistics.median(p + c for p, c in runs)
    parse = statistics.median(p for p, _ in runs)
    check = statistics.median(c for _, c in runs)
    if total < TARGET_SECONDS / 2:
        verdict = "target well under 1 s: met"
    elif total < TARGET_SECONDS:
        verdict = "target well under 1 s: under 1 s, not well under"
    else:
        verdict = "target well under 1 s: MISSED"
    figures.append((f"scenario: load + validate {nodes:,} nodes ({lines:,} lines)", f"{total:.2f}",
                    f"s, median of {repeats}; {verdict}"))
    figures.append(("scenario:   of which YAML parsing (C parser + positions)", f"{parse:.2f}",
                    f"s ({parse / lines * 1e6:.0f} us/line)"))
    figures.append(("scenario:   of which schema + graph checks", f"{check:.2f}", "s"))
    bundled = discover([BUNDLED_DIR]) if BUNDLED_DIR.is_dir() else []
    if bundled:
        start = time.perf_counter()
        for scenario_path in bundled:
            _load(scenario_path)
        every = time.perf_counter() - start
        figures.append((f"scenario: load + validate the {len(bundled)} bundled scenarios",
                        f"{every * 1000:.0f}", "ms in all"))
    figures.extend(_hostile())
    return figures


def _hostile() -> list[tuple[str, str, str]]:
    """How long the loader takes to refuse files built to exhaust it (issue 12): a 7 KB "billion laughs"
    (nine levels of nine aliases) and 30,000 nested `not:`. Target: a located diagnostic within 1 s."""
    names = "abcdefghi"
    laughs = ["laughs:", "  a: &a [" + ", ".join(["lol"] * 9) + "]"]
    pairs = zip(names, names[1:], strict=False)
    laughs += [f"  {b}: &{b} [" + ", ".join([f"*{a}"] * 9) + "]" for a, b in pairs]
    deep = "x: " + "{not: " * 30_000 + "{signal: empathy}" + "}" * 30_000
    figures = []
    with tempfile.TemporaryDirectory() as folder:
        cases = (("a 'billion laughs' file (9 x 9 aliases)", laughs), ("30,000 nested `not:`", [deep]))
        for name, body in cases:
            path = Path(folder) / "hostile.yaml"
            path.write_text("schema_version: 1\n" + "\n".join(body) + "\n", encoding="utf-8")
            start = time.perf_counter()
            _, diagnostics = _load(path)
            took = time.perf_counter() - start
            verdict = "met" if took < TARGET_SECONDS else "MISSED"
            codes = ",".join(d.code for d in diagnostics)
            figures.append((f"scenario: refuse {name}", f"{took * 1000:.0f}",
                            f"ms ({codes}); target a located diagnostic within 1 s: {verdict}"))
    return figures
