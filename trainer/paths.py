"""Where trainer keeps a user's own files: saved runs, the history database, exports.

One place decides it, so that the app, the plain player, the history and the tests agree:
`TRAINER_DATA_DIR` when set (tests point it at a temporary folder; a class can point it at a shared
drive), otherwise the platform's user data folder for "trainer" (e.g. ~/.local/share/trainer on Linux).
Folders are created when first asked for; `write_private` writes a file only its owner can read.
Imports only the standard library and platformdirs.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import platformdirs

#: The environment variable that overrides the data folder.
ENV_VAR = "TRAINER_DATA_DIR"
APP_NAME = "trainer"
#: Set to "1" by `trainer serve` for an app in a browser tab of a shared server (trainer.serve.tab): its
#: data is private to the tab and deleted when the tab closes.
LAB_ENV = "TRAINER_LAB"


def on_lab_server() -> bool:
    """True in a browser tab of a shared `trainer serve`: nothing is kept after the tab closes, so the
    student keeps a session by exporting (downloading) it."""
    return os.environ.get(LAB_ENV, "").strip() == "1"


class DataDirError(OSError):
    """The data folder cannot be created or is not a folder; the message says which and what to do."""


def data_dir() -> Path:
    """The folder for the user's data, created if missing.

    Returns: `$TRAINER_DATA_DIR` (made absolute) when it is set and not blank, else the platform's user
        data folder for trainer.
    Raises: DataDirError when the folder cannot be created (a file in the way, no permission).
    """
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        path = Path(override).expanduser().absolute()
        origin = f" (set by {ENV_VAR})"
    else:
        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        origin = ""
    return _ensure(path, origin)


def saves_dir() -> Path:
    """The folder of in-progress runs (`<data_dir>/sessions`), created if missing."""
    return _ensure(data_dir() / "sessions", "")


def _ensure(path: Path, origin: str) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise DataDirError(
            f"The data folder {path}{origin} is a file, not a folder. Move the file away, or set "
            f"{ENV_VAR} to a folder you can write to."
        ) from None
    except OSError as exc:
        raise DataDirError(
            f"Cannot create the data folder {path}{origin}: {exc.strerror or exc}. "
            f"Set {ENV_VAR} to a folder you can write to."
        ) from None
    return path


def write_private(path: Path, data: str | bytes) -> Path:
    """Write `data` (text as UTF-8) to `path`, readable and writable by the user alone (mode 0600 on POSIX):
    exports and process recordings hold a transcript, which is personal data.

    The file is written beside its target and then moved over it, so a failed write leaves any earlier
    file as it was. A path that is not a regular file (a terminal, a pipe, /dev/stdout) is written to in
    place. Returns `path`. Raises OSError as `open` does (no folder, no permission, disk full).
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    target = path.resolve() if path.is_symlink() else path
    if target.exists() and not target.is_file():
        with open(target, "wb") as out:
            out.write(raw)
        return path
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(raw)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path
