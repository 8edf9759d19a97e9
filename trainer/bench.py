"""`make bench`: every benchmark of the project, one figure per line.

Runs, if importable, `trainer.scenario.bench.run()`, `trainer.scoring.bench.run()` and
`trainer.tui.bench.run()`; each returns `(name, value, unit_or_note)` lines, printed here as a table.
A module that does not exist yet is reported as "not available"; a benchmark that fails is reported with
its error and does not stop the others (the exit status is then 1). Speed targets are measured here,
never by timed tests.
"""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Sequence

MODULES = ("trainer.scenario.bench", "trainer.scoring.bench", "trainer.tui.bench")

Row = tuple[str, str, str]


def run_one(module_name: str) -> tuple[list[Row], bool]:
    """The rows of one benchmark module, and whether it ran without error."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and module_name.startswith(exc.name):  # the bench module itself is missing
            return [(module_name, "not available", "")], True
        return [(module_name, "failed", f"{type(exc).__name__}: {exc}")], False
    except Exception as exc:  # a bench that cannot even import must not stop the others
        return [(module_name, "failed", f"{type(exc).__name__}: {exc}")], False
    start = time.perf_counter()
    try:
        rows = [tuple(str(part) for part in row) for row in module.run()]
    except Exception as exc:
        return [(module_name, "failed", f"{type(exc).__name__}: {exc}")], False
    took = time.perf_counter() - start
    return [(r[0], r[1], r[2]) if len(r) == 3 else (r[0], r[1], "") for r in rows] + [
        (f"{module_name} took", f"{took:.1f}", "s")
    ], True


def format_rows(rows: Sequence[Row]) -> list[str]:
    """The rows as aligned lines: name, value right-aligned, then the unit or note."""
    name_width = max((len(r[0]) for r in rows), default=0)
    value_width = max((len(r[1]) for r in rows), default=0)
    return [f"{name:<{name_width}}  {value:>{value_width}}  {note}".rstrip() for name, value, note in rows]


def main(modules: Sequence[str] = MODULES) -> int:
    """Run every benchmark, print each module's table as soon as it finishes; 1 if any failed."""
    ok = True
    for module_name in modules:
        rows, fine = run_one(module_name)
        ok = ok and fine
        for line in format_rows(rows):
            print(line, flush=True)
        print(flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
