"""The authoring commands as an author or CI uses them: `trainer validate`, `trainer schema`, `trainer graph`.

Diagnostics on stdout (the command's data), a one-line summary on stderr, exit 0 or 2, never a traceback.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trainer.cli import app

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good" / "minimal.yaml"
BAD = FIXTURES / "bad"

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_validate_the_bundled_scenarios_passes() -> None:
    code, out, err = invoke("validate", "--no-cues", str(REPO / "scenarios"))
    assert code == 0, out
    assert out == ""
    assert err.strip().endswith(", 0 errors, 0 warnings")


def test_validate_prints_one_line_per_problem_and_exits_2() -> None:
    code, out, err = invoke("validate", str(BAD / "SCN030.yaml"), str(BAD / "SCN040.yaml"), str(GOOD))
    assert code == 2
    lines = out.splitlines()
    assert len(lines) == 2
    where = f"{BAD / 'SCN030.yaml'}:13:15:"
    assert lines[0].startswith(f"{where} SCN030 error: node 'hello' > response 1 > goto:")
    assert " SCN040 error: " in lines[1]
    assert err.strip() == "3 files, 2 errors, 0 warnings"


def test_validate_with_only_warnings_exits_0() -> None:
    code, out, err = invoke("validate", str(BAD / "SCN035.yaml"))
    assert code == 0
    assert " SCN035 warning: " in out
    assert err.strip() == "1 file, 0 errors, 1 warning"


def test_validate_reports_a_missing_file_and_goes_on() -> None:
    code, out, _ = invoke("validate", "no-such-file.yaml", str(GOOD))
    assert code == 2
    assert out.strip() == "no-such-file.yaml: SCN004 error: cannot read this file: there is no such file"


def test_validate_an_empty_folder_says_so(tmp_path: Path) -> None:
    code, out, err = invoke("validate", str(tmp_path))
    assert code == 2 and out == ""
    assert "no scenario files" in err and str(tmp_path) in err


def test_validate_accepts_a_bundled_id() -> None:
    code, _, err = invoke("validate", "--no-cues", "doorstep-example")
    assert code == 0 and err.startswith("1 file,")


def test_validate_a_broken_yaml_file_gives_no_traceback() -> None:
    code, out, err = invoke("validate", str(BAD / "SCN001.yaml"))
    assert code == 2 and "Traceback" not in out + err
    assert ":10:15: SCN001 error:" in out


CUES = """cues:
  school:
    patterns:
      - [{LOWER: school}]
      - [{NOPE: school}]
start: hello
"""


def test_validate_places_the_scorers_cue_pattern_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trainer.scoring.api import CueError

    compiled: list[list[str]] = []

    class CueMatcher:
        def __init__(self, nlp: object, cues: dict[str, object]) -> None:
            compiled.append(list(cues))
            raise CueError("school", "patterns", 1, "unknown token attribute 'NOPE'")

    fake = types.ModuleType("trainer.scoring.scorer")
    fake.CueMatcher = CueMatcher  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "trainer.scoring.scorer", fake)
    path = tmp_path / "cues.yaml"
    path.write_text(GOOD.read_text().replace("start: hello\n", CUES))
    code, out, _ = invoke("validate", str(path), str(GOOD))
    assert code == 2
    assert out.strip() == (
        f"{path}:11:9: SCN070 error: cue 'school' > pattern 2: spaCy cannot use this cue pattern: "
        "unknown token attribute 'NOPE'"
    )
    assert compiled == [["school"]]  # the scenario without patterns did not need spaCy
    code, out, _ = invoke("validate", "--no-cues", str(path))
    assert (code, out) == (0, "")


def test_validate_warns_when_cue_patterns_cannot_be_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = types.ModuleType("trainer.scoring.scorer")  # no CueMatcher in it: as if the scorer were missing
    monkeypatch.setitem(sys.modules, "trainer.scoring.scorer", broken)
    path = tmp_path / "cues.yaml"
    path.write_text(GOOD.read_text().replace("start: hello\n", CUES))
    code, out, _ = invoke("validate", str(path))
    assert code == 0
    assert " SCN071 warning: cues: cue patterns were not checked: " in out


def test_schema_prints_the_committed_json_schema() -> None:
    code, out, _ = invoke("schema")
    assert code == 0
    committed = (REPO / "scenarios" / "scenario.schema.json").read_text(encoding="utf-8")
    assert out == committed, "run `trainer schema -o scenarios/scenario.schema.json` and commit it"


def test_schema_writes_a_file(tmp_path: Path) -> None:
    target = tmp_path / "s.json"
    code, out, err = invoke("schema", "--output", str(target))
    assert code == 0 and out == "" and str(target) in err
    assert '"title": "trainer scenario"' in target.read_text(encoding="utf-8")


def test_schema_to_an_unwritable_place_says_so(tmp_path: Path) -> None:
    code, _, err = invoke("schema", "--output", str(tmp_path / "no" / "such" / "dir" / "s.json"))
    assert code == 2 and "cannot write" in err


def test_graph_prints_mermaid_by_default_and_dot_on_request() -> None:
    code, out, _ = invoke("graph", "doorstep-example")
    assert code == 0 and out.startswith("flowchart TD")
    assert '-->|"option 2"|' in out and ":::boundary_crossed" in out
    code, out, _ = invoke("graph", str(REPO / "scenarios" / "doorstep-example.yaml"), "--format", "dot")
    assert code == 0 and out.startswith('digraph "On the doorstep" {')


def test_graph_of_an_unknown_scenario_suggests_one() -> None:
    code, out, err = invoke("graph", "dorstep-example")
    assert code == 2 and out == ""
    assert "did you mean 'doorstep-example'?" in err


def test_graph_of_an_invalid_scenario_lists_its_errors() -> None:
    code, out, err = invoke("graph", str(BAD / "SCN031.yaml"))
    assert code == 2 and out == ""
    assert "SCN031 error" in err and "fix these errors first" in err


def test_bench_reports_missing_and_failing_benchmarks_and_goes_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from trainer import bench

    broken = types.ModuleType("fake_bench_broken")
    broken.run = lambda: 1 / 0  # type: ignore[attr-defined]
    working = types.ModuleType("fake_bench_working")
    working.run = lambda: [("thing per second", "1,234", "/s; target >= 1,000")]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fake_bench_broken", broken)
    monkeypatch.setitem(sys.modules, "fake_bench_working", working)
    status = bench.main(["fake_bench_missing", "fake_bench_broken", "fake_bench_working"])
    out = capsys.readouterr().out
    assert status == 1
    assert "fake_bench_missing  not available" in out
    assert "fake_bench_broken  failed  ZeroDivisionError" in out
    assert "thing per second" in out and "1,234  /s; target >= 1,000" in out


def test_the_scenario_bench_generates_a_valid_scenario(tmp_path: Path) -> None:
    from trainer.scenario.bench import generate
    from trainer.scenario.loader import validate_paths

    path = tmp_path / "big.yaml"
    path.write_text(generate(30), encoding="utf-8")
    assert validate_paths([path]) == []


def test_validate_checks_cue_patterns_with_the_real_scorer(tmp_path: Path) -> None:
    path = tmp_path / "cues.yaml"
    path.write_text(GOOD.read_text().replace("start: hello\n", CUES))
    code, out, _ = invoke("validate", str(path))
    assert code == 2
    (line,) = out.splitlines()
    assert line.startswith(f"{path}:11:9: SCN070 error: cue 'school' > pattern 2: spaCy cannot use this")
    assert "NOPE" in line
