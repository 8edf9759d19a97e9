"""One browser tab's app on a shared server: a private, temporary place for its runs, history and settings.

    python -m trainer.serve.tab [ARGS...]   # runs `python -m trainer ARGS...`; exits with its code

`trainer serve` starts this instead of the app itself when others can reach the server (a computer lab):
every tab then has a folder of its own, readable by this account alone (0700), named in TRAINER_DATA_DIR,
TRAINER_DB and TRAINER_CONFIG_DIR for the app, with TRAINER_LAB=1 (`trainer.paths.on_lab_server`) so
that the app can tell the student.
Nothing one student plays can be seen from another tab, a later student is asked their own name, and the
folder is deleted when the tab's app ends: the student keeps a session by exporting it, which in a browser
downloads the file. Like the rest of this package it starts the app by its command and imports none of it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from trainer.paths import ENV_VAR, LAB_ENV

PREFIX = "trainer-tab-"


def private_environment(folder: Path) -> dict[str, str]:
    """This process's environment with the app's data, history and settings inside `folder`."""
    return {
        **os.environ,
        ENV_VAR: str(folder / "data"),
        "TRAINER_DB": str(folder / "history.sqlite3"),
        "TRAINER_CONFIG_DIR": str(folder / "config"),
        LAB_ENV: "1",
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the app in a fresh private folder (stdin and stdout are the tab's, passed through) and delete
    the folder when it ends. Returns the app's exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    folder = Path(tempfile.mkdtemp(prefix=PREFIX))  # 0700: this account alone
    try:
        return subprocess.call([sys.executable, "-m", "trainer", *args], env=private_environment(folder))
    except KeyboardInterrupt:
        return 130
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
