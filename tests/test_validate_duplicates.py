"""A key written twice is one problem, said once (SCN005), not a cascade of the problems its dropped
writing leaves behind.

A tester copied a bundled scenario, wrote a second `start:` line and got eight errors: the SCN005 and seven
nodes "never reached" from the start they did not mean. Reading one writing of a value written twice drops
the other, and every check then reports what is missing. The loader now reads a section of entries written
twice (a second `nodes:`) as one, and a value written twice both ways, keeping only the problems that do
not depend on which writing is read (trainer.scenario.loader._not_of_which_is_read). These tests hold what
`trainer validate` prints, line for line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from trainer.cli import app
from trainer.scenario.loader import BUNDLED_DIR, discover, validate_paths

SECRET = (BUNDLED_DIR / "keep-it-secret.yaml").read_text(encoding="utf-8")
MINIMAL = (Path(__file__).parent / "fixtures" / "good" / "minimal.yaml").read_text(encoding="utf-8")

UNTIL = "(until then, problems that depend on which one is read are not reported)"
FIELD = f"keep the one you mean and delete the other {UNTIL}"
NODE_ID = ("two nodes cannot share an id: give one of them an id of its own, or delete the one you do not "
           f"mean {UNTIL}")


def section(key: str) -> str:
    return (f"move what is under this `{key}:` up under the first and delete this line (until then both are "
            "read as one)")


def validate(tmp_path: Path, text: str) -> tuple[Path, list[str], str]:
    """The file written, the lines `trainer validate FILE` prints, and its summary line."""
    path = tmp_path / "copy.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return path, result.stdout.splitlines(), result.stderr.strip()


def edited(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def line_of(text: str, written: str, nth: int = 1) -> int:
    """The 1-based number of the `nth` line that is exactly `written`."""
    numbers = [i for i, line in enumerate(text.splitlines(), 1) if line == written]
    return numbers[nth - 1]


def test_a_second_start_is_one_error_not_seven_unreachable_nodes(tmp_path: Path) -> None:
    # the tester's: before, 8 errors (SCN005 and SCN032 for hello, sleep, secret_ask, told, promised,
    # repair and holds_back, "never reached from the start node 'cot_asked'")
    text = edited(SECRET, "start: hello\n", "start: cot_asked\nstart: hello\n")
    path, lines, summary = validate(tmp_path, text)
    first = line_of(text, "start: cot_asked")
    assert lines == [
        f"{path}:{first + 1}:1: SCN005 error: start: 'start' is written twice here (first at line {first}); "
        f"each key may appear once: {FIELD}"
    ]
    assert summary == "1 file, 1 error, 0 warnings"


def test_nodes_written_in_two_blocks_are_one_error_not_nine_gotos_to_nowhere(tmp_path: Path) -> None:
    # before, 10 errors: every goto into the second block "goes to node ..., which does not exist"
    text = edited(SECRET, "\n  cot_asked:\n", "\nnodes:\n  cot_asked:\n")
    path, lines, summary = validate(tmp_path, text)
    again, first = line_of(text, "nodes:", 2), line_of(text, "nodes:")
    assert lines == [
        f"{path}:{again}:1: SCN005 error: nodes: 'nodes' is written twice here (first at line {first}); each "
        f"key may appear once: {section('nodes')}"
    ]
    assert summary == "1 file, 1 error, 0 warnings"


def test_cues_written_in_two_blocks_are_one_error_not_unknown_cues(tmp_path: Path) -> None:
    # before, 3 errors: 'colleague_named' and 'safety_info' unknown where the rules test them
    text = edited(SECRET, "\n  safety_info:\n", "\ncues:\n  safety_info:\n")
    path, lines, summary = validate(tmp_path, text)
    again, first = line_of(text, "cues:", 2), line_of(text, "cues:")
    assert lines == [
        f"{path}:{again}:1: SCN005 error: cues: 'cues' is written twice here (first at line {first}); each "
        f"key may appear once: {section('cues')}"
    ]
    assert summary == "1 file, 1 error, 0 warnings"


def test_a_cues_phrases_written_twice_are_one_error(tmp_path: Path) -> None:
    text = edited(SECRET, "    description: Says the next steps will be planned with her",
                  "    phrases: [plan]\n    description: Says the next steps will be planned with her")
    path, lines, summary = validate(tmp_path, text)
    again = line_of(text, "    phrases: [plan]")
    first = line_of(text, '    phrases: ["plan with you", "plan together", "together", "do it with you", '
                          '"with you first",')
    assert lines == [
        f"{path}:{again}:5: SCN005 error: cue 'plan_with_her' > phrases: 'phrases' is written twice here "
        f"(first at line {first}); each key may appear once: {FIELD}"
    ]
    assert summary == "1 file, 1 error, 0 warnings"


def test_a_node_id_written_twice_does_not_also_strand_what_its_other_copy_goes_to(tmp_path: Path) -> None:
    # the second 'hello' (meant as a new node, its id not yet changed) is the only way to 'later': read as
    # the first, 'later' was "never reached" too
    extra = ("  hello:\n    say: Again.\n    default: {goto: later}\n"
             "  later:\n    say: Later.\n    ending: {outcome: built, title: Later, note: Later.}\n")
    text = MINIMAL + extra
    path, lines, summary = validate(tmp_path, text)
    assert lines == [
        f"{path}:21:3: SCN005 error: node 'hello': 'hello' is written twice here (first at line 9); each key "
        f"may appear once: {NODE_ID}"
    ]
    assert summary == "1 file, 1 error, 0 warnings"


def test_problems_that_do_not_depend_on_the_duplicate_are_still_reported(tmp_path: Path) -> None:
    # a second `nodes:` block with a `say` written twice and a node nothing goes to, whose goto is
    # misspelt, and a cue misspelt in the first block: each is a problem however the duplicates are read
    text = edited(MINIMAL, "        goto: good\n",
                  "        goto: good\n      - if: {cue: nope}\n        goto: bad\n")
    text = edited(text, "  good:\n", "nodes:\n  good:\n")
    text = edited(text, "    ending: {outcome: broke_down, title: Bad, note: It went badly.}\n",
                  "    ending: {outcome: broke_down, title: Bad, note: It went badly.}\n"
                  "  more:\n    say: More.\n    default: {goto: godo}\n")
    text = edited(text, "    say: Thanks.\n", "    say: Thanks.\n    say: Again.\n")
    path, lines, summary = validate(tmp_path, text)
    assert [line.split(": ", 2)[1] for line in lines] == [
        "SCN041 error", "SCN005 error", "SCN005 error", "SCN032 error", "SCN030 error",
    ], lines
    assert lines[0].startswith(
        f"{path}:14:19: SCN041 error: node 'hello' > response 2 > if > cue: unknown cue 'nope'"
    )
    assert lines[1] == (f"{path}:17:1: SCN005 error: nodes: 'nodes' is written twice here (first at line 8); "
                        f"each key may appear once: {section('nodes')}")
    assert lines[2] == (f"{path}:20:5: SCN005 error: node 'good' > say: 'say' is written twice here (first "
                        f"at line 19); each key may appear once: {FIELD}")
    assert lines[3] == (f"{path}:25:3: SCN032 error: node 'more': this node can never be reached from the "
                        "start node 'hello': add a transition to it or remove it")
    assert lines[4].startswith(
        f"{path}:27:21: SCN030 error: node 'more' > default > goto: goes to node 'godo', which does not exist"
    )
    assert summary == "1 file, 5 errors, 0 warnings"


def test_a_goto_to_nowhere_in_the_dropped_copy_of_a_node_is_reported(tmp_path: Path) -> None:
    text = MINIMAL + "  bad:\n    say: Bye again.\n    default: {goto: nowhere}\n"
    path, lines, summary = validate(tmp_path, text)
    assert [line.split(": ", 2)[1] for line in lines] == ["SCN005 error", "SCN030 error"], lines
    assert lines[1].startswith(f"{path}:23:21: SCN030 error: node 'bad' > default > goto: goes to node "
                               "'nowhere', which does not exist")
    assert summary == "1 file, 2 errors, 0 warnings"


def test_a_node_in_both_blocks_of_nodes_is_a_duplicate_of_its_own(tmp_path: Path) -> None:
    text = MINIMAL + "nodes:\n  bad:\n    say: Again.\n    ending: {outcome: built, title: B, note: N.}\n"
    path, lines, summary = validate(tmp_path, text)
    assert lines == [
        f"{path}:21:1: SCN005 error: nodes: 'nodes' is written twice here (first at line 8); each key may "
        f"appear once: {section('nodes')}",
        f"{path}:22:3: SCN005 error: node 'bad': 'bad' is written twice here (first at line 18); each key "
        f"may appear once: {NODE_ID}",
    ]
    assert summary == "1 file, 2 errors, 0 warnings"


# --- every bundled scenario, cut or doubled where an author might ----------------------------------------

BUNDLED = {path.stem: path.read_text(encoding="utf-8") for path in discover([BUNDLED_DIR])}


def entry_lines(text: str, section: str) -> list[int]:
    """The 0-based indexes of the lines that start an entry (`  id:`) of a top-level section."""
    lines = text.splitlines()
    start = lines.index(f"{section}:")
    found = []
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if line and not line.startswith((" ", "#")):
            break
        if line.startswith("  ") and not line.startswith("   ") and line.rstrip().endswith(":"):
            found.append(i)
    return found


def only_duplicates(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "copy.yaml"
    path.write_text(text, encoding="utf-8")
    return [d.code for d in validate_paths([path])]


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_any_bundled_scenario_with_its_nodes_or_cues_cut_in_two_blocks_is_one_error(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    scenario_id = data.draw(st.sampled_from(sorted(BUNDLED)))
    text = BUNDLED[scenario_id]
    sections = [s for s in ("nodes", "cues") if f"\n{s}:\n" in text and len(entry_lines(text, s)) > 1]
    section = data.draw(st.sampled_from(sections))
    cut = data.draw(st.sampled_from(entry_lines(text, section)[1:]))
    lines = text.splitlines()
    cut_text = "\n".join([*lines[:cut], f"{section}:", *lines[cut:]]) + "\n"
    assert only_duplicates(tmp_path_factory.mktemp("cut"), cut_text) == ["SCN005"]


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_any_bundled_scenario_with_a_second_start_is_one_error(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    scenario_id = data.draw(st.sampled_from(sorted(BUNDLED)))
    text = BUNDLED[scenario_id]
    lines = text.splitlines()
    nodes = [lines[i].strip().rstrip(":") for i in entry_lines(text, "nodes")]
    other = data.draw(st.sampled_from(nodes))
    before = data.draw(st.booleans())
    start = next(line for line in lines if line.startswith("start:"))
    second = f"start: {other}\n{start}\n" if before else f"{start}\nstart: {other}\n"
    doubled = edited(text, f"{start}\n", second)
    assert only_duplicates(tmp_path_factory.mktemp("start"), doubled) == ["SCN005"]
