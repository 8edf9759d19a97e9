"""The scenario package's rooms (issue 13): the loader split by what its parts do, no module over 600
lines, and no import cycle between its modules (checks.py and the loader used to import each other)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "trainer" / "scenario"


def imports(path: Path) -> set[str]:
    """Every trainer.scenario module `path` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "trainer.scenario":
                found.update(f"trainer.scenario.{alias.name}" for alias in node.names
                             if (PACKAGE / f"{alias.name}.py").is_file())
            elif node.module.startswith("trainer.scenario."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("trainer.scenario."))
    return found


def test_no_two_scenario_modules_import_each_other_even_indirectly() -> None:
    graph = {f"trainer.scenario.{p.stem}": imports(p) for p in PACKAGE.glob("*.py") if p.stem != "__init__"}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    cycles = sorted(module for module in graph if reaches(module, module, {module}))
    assert cycles == []
    assert "trainer.scenario.loader" not in graph["trainer.scenario.checks"]


LOADING = ["loader", "loaded", "yaml_fast", "yaml_careful", "yaml_limits", "schema_errors", "text_checks",
           "checks", "diagnostics"]


def test_no_module_of_the_loading_path_is_over_600_lines() -> None:
    sizes = {name: len((PACKAGE / f"{name}.py").read_text(encoding="utf-8").splitlines()) for name in LOADING}
    assert {name: n for name, n in sizes.items() if n > 600} == {}
