"""The work behind `trainer score` and `trainer eval`, apart from argument parsing and exit codes.

`score_lines` reads JSON lines `{"text", "id"?, "context"?}` and writes one JSON line per input line, in
order: the assessment, or `{"id", "line", "error"}` for a line it could not read (also reported on
stderr with its line number), so nothing is silently dropped. Blank lines are skipped. Input goes through
trainer.textnorm (a byte-order mark is ignored); output is strict JSON: never NaN or Infinity. `NaN` and
`Infinity` in the input are reported as errors; a number id out of a double's range (`1e400`) or an
integer id of more than 4,000 digits is written back as a string holding its original text.
`score_items` scores replies already read (the rows of a CSV file: trainer.cli.csvrows) the same way.
`eval_items` scores labelled replies and gives the per-signal report and, when the lines carry acts, the
per-act one (`trainer.scoring.actreport`).

Used by `trainer.cli` (which decides exit codes).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from trainer import textnorm
from trainer.jsonfields import field_hint
from trainer.scoring.actreport import ActReport, act_report
from trainer.scoring.api import Assessment
from trainer.scoring.evaluate import Labelled, Report, evaluate
from trainer.scoring.scorer import Scorer

PROGRESS_EVERY = 1000


@dataclass
class Item:
    """One reply to score as `score_items` takes it: where it is (`line`, a line or row number), its id
    and text and context, or the error that kept it from being read, or `skipped` when it is empty."""

    line: int
    id: Any
    text: str | None = None
    context: str | None = None
    error: str | None = None
    skipped: bool = False
    """An empty line, kept in its place so that there is one line out per line in."""


_BOM_ONLY = (textnorm.BOM.encode(), textnorm.BOM)


def is_blank_line(raw: bytes | str) -> bool:
    """An input line `score_lines` skips (or keeps in place as "skipped": "empty line"): empty, only
    spaces, or a byte-order mark alone."""
    return not raw.strip() or raw.strip() in _BOM_ONLY


class _NotStandard(ValueError):
    pass


def _no_constant(name: str) -> Any:
    raise _NotStandard(name)


def _number(text: str) -> float | str:
    """A JSON number as a float, or its original text when a float cannot hold it (1e400)."""
    value = float(text)
    return value if math.isfinite(value) else text


def _integer(text: str) -> int | str:
    """A JSON integer, or its original text past Python's limit on converting digits (4,300)."""
    return int(text) if len(text.lstrip("-")) <= 4000 else text


def _parse(raw: bytes | str, number: int) -> Item:
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return Item(number, None, error=f"not UTF-8 text (byte {exc.start + 1})")
    try:
        obj = json.loads(textnorm.strip_bom(raw), parse_constant=_no_constant, parse_float=_number,
                         parse_int=_integer)
    except json.JSONDecodeError as exc:
        return Item(number, None, error=f"not valid JSON ({exc.msg} at column {exc.colno})")
    except RecursionError:
        return Item(number, None, error="not valid JSON (nested too deeply to read)")
    except _NotStandard as exc:
        return Item(number, None, error=f"not standard JSON ({exc} is not a JSON number; other tools "
                        "cannot read it)")
    if not isinstance(obj, dict):
        return Item(number, None, error='expected a JSON object like {"text": "..."}')
    ident = obj.get("id", number)
    if not isinstance(ident, str | int | float) or isinstance(ident, bool):
        return Item(number, None, error='"id" must be a string or a number')
    text = obj.get("text")
    if not isinstance(text, str):
        hint = field_hint(obj, ("text",))  # {"txt": ...}
        said = '"text" is missing or not a string' + (f" ({hint})" if hint else "")
        return Item(number, ident, error=said)
    context = obj.get("context")
    if context is not None and not isinstance(context, str):
        return Item(number, ident, error='"context" must be a string (the service user\'s last line)')
    return Item(number, ident, text=text, context=context)


def assessment_record(ident: Any, a: Assessment) -> dict[str, Any]:
    """The JSON object `trainer score` writes for one reply: id, text, scores, evidence, `acts` (one per
    sentence: act, start, end, text, confidence; [] for an empty reply), `act` (the reply's main act or
    null) and a note when there is one."""
    out: dict[str, Any] = {
        "id": ident,
        "text": a.text,
        "scores": a.scores,
        "evidence": [e.as_dict() for e in a.evidence],
        "acts": [act.as_dict() for act in a.acts],
        "act": a.main_act,
    }
    if a.note:
        out["note"] = a.note
    return out


def _json_line(record: dict[str, Any], p: Item) -> str:
    """One record as strict JSON in UTF-8: never NaN or Infinity, never a lone surrogate (from a
    "\\ud800" escape in an id), which would stop the output stream."""
    try:
        written = json.dumps(record, ensure_ascii=False, allow_nan=False)
    except ValueError:  # a score that is not a number: say so rather than write non-standard JSON
        return json.dumps({"id": str(p.id), "line": p.line, "error": "the scorer gave no number"})
    try:
        written.encode("utf-8")
    except UnicodeEncodeError:
        written = json.dumps(record, allow_nan=False)  # \u escapes for what UTF-8 cannot hold
    return written


def score_lines(
    lines: Iterable[bytes | str],
    scorer: Scorer,
    out: IO[str],
    err: IO[str],
    batch_size: int = 256,
    progress: bool = True,
    empty_lines: str | None = None,
) -> int:
    """Score JSON lines to `out`; returns how many lines were bad (each reported on `err` and in `out`).

    An empty line (or one of spaces or a byte-order mark alone) is skipped; with `empty_lines` it gets an
    output line {"id", "line", "skipped": "empty line"} in its place, so that there is one line out per line
    in: `empty_lines="plain"` for plain text, whose ids are line numbers (the id is the line number),
    `"json"` for JSON lines (the id is null)."""

    def items() -> Iterable[Item]:
        for number, raw in enumerate(lines, start=1):
            if is_blank_line(raw):
                if empty_lines is not None:
                    yield Item(number, number if empty_lines == "plain" else None, skipped=True)
                continue
            yield _parse(raw, number)

    return score_items(items(), scorer, out, err, batch_size=batch_size, progress=progress)


def score_items(
    items: Iterable[Item],
    scorer: Scorer,
    out: IO[str],
    err: IO[str],
    batch_size: int = 256,
    progress: bool = True,
    unit: str = "line",
) -> int:
    """Score read items to `out`, one JSON line each, in order; returns how many were bad. A bad item is
    reported on `err` ("trainer score: line 4: ...; the line was skipped") and written as
    {"id", "line", "error"}, a skipped one as {"id", "line", "skipped": "empty line"}; `unit` names
    what the numbers count ("row" for the rows of a CSV file: {"id", "row", "error"})."""
    bad = 0
    done = 0
    pending: list[Item] = []

    def flush() -> None:
        nonlocal done
        good = [p for p in pending if p.error is None and not p.skipped]
        results = iter(scorer.assess_many([(p.text or "", p.context) for p in good], batch_size=batch_size))
        for p in pending:
            if p.skipped:
                record = {"id": p.id, unit: p.line, "skipped": f"empty {unit}"}
            elif p.error is None:
                record = assessment_record(p.id, next(results))
            else:
                record = {"id": p.id, unit: p.line, "error": p.error}
            out.write(_json_line(record, p) + "\n")
        out.flush()
        before = done
        done += len(pending)
        if progress and done // PROGRESS_EVERY > before // PROGRESS_EVERY:
            err.write(f"trainer score: {done:,} {unit}s scored\n")
            err.flush()
        pending.clear()

    for item in items:
        if item.error is not None:
            bad += 1
            err.write(f"trainer score: {unit} {item.line}: {item.error}; the {unit} was skipped\n")
        pending.append(item)
        if len(pending) >= batch_size:
            flush()
    if pending:
        flush()
    return bad


@dataclass
class EvalResult:
    report: Report
    items: list[Labelled]
    assessments: list[Assessment]
    acts: ActReport

    def table(self) -> str:
        """The per-signal table, then the per-act tables when the items carry acts."""
        acts = self.acts.table()
        return self.report.table() + ("\n\n" + acts if acts else "")

    def as_dict(self, errors: bool = False) -> dict[str, Any]:
        out = self.report.as_dict(errors=errors)
        if self.acts.n_acts or self.acts.n_family:
            out["acts"] = self.acts.as_dict()
        return out


def eval_items(items: list[Labelled], scorer: Scorer, batch_size: int = 256) -> EvalResult:
    """Score labelled items and compare with their labels."""
    assessments = scorer.assess_many([(x.text, x.context) for x in items], batch_size=batch_size)
    return EvalResult(evaluate(items, assessments), items, assessments, act_report(items, assessments))


def render_errors(report: Report) -> str:
    """The misses per signal, for a person reading them."""
    lines: list[str] = []
    for signal, r in report.signals.items():
        for kind, misses in (("false positives", r.false_positives), ("false negatives", r.false_negatives)):
            if not misses:
                continue
            lines.append(f"\n{signal}: {len(misses)} {kind}")
            for item, scores in misses:
                got = ", ".join(f"{s} {v:.2f}" for s, v in scores.items() if v >= 0.2) or "nothing"
                labels = ", ".join(sorted(item.labels)) or "none"
                lines.append(f"  {item.source}  {signal}={scores.get(signal, 0.0):.2f}  labels: {labels}  "
                             f"scored: {got}")
                lines.append(f"    reply:   {item.text}")
                if item.context:
                    lines.append(f"    context: {item.context}")
    return "\n".join(lines).lstrip("\n")
