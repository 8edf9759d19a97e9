"""A scenario's id is its file name: a lecturer's file that shares a bundled scenario's id is warned about
(SCN014), ids are looked up among the bundled scenarios and then in the current folder, `rehearse` takes
folders as `validate` does, a node that expects a skill without a model answer is warned about (SCN039),
and every error of a scenario or rehearsal file comes in one run."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from trainer.cli import app
from trainer.scenario import loader
from trainer.scenario.loader import find_scenario, validate_paths

runner = CliRunner()
GOOD = Path(__file__).parent / "fixtures" / "good" / "minimal.yaml"


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "bundled"
    folder.mkdir()
    (folder / "doorstep-example.yaml").write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(loader, "BUNDLED_DIR", folder)
    return folder


def test_a_file_named_like_a_bundled_scenario_but_holding_another_is_warned_about(
    bundled: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "mine" / "doorstep-example.yaml"
    mine.parent.mkdir()
    mine.write_text(GOOD.read_text(encoding="utf-8").replace("title: Fixture", "title: Young carer"),
                    encoding="utf-8")
    result = runner.invoke(app, ["validate", "--no-cues", str(mine)])
    assert result.exit_code == 0, result.output  # a warning, not an error
    line = result.stdout.strip()
    assert line.startswith(f"{mine}:1:1: SCN014 warning: this file's id 'doorstep-example'")
    assert "rename the file (e.g. doorstep-example-2.yaml)" in line
    assert "0 errors, 1 warning" in result.stderr


def test_the_bundled_file_itself_or_an_identical_copy_is_not_warned_about(
    bundled: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy" / "doorstep-example.yaml"
    copy.parent.mkdir()
    copy.write_bytes((bundled / "doorstep-example.yaml").read_bytes())
    assert validate_paths([bundled / "doorstep-example.yaml", copy]) == []


def test_an_id_is_looked_up_in_the_current_folder_after_the_bundled_ones(
    bundled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `trainer rehearse --check my-visit` beside my-visit.yaml used to fail and suggest a bundled scenario.
    here = tmp_path / "here"
    here.mkdir()
    (here / "my-visit.yaml").write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(here)
    assert find_scenario("my-visit") == Path("my-visit.yaml")
    assert find_scenario("doorstep-example") == bundled / "doorstep-example.yaml"
    result = runner.invoke(app, ["validate", "--no-cues", "my-visit"])
    assert result.exit_code == 0 and "1 file, 0 errors" in result.stderr


def test_rehearse_takes_a_folder_as_validate_does(tmp_path: Path) -> None:
    folder = tmp_path / "course"
    (folder / "rehearsals").mkdir(parents=True)
    (folder / "broken.yaml").write_text("schema_version: 1\ntitle: [\n", encoding="utf-8")
    (folder / "rehearsals" / "broken.yaml").write_text("- not a scenario\n", encoding="utf-8")
    result = runner.invoke(app, ["rehearse", "--check", str(folder)])
    assert result.exit_code == 2
    assert "no scenario file or bundled scenario called" not in result.output
    assert f"{folder / 'broken.yaml'}:" in result.output  # the file inside was loaded (and found broken)
    assert "rehearsals/broken.yaml:" not in result.output  # rehearsal files are not scenarios

    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["rehearse", "--check", str(empty)])
    assert result.exit_code == 2 and f"no scenario files (*.yaml, *.yml) in {empty}" in result.stderr


def test_expect_without_model_answers_is_warned_about_but_not_on_an_ending(tmp_path: Path) -> None:
    text = GOOD.read_text(encoding="utf-8").replace(
        "    say: Hello.\n", "    say: Hello.\n    expect: [empathy, purpose]\n"
    ).replace("    say: Thanks.\n", "    say: Thanks.\n    expect: [empathy]\n")
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    (d,) = validate_paths([path])
    assert d.format() == (
        f"{path}:11:5: SCN039 warning: node 'hello' > expect: this node expects empathy and purpose but has "
        "no `model_answers`: when a learner misses this moment the debrief will have no model answer to "
        "show; add one or two under `model_answers:`"
    )
    path.write_text(text.replace("    expect: [empathy, purpose]\n",
                                 "    expect: [empathy, purpose]\n    model_answers: [That sounds hard.]\n"),
                    encoding="utf-8")
    assert validate_paths([path]) == []


def test_every_bundled_scenario_validates_without_warnings() -> None:
    result = runner.invoke(app, ["validate", "--no-cues", str(loader.BUNDLED_DIR)])
    assert result.exit_code == 0 and result.stdout == "" and ", 0 errors, 0 warnings" in result.stderr


def test_schema_errors_and_check_errors_of_a_file_come_in_one_round(tmp_path: Path) -> None:
    # `expect: boundaries` (not a list) used to hide `min: 50` and a goto to a missing node until fixed.
    text = GOOD.read_text(encoding="utf-8").replace(
        "    say: Hello.\n", "    say: Hello.\n    expect: empathy\n    model_answers: [I hear you.]\n"
    ).replace("      - if: {signal: empathy}\n", "      - if: {signal: empathy, min: 50}\n").replace(
        "goto: good", "goto: Good").replace("  bad:\n    say: Bye.\n", "  bad:\n    say: Bye.\n    tipp: x\n")
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    found = [(d.code, d.line) for d in validate_paths([path])]
    assert found == [("SCN022", 11), ("SCN045", 14), ("SCN030", 15), ("SCN020", 22)], found


def test_a_node_with_a_missing_field_is_set_aside_without_inventing_errors_elsewhere(tmp_path: Path) -> None:
    text = GOOD.read_text(encoding="utf-8").replace("        goto: good\n", "        got: good\n").replace(
        "    default: {goto: bad}\n", "    default: {goto: badd}\n", 1)
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    found = [(d.code, d.line) for d in validate_paths([path])]
    # the missing `goto` and the unknown `got` (the schema's), and the misspelt default in the same node;
    # nothing about 'good' being unreachable, which only setting the response aside made it.
    assert found == [("SCN021", 12), ("SCN020", 13), ("SCN030", 14)], found


def test_every_mistake_of_a_rehearsal_file_comes_in_one_round(tmp_path: Path) -> None:
    # A `replys:` typo used to hide the misspelt expect_ending and expect_path until it was fixed.
    from trainer.authoring.rehearse import RehearsalError, load_rehearsals
    from trainer.scenario.loader import load_scenario

    scenario = load_scenario(GOOD).scenario
    path = tmp_path / "r.yaml"
    path.write_text(
        "- name: one\n  replys: [Hi]\n  expect_ending: goood\n"
        "- name: two\n  replies: [Hi]\n  expect_ending: bad\n  expect_path: [helo, bad]\n"
        "- name: three\n  replies: [Hi]\n  expect_ending: good\n  expect: x\n",
        encoding="utf-8")
    with pytest.raises(RehearsalError) as caught:
        load_rehearsals(path, scenario)
    lines = str(caught.value).splitlines()
    assert lines == [
        f"{path}:2: unknown key 'replys'. Did you mean 'replies'? A rehearsal has name, replies, "
        "expect_ending, expect_path.",
        f"{path}:1: this rehearsal has no `replies`.",
        f"{path}:11: unknown key 'expect'. Did you mean 'expect_path'? A rehearsal has name, replies, "
        "expect_ending, expect_path.",
        f"{path}:1: expect_ending 'goood' is not an ending of this scenario (did you mean 'good'?); "
        "its endings are good, bad",
        f"{path}:4: expect_path names 'helo', which is not a node (did you mean 'hello'?)",
    ], lines
    scenario_file = tmp_path / "s.yaml"
    scenario_file.write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "rehearsals").mkdir()
    path.rename(tmp_path / "rehearsals" / "s.yaml")
    result = runner.invoke(app, ["rehearse", "--check", str(scenario_file)])
    assert result.exit_code == 1
    assert result.stdout.count("\nFAIL ") == 5 and "expect_path names 'helo'" in result.stdout


def test_a_rejected_node_id_does_not_hide_other_gotos_nor_invent_missing_nodes(tmp_path: Path) -> None:
    text = GOOD.read_text(encoding="utf-8").replace("  good:\n", '  "go od":\n').replace(
        "goto: good", 'goto: "go od"').replace("{goto: bad}", "{goto: badd}")
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    found = [(d.code, d.line) for d in validate_paths([path])]
    # both bad ids (the schema's), and the misspelt default in the same node; 'go od' is not also
    # reported as a node that does not exist
    assert found == [("SCN023", 13), ("SCN030", 14), ("SCN023", 15)], found
