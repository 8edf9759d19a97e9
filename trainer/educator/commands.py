"""`trainer cohort`: read the exports, write the report, the CSV and the flags file, say what was done.

The CLI calls `run_cohort` and exits with what it returns: 0 when the report was written (even when some
files were left out: they are listed at the top of the report and on stderr), 2 when an output file
cannot be written or nothing could be used: no path that exists or only folders with no *.json in them
(then no file is written), or only files that were all left out (then the report is written, listing each
file and why, so that whoever opens it sees the reasons). An output path that is one of the files being
read, an existing trainer export (whatever its extension) or another output's path is refused before
anything is read or written (exit 2): a slip in -o must never destroy a student's hand-in.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from trainer.educator.cohort import build_cohort
from trainer.educator.ingest import discover, looks_like_export
from trainer.educator.report import file_labels, flags_jsonl, headline, to_csv, to_html
from trainer.paths import write_private


def _write(path: Path, text: str, echo: Callable[[str], None], newline: str | None = None,
           encoding: str = "utf-8") -> bool:
    # Readable by the educator alone, as the students' exports are: the report quotes their replies.
    data = text if newline == "" else text.replace("\n", os.linesep)
    try:
        write_private(path, data.encode(encoding))
    except OSError as err:
        echo(f"trainer cohort: cannot write {path}: {err.strerror or err}. Choose another file.")
        return False
    echo(f"wrote {path}")
    return True


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def _unsafe_outputs(files: Sequence[Path], outputs: dict[str, Path | None]) -> list[str]:
    """Why an output must not be written, one line per output: it is one of the files being read, an
    existing trainer export (a student's hand-in, whatever its name), or the same file as another output."""
    problems: list[str] = []
    seen: dict[str, Path] = {}
    for option, path in outputs.items():
        if path is None:
            continue
        if any(_same(path, f) for f in files):
            problems.append(f"{option} {path} is one of the files being read (a student's hand-in): writing "
                            "the report there would destroy it.")
        elif path.is_file() and looks_like_export(path):
            problems.append(f"{option} {path} is a trainer session export (a student's hand-in): writing "
                            "the report there would destroy it.")
        other = next((o for o, p in seen.items() if _same(p, path)), None)
        if other is not None:
            problems.append(f"{option} {path} is the same file as {other}: one would overwrite the other.")
        seen[option] = path
    return problems


def run_cohort(
    paths: Sequence[Path],
    output: Path,
    csv_out: Path | None = None,
    flags_out: Path | None = None,
    *,
    names: bool = False,
    scenario_dirs: Sequence[Path] = (),
    echo: Callable[[str], None] = print,
) -> int:
    """Build the cohort from `paths` and write the outputs; returns the exit code (see the module doc)."""
    files, notices = discover(paths)
    refused = _unsafe_outputs(files, {"-o": output, "--csv": csv_out, "--flags": flags_out})
    if refused:
        for line in refused:
            echo(f"trainer cohort: {line}")
        echo("trainer cohort: nothing was written. Give each output a new file outside the folder of "
             "hand-ins, e.g. -o report.html --csv sessions.csv --flags flags.jsonl.")
        return 2
    missing = [d for d in scenario_dirs if not d.is_dir()]
    if missing:
        for folder in missing:
            what = "is a file, not a folder" if folder.exists() else "no such folder"
            echo(f"trainer cohort: --scenarios {folder}: {what}. Give the folder your own scenario files "
                 "(.yaml) are in; nothing was written.")
        return 2
    if not files:
        for notice in notices:
            message = "No such file or folder." if notice.kind == "missing" else notice.message
            echo(f"trainer cohort: {notice.file}: {message}")
        echo("trainer cohort: no session exports to read, so no report was written. Check the path and give "
             "the folder (or the .json files) the students' exports were handed in to.")
        return 2
    cohort = build_cohort(paths, names=names, scenario_dirs=scenario_dirs)
    labels = {} if names else file_labels(cohort)
    for notice in cohort.notices:
        label = labels.get(notice.file)
        shown = f"{notice.file} ({label} in the report)" if label else notice.file
        message = notice.message
        for path in notice.files:  # the other files it names, with the label the report gives them
            if path in labels:
                message = message.replace(path, f"{path} ({labels[path]})")
                if not label:
                    shown = shown.replace(path, f"{path} ({labels[path]})")
        echo(f"trainer cohort: {shown}: {message}")
    ok = _write(output, to_html(cohort, names=names), echo)
    if csv_out is not None:
        # With a byte-order mark, so that spreadsheet programs read names with accents as UTF-8.
        ok = _write(csv_out, to_csv(cohort, names=names), echo, newline="", encoding="utf-8-sig") and ok
    if flags_out is not None:
        ok = _write(flags_out, flags_jsonl(cohort), echo) and ok
    figures = headline(cohort)
    echo(
        f"{figures['sessions']} session(s) from {figures['students']} student(s) in {figures['scenarios']} "
        f"scenario(s); {figures['left out']} file(s) left out; {figures['flags']} flag(s). Mean scores: "
        + ", ".join(f"{k.removeprefix('mean ')} {v}" for k, v in figures.items() if k.startswith("mean "))
    )
    if not cohort.sessions:
        # The report is still written: it lists each file and why it was left out, for whoever opens it.
        echo(f"trainer cohort: none of the {len(files)} file(s) could be used (each is listed above with "
             "why): the report has no sessions in it.")
        return 2
    return 0 if ok else 2
