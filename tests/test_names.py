"""The coach note asks the learner to check a name that is no one in the scenario ("Mr Hughes?" at Mark
Ellison's door, "a referral about your son Mason" when his son is Oscar): a student tester's reply that
the scorer credited with purpose, while the wrong names went unremarked."""

from __future__ import annotations

from datetime import datetime

import pytest

from trainer.practice.coaching import reply_note
from trainer.practice.names import check_names, unknown_names
from trainer.scenario.engine import TurnRecord
from trainer.scenario.loader import BUNDLED_DIR, load_scenario

S47 = load_scenario(BUNDLED_DIR / "s47-hostile-father.yaml").scenario


@pytest.mark.parametrize("reply, unknown", [
    ("Mr Hughes? My name is Sam, I'm a social worker.", ["Hughes"]),
    ("Hi Mark, I need to talk to you about your son Mason.", ["Mason"]),
    ("Mr Hughes, it's about your son Mason.", ["Hughes", "Mason"]),
    ("Mr Ellison? I'm Sam, it's about your son Oscar.", []),
    ("Hello Mr Ellison.", []),
    ("hi there, im sam from childrens services", []),
    ("Hi, I'm Sam. We've had a referral from the school.", []),
    ("Hi Priya here, from children's services.", []),  # the learner's own name
    ("Dr Patel at the school asked us to come.", []),  # someone mentioned, not addressed
    ("Oscar's teacher Mrs Khan rang us.", []),
])
def test_only_names_that_are_no_one_in_the_scenario_are_questioned(reply: str, unknown: list[str]) -> None:
    assert unknown_names(reply, S47) == unknown


def test_the_coach_note_says_so_in_every_front_end() -> None:
    reply = "Mr Hughes? We've had a referral about your son Mason."
    record = TurnRecord(speaker="learner", node=S47.start, text=reply, time=datetime(2026, 12, 1, 9, 0),
                        assessment={"scores": {"purpose": 0.9}, "evidence": []})
    note = reply_note(S47, [record], 0)
    assert note is not None and note.notice == check_names(reply, S47)
    assert note.notice == ("Check the names: no one called Hughes or Mason is in this meeting (you are "
                           "meeting Mark Ellison).")
    assert "Note: Check the names" in note.as_plain_text()
