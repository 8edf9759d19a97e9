"""`trainer new`: the starter scenario validates, rehearses with the real scorer, and never overwrites."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from trainer.authoring import rehearse as rh
from trainer.authoring.starter import StarterError, starter_texts, title_from_name, write_starter
from trainer.cli import app
from trainer.scenario import loader
from trainer.scenario.loader import load_scenario, validate_paths

runner = CliRunner()


def test_new_writes_a_scenario_and_rehearsals_that_validate_and_pass(tmp_path: Path) -> None:
    target = tmp_path / "my-first-visit.yaml"
    result = runner.invoke(app, ["new", "my-first-visit", "--output", str(target)])
    assert result.exit_code == 0, result.output
    rehearsals = tmp_path / "rehearsals" / "my-first-visit.yaml"
    assert result.stdout.splitlines() == [str(target), str(rehearsals)]
    assert f"trainer rehearse --check {target}" in result.stderr
    assert validate_paths([target]) == []  # no errors and no warnings

    loaded = load_scenario(target)
    assert loaded.scenario.title == "My first visit"
    outcomes = {n.ending.outcome.value for n in loaded.scenario.nodes.values() if n.ending}
    assert outcomes == {"built", "broke_down", "boundary_crossed"}

    check = runner.invoke(app, ["rehearse", "--check", str(target)])
    assert check.exit_code == 0, check.output
    assert check.stdout.count("PASS") == 3


def test_new_writes_into_the_current_folder_by_default_or_a_given_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It used to write into the installed scenarios folder (lost on upgrade, refused on a lab install, and
    # shown in every student's picker on that machine).
    bundled, here = tmp_path / "bundled", tmp_path / "here"
    bundled.mkdir(), here.mkdir()
    monkeypatch.setattr(loader, "BUNDLED_DIR", bundled)
    monkeypatch.chdir(here)
    result = runner.invoke(app, ["new", "visit-sam"])
    assert result.exit_code == 0, result.output
    assert (here / "visit-sam.yaml").is_file() and (here / "rehearsals" / "visit-sam.yaml").is_file()
    assert list(bundled.iterdir()) == []
    assert f"in {here.resolve()}" in result.stderr  # says where it wrote
    assert "trainer rehearse --check visit-sam.yaml" in result.stderr
    elsewhere = tmp_path / "mine"
    elsewhere.mkdir()
    assert runner.invoke(app, ["new", "visit-sam", "-o", str(elsewhere)]).exit_code == 0
    assert (elsewhere / "visit-sam.yaml").is_file()


def test_new_refuses_the_id_of_a_bundled_scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Sessions and the cohort report know a scenario by its id: a lecturer's doorstep-example.yaml would
    # be pooled with the bundled one.
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    (bundled / "doorstep-example.yaml").write_text("x\n", encoding="utf-8")
    monkeypatch.setattr(loader, "BUNDLED_DIR", bundled)
    monkeypatch.chdir(tmp_path)
    for args in (["new", "doorstep-example"], ["new", "doorstep-example", "-o", "mine"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert "'doorstep-example' is the id of a bundled scenario" in result.stderr
        assert "e.g. 'doorstep-example-2'" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundled"]


def test_a_file_name_that_disagrees_with_the_name_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["new", "visit-sam", "--output", str(tmp_path / "other.yaml")])
    assert result.exit_code == 2 and "would be 'other', not 'visit-sam'" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_new_refuses_to_overwrite_either_file(tmp_path: Path) -> None:
    target = tmp_path / "visit.yaml"
    target.write_text("mine\n", encoding="utf-8")
    result = runner.invoke(app, ["new", "visit", "--output", str(target)])
    assert result.exit_code == 2 and "already exists" in result.stderr and "Traceback" not in result.output
    assert target.read_text(encoding="utf-8") == "mine\n"

    other = tmp_path / "other.yaml"
    (tmp_path / "rehearsals").mkdir()
    (tmp_path / "rehearsals" / "other.yaml").write_text("keep\n", encoding="utf-8")
    with pytest.raises(StarterError, match="rehearsals/other.yaml already exists"):
        write_starter("other", tmp_path, other)
    assert not other.exists()  # nothing written when any file is in the way


@pytest.mark.parametrize("name", ["My Visit", "visit!", "-visit", "../escape", ""])
def test_new_refuses_names_that_cannot_be_ids(name: str, tmp_path: Path) -> None:
    with pytest.raises(StarterError, match="cannot name a scenario"):
        write_starter(name, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_the_starter_explains_itself_and_names_its_own_file() -> None:
    scenario, rehearsals = starter_texts("visit-sam", "scenarios/visit-sam.yaml")
    assert scenario.startswith("# yaml-language-server: $schema=./scenario.schema.json\nschema_version: 1\n")
    assert "trainer validate scenarios/visit-sam.yaml" in scenario and "{{" not in scenario + rehearsals
    # The file path, not the id: `rehearse --check visit-sam` finds only bundled scenarios (and files here).
    assert "trainer rehearse --check scenarios/visit-sam.yaml" in rehearsals
    assert "trainer rehearse --check scenarios/visit-sam.yaml" in scenario
    assert sum(line.lstrip().startswith("#") for line in scenario.splitlines()) >= 15  # commented
    assert title_from_name("first-visit-2") == "First visit 2"


def test_starter_rehearsals_reach_every_ending(tmp_path: Path) -> None:
    scenario_path, rehearsal_path = write_starter("visit", tmp_path)
    loaded = load_scenario(scenario_path)
    rehearser = rh.Rehearser(loaded.scenario, loaded.id, rh.load_scorer())
    results = [rh.check_rehearsal(rehearser, r) for r in rh.load_rehearsals(rehearsal_path)]
    assert all(r.ok for r in results) and rh.uncovered_endings(loaded.scenario, results) == []


def test_new_in_a_folder_of_its_own_writes_the_schema_its_first_line_names(tmp_path: Path) -> None:
    # The starter's first line points editors at ./scenario.schema.json; in a folder without it (a course's
    # own folder, --output, $TRAINER_SCENARIOS) completion and checking as you type silently did nothing.
    from trainer.cli.authoring import schema_text

    folder = tmp_path / "course"
    folder.mkdir()
    result = runner.invoke(app, ["new", "visit-sam", "--output", str(folder)])
    assert result.exit_code == 0, result.output
    first_line = (folder / "visit-sam.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=./scenario.schema.json"
    assert (folder / "scenario.schema.json").read_text(encoding="utf-8") == schema_text()
    assert "scenario.schema.json" in result.stderr
    # An existing schema (perhaps one the author keeps at another version) is never overwritten.
    (folder / "scenario.schema.json").write_text("{}", encoding="utf-8")
    assert runner.invoke(app, ["new", "visit-jo", "--output", str(folder)]).exit_code == 0
    assert (folder / "scenario.schema.json").read_text(encoding="utf-8") == "{}"
