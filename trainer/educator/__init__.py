"""The educator's side: a class report from the session exports students hand in (`trainer cohort`).

- `trainer.educator.ingest` reads exports whatever state they arrive in (notices, never exceptions);
- `trainer.educator.cohort` sums them up (skills, calibration, moments, flags);
- `trainer.educator.report` and `charts` write the HTML page, the CSV and the flags file (`wording`: rule
  ids in plain words, one rounding rule);
- `trainer.educator.exportformat` is the export's format as a pydantic model and JSON Schema
  (docs/export.schema.json).

Imports no textual: the report is made from the command line, and nothing leaves the machine.
"""
