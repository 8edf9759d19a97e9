"""Scenario files that fail safe (issue 12, items 1-6): whatever an author (or a copy-paste, or a hostile
file) puts in a scenario, loading gives located diagnostics that say what to do - never a traceback, a
hang or a crash. Each example from the issue is a test here; each kind has a hypothesis property built
from structural YAML mutations of a good file (aliases, depth, control and separator characters,
booleans and dates in numeric fields, layout slips)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.scenario.diagnostics import Diagnostic
from trainer.scenario.loader import load_all, load_scenario, validate_paths
from trainer.scenario.yaml_limits import MAX_ALIAS_ITEMS, MAX_DEPTH

GOOD = Path(__file__).parent / "fixtures" / "good" / "minimal.yaml"
GOOD_TEXT = GOOD.read_text(encoding="utf-8")
FIXTURE_SETTINGS = settings(max_examples=60, deadline=None,
                            suppress_health_check=[HealthCheck.function_scoped_fixture])


def check(tmp_path: Path, text: str | bytes, name: str = "s.yaml") -> list[Diagnostic]:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return validate_paths([path])


def codes(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.code for d in diagnostics]


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if fragment in line)


# --- 1. aliases that expand without end ("billion laughs") ---------------------------------------------


def laughs(levels: int = 9, width: int = 9) -> str:
    names = "abcdefghijklmnopqrstuvwxyz"[:levels]
    lines = ["laughs:", f"  a: &a [{', '.join(['lol'] * width)}]"]
    pairs = zip(names, names[1:], strict=False)
    lines += [f"  {cur}: &{cur} [{', '.join([f'*{prev}'] * width)}]" for prev, cur in pairs]
    return GOOD_TEXT + "\n".join(lines) + "\n"


def test_billion_laughs_under_an_unknown_key_is_one_located_diagnostic(tmp_path: Path) -> None:
    text = laughs()
    assert len(text.encode()) < 8_000  # the 7 KB file
    [diagnostic] = check(tmp_path, text)
    assert diagnostic.code == "SCN006"
    assert diagnostic.line == line_of(text, "  f: &f")  # the first alias past the bound
    assert "aliases" in diagnostic.message and "write the repeated part out" in diagnostic.message


def test_the_home_screen_skips_a_billion_laughs_file_and_loads_the_rest(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(GOOD_TEXT, encoding="utf-8")
    (tmp_path / "laughs.yaml").write_text(laughs(), encoding="utf-8")
    loaded, problems = load_all(tmp_path)
    assert [s.id for s in loaded] == ["good"]
    assert codes(problems) == ["SCN006"]


def test_an_alias_inside_its_own_anchor_is_refused(tmp_path: Path) -> None:
    [diagnostic] = check(tmp_path, GOOD_TEXT + "loop: &x [a, *x]\n")
    assert diagnostic.code == "SCN006" and "repeat itself" in diagnostic.message


def test_a_file_past_the_item_bound_is_refused_on_both_paths(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from trainer.scenario import yaml_fast, yaml_limits

    monkeypatch.setattr(yaml_limits, "MAX_ITEMS", 40)
    monkeypatch.setattr(yaml_fast, "MAX_ITEMS", 40)
    for text in (GOOD_TEXT, GOOD_TEXT.replace("title: Fixture", "title: &t Fixture")):  # fast, careful
        [diagnostic] = check(tmp_path, text)
        assert diagnostic.code == "SCN006" and "split it into several scenarios" in diagnostic.message


def test_the_careful_path_bounds_aliases_too(tmp_path: Path) -> None:
    # A tab sends the file the careful way (the C parser stops at it); the bound still holds.
    text = laughs().replace("title: Fixture", "title: Fixture\t")
    assert codes(check(tmp_path, text)) == ["SCN006"]


# --- 2. deep nesting -----------------------------------------------------------------------------------


def nested(depth: int, style: str) -> str:
    if style == "flow":
        deep = "{not: " * depth + "{signal: empathy}" + "}" * depth
        return GOOD_TEXT.replace("      - if: {signal: empathy}\n", f"      - if: {deep}\n")
    lines = "".join("  " * (i + 5) + "not:\n" for i in range(depth))
    return GOOD_TEXT.replace("      - if: {signal: empathy}\n",
                             "      - if:\n" + lines + "  " * (depth + 5) + "signal: empathy\n")


@pytest.mark.parametrize("depth", [300, 400, 500, 900, 1000, 5000])
@pytest.mark.parametrize("style", ["flow", "block"])
def test_any_depth_gives_one_clear_message_with_a_short_path(tmp_path: Path, depth: int, style: str) -> None:
    if style == "block" and depth > 1000:
        pytest.skip("a 5,000-level block file is 25 MB of spaces")
    text = nested(depth, style)
    [diagnostic] = check(tmp_path, text)
    assert diagnostic.code == "SCN007"
    assert diagnostic.line is not None and diagnostic.col is not None
    assert diagnostic.path.startswith("node 'hello' > response 1 > if > not")
    assert len(diagnostic.path) < 100 and "more levels" in diagnostic.path
    assert len(diagnostic.format()) < 500


def test_thirty_thousand_levels_do_not_crash_the_c_parser(tmp_path: Path) -> None:
    # The C parser's composer recursed in C and crashed the process (a segmentation fault) at this depth.
    assert codes(check(tmp_path, nested(30_000, "flow"))) == ["SCN007"]


def test_conditions_as_deep_as_authors_write_them_still_load(tmp_path: Path) -> None:
    assert check(tmp_path, nested(20, "flow")) == []
    assert check(tmp_path, nested(20, "block")) == []


@FIXTURE_SETTINGS
@given(depth=st.integers(1, MAX_DEPTH * 3), style=st.sampled_from(["flow", "block"]),
       anchored=st.booleans())
def test_nesting_property(tmp_path: Path, depth: int, style: str, anchored: bool) -> None:
    text = nested(depth, style)
    if anchored:  # the same through an anchor and an alias: the alias counts its depth too
        text = text.replace("      - if:", "      - if: &deep", 1) + "again: [*deep]\n"
    diagnostics = check(tmp_path, text)
    deepest = depth + 6  # root > nodes > hello > responses > item > if, then one level per `not`
    if deepest > MAX_DEPTH:
        assert codes(diagnostics) == ["SCN007"]
    else:
        assert "SCN007" not in codes(diagnostics)
        assert codes(diagnostics) == (["SCN020"] if anchored else [])  # `again` is an unknown key


@FIXTURE_SETTINGS
@given(levels=st.integers(1, 8), width=st.integers(1, 12))
def test_alias_expansion_property(tmp_path: Path, levels: int, width: int) -> None:
    diagnostics = check(tmp_path, laughs(levels, width))
    size, added = 1 + width, 0  # items an anchor stands for (the list and its items), items aliases add
    for _ in range(levels - 1):
        added += width * size
        size = 1 + width * size
    if added > MAX_ALIAS_ITEMS:
        assert codes(diagnostics) == ["SCN006"]
    else:
        assert codes(diagnostics) == ["SCN020"]  # just the unknown key `laughs`


# --- 3. booleans and dates where a number belongs -------------------------------------------------------

NUMERIC_PLACES = {
    "age": ("service_user: {name: Ann,", "service_user: {name: Ann, age: {v},"),
    "effect": ("        goto: good\n", "        goto: good\n        effects: {trust: {v}}\n"),
    "min": ("{signal: empathy}", "{signal: empathy, min: {v}}"),
    "max": ("{signal: empathy}", "{signal: empathy, max: {v}}"),
    "equals": ("{signal: empathy}", "{var: trust, equals: {v}}"),
    "variable": ("start: hello\n", "variables: {hope: {v}}\nstart: hello\n"),
}


@pytest.mark.parametrize("place", ["age", "effect", "min"])
def test_true_is_never_a_number(tmp_path: Path, place: str) -> None:
    old, new = NUMERIC_PLACES[place]
    text = GOOD_TEXT.replace(old, new.replace("{v}", "true"), 1)
    [diagnostic] = check(tmp_path, text)
    assert diagnostic.code == "SCN022"
    assert "true" in diagnostic.message and "never as numbers" in diagnostic.message


def test_a_date_is_named_as_a_date(tmp_path: Path) -> None:
    [diagnostic] = check(tmp_path, GOOD_TEXT.replace("title: Fixture", "title: 2024-01-01"))
    assert diagnostic.code == "SCN012" and "the date 2024-01-01" in diagnostic.message
    assert 'put it in quotes: "2024-01-01"' in diagnostic.message
    old, new = NUMERIC_PLACES["age"]
    [diagnostic] = check(tmp_path, GOOD_TEXT.replace(old, new.replace("{v}", "2024-01-01")))
    assert diagnostic.code == "SCN022" and "the date 2024-01-01" in diagnostic.message


@FIXTURE_SETTINGS
@given(place=st.sampled_from(sorted(NUMERIC_PLACES)),
       value=st.sampled_from(["true", "false", "True", "FALSE", "2024-01-01", "2001-12-14 21:59:43"]))
def test_booleans_and_dates_in_numeric_fields_property(tmp_path: Path, place: str, value: str) -> None:
    old, new = NUMERIC_PLACES[place]
    text = GOOD_TEXT.replace(old, new.replace("{v}", value), 1)
    diagnostics = check(tmp_path, text)
    wrong = [d for d in diagnostics if d.code == "SCN022"]
    assert len(wrong) == 1, [d.format() for d in diagnostics]
    written = next(line for line in new.split("\n") if "{v}" in line).replace("{v}", value).strip()
    assert wrong[0].line == line_of(text, written)
    said = "date" if "-" in value else value.lower()
    assert said in wrong[0].message


# --- 4. invisible characters and line breaks -----------------------------------------------------------


@pytest.mark.parametrize("char, name", [("\x0b", "vertical tab"), ("\x0c", "form feed"), ("\x07", "bell")])
def test_a_control_character_is_named_at_its_line_and_column(tmp_path: Path, char: str, name: str) -> None:
    text = GOOD_TEXT.replace("say: Thanks.", f"say: Thanks.{char} See you.")
    [diagnostic] = check(tmp_path, text)
    assert diagnostic.code == "SCN008"
    assert (diagnostic.line, diagnostic.col) == (line_of(text, "See you"), len("    say: Thanks.") + 1)
    assert name in diagnostic.message and "delete it" in diagnostic.message
    if char == "\x0b":
        assert "Shift+Enter" in diagnostic.message


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_a_line_separator_in_text_neither_breaks_the_file_nor_shifts_line_numbers(
    tmp_path: Path, separator: str
) -> None:
    broken_goto = GOOD_TEXT.replace("default: {goto: bad}", "default: {goto: badd}")
    pasted = broken_goto.replace("say: Hello.", f"say: Hello.{separator}How are you?")
    assert [(d.code, d.line, d.col) for d in check(tmp_path, pasted)] == [
        (d.code, d.line, d.col) for d in check(tmp_path, broken_goto, "b.yaml")]
    loaded = load_scenario(write(tmp_path, GOOD_TEXT.replace("say: Hello.", f"say: Hello.{separator}Hi.")))
    assert loaded.scenario.nodes["hello"].say == "Hello. Hi."


def test_a_line_separator_does_not_make_a_diagnostic_quote_the_wrong_text(tmp_path: Path) -> None:
    text = GOOD_TEXT.replace("summary: A small scenario for a test.", "summary: A small\u2028scenario.")
    text = text.replace("setting: An office.", "setting: 1984")
    [diagnostic] = check(tmp_path, text)
    assert diagnostic.code == "SCN012" and diagnostic.line == line_of(text, "setting: 1984")
    assert diagnostic.message.startswith("YAML read `1984` as the number 1984")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "w.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_bom_changes_nothing(tmp_path: Path) -> None:
    broken = GOOD_TEXT.replace("default: {goto: bad}", "default: {goto: badd}")
    with_bom = check(tmp_path, ("\ufeff" + broken).encode())
    assert [(d.code, d.line, d.col) for d in with_bom] == [
        (d.code, d.line, d.col) for d in check(tmp_path, broken, "b.yaml")]


INSERTED = st.sampled_from(["\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f", "\u2028",
                            "\u2029", "\u200b", "\ufeff", "\r", "\r\n", "\t", "\x1c"])


@FIXTURE_SETTINGS
@given(inserts=st.lists(st.tuples(st.integers(0, len(GOOD_TEXT)), INSERTED), min_size=1, max_size=3))
def test_control_and_separator_characters_property(tmp_path: Path, inserts: list[tuple[int, str]]) -> None:
    text = GOOD_TEXT
    for at, char in sorted(inserts, reverse=True):
        text = text[:at] + char + text[at:]
    diagnostics = check(tmp_path, text.encode("utf-8"))
    lines = len(re.split(r"\r\n|\r|\n", text))
    for diagnostic in diagnostics:
        assert diagnostic.line is None or 1 <= diagnostic.line <= lines, diagnostic.format()
        assert "#x" not in diagnostic.message  # never the parser's "unacceptable character #x000b"
    rejected = [c for _, c in inserts if c in "\x00\x07\x08\x0b\x0c\x1b\x7f\x9f\x1c"]
    if rejected:
        assert codes(diagnostics)[: len(rejected)] == ["SCN008"] * len(rejected)


# --- 5. '#' in the middle of dialogue ------------------------------------------------------------------


def test_a_hash_mid_line_is_warned_with_the_fix(tmp_path: Path) -> None:
    text = GOOD_TEXT.replace("say: Bye.", "say: Okay. #1 priority is sleep")
    [diagnostic] = check(tmp_path, text)
    assert diagnostic.code == "SCN013" and not diagnostic.is_error
    assert diagnostic.line == line_of(text, "#1 priority")
    assert 'put the whole text in quotes: "Okay. #1 priority is sleep"' in diagnostic.message


def test_a_hash_on_a_continuation_line_is_warned_too(tmp_path: Path) -> None:
    said = "    say: I have been thinking\n      about it. #1 thing is sleep\n"
    text = GOOD_TEXT.replace("    say: Bye.\n", said)
    [diagnostic] = check(tmp_path, text)
    assert diagnostic.code == "SCN013" and diagnostic.line == line_of(text, "about it.")
    assert '"I have been thinking about it. #1 thing is sleep"' in diagnostic.message


def test_a_hash_in_a_model_answer_is_warned_too(tmp_path: Path) -> None:
    answers = "    model_answers:\n      - Sleep is #1 for you.\n"
    text = GOOD_TEXT.replace("    say: Bye.\n", "    say: Bye.\n" + answers)
    [diagnostic] = check(tmp_path, text)
    assert diagnostic.code == "SCN013" and diagnostic.path == "node 'bad' > model answer 1"


@pytest.mark.parametrize("line", ["say: Bye.  # a note to myself", 'say: "Okay. #1 priority is sleep"',
                                  "say: 'Okay. #1 priority'", "say: Call me on #5"])
def test_comments_meant_as_comments_and_quoted_hashes_are_not_warned(tmp_path: Path, line: str) -> None:
    text = GOOD_TEXT.replace("say: Bye.", line)
    diagnostics = check(tmp_path, text)
    expected = ["SCN013"] if line.endswith("#5") else []
    assert codes(diagnostics) == expected


# --- 6. YAML messages in the author's words ------------------------------------------------------------

SLIPS = {
    "three-space indent": (GOOD_TEXT.replace("  bad:\n", "   bad:\n"), "line it up"),
    "text starting with [": (GOOD_TEXT.replace("say: Thanks.", "say: [Sighs] Thanks."),
                              'put the whole text in quotes: "[Sighs] Thanks."'),
    "dedented say": (GOOD_TEXT.replace("  hello:\n    say: Hello.\n", "  hello:\n  say: Hello.\n"),
                     "indent it back under its own key"),
    "text starting with a quote": (GOOD_TEXT.replace("say: Thanks.", 'say: "Thanks," she says.'),
                                   "the other kind of quotes"),
    "colon in text": (GOOD_TEXT.replace("say: Thanks.", "say: Note: thanks."),
                      "put the whole text in quotes"),
}


@pytest.mark.parametrize("slip", sorted(SLIPS))
def test_common_slips_say_what_to_do(tmp_path: Path, slip: str) -> None:
    text, advice = SLIPS[slip]
    [diagnostic] = check(tmp_path, text)
    assert diagnostic.code == "SCN001"
    assert advice in diagnostic.message
    assert "<block" not in diagnostic.message.split(";")[-1]  # the advice is not parser jargon


@pytest.mark.parametrize("value", ["!!float", "!!int abc", "!!float abc", "!!timestamp 2020-99-99"])
def test_a_malformed_tagged_value_is_located_with_what_to_do(tmp_path: Path, value: str) -> None:
    text = GOOD_TEXT.replace("setting: An office.", f"setting: {value}")
    [diagnostic] = check(tmp_path, text)
    assert diagnostic.code == "SCN001" and diagnostic.line == line_of(text, "setting:")
    assert "without a `!!` tag" in diagnostic.message


def test_a_non_ascii_node_id_names_the_letter(tmp_path: Path) -> None:
    text = GOOD_TEXT.replace("goto: good", "goto: gööd").replace("  good:", "  gööd:")
    diagnostics = check(tmp_path, text)
    assert codes(diagnostics) == ["SCN023", "SCN023"]
    assert all("'ö' is not an ASCII letter" in d.message and "ASCII letters" in d.message
               for d in diagnostics)


ADVICE = re.compile(r"put |line it up|indent|write |quote|delete|check |remove|rename|use ")
GOOD_LINES = GOOD_TEXT.split("\n")


@FIXTURE_SETTINGS
@given(line=st.integers(1, len(GOOD_LINES) - 2),
       slip=st.sampled_from(["indent+1", "indent+3", "dedent", "[", "{", '"', "*", "@", "`", ": x: ", " #x"]))
def test_every_syntax_error_from_a_layout_slip_says_what_to_do(tmp_path: Path, line: int, slip: str) -> None:
    lines = list(GOOD_LINES)
    target = lines[line]
    if slip.startswith("indent"):
        lines[line] = " " * int(slip[-1]) + target
    elif slip == "dedent":
        lines[line] = target[1:] if target.startswith(" ") else target
    elif ": " in target:
        key, value = target.split(": ", 1)
        lines[line] = f"{key}: {slip}{value}" if slip not in (": x: ", " #x") else f"{key}: {value}{slip}"
    diagnostics = check(tmp_path, "\n".join(lines))
    for diagnostic in diagnostics:
        if diagnostic.code == "SCN001":
            assert ADVICE.search(diagnostic.message.split("valid YAML:", 1)[1]), diagnostic.format()


# --- any bytes at all ------------------------------------------------------------------------------------

FRAGMENTS = st.sampled_from([
    b"\xef\xbb\xbf", b"\x00", b"\x0b", b"\xe2\x80\xa8", b"\t", b"\r", b"\n", b"  ", b"- ", b": ", b"&a ",
    b"*a",
    b"!!int ", b"!!binary ", b"!!float ", b"!!timestamp ", b"!!set ", b"!!omap ", b"? ", b"<<: ", b"[", b"]",
    b"{", b"}", b"'", b'"', b"#", b"%YAML 1.1\n", b"---\n", b"...\n", b"|\n", b">-\n", b"true",
    b"2024-01-01", b"1e400", b".nan", b"\xff", b"\xc3", b"@", b"`",
])
GOOD_BYTES = GOOD_TEXT.encode()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations=st.lists(st.tuples(st.integers(0, len(GOOD_BYTES)), st.integers(0, 3),
                                    st.one_of(FRAGMENTS, st.binary(max_size=3))), min_size=1, max_size=4))
def test_any_byte_mutation_of_a_scenario_gives_diagnostics_never_a_traceback(
    tmp_path: Path, mutations: list[tuple[int, int, bytes]]
) -> None:
    data = GOOD_BYTES
    for at, cut, inserted in mutations:
        at %= len(data) + 1
        data = data[:at] + inserted + data[at + cut :]
    diagnostics = check(tmp_path, data)
    # A lone \r ends a line too (for editors, YAML and the loader alike): count lines as they do.
    lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
    for diagnostic in diagnostics:
        assert diagnostic.line is None or 1 <= diagnostic.line <= lines + 1, diagnostic.format()
        assert "\n" not in diagnostic.format() and len(diagnostic.message) < 1000, diagnostic.format()


def test_a_line_break_inside_a_quoted_key_stays_on_the_diagnostic_line(tmp_path: Path) -> None:
    # Found by the byte-mutation property: a carriage return inside a key became a line break in the
    # node path the diagnostic names, splitting one diagnostic over two lines.
    data = GOOD_BYTES.replace(b"nodes:\n", b"nodes:\n  \"a\\rb\":\n    line: hello\n", 1)
    for diagnostic in check(tmp_path, data):
        assert len(diagnostic.format().splitlines()) == 1, diagnostic.format()
