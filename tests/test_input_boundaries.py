"""Every way text comes in fails safe (issue 12, items 4 and 7): `--replies` files, stdin in plain mode,
`trainer score` JSON lines and text sent from the app's reply box go through one normalisation
(trainer.textnorm). A byte-order mark, a U+2028 or a vertical tab pasted from Word or a web page never
turns an option pick into typed text, splits a reply, shifts a line number or drops a line; `trainer score`
never writes anything a strict JSON parser rejects. Byte-level mutations of replies files and JSON lines
(hypothesis) never give a traceback or a hang."""

from __future__ import annotations

import io
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.tui_support import FakeScorer
from trainer import textnorm
from trainer.authoring import rehearse as rh
from trainer.plain import run_plain
from trainer.scenario.text_checks import decode
from trainer.scoring.api import SIGNALS, Assessment
from trainer.scoring.commands import score_lines

FIXTURE = Path(__file__).parent / "fixtures" / "tui" / "kitchen-table.yaml"
SEPARATORS = ["\u2028", "\u2029", "\x0b", "\x0c", "\x85"]


def strict_json(line: str) -> Any:
    """json.loads as strict parsers (Node's JSON.parse, Go's encoding/json) read a line: no NaN/Infinity."""

    def reject(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    return json.loads(line, parse_constant=reject)


# --- replies files ------------------------------------------------------------------------------------


def test_a_bom_does_not_turn_the_first_option_pick_into_text(tmp_path: Path) -> None:
    path = tmp_path / "replies.txt"
    path.write_bytes("\ufeff#1\nHello there\n".encode())
    replies = rh.read_replies(path)
    assert [(r.text, r.option, r.where) for r in replies] == [
        ("#1", 1, f"{path}:1"), ("Hello there", None, f"{path}:2")]


@pytest.mark.parametrize("separator", SEPARATORS)
def test_a_separator_inside_a_reply_neither_splits_it_nor_shifts_the_line_numbers(
    tmp_path: Path, separator: str
) -> None:
    path = tmp_path / "replies.txt"
    path.write_text(f"It sounds hard.{separator}What happened?\n#2\n", encoding="utf-8")
    replies = rh.read_replies(path)
    assert [(r.text, r.option, r.where) for r in replies] == [
        ("It sounds hard. What happened?", None, f"{path}:1"), ("#2", 2, f"{path}:2")]


def test_a_bom_and_separators_in_a_yaml_replies_file_are_handled_as_in_text(tmp_path: Path) -> None:
    path = tmp_path / "replies.yaml"
    path.write_bytes("\ufeff- '#1'\n- Hello\u2028there\n- It's hard\x0bwhat happened?\n".encode())
    assert [(r.text, r.option, r.where) for r in rh.read_replies(path)] == [
        ("#1", 1, f"{path}:1"), ("Hello there", None, f"{path}:2"),
        ("It's hard what happened?", None, f"{path}:3")]


def test_a_deeply_nested_yaml_replies_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "replies.yaml"
    path.write_text("- " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(rh.RehearsalError, match=r"replies.yaml:1:\d+: .*nests more than"):
        rh.read_replies(path)


REPLY_BYTES = st.lists(
    st.one_of(
        st.sampled_from([b"\xef\xbb\xbf", b"#1", b"#2", b"option 3", b"\n", b"\r\n", b"\r", b"\x00",
                         b"\x0b", b"\x0c", b"\xe2\x80\xa8", b"\xe2\x80\x8b", b"\xc2\x85", b"\xff", b"- ",
                         b": ", b"&a ", b"*a", b"[", b"{", b"'", b'"', b"#", b"\t", b"!!int ", b"!!float ",
                         b"!!timestamp ", b"!!binary ", b"? ", b"<<: "]),
        st.binary(max_size=6),
        st.text(max_size=12).map(str.encode),
    ),
    max_size=30,
).map(b"".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=REPLY_BYTES, suffix=st.sampled_from([".txt", ".yaml"]))
def test_any_bytes_in_a_replies_file_give_replies_or_a_located_error(
    tmp_path: Path, data: bytes, suffix: str
) -> None:
    path = tmp_path / f"replies{suffix}"
    path.write_bytes(data)
    try:
        replies = rh.read_replies(path)
    except rh.RehearsalError as exc:
        assert str(exc).startswith(str(path))
        return
    for reply in replies:
        assert reply.text and not textnorm.is_blank(reply.text)
        assert not textnorm.invisible_in(reply.text)  # nothing invisible is kept in a reply
        assert reply.where.startswith(f"{path}:")
        if suffix == ".txt":  # line numbers are the editor's: \n, \r\n and \r only
            number = int(reply.where.rsplit(":", 1)[1])
            # read as the reader does: UTF-8, or UTF-16/32 with its byte-order mark
            lines = textnorm.split_lines(textnorm.strip_bom(decode(data)))
            assert textnorm.clean_line(lines[number - 1]).strip() == reply.text


# --- plain mode stdin ---------------------------------------------------------------------------------


def _play(stdin: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    run_plain(str(FIXTURE), stdin=io.StringIO(stdin), stdout=out, stderr=err, scorer=FakeScorer())
    return out.getvalue()


def test_a_bom_at_the_start_of_stdin_still_picks_the_option(monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    with_bom, without = (re.sub(r"--resume \w+", "", _play(stdin)) for stdin in ("\ufeff1\n", "1\n"))
    assert with_bom == without
    assert "There is no option" not in with_bom


def test_a_zero_width_only_line_on_stdin_is_an_empty_reply(monkeypatch: pytest.MonkeyPatch,
                                                           tmp_path: Path) -> None:
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    assert _play("\u200b\x00\n") == _play("\n")


# --- trainer score: JSON lines ------------------------------------------------------------------------


class StubScorer:
    """Scores every reply 0.5 (the JSON handling is what is tested here, not the model)."""

    def assess_many(self, items: list[tuple[str, str | None]], batch_size: int = 256) -> list[Assessment]:
        return [Assessment(text, dict.fromkeys(SIGNALS, 0.5)) for text, _ in items]


def score(data: bytes, scorer: Any = None) -> tuple[list[Any], str, int]:
    out, err = io.StringIO(), io.StringIO()
    bad = score_lines(io.BytesIO(data), scorer or StubScorer(), out, err, progress=False)
    written = out.getvalue()
    written.encode("utf-8")  # what stdout can carry: no lone surrogates
    return [strict_json(line) for line in written.split("\n") if line], err.getvalue(), bad


def test_a_bom_on_the_first_json_line_is_not_an_error() -> None:
    records, err, bad = score('\ufeff{"id": "a", "text": "Hello"}\n{"id": "b", "text": "Hi"}\n'.encode())
    assert bad == 0 and err == ""
    assert [r["id"] for r in records] == ["a", "b"]
    assert score("\ufeff\n".encode()) == ([], "", 0)  # an empty file saved with a byte-order mark


@pytest.mark.parametrize("ident", ["1e400", "-1e400", "1E999"])
def test_an_id_past_the_range_of_a_number_is_kept_as_its_text(ident: str) -> None:
    records, _, bad = score(f'{{"id": {ident}, "text": "Hello"}}\n'.encode())
    assert bad == 0
    assert records[0]["id"] == ident  # kept as a string holding the original text


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_in_input_are_reported_not_echoed(constant: str) -> None:
    records, err, bad = score(f'{{"id": {constant}, "text": "Hello"}}\n'.encode())
    assert bad == 1
    assert "not standard JSON" in err and "not standard JSON" in records[0]["error"]


def test_a_huge_integer_id_is_kept_without_a_traceback() -> None:
    digits = "9" * 5000
    records, _, bad = score(f'{{"id": {digits}, "text": "Hello"}}\n'.encode())
    assert bad == 0 and records[0]["id"] == digits


@pytest.mark.parametrize("text", ["\u200b\u200b\u200b", "\x00", "\u2060\ufeff \u2028"])
def test_a_reply_of_only_invisible_characters_is_nothing_to_score(scorer: Any, text: str) -> None:
    records, _, _ = score(json.dumps({"id": 1, "text": text}).encode() + b"\n", scorer)
    assert records[0]["note"].startswith("Nothing to score")
    assert set(records[0]["scores"].values()) == {0.0}


def test_a_long_reply_is_scored_up_to_its_last_full_sentence(scorer: Any) -> None:
    sentence = "It sounds like the last few months have been really hard for you. "
    opening = sentence * (4960 // len(sentence))  # a few dozen characters short of the cut
    assert 4900 < len(opening) < 4990
    last = "I hear that you feel let down by services, and that you want things to change. "
    reply = opening + last + "So tell me more."
    cut = scorer.assess(reply)
    assert cut.note and cut.note.startswith("Only the first 5,000 characters")
    assert cut.scores == scorer.assess(opening.rstrip()).scores  # never a fragment ("...I hear that")
    assert all(e.end <= len(opening) for e in cut.evidence)


def _line(ident: str, text: str) -> bytes:
    return ('{"id": ' + ident + ', "text": ' + json.dumps(text, ensure_ascii=False) + "}").encode()


JSON_LINES = st.lists(
    st.builds(_line, st.sampled_from(["1", '"a"', "1e400", "-1e999", "NaN", "Infinity", "9" * 5000, "1.5",
                                      "true", "null", "[1]", '"\\ud800"']),
              st.text(alphabet=st.sampled_from("ab .\u200b\u2028\x00\x0b\ufeff\ud7ff"), max_size=8)),
    max_size=6,
).map(b"\n".join)


@settings(max_examples=100, deadline=None)
@given(data=JSON_LINES, cuts=st.lists(st.tuples(st.integers(0, 10_000), st.binary(max_size=3)), max_size=3))
def test_mutated_json_lines_give_one_strict_json_record_per_line(data: bytes, cuts: list[Any]) -> None:
    for at, inserted in cuts:  # byte-level mutations: bytes inserted anywhere, a BOM among them
        at %= len(data) + 1
        data = data[:at] + inserted + data[at:]
    test_any_bytes_give_one_strict_json_record_per_non_blank_line.hypothesis.inner_test(data)  # type: ignore


JSON_BYTES = st.lists(
    st.one_of(
        st.sampled_from([b"\xef\xbb\xbf", b'{"id": ', b'"text": ', b'"x"', b", ", b"}", b"\n", b"\r\n",
                         b"1e400", b"NaN", b"-Infinity", b"9" * 40, b"true", b"null", b"[", b"]", b"\\u0000",
                         b"\\ud800", b"\xff", b"\x00", b"\xe2\x80\xa8", b'"context": ']),
        st.binary(max_size=4),
    ),
    max_size=30,
).map(b"".join)


@settings(max_examples=150, deadline=None)
@given(data=JSON_BYTES)
def test_any_bytes_give_one_strict_json_record_per_non_blank_line(data: bytes) -> None:
    records, err, bad = score(data)
    lines = [line for line in data.split(b"\n") if line.strip() and line.strip() != b"\xef\xbb\xbf"]
    assert len(records) == len(lines)
    assert bad == sum("error" in r for r in records) == err.count("trainer score: line ")
    for record in records:
        ident = record.get("id")
        assert not (isinstance(ident, float) and not math.isfinite(ident))
