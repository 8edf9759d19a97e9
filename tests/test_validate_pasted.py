"""Text pasted from Word and slips whose messages pointed at the wrong place: curly quotes, non-breaking
spaces as indentation, UTF-16 files, an over-indented line, an unquoted `{learner}`, a start node that
suggested an ending, and `play --plain` on a scenario with errors."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from trainer.cli import app
from trainer.scenario.loader import load_scenario, validate_paths

runner = CliRunner()
GOOD = Path(__file__).parent / "fixtures" / "good" / "minimal.yaml"


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def with_(old: str, new: str) -> str:
    text = GOOD.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new)


def test_curly_quotes_are_named_as_not_yaml_quotes(tmp_path: Path) -> None:
    path = write(tmp_path, with_("    say: Hello.\n", "    say: \u201cOkay: so what happens now?\u201d\n"))
    (d,) = validate_paths([path])
    assert (d.code, d.line) == ("SCN001", 10)
    assert "curly quote \u201c" in d.message and "does not read as a quote mark" in d.message
    assert d.message.endswith('use straight quotes: "Okay: so what happens now?"')


def test_non_breaking_spaces_in_the_indentation_are_named_at_their_line(tmp_path: Path) -> None:
    nbsp = "\u00a0" * 4
    path = write(tmp_path, with_("    default: {goto: bad}\n", f"{nbsp}default: {{goto: bad}}\n"))
    (d,) = validate_paths([path])
    assert (d.code, d.line, d.col) == ("SCN001", 14, 1), d.format()
    assert "line 14 starts with non-breaking spaces (U+00A0" in d.message
    assert "type ordinary spaces" in d.message


def test_a_non_breaking_space_inside_text_is_not_blamed(tmp_path: Path) -> None:
    path = write(tmp_path, with_("    say: Hello.\n", "    say: >-\n      Hello.\n      \u00a0Really.\n"))
    assert [d.code for d in validate_paths([path])] == []


def test_a_file_saved_as_utf16_is_read(tmp_path: Path) -> None:
    text = GOOD.read_text(encoding="utf-8")
    for encoding, bom in (("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")):
        path = tmp_path / f"u-{encoding}.yaml"
        path.write_bytes(bom + text.encode(encoding))
        assert validate_paths([path]) == []
        assert load_scenario(path).scenario.title == "Fixture"
    broken = tmp_path / "half.yaml"
    broken.write_bytes(b"\xff\xfe" + text.encode("utf-16-le")[:-1])  # an odd number of bytes
    (d,) = validate_paths([broken])
    assert d.code == "SCN004" and "UTF-16 ('Unicode')" in d.message and "save it as UTF-8" in d.message


def test_an_over_indented_line_is_named_itself_not_the_next_line(tmp_path: Path) -> None:
    path = write(tmp_path, with_("    say: Hello.\n", "     say: Hello.\n"))  # 5 spaces, siblings 4
    (d,) = validate_paths([path])
    assert (d.code, d.line, d.col) == ("SCN001", 10, 6), d.format()
    assert "line 10 is indented by 5 spaces where the lines after it that belong with it use 4" in d.message


def test_an_under_indented_line_is_still_named_itself(tmp_path: Path) -> None:
    path = write(tmp_path, with_("    default: {goto: bad}\n", "   default: {goto: bad}\n"))
    (d,) = validate_paths([path])
    assert (d.code, d.line) == ("SCN001", 14), d.format()


def test_unquoted_placeholder_at_the_start_of_text_says_put_it_in_quotes(tmp_path: Path) -> None:
    path = write(tmp_path, with_("    say: Hello.\n", "    say: {learner}, what happens now?\n"))
    (d,) = validate_paths([path])
    assert (d.code, d.line) == ("SCN001", 10)
    assert d.message.endswith('put the whole text in quotes: "{learner}, what happens now?"'), d.message


def test_a_missing_start_node_suggests_a_node_that_is_not_an_ending(tmp_path: Path) -> None:
    text = with_("start: hello", "start: hello_there").replace("  bad:\n", "  end_hello_there:\n").replace(
        "{goto: bad}", "{goto: end_hello_there}")
    (d,) = validate_paths([write(tmp_path, text)])
    assert d.code == "SCN031" and d.message.endswith("(did you mean 'hello'?)"), d.message


def test_play_plain_on_a_scenario_with_errors_prints_the_problems(tmp_path: Path) -> None:
    path = write(tmp_path, with_("goto: good", "goto: goood").replace("start: hello", "start: helo"))
    result = runner.invoke(app, ["play", "--plain", str(path)], input="")
    assert result.exit_code == 2
    assert "has 2 problem(s), so it cannot be played" in result.stderr
    assert f"{path}:7:8: SCN031 error" in result.stderr and "SCN030 error" in result.stderr


def test_curly_quotes_inside_text_stay_inside_straight_ones(tmp_path: Path) -> None:
    path = write(tmp_path, with_("    say: Hello.\n", "    say: \u201cHi\u201d: she said\n"))
    (d,) = validate_paths([path])
    assert d.message.endswith('use straight quotes: "\u201cHi\u201d: she said"'), d.message


def test_a_key_that_starts_with_non_breaking_spaces_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, with_("title: Fixture", "\u00a0\u00a0title: Fixture"))
    unknown = [d for d in validate_paths([path]) if d.code == "SCN020"]
    assert len(unknown) == 1 and unknown[0].line == 2
    assert "(did you mean 'title'?) - it starts with non-breaking spaces (U+00A0" in unknown[0].message


def test_a_rehearsal_file_saved_as_utf16_is_read(tmp_path: Path) -> None:
    from trainer.authoring.rehearse import load_rehearsals

    path = tmp_path / "r.yaml"
    text = "- name: one\n  replies: [Hi]\n  expect_ending: good\n"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    (rehearsal,) = load_rehearsals(path)
    assert rehearsal.name == "one" and rehearsal.expect_ending == "good"


def test_a_key_in_the_column_of_a_lists_dashes_is_said_without_the_parsers_question_mark(
    tmp_path: Path,
) -> None:
    # `default:` indented 2 more than its siblings lands in the column of the `- if:` items: ruamel said
    # "expected <block end>, but found '?'", and there is no '?' in the file.
    path = write(tmp_path, with_("    default: {goto: bad}\n", "      default: {goto: bad}\n"))
    (d,) = validate_paths([path])
    assert (d.code, d.line, d.col) == ("SCN001", 14, 7), d.format()
    assert "'?'" not in d.message and "block end" not in d.message
    assert ("line 14 (`default:`) is indented by 6 spaces, the column of the `- ` items of the list above "
            "it (line 12), so YAML reads it as part of that list" in d.message)
    assert "If it belongs with `responses:` (line 11), indent it by 4 spaces, as that line is" in d.message
    assert "if it belongs to the item on line 12, indent it by 8 spaces, in line with `if:`" in d.message
    # and the fix it names is one: 4 spaces validates
    fixed = write(tmp_path, path.read_text().replace("      default:", "    default:"), "fixed.yaml")
    assert validate_paths([fixed]) == []


def test_validating_a_rehearsal_file_says_it_is_one_and_which_command_reads_it(tmp_path: Path) -> None:
    write(tmp_path, GOOD.read_text(encoding="utf-8"), "home-visit.yaml")
    (tmp_path / "rehearsals").mkdir()
    path = write(tmp_path / "rehearsals", "- name: one\n  replies: [Hi]\n  expect_ending: good\n",
                 "home-visit.yaml")
    (d,) = validate_paths([path])
    home = tmp_path / "home-visit.yaml"
    assert d.code == "SCN002" and d.message.startswith(f"the file holds a list of rehearsals for {home}")
    assert f"`trainer rehearse --check {home}` plays them" in d.message
    assert f"validate the scenario itself with `trainer validate {home}`" in d.message
    other = write(tmp_path, "- 1\n- 2\n", "numbers.yaml")  # a list that is no rehearsal file: not called one
    (d,) = validate_paths([other])
    assert "rehearsal" not in d.message and d.message.startswith("the file holds a list;")


def test_a_replies_file_that_is_not_utf8_is_named_at_its_line_and_column(tmp_path: Path) -> None:
    from trainer.authoring.rehearse import RehearsalError, read_replies

    path = tmp_path / "latin.txt"
    path.write_bytes("Hello\nI can see this is hard\ncaf\u00e9 ok\n".encode("latin-1"))
    try:
        read_replies(path)
    except RehearsalError as exc:
        said = str(exc)
    else:  # pragma: no cover - the test fails here
        raise AssertionError("read")
    assert said.startswith(f"{path}:3:4: byte 0xe9 is not UTF-8 text") and "save it as UTF-8" in said
    result = runner.invoke(app, ["rehearse", str(GOOD), "--replies", str(path)])
    assert result.exit_code == 2 and f"{path}:3:4: byte 0xe9" in result.output
