"""Plain mode: a number typed where no options are offered is not sent as the reply (issue 11 item 9)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.tui_support import FakeScorer
from trainer.plain.player import NO_OPTIONS, run_plain

FIXTURE = Path(__file__).parent / "fixtures" / "tui" / "kitchen-table.yaml"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.mark.parametrize("typed", ["1", " 2 ", "12"])
def test_a_number_with_no_options_offered_says_so_and_the_reply_is_typed_next(typed: str):
    scorer = FakeScorer()
    out = io.StringIO()
    stdin = io.StringIO(f"{typed}\nI'm here because the school asked me to come\n/quit\n")
    run_plain(str(FIXTURE), stdin=stdin, stdout=out, stderr=io.StringIO(), scorer=scorer)
    text = out.getvalue()
    first_prompt = text.index("Rose: [Opens the door] Yes? Who are you?")
    assert "Options" not in text[first_prompt : text.index(NO_OPTIONS)]  # none were offered
    assert NO_OPTIONS in text
    assert [reply for reply, _ in scorer.calls] == ["I'm here because the school asked me to come"]
    assert "Coach: Found: purpose" in text
