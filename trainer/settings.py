"""The learner's own settings, kept in the user's config folder: for now, the name they want to be called.

    s = load_settings()            # Settings(learner_name=None) when nothing is saved yet
    save_settings(Settings(learner_name="Sam"))

Where: `$TRAINER_CONFIG_DIR/settings.json` when that is set; otherwise, when `TRAINER_DATA_DIR` is set
(tests, a shared lab drive), `settings.json` in that folder; otherwise the platform's user config folder for
"trainer" (e.g. ~/.config/trainer/settings.json). A missing, unreadable or malformed file reads as the
defaults and is never overwritten until the learner saves. Imports only the standard library, platformdirs
and trainer.paths.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import platformdirs

from trainer.paths import APP_NAME
from trainer.paths import ENV_VAR as DATA_ENV_VAR

#: The environment variable that overrides the config folder.
ENV_VAR = "TRAINER_CONFIG_DIR"
MAX_NAME = 40
"""The longest learner name kept, in characters."""


@dataclass(frozen=True)
class Settings:
    learner_name: str | None = None
    """What the learner wants to be called (scenarios may address them by it; redaction removes it), or
    None when they chose not to say. Stripped, at most MAX_NAME characters."""
    asked_name: bool = False
    """True once the learner has been asked for their name (answered or skipped), so it is asked once."""


def settings_path() -> Path:
    """The settings file's path (its folder may not exist yet)."""
    override = os.environ.get(ENV_VAR, "").strip() or os.environ.get(DATA_ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser().absolute() / "settings.json"
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "settings.json"


def clean_name(name: str | None) -> str | None:
    """A name as kept: whitespace collapsed, control characters dropped, at most MAX_NAME characters;
    None for a blank name."""
    if name is None:
        return None
    text = " ".join("".join(ch for ch in name if ch.isprintable()).split())[:MAX_NAME].strip()
    return text or None


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings, or the defaults when there is no readable, well-formed file."""
    target = path or settings_path()
    try:
        raw = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(raw, dict):
        return Settings()
    name = raw.get("learner_name")
    return Settings(
        learner_name=clean_name(name) if isinstance(name, str) else None,
        asked_name=bool(raw.get("asked_name", False)),
    )


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the settings atomically; returns the file's path.

    Raises: OSError when the folder cannot be created or written (the caller says so to the learner).
    """
    target = path or settings_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    try:  # keep what else the file holds (the app's theme, when the folders coincide)
        existing = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        existing = {}
    data = {**(existing if isinstance(existing, dict) else {}), **asdict(settings)}
    data["learner_name"] = clean_name(settings.learner_name)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, target)
    return target
