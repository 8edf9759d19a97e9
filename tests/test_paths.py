"""The data folder: where saved runs and the history go, and how TRAINER_DATA_DIR moves it."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from trainer.paths import DataDirError, data_dir, saves_dir


def test_the_environment_variable_chooses_the_folder_and_it_is_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "class" / "data"
    monkeypatch.setenv("TRAINER_DATA_DIR", str(target))
    assert data_dir() == target and target.is_dir()
    assert saves_dir() == target / "sessions" and (target / "sessions").is_dir()


def test_a_relative_override_is_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRAINER_DATA_DIR", "here")
    assert data_dir() == tmp_path / "here"


@pytest.mark.parametrize("value", [None, "", "   "])
def test_without_an_override_the_platform_user_data_folder_is_used(
    value: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Point the platform folder into tmp_path so that the test never touches the real home folder.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    if value is None:
        monkeypatch.delenv("TRAINER_DATA_DIR", raising=False)
    else:
        monkeypatch.setenv("TRAINER_DATA_DIR", value)
    expected = Path(platformdirs.user_data_dir("trainer", appauthor=False))
    assert str(expected).startswith(str(tmp_path))
    assert data_dir() == expected and expected.is_dir()


def test_a_file_in_the_way_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TRAINER_DATA_DIR", str(blocker))
    with pytest.raises(DataDirError, match="is a file, not a folder.*TRAINER_DATA_DIR"):
        data_dir()
    monkeypatch.setenv("TRAINER_DATA_DIR", str(blocker / "below"))
    with pytest.raises(DataDirError, match="Cannot create the data folder"):
        data_dir()
