"""Validation that teaches: every diagnostic code has a bad fixture that produces exactly that code at the
marked line, problems are collected rather than stopped at the first, and messages say what to do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.scenario import loader
from trainer.scenario.diagnostics import CODES, Diagnostic, Severity
from trainer.scenario.loader import LoadedScenario, ScenarioInvalid, load_scenario, validate_paths

FIXTURES = Path(__file__).parent / "fixtures"
BAD = FIXTURES / "bad"
GOOD = FIXTURES / "good" / "minimal.yaml"
LOADER_CODES = sorted(code for code, entry in CODES.items() if not entry.external)


def marked_line(path: Path, code: str) -> int:
    """The line of the fixture that carries the comment `<- CODE`."""
    for number, line in enumerate(path.read_bytes().splitlines(), start=1):
        if f"<- {code}".encode() in line:
            return number
    raise AssertionError(f"{path.name} has no line marked '<- {code}'")


@pytest.mark.parametrize("code", LOADER_CODES)
def test_each_code_has_a_fixture_producing_exactly_it_at_the_marked_line(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = BAD / f"{code}.yaml"
    assert path.is_file(), f"add tests/fixtures/bad/{code}.yaml"
    if code == "SCN014":  # a bundled scenario of the same id (file name) but other content
        (tmp_path / f"{code}.yaml").write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
        monkeypatch.setattr(loader, "BUNDLED_DIR", tmp_path)
    diagnostics = validate_paths([path])
    assert [d.code for d in diagnostics] == [code], [d.format() for d in diagnostics]
    assert diagnostics[0].line == marked_line(path, code)
    assert diagnostics[0].severity is CODES[code].severity


def test_there_is_no_fixture_for_a_code_that_does_not_exist() -> None:
    stray = {p.stem for p in BAD.glob("*.yaml")} - set(CODES)
    assert not stray


def test_the_good_fixture_has_no_diagnostics() -> None:
    assert validate_paths([GOOD]) == []


HELLO_RULES = "    responses:\n      - if: {signal: empathy}\n        goto: good\n    default: {goto: bad}\n"


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def base(**replace: str) -> str:
    text = GOOD.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    return text


def test_every_problem_of_a_file_is_reported_not_only_the_first(tmp_path: Path) -> None:
    text = base(**{"    say: Thanks.\n": "    sya: Thanks.\n", "title: Fixture\n": "title: F\ntitel: x\n"})
    text = text.replace("  bad:\n", "  bad:\n    tip: [not, text]\n")
    diagnostics = validate_paths([write(tmp_path, text)])
    described = {(d.code, d.path) for d in diagnostics}
    assert ("SCN020", "titel") in described
    assert ("SCN020", "node 'good' > sya") in described
    assert ("SCN021", "node 'good'") in described
    assert ("SCN022", "node 'bad' > tip") in described


def test_every_file_is_checked_even_after_a_broken_one(tmp_path: Path) -> None:
    broken = write(tmp_path, "title: [unclosed\n", "a.yaml")
    bad_goto = write(tmp_path, base(**{"goto: good": "goto: nowhere"}), "b.yaml")
    diagnostics = validate_paths([tmp_path])
    assert {d.file for d in diagnostics} == {broken, bad_goto}


def test_a_misspelt_goto_suggests_the_node_and_points_at_the_value(tmp_path: Path) -> None:
    path = write(tmp_path, base(**{"        goto: good\n": "        goto: goood\n"}))
    (d,) = validate_paths([path])
    assert d.format() == (
        f"{path}:13:15: SCN030 error: node 'hello' > response 1 > goto: goes to node 'goood', which does not "
        "exist (did you mean 'good'?)"
    )


def test_unknown_key_suggests_the_alias_the_author_writes(tmp_path: Path) -> None:
    path = write(tmp_path, base(**{"      - if: {signal: empathy}": "      - iff: {signal: empathy}"}))
    messages = [d.message for d in validate_paths([path]) if d.code == "SCN020"]
    assert messages and "did you mean 'if'?" in messages[0]


def test_a_path_inside_not_uses_the_word_the_author_wrote(tmp_path: Path) -> None:
    path = write(tmp_path, base(**{"{signal: empathy}": "{not: {signal: purpos}}"}))
    (d,) = validate_paths([path])
    assert d.code == "SCN040"
    assert d.path == "node 'hello' > response 1 > if > not > signal"
    assert "did you mean 'purpose'?" in d.message


def test_yes_read_as_a_boolean_by_yaml_1_1_is_quoted_back(tmp_path: Path) -> None:
    text = "%YAML 1.1\n---\n" + base(**{"    say: Bye.\n": "    say: no\n"})
    (d,) = validate_paths([write(tmp_path, text)])
    assert d.code == "SCN012"
    assert "YAML read `no` as false" in d.message and '"no"' in d.message


def test_true_where_text_is_expected_is_quoted_back(tmp_path: Path) -> None:
    path = write(tmp_path, base(**{"[Practise.]": "[Practise., true]"}))
    (d,) = validate_paths([path])
    assert (d.code, d.path, d.line) == ("SCN012", "objective 2", 5)
    assert "YAML read `true` as true" in d.message


def test_in_yaml_1_2_yes_and_no_stay_text(tmp_path: Path) -> None:
    path = write(tmp_path, base(**{"    say: Bye.\n": "    say: no\n", "[Practise.]": "[yes, on, off]"}))
    loaded = load_scenario(path)
    assert loaded.scenario.nodes["bad"].say == "no"
    assert loaded.scenario.objectives == ["yes", "on", "off"]


def test_a_colon_in_unquoted_text_gets_a_hint(tmp_path: Path) -> None:
    (d,) = validate_paths([BAD / "SCN001.yaml"])
    assert "put the whole text in quotes" in d.message


def test_several_tab_lines_are_counted(tmp_path: Path) -> None:
    text = base(**{"    say: Hello.\n": "\tsay: Hello.\n", "    say: Bye.\n": "\tsay: Bye.\n"})
    (d,) = validate_paths([write(tmp_path, text)])
    assert d.code == "SCN003" and d.line == 10 and "and on 1 more line" in d.message


def test_duplicate_node_ids_are_all_reported(tmp_path: Path) -> None:
    extra = "  good:\n    say: Two.\n    default: {goto: bad}\n"
    extra += "  bad:\n    say: Three.\n    default: {goto: bad}\n"
    diagnostics = validate_paths([write(tmp_path, base() + extra)])
    duplicates = [d for d in diagnostics if d.code == "SCN005"]
    assert [(d.line, d.path) for d in duplicates] == [(21, "node 'good'"), (24, "node 'bad'")]
    assert "first at line 15" in duplicates[0].message


def test_a_position_that_is_not_in_the_file_is_not_invented(tmp_path: Path) -> None:
    loaded = load_scenario(GOOD)
    d = loaded.diagnostic("SCN030", ("nodes", "hello", "options", 3, "goto"), target="x", suggestion="")
    assert (d.line, d.col) == (9, 3)  # the key of node 'hello', the nearest written
    assert "position of node 'hello', the nearest key written in the file" in d.message
    assert d.path == "node 'hello' > option 4 > goto"


def test_missing_field_is_explained_with_the_schema_docstring(tmp_path: Path) -> None:
    (d,) = validate_paths([BAD / "SCN021.yaml"])
    assert "`say` is missing: What the service user says" in d.message


def test_wrong_type_says_what_was_expected_and_found(tmp_path: Path) -> None:
    path = write(tmp_path, base(**{"objectives: [Practise.]": "objectives: Practise."}))
    (d,) = validate_paths([path])
    assert d.code == "SCN022"
    assert "expected a list" in d.message and "found 'Practise.'" in d.message


def test_unknown_cue_lists_the_cues_declared(tmp_path: Path) -> None:
    cues = "cues:\n  school: {phrases: [school]}\nstart: hello\n"
    text = base(**{"{signal: empathy}": "{cue: scool}", "start: hello\n": cues})
    (d,) = validate_paths([write(tmp_path, text)])
    assert d.code == "SCN041"
    assert "did you mean 'school'?" in d.message and "the cues are: school" in d.message


def test_a_declared_variable_may_be_used_and_changed(tmp_path: Path) -> None:
    text = base(**{
        "{signal: empathy}": "{var: hope, min: 2}",
        "start: hello\n": "variables: {hope: 1}\nstart: hello\n",
        "    default: {goto: bad}\n": "    default: {goto: bad, effects: {hope: 1, trust: -1}}\n",
    })
    assert validate_paths([write(tmp_path, text)]) == []


def test_a_node_with_only_unconditional_options_needs_no_default(tmp_path: Path) -> None:
    options = "    input: options\n    options:\n      - {say: Hi, goto: good}\n"
    options += "      - {say: Bye, goto: bad}\n"
    text = base(**{HELLO_RULES: options})
    assert validate_paths([write(tmp_path, text)]) == []


def test_a_node_whose_options_are_all_conditional_needs_a_default(tmp_path: Path) -> None:
    options = (
        "    input: options\n    options:\n      - {say: Hi, goto: good, if: {var: trust, min: 3}}\n"
        "      - {say: Bye, goto: bad, if: {var: trust, max: 2}}\n"
    )
    text = base(**{HELLO_RULES: options})
    assert [d.code for d in validate_paths([write(tmp_path, text)])] == ["SCN034"]


def test_a_misspelt_goto_does_not_also_make_its_target_unreachable(tmp_path: Path) -> None:
    assert [d.code for d in validate_paths([BAD / "SCN030.yaml"])] == ["SCN030"]


def test_warnings_do_not_stop_a_scenario_loading() -> None:
    loaded = load_scenario(BAD / "SCN035.yaml")
    assert [d.code for d in loaded.warnings] == ["SCN035"]


def test_errors_raise_scenario_invalid_with_every_diagnostic(tmp_path: Path) -> None:
    with pytest.raises(ScenarioInvalid) as caught:
        load_scenario(BAD / "SCN038.yaml")
    assert [d.code for d in caught.value.diagnostics] == ["SCN038"]
    assert "SCN038" in str(caught.value)


def test_extra_checks_run_on_valid_files_and_can_place_their_findings() -> None:
    seen: list[str] = []

    def check(loaded: LoadedScenario) -> list[Diagnostic]:
        seen.append(loaded.id)
        return [loaded.diagnostic("SCN070", ("nodes", "hello", "say"), what="pattern", problem="no such")]

    diagnostics = validate_paths([GOOD, BAD / "SCN001.yaml"], extra_checks=[check])
    assert seen == ["minimal"]  # not run on the file that does not parse
    (placed,) = [d for d in diagnostics if d.code == "SCN070"]
    assert (placed.line, placed.col, placed.path) == (10, 10, "node 'hello' > say")
    assert placed.message == "spaCy cannot use this cue pattern: no such"


def test_diagnostic_format_is_file_line_col_code_severity_message() -> None:
    d = Diagnostic(Path("x.yaml"), 3, 7, "SCN030", Severity.error, "goes nowhere", "node 'a' > goto")
    assert d.format() == "x.yaml:3:7: SCN030 error: node 'a' > goto: goes nowhere"
    assert Diagnostic(Path("x.yaml"), None, None, "SCN004", Severity.error, "gone").format() == (
        "x.yaml: SCN004 error: gone"
    )


def test_every_code_is_stable_in_form_and_its_template_fills() -> None:
    for code, entry in CODES.items():
        assert re.fullmatch(r"SCN\d{3}", code)
        assert entry.summary and entry.template


def test_non_utf8_is_located_at_the_bad_byte() -> None:
    (d,) = validate_paths([BAD / "SCN004.yaml"])
    assert (d.line, d.col) == (2, 11) and "0xe9" in d.message


def test_a_missing_file_is_reported_without_a_position(tmp_path: Path) -> None:
    (d,) = validate_paths([tmp_path / "nope.yaml"])
    assert d.code == "SCN004" and d.line is None and "no such file" in d.message


def test_an_authors_own_variable_is_not_held_to_0_10(tmp_path: Path) -> None:
    declared = {"start: hello\n": "variables: {visits: 0}\nstart: hello\n"}
    text = base(**{"{signal: empathy}": "{var: visits, min: 12}", **declared})
    assert validate_paths([write(tmp_path, text)]) == []
    text = base(**{"{signal: empathy}": "{var: visits, min: 4, max: 2}", **declared})
    (d,) = validate_paths([write(tmp_path, text)])
    assert d.code == "SCN046" and "min 4 is above max 2" in d.message


README = Path(__file__).resolve().parent.parent / "scenarios" / "README.md"


def test_the_readme_tables_every_code_with_its_severity() -> None:
    text = README.read_text(encoding="utf-8")
    for code, entry in CODES.items():
        row = rf"^\| {code} \| {entry.severity} \|"
        assert re.search(row, text, re.M), f"{code} is not in the README table"


def test_the_readme_mentions_every_field_of_the_format() -> None:
    from pydantic import BaseModel

    from trainer.scenario import schema

    text = README.read_text(encoding="utf-8")
    models = [m for m in vars(schema).values() if isinstance(m, type) and issubclass(m, BaseModel)
              and m.__module__ == schema.__name__ and not m.__name__.startswith("_")]
    assert len(models) >= 10
    missing = [f"{m.__name__}.{info.alias or name}" for m in models for name, info in m.model_fields.items()
               if f"`{info.alias or name}`" not in text]
    assert not missing, f"document these fields in scenarios/README.md: {missing}"


def test_the_readme_keeps_the_tutorial_heading() -> None:
    assert "\n## Tutorial: your first scenario\n" in README.read_text(encoding="utf-8")


def test_a_node_id_yaml_read_as_a_number_is_an_invalid_id_placed_at_the_key(tmp_path: Path) -> None:
    path = write(tmp_path, base(**{"  good:\n": "  1:\n", "goto: good": "goto: 1"}))
    found = [(d.code, d.line, d.col, d.path) for d in validate_paths([path])]
    assert found == [("SCN023", 13, 15, "node 'hello' > response 1 > goto"), ("SCN023", 15, 3, "node '1'")]


def test_a_number_where_text_is_expected_is_quoted_back(tmp_path: Path) -> None:
    path = write(tmp_path, base(**{"    say: Hello.\n": "    say: 42\n"}))
    (d,) = validate_paths([path])
    assert (d.code, d.line) == ("SCN012", 10)
    assert 'put it in quotes: "42"' in d.message


def test_an_empty_value_is_placed_at_its_key(tmp_path: Path) -> None:
    (d,) = validate_paths([write(tmp_path, base(**{"    say: Hello.\n": "    say:\n"}))])
    assert (d.code, d.line, d.col) == ("SCN022", 10, 5)
    assert "expected text here, but found nothing" in d.message


def test_schema_version_written_as_text_is_accepted_and_others_are_quoted_back(tmp_path: Path) -> None:
    assert validate_paths([write(tmp_path, base(**{"schema_version: 1": 'schema_version: "1"'}))]) == []
    (d,) = validate_paths([write(tmp_path, base(**{"schema_version: 1": "schema_version: true"}))])
    assert d.code == "SCN011" and "`schema_version: true`" in d.message


PIECES = [":", "- ", "{", "[", "]", "\t", "&a ", "*a ", "'", "#", "~", "yes", "<<: *a", "!!int "]


def _check_never_crashes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(data)
    for d in validate_paths([path]):
        assert d.code in CODES and d.message
        assert d.line is None or d.line >= 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_any_bytes_give_diagnostics_never_an_exception(tmp_path: Path, data: bytes) -> None:
    _check_never_crashes(tmp_path, data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_a_damaged_scenario_gives_diagnostics_never_an_exception(tmp_path: Path, data: st.DataObject) -> None:
    lines = GOOD.read_text(encoding="utf-8").splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 3))):
        where = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["drop", "duplicate", "insert", "indent", "dedent"]))
        if action == "drop" and len(lines) > 1:
            del lines[where]
        elif action == "duplicate":
            lines.insert(where, lines[where])
        elif action == "insert":
            piece = data.draw(st.sampled_from(PIECES))
            column = data.draw(st.integers(0, len(lines[where])))
            lines[where] = lines[where][:column] + piece + lines[where][column:]
        elif action == "indent":
            lines[where] = "  " + lines[where]
        else:
            lines[where] = lines[where][2:] if lines[where].startswith("  ") else lines[where]
    _check_never_crashes(tmp_path, "".join(lines).encode())


def test_a_signal_condition_with_min_above_max_can_never_hold(tmp_path: Path) -> None:
    path = write(tmp_path, base(**{"{signal: empathy}": "{signal: empathy, min: 0.8, max: 0.2}"}))
    (d,) = validate_paths([path])
    assert (d.code, d.severity) == ("SCN046", Severity.warning)
    assert "min 0.8 is above max 0.2" in d.message
