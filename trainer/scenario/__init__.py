"""Scenarios: the format (schema), loading with located diagnostics, the session engine (engine, state,
conditions) and saved runs (saves). Loading: `loader` (the public entry points) reads the text, then
`yaml_fast` (C parser) or `yaml_careful` (round-trip parser, syntax messages), both bounded by
`yaml_limits`; `schema_errors` words pydantic's errors, `text_checks` invisible characters and '#'
comments, `checks` the graph; `loaded` holds what they share (`LoadedScenario`, positions), so none
imports the loader back. The lowest layer: imports neither textual nor spacy nor any other trainer
package (import-linter contracts and tests/test_layers.py check it).

The names most callers need are re-exported here:

    from trainer.scenario import load_scenario, ScenarioInvalid
    loaded = load_scenario(find_scenario("doorstep-example"))   # LoadedScenario(id, path, scenario, warnings)

The engine is imported from `trainer.scenario.engine` directly.
"""

from trainer.scenario.diagnostics import CODES, Diagnostic, Severity
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
from trainer.scenario.schema import SCHEMA_VERSION, Scenario

__all__ = [
    "BUNDLED_DIR",
    "CODES",
    "SCHEMA_VERSION",
    "Diagnostic",
    "LoadedScenario",
    "Scenario",
    "ScenarioInvalid",
    "ScenarioNotFound",
    "Severity",
    "discover",
    "find_scenario",
    "load_all",
    "load_scenario",
    "validate_paths",
]
