"""What `trainer score` reads from a CSV file (a name ending .csv): one reply a row, by the columns its header
names. The `text` column (or `reply`) is the reply; `id` and `context` (the service user's line before it)
are optional; other columns are not read, as other fields of a JSON line are not. Rows are numbered as a
spreadsheet numbers them (the header is row 1), and a row with no id takes its row number as its id.

    items, empty, unread = read_csv(raw_bytes, "replies.csv")   # for score_items(..., unit="row")
    # raises CsvRefused("replies.csv has no text column: ...") when the file cannot be read as replies
"""

from __future__ import annotations

import csv
import io

from trainer.jsonfields import field_hint
from trainer.scoring.commands import Item

TEXT_COLUMNS = ("text", "reply")
READ_COLUMNS = (*TEXT_COLUMNS, "id", "context")
_EXAMPLE = "id,text,context"


class CsvRefused(ValueError):
    """The file cannot be read as rows of replies; the message says why and what to do."""


def _header_shown(header: list[str]) -> str:
    shown = ",".join(header)
    if not shown.strip():
        return "an empty first line"
    return shown if len(shown) <= 200 else shown[:200] + "..."


def _columns(header: list[str], name: str) -> dict[str, int]:
    """The place of each column read (text, id, context), by its name in any case, spaces around it
    ignored."""
    names = [h.strip().lower() for h in header]
    found = {col: [i for i, n in enumerate(names) if n == col] for col in READ_COLUMNS}
    texts = found["text"] + found["reply"]
    if not texts:
        separator = next((s for s in (";", "\t") if len(header) == 1 and s in header[0]), None)
        hint = (f" (its columns seem separated by {'a tab' if separator == chr(9) else repr(separator)}: "
                "save it with commas)") if separator else ""
        meant = field_hint({h.strip(): None for h in header}, ("text",))
        hint += f" ({meant})" if meant else ""
        raise CsvRefused(f'{name} has no "text" column: its header (first row) is {_header_shown(header)}'
                         f"{hint}; add a column named text (or reply) holding the replies, with a first row "
                         f"such as {_EXAMPLE}")
    twice = [col for col in ("id", "context") if len(found[col]) > 1]
    if len(texts) > 1 or twice:
        which = "text (or reply)" if len(texts) > 1 else twice[0]
        raise CsvRefused(f"{name} has more than one {which} column: its header (first row) is "
                         f"{_header_shown(header)}; keep one, so that it is clear which to read")
    columns = {"text": texts[0]}
    columns.update({col: found[col][0] for col in ("id", "context") if found[col]})
    return columns


def _cell(row: list[str], column: int | None) -> str:
    """The cell, its line breaks as "\\n" (a spreadsheet may write "\\r\\n" in a quoted cell); "" when the
    row is short of it."""
    return row[column].replace("\r\n", "\n") if column is not None and column < len(row) else ""


def read_csv(data: bytes, name: str) -> tuple[list[Item], list[int], list[str]]:
    """The rows of a CSV file as items to score (a bad row as an item with its error), the numbers of the
    empty rows (kept in their place, skipped), and the names of the columns not read. A UTF-8 byte-order
    mark is ignored; quoted fields may hold commas, double quotes (doubled) and line breaks."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvRefused(f"{name} is not UTF-8 text (byte {exc.start + 1}): save it as CSV UTF-8 (in a "
                         "spreadsheet: Save As, CSV UTF-8)") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise CsvRefused(f"{name} cannot be read as CSV at line {reader.line_num}: {exc} (a field with a "
                         'double quote in it must be in double quotes, its quote doubled: "she said ""no""")'
                         ) from None
    if not rows:
        raise CsvRefused(f"{name} is empty: a CSV file of replies needs a header (first row) naming its "
                         f"columns, such as {_EXAMPLE}, and a row for each reply")
    header = rows[0]
    columns = _columns(header, name)
    text_name = header[columns["text"]].strip()
    unread = [h.strip() for i, h in enumerate(header) if i not in columns.values() and h.strip()]
    items: list[Item] = []
    empty: list[int] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            empty.append(number)
            items.append(Item(number, number, skipped=True))
            continue
        ident = _cell(row, columns.get("id")).strip() or number
        reply = _cell(row, columns["text"])
        if any(cell.strip() for cell in row[len(header):]):
            items.append(Item(number, ident, error=f"it has {len(row)} fields but the header names "
                              f"{len(header)} columns (a comma in a reply that is not in double quotes?)"))
        elif not reply.strip():
            items.append(Item(number, ident, error=f'the "{text_name}" column is empty: there is no reply '
                              "to score"))
        else:
            context = _cell(row, columns.get("context"))
            items.append(Item(number, ident, text=reply, context=context if context.strip() else None))
    return items, empty, unread
