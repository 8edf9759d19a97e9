"""Schema errors in the author's words: pydantic's validation errors turned into located diagnostics.

`schema_diagnostic` places each error at the text the author wrote (by `Positions`), names the path by
ids, says what was expected and what YAML read instead (true/false, a number, a date), and what to do.
Used by the loader after a document has been read.
"""

from __future__ import annotations

import datetime
import re
import types
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from trainer import textnorm
from trainer.scenario import diagnostics as dg
from trainer.scenario.diagnostics import Diagnostic
from trainer.scenario.loaded import Loc, Positions, describe_path, did_you_mean, placed
from trainer.scenario.schema import Condition, Scenario


def _unwrap(annotation: Any) -> list[Any]:
    """The candidate types of an annotation: Optional/Union split, Annotated stripped."""
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        return [t for arg in get_args(annotation) for t in _unwrap(arg) if t is not type(None)]
    if origin is Annotated:
        return _unwrap(get_args(annotation)[0])
    return [annotation]


def _field_by_alias(model: type[BaseModel], name: str) -> Any:
    for field_name, info in model.model_fields.items():
        if (info.alias or field_name) == name:
            return info
    return None


def _type_at(loc: Loc) -> Any:
    """The schema type expected at `loc` (a model class, list[...], ...), or None when unknown."""
    current: Any = Scenario
    for part in loc:
        if part == "[key]":
            return None
        step = None
        for candidate in _unwrap(current):
            origin = get_origin(candidate)
            if isinstance(candidate, type) and issubclass(candidate, BaseModel) and isinstance(part, str):
                info = _field_by_alias(candidate, part)
                if info is not None:
                    step = info.annotation
            elif origin is dict:
                step = get_args(candidate)[1]
            elif origin is list and isinstance(part, int):
                step = get_args(candidate)[0]
            if step is not None:
                break
        if step is None:
            return None
        current = step
    return current


def _model_at(loc: Loc) -> type[BaseModel] | None:
    for candidate in _unwrap(_type_at(loc)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _aliases(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def id_problem(value: Any) -> str:
    """Why a value is not an id, in a few words for SCN023 (" (it holds a space)"), or ""."""
    text = str(value)
    invisible = textnorm.invisible_in(text)
    if invisible:
        return f" (it holds {textnorm.describe(invisible[0])})"
    if text and not text[0].isascii():
        return f" ('{text[0]}' is not an ASCII letter)"
    other = next((ch for ch in text if not ch.isascii()), None)
    if other is not None:
        return f" ('{other}' is not an ASCII letter)"
    if " " in text:
        return " (it holds a space)"
    if text[:1].isdigit():
        return " (it starts with a digit)"
    if len(text) > 64:
        return f" (it has {len(text)} characters)"
    return ""


def kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (yes/no)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, datetime.datetime):
        return f"the date and time {value.isoformat(sep=' ')}"
    if isinstance(value, datetime.date):
        return f"the date {value.isoformat()}"
    text = " ".join(str(value).split())
    return f"'{text[:60]}...'" if len(text) > 60 else f"'{text}'"


_EXPECTED = {
    "dict_type": "a mapping (`key: value` lines)",
    "model_type": "a mapping (`key: value` lines)",
    "model_attributes_type": "a mapping (`key: value` lines)",
    "list_type": "a list (`- item` lines, or [a, b])",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "text",
}


def scalar_text(text_lines: list[str], line: int, col: int) -> str | None:
    """The scalar as the author wrote it at (line, col), to quote it back."""
    if not 1 <= line <= len(text_lines):
        return None
    # Up to a comma, bracket, comment, or a colon that ends a key ("10:30" stays whole).
    match = re.match(r"(?:[^,\]\}#\n:]|:(?=\S))*", text_lines[line - 1][col - 1 :])
    written = match.group(0).strip() if match else ""
    return written or None


#: Fields whose value is an id (keys of nodes, cues, variables and effects are ids too).
_ID_FIELDS = frozenset({"goto", "cue", "var", "start"})


def schema_diagnostic(
    file: Path, positions: Positions, text_lines: list[str], err: ErrorDetails
) -> Diagnostic:
    loc: Loc = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    # A problem with a mapping's key (pydantic's "[key]") is placed at that key.
    on_key = bool(loc) and loc[-1] == "[key]"
    if on_key:
        loc = loc[:-1]
    if kind == "missing":
        parent = _model_at(loc[:-1])
        info = _field_by_alias(parent, str(loc[-1])) if parent else None
        doc = (info.description or "").split("\n\n")[0].replace("\n", " ") if info else ""
        where = positions.locate(loc[:-1], key=True)
        return dg.make("SCN021", file, where.line, where.col, path=describe_path(loc[:-1]),
                       key=loc[-1], doc=doc or "this field is required")
    if kind == "extra_forbidden":
        parent = _model_at(loc[:-1])
        allowed = _aliases(parent) if parent else []
        key = str(loc[-1])
        hint = did_you_mean(key.strip("\u00a0 "), allowed)
        if key[:1] == "\u00a0":  # indentation pasted from Word: part of the key to YAML
            hint += (" - it starts with non-breaking spaces (U+00A0, pasted from Word or a web page), which "
                     "YAML does not count as indentation: delete them and type ordinary spaces")
        return placed(file, positions, "SCN020", loc, at_key=True, key=loc[-1], suggestion=hint,
                       allowed=", ".join(allowed) or "nothing")
    if kind == "string_pattern_mismatch":
        return placed(file, positions, "SCN023", loc, at_key=on_key, value=value, why=id_problem(value))
    if kind == "value_error" and _model_at(loc) is Condition:
        return placed(file, positions, "SCN024", loc, at_key=True, problem=str(ctx.get("error", err["msg"])))
    if kind == "value_error":
        return placed(file, positions, "SCN022", loc, at_key=True, problem=str(ctx.get("error", err["msg"])))
    if kind == "string_type" and (isinstance(value, bool | int | float | datetime.date)):
        where = positions.locate(loc, key=on_key)
        written = scalar_text(text_lines, where.line, where.col) if where.found == len(loc) else None
        if written is not None and (on_key or loc[-1] in _ID_FIELDS):
            # Quoting would not help: a number is not a valid id either.
            return placed(file, positions, "SCN023", loc, at_key=on_key, value=written,
                          why=id_problem(written))
        if written is not None:
            read_as = kind_of(value)
            return placed(file, positions, "SCN012", loc, at_key=on_key, text=written, read_as=read_as)
    if kind == "enum":
        allowed = [a.strip(" '") for a in re.split(r",| or ", str(ctx.get("expected", ""))) if a.strip(" '")]
        problem = f"'{value}' is not allowed here; write one of: {', '.join(allowed)}"
        problem += did_you_mean(str(value), allowed)
        return placed(file, positions, "SCN022", loc, problem=problem)
    if kind in ("too_short", "string_too_short") and not value:
        problem = "this is empty: write something here"
        return placed(file, positions, "SCN022", loc, at_key=True, problem=problem)
    if kind in _EXPECTED:
        problem = f"expected {_EXPECTED[kind]} here, but found {kind_of(value)}"
        if kind.startswith(("int_", "float_")) and isinstance(value, bool):
            problem += ": YAML reads true and false as yes-or-no values, never as numbers; write a number "
            problem += "such as 1"
        elif kind.startswith(("int_", "float_")) and isinstance(value, datetime.date):
            problem += ": write a number"
        return placed(file, positions, "SCN022", loc, at_key=on_key, problem=problem)
    problem = f"{err['msg']} (found {kind_of(value)})"
    return placed(file, positions, "SCN022", loc, at_key=on_key, problem=problem)

