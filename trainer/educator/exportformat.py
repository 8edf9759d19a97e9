"""The session export's format (`trainer export --format json`), as a pydantic model and a JSON Schema.

    {"format": "trainer-session", "format_version": 2, "redacted": false, "debrief": {...}}

`debrief` is a `trainer.debrief.model.Debrief` (scores, series, evidence, missed moments, suggestions,
flags, self-assessment and the raw run state). Version 1 (trainer before the cohort report) wrote
{"format": "trainer-debrief", "version": 1, ...} around the same debrief. The schema is committed at
docs/export.schema.json (`export_schema_text()` writes it; a test keeps the two equal).

`prune()` keeps only what this version of the format knows, so an export from a newer trainer (with
fields added) can still be read as far as this version understands it.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from trainer.debrief.export import EXPORT_FORMAT, EXPORT_FORMAT_VERSION
from trainer.debrief.model import Debrief

#: The format name written by trainer before format versions (version 1).
OLD_FORMAT = "trainer-debrief"


class SessionExport(BaseModel):
    """One session as `trainer export --format json` writes it."""

    model_config = ConfigDict(
        extra="forbid",
        title="trainer session export",
        use_attribute_docstrings=True,
        json_schema_extra={
            "description": "One practice session exported by `trainer export SESSION --format json`: the "
            "debrief (session scores, the student's self-assessment, the transcript with the scorer's "
            "evidence, missed moments, suggestions, 'I disagree' flags) and the raw run. Read by "
            '`trainer cohort`. Version 1 was {"format": "trainer-debrief", "version": 1} around the '
            "same debrief."
        },
    )

    format: Literal["trainer-session"]
    format_version: Literal[2]
    """Raised whenever the shape changes; readers say when they meet a version they do not know."""
    redacted: bool = False
    """True when the service user's and the student's names were replaced (`--redact`)."""
    debrief: Debrief


assert (EXPORT_FORMAT, EXPORT_FORMAT_VERSION) == ("trainer-session", 2), "update SessionExport too"


def export_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the export, generated from SessionExport."""
    schema = SessionExport.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def export_schema_text() -> str:
    """The schema as committed at docs/export.schema.json."""
    return json.dumps(export_schema(), indent=2, ensure_ascii=False) + "\n"


def prune(value: Any, schema: dict[str, Any] | None = None, defs: dict[str, Any] | None = None) -> Any:
    """`value` with every object key the schema does not know removed, recursively (for exports written
    by a newer trainer). Values of the wrong type are left for validation to report."""
    if schema is None:
        schema = export_schema()
    if defs is None:
        defs = schema.get("$defs", {})
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return prune(value, defs.get(ref.rsplit("/", 1)[-1], {}), defs)
    for option in schema.get("anyOf", []):
        kind = option.get("type")
        if isinstance(value, dict) and ("$ref" in option or kind == "object"):
            return prune(value, option, defs)
        if isinstance(value, list) and kind == "array":
            return prune(value, option, defs)
    if isinstance(value, dict):
        properties = schema.get("properties")
        if isinstance(properties, dict):
            return {k: prune(v, properties[k], defs) for k, v in value.items() if k in properties}
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            return {k: prune(v, extra, defs) for k, v in value.items()}
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [prune(v, schema["items"], defs) for v in value]
    return value


if __name__ == "__main__":  # python -m trainer.educator.exportformat > docs/export.schema.json
    print(export_schema_text(), end="")
