"""The house rules of issue 13: rooms of a size a reader can hold, and no two modules that need each other.

import-linter (`make lint`) states the walls between packages; these check what it cannot: that no module
grows past 600 lines and that no module imports another that imports it back (at any depth).
"""

from __future__ import annotations

from pathlib import Path

import grimp
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "trainer"
MAX_LINES = 600


def test_no_module_is_over_600_lines() -> None:
    too_long = {
        str(path.relative_to(PACKAGE.parent)): n
        for path in PACKAGE.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not too_long, f"split these by what their parts do: {too_long}"


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("trainer", cache_dir=None)


def test_no_two_modules_import_each_other(graph: grimp.ImportGraph) -> None:
    cycles = set()
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            if importer.startswith(imported + ".") or imported.startswith(importer + "."):
                continue  # a package and its own modules
            chain = graph.find_shortest_chain(importer=imported, imported=importer)
            if chain:
                cycles.add(" -> ".join((importer, *chain)))
    assert not cycles, "import cycles:\n" + "\n".join(sorted(cycles))


def test_the_cycle_check_finds_a_cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The check above must be able to fail: two modules that import each other are found.
    pkg = tmp_path / "cyclic_pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from cyclic_pkg import b\n")
    (pkg / "b.py").write_text("from cyclic_pkg import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    g = grimp.build_graph("cyclic_pkg", cache_dir=None)
    assert g.find_shortest_chain(importer="cyclic_pkg.b", imported="cyclic_pkg.a")
    assert g.find_shortest_chain(importer="cyclic_pkg.a", imported="cyclic_pkg.b")
