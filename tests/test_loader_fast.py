"""The loader's fast path (ruamel's C parser) must read every file exactly as the round-trip loader does:
the same values and the same positions for every key and item, so diagnostics point at the same place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.scenario.loaded import Positions
from trainer.scenario.yaml_careful import plain, yaml
from trainer.scenario.yaml_fast import Unusual, fast_parse
from trainer.scenario.yaml_limits import TooComplex

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted([*ROOT.glob("scenarios/*.yaml"), *ROOT.glob("tests/fixtures/**/*.yaml")])


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*path, index))
    return found


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return None


def _assert_same_as_round_trip(text: str, fast: Any) -> None:
    """The fast path's reading of `text` has the round-trip loader's values, and the same position for
    every key and item."""
    slow = yaml().load(text)
    assert plain(fast) == plain(slow)
    fast_positions, slow_positions = Positions(fast), Positions(slow)
    for loc in _paths(slow):
        for key in (False, True):
            assert fast_positions.locate(loc, key=key) == slow_positions.locate(loc, key=key), loc


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_fast_and_round_trip_paths_agree(path: Path) -> None:
    text = _read(path)
    if text is None:
        pytest.skip("not UTF-8: neither parser reads it")
    try:
        fast = fast_parse(text)
    except Unusual:
        return  # read by the round-trip loader alone
    except TooComplex:
        return  # too deep or too big: neither path builds it
    _assert_same_as_round_trip(text, fast)


def test_the_bundled_scenarios_take_the_fast_path() -> None:
    # If this fails, a bundled scenario uses syntax the fast path declines, or the C parser is missing:
    # loading stays correct but becomes about 25 times slower.
    for path in ROOT.glob("scenarios/*.yaml"):
        fast_parse(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # anchors and aliases
        "a: !!str 1\n",  # explicit tags
        "%YAML 1.1\n---\na: yes\n",  # directives
        "a: 1\na: 2\n",  # duplicate keys: the round-trip loader reports them
        "a: 2001-12-14\n",  # timestamps
        "a: [1, 2\n",  # syntax errors: the round-trip loader words them
    ],
)
def test_unusual_documents_go_the_careful_way(text: str) -> None:
    with pytest.raises(Unusual):
        fast_parse(text)


def test_dialogue_punctuation_does_not_leave_the_fast_path() -> None:
    data = fast_parse('say: "Hello!"\nline: Wait! You & me, 50% sure\n')
    assert plain(data) == {"say": "Hello!", "line": "Wait! You & me, 50% sure"}


# The fast path was rebuilt on the C parser's events (issue 12): whatever a mutation of a good file makes,
# when the fast path reads it, it reads the same values at the same positions as the round-trip loader.
GOOD = (ROOT / "tests" / "fixtures" / "good" / "minimal.yaml").read_text(encoding="utf-8")
PIECES = st.sampled_from([
    "\n", "  ", "- ", ": ", "a", "1", "1.5", "true", "null", "~", "'q'", '"d"', "[", "]", "{", "}", ", ",
    "|\n  ", ">\n  ", "#", " #c", "x: y", "0x1F", "1e3", ".inf", "-",
])
EDITS = st.lists(st.tuples(st.integers(0, len(GOOD)), st.integers(0, 2), PIECES), min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(edits=EDITS)
def test_fast_and_round_trip_paths_agree_on_mutated_files(edits: list[tuple[int, int, str]]) -> None:
    text = GOOD
    for at, cut, piece in edits:
        at %= len(text) + 1
        text = text[:at] + piece + text[at + cut :]
    try:
        fast = fast_parse(text)
    except (Unusual, TooComplex):
        return
    _assert_same_as_round_trip(text, fast)


def test_a_block_scalar_opening_with_blank_lines_takes_the_careful_path() -> None:
    # Found by the property above: the C parser read this, the round-trip loader refuses it ("more indented
    # follow up line than first in a block scalar"), so the fast path must not answer for it.
    text = GOOD
    for at, cut, piece in [(0, 0, "\n"), (348, 0, "|\n  "), (347, 2, "|\n  ")]:
        text = text[:at] + piece + text[at + cut :]
    with pytest.raises(Exception, match="more indented follow up line"):
        yaml().load(text)
    with pytest.raises(Unusual):
        fast_parse(text)
