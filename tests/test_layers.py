"""The architecture walls, checked where they matter: what a fresh interpreter actually loads.

The scenario layer (schema, loader, engine) must load without textual or spacy, and the scorer without
textual, so that `trainer validate` starts fast and the core can be used and tested without a UI.
(import-linter checks the imports as written; this checks what really ends up in sys.modules.)
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def loaded_modules(*imports: str) -> set[str]:
    code = "import json, sys\n" + "".join(f"import {m}\n" for m in imports)
    code += "print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout))


def top_level(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


@pytest.mark.parametrize(
    "module",
    [
        "trainer.scenario",
        "trainer.scenario.schema",
        "trainer.scenario.loader",
        "trainer.scenario.checks",
        "trainer.authoring.graph",
        "trainer.scenario.engine",
    ],
)
def test_the_scenario_layer_loads_neither_textual_nor_spacy(module: str) -> None:
    loaded = loaded_modules(module)
    assert module in loaded
    assert not top_level(loaded) & {"textual", "spacy", "thinc"}
    assert not {m for m in loaded if m.startswith(("trainer.tui", "trainer.scoring"))}


def test_validating_a_scenario_loads_neither_textual_nor_spacy() -> None:
    code = (
        "import json, sys\n"
        "from trainer.scenario.loader import validate_paths, BUNDLED_DIR\n"
        "validate_paths([BUNDLED_DIR])\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert not top_level(set(json.loads(result.stdout))) & {"textual", "spacy"}


def test_the_scorer_loads_no_textual() -> None:
    loaded = loaded_modules("trainer.scoring", "trainer.scoring.api")
    assert "trainer.scoring.api" in loaded
    assert "textual" not in top_level(loaded)
    assert not {m for m in loaded if m.startswith("trainer.tui")}


def test_the_cli_starts_without_textual_or_spacy() -> None:
    loaded = loaded_modules("trainer.cli")
    assert not top_level(loaded) & {"textual", "spacy"}


def test_no_module_below_the_app_loads_textual() -> None:
    # Every module of the scorer, the debrief and the history, imported together (build and bench scripts
    # excepted: they are run, not imported).
    code = (
        "import importlib, json, pkgutil, sys\n"
        "import trainer.scoring, trainer.debrief, trainer.history\n"
        "names = [m.name for p in (trainer.scoring, trainer.debrief, trainer.history)\n"
        "         for m in pkgutil.walk_packages(p.__path__, p.__name__ + '.')\n"
        "         if m.name.rsplit('.', 1)[-1] not in ('build', 'bench', '__main__')]\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps({'names': names, 'modules': sorted(sys.modules)}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert "textual" not in top_level(set(found["modules"])), found["names"]
