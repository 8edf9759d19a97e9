"""The learner's settings: kept between starts, and a broken file never stops the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.settings import Settings, load_settings, save_settings, settings_path


@pytest.fixture(autouse=True)
def _config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAINER_CONFIG_DIR", str(tmp_path / "cfg"))


def test_a_saved_name_is_there_next_time() -> None:
    assert load_settings() == Settings()
    save_settings(Settings(learner_name="  Sam   Okafor ", asked_name=True))
    assert load_settings() == Settings(learner_name="Sam Okafor", asked_name=True)


def test_a_malformed_file_reads_as_defaults_and_is_left_alone() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    assert load_settings() == Settings()
    assert path.read_text(encoding="utf-8") == "{not json"


def test_a_blank_or_control_character_name_is_no_name() -> None:
    save_settings(Settings(learner_name=" \x07\t ", asked_name=True))
    assert load_settings().learner_name is None
