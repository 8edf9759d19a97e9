"""The loader's public API, as the app, the CLI and rehearsals use it, and the bundled scenarios' headers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from trainer.scenario.loader import (
    BUNDLED_DIR,
    LoadedScenario,
    ScenarioInvalid,
    ScenarioNotFound,
    discover,
    find_scenario,
    load_all,
    load_scenario,
    validate_paths,
)
from trainer.scenario.schema import Outcome

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good" / "minimal.yaml"
EXAMPLE = REPO / "scenarios" / "doorstep-example.yaml"
MODELINE = "# yaml-language-server: $schema=./scenario.schema.json"


def test_bundled_dir_is_the_repository_scenarios_folder() -> None:
    assert BUNDLED_DIR == REPO / "scenarios"


def test_trainer_scenarios_overrides_the_bundled_dir(tmp_path: Path) -> None:
    code = "from trainer.scenario.loader import BUNDLED_DIR; print(BUNDLED_DIR)"
    env = {**os.environ, "TRAINER_SCENARIOS": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(tmp_path)


def test_load_scenario_gives_id_path_model_and_no_warnings() -> None:
    loaded = load_scenario(GOOD)
    assert isinstance(loaded, LoadedScenario)
    assert (loaded.id, loaded.path, loaded.warnings) == ("minimal", GOOD, [])
    assert loaded.scenario.start == "hello"
    # Plain Python values, not ruamel's round-trip types, so the model dumps and compares cleanly.
    assert type(loaded.scenario.title) is str
    assert type(loaded.scenario.nodes["hello"].responses[0].if_.signal) is str
    assert loaded.scenario.model_dump_json()


def test_load_scenario_accepts_a_string_path() -> None:
    assert load_scenario(str(GOOD)).id == "minimal"


def test_load_scenario_raises_with_every_diagnostic(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(GOOD.read_text().replace("goto: good", "goto: gone").replace("goto: bad", "goto: lost"))
    with pytest.raises(ScenarioInvalid) as caught:
        load_scenario(path)
    assert [d.code for d in caught.value.diagnostics] == ["SCN030", "SCN030"]
    assert "and 1 more error" in str(caught.value)


def test_discover_finds_yaml_in_folders_sorted_and_skips_rehearsals(tmp_path: Path) -> None:
    for name in ("b.yaml", "a.yml", "notes.txt", "rehearsals/a.yaml", ".hidden/x.yaml", "more/c.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x: 1\n")
    found = discover([tmp_path])
    assert found == [tmp_path / "a.yml", tmp_path / "b.yaml", tmp_path / "more" / "c.yaml"]


def test_discover_keeps_files_given_and_missing_paths_once(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    assert discover([GOOD, missing, GOOD]) == sorted([GOOD, missing])


def test_find_scenario_takes_a_path_or_a_bundled_id() -> None:
    assert find_scenario(GOOD) == GOOD
    assert find_scenario("doorstep-example") == EXAMPLE
    assert find_scenario("doorstep-example.yaml") == EXAMPLE


def test_find_scenario_says_what_exists_and_what_was_meant() -> None:
    with pytest.raises(ScenarioNotFound) as caught:
        find_scenario("doorstep-exampel")
    message = str(caught.value)
    assert "did you mean 'doorstep-example'?" in message
    assert "the bundled scenarios are:" in message and "doorstep-example" in message


def test_load_all_returns_the_good_and_explains_the_bad(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(GOOD.read_text())
    (tmp_path / "bad.yaml").write_text(GOOD.read_text().replace("start: hello", "start: nowhere"))
    loaded, problems = load_all(tmp_path)
    assert [s.id for s in loaded] == ["good"]
    assert [(d.file.name, d.code) for d in problems] == [("bad.yaml", "SCN031")]


def test_load_all_defaults_to_the_bundled_scenarios() -> None:
    loaded, problems = load_all()
    assert "doorstep-example" in {s.id for s in loaded}
    assert problems == []


def test_every_bundled_scenario_starts_with_the_modeline_and_version() -> None:
    for path in discover([BUNDLED_DIR]):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[:2] == [MODELINE, "schema_version: 1"], path.name


def test_every_bundled_scenario_validates_without_errors() -> None:
    errors = [d.format() for d in validate_paths([BUNDLED_DIR]) if d.is_error]
    assert errors == []


def test_the_doorstep_example_shows_each_part_of_the_format() -> None:
    loaded = load_scenario(EXAMPLE)
    s = loaded.scenario
    assert loaded.warnings == []
    assert 6 <= len(s.nodes) <= 9
    outcomes = {n.ending.outcome for n in s.nodes.values() if n.ending is not None}
    assert outcomes == {Outcome.built, Outcome.broke_down, Outcome.boundary_crossed}
    nodes = list(s.nodes.values())
    assert any(r.if_.signal for n in nodes for r in n.responses)
    assert any(r.if_.cue for n in nodes for r in n.responses) and s.cues
    assert any(v.if_.var == "trust" for n in nodes for v in n.variants)
    assert any(n.options for n in nodes)
    assert any(r.effects for n in nodes for r in n.responses)
    assert any(n.model_answers for n in nodes) and any(n.tip for n in nodes)
