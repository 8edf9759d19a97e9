"""Options and model answers introduce the worker in the student's own name (`{learner}`), never in a name
the author chose (student test F35: "I'm Ben from the council" said by a student called Zoë)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tests.test_debrief_fixtures import poor_run, scenario
from tests.tui_support import FakeScorer
from trainer.debrief.compute import compute_debrief
from trainer.plain import run_plain
from trainer.scenario.loader import BUNDLED_DIR, ScenarioInvalid, discover, load_scenario
from trainer.scenario.placeholders import fill

ALL = [p.stem for p in discover([BUNDLED_DIR])]
FIXTURE = Path(__file__).parent / "fixtures" / "tui" / "kitchen-table.yaml"

#: How a worker introduces themself by name: "I'm Ben", "It's Nadia", "this is Sam", "ask for Nadia".
INTRODUCES = re.compile(r"\b(?:I'm|I am|[Ii]t's|[Tt]his is|[Mm]y name(?: is|'s)|ask for)\s+([A-Z][a-z]+)\b")


def worker_names(scenario_id: str) -> list[tuple[str, str]]:
    """(node, name) for every name an option or model answer gives the worker, leaving out the names of
    the people in the story ("I'm Maryam's social worker")."""
    sc = load_scenario(BUNDLED_DIR / f"{scenario_id}.yaml").scenario
    story = " ".join([sc.referral or "", sc.setting, sc.service_user.model_dump_json()])
    found = []
    for node_id, node in sc.nodes.items():
        for text in [*node.model_answers, *(o.say for o in node.options)]:
            found += [(node_id, m.group(1)) for m in INTRODUCES.finditer(text) if m.group(1) not in story]
    return found


@pytest.mark.parametrize("scenario_id", ALL)
def test_no_option_or_model_answer_gives_the_worker_a_name(scenario_id: str) -> None:
    assert worker_names(scenario_id) == [], "use {learner|fallback} for the worker's name"


def test_the_check_finds_an_authors_name() -> None:
    assert INTRODUCES.search("Mrs Nguyen, I'm Ben from the council.")
    assert INTRODUCES.search("Hi, it's Nadia from the carers' team.")
    assert not INTRODUCES.search("Mrs Nguyen, I'm {learner|here} from the council.")


@pytest.mark.parametrize("scenario_id", ALL)
def test_every_worker_introduction_reads_well_with_and_without_a_name(scenario_id: str) -> None:
    sc = load_scenario(BUNDLED_DIR / f"{scenario_id}.yaml").scenario
    for node in sc.nodes.values():
        for text in [*node.model_answers, *(o.say for o in node.options)]:
            for name in (None, "Zoë"):
                filled = fill(text, name)
                assert "{" not in filled and "I'm," not in filled and "it's," not in filled.lower(), filled


def test_an_unknown_placeholder_in_an_option_or_model_answer_is_reported(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    text = text.replace('"I promise not to tell anyone."', '"I\'m {lerner}, I promise not to tell anyone."')
    path = tmp_path / "named.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioInvalid) as raised:
        load_scenario(path)
    found = [d for d in raised.value.diagnostics if d.code == "SCN051"]
    assert len(found) == 1, raised.value.diagnostics
    assert "'{lerner}'" in found[0].message and found[0].path == "node 'secret' > option 1 > say"


@pytest.fixture()
def named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The kitchen-table fixture with option 2 introducing the worker as `{learner|the worker}`, and the
    student's name set to Priya."""
    from trainer.settings import Settings, save_settings

    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRAINER_CONFIG_DIR", raising=False)
    save_settings(Settings(learner_name="Priya", asked_name=True))
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "\"I can't promise that, but", "\"I'm {learner|the worker} and I can't promise that, but"
    )
    path = tmp_path / "kitchen-named.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_plain_player_shows_and_sends_an_option_in_the_students_name(named: Path) -> None:
    out = io.StringIO()
    run_plain(str(named), stdin=io.StringIO("Hi\nIt sounds like it's been hard\n2\n"), stdout=out,
              stderr=io.StringIO(), scorer=FakeScorer())
    shown = out.getvalue()
    assert "  2. I'm Priya and I can't promise that" in shown
    # The debrief's transcript is the stored run: the reply was stored (and scored) in the student's name.
    assert "You (reply 3): I'm Priya and I can't promise that, but I'll always tell you" in shown
    assert "{learner" not in shown and "the worker" not in shown


def test_the_debrief_shows_model_answers_in_the_students_name() -> None:
    sc = scenario()
    answer = "Hello, I'm {learner|the worker} from the council."
    nodes = {nid: n.model_copy(update={"model_answers": [answer]}) for nid, n in sc.nodes.items()}
    sc = sc.model_copy(update={"nodes": nodes})
    d = compute_debrief(sc, poor_run(), learner_name="Alex")
    answers = [a for m in d.missed for a in m.model_answers]
    assert answers and all(a == "Hello, I'm Alex from the council." for a in answers)
    d = compute_debrief(sc, poor_run(), learner_name=None)
    assert all("{learner" not in a for m in d.missed for a in m.model_answers)


async def test_the_app_shows_and_sends_an_option_in_the_students_name(named: Path) -> None:
    from dataclasses import replace

    from tests.test_tui import make_app, open_conversation, say, settle
    from trainer.tui.conversation import ChoiceList

    app = make_app(scenarios_dir=named.parent)
    async with app.run_test(size=(100, 32)) as pilot:
        app.settings = replace(app.settings, learner_name="Priya")
        screen = await open_conversation(pilot)
        await say(pilot, "Hi")
        await say(pilot, "It sounds like it's been hard")
        choices = screen.query_one(ChoiceList)
        labels = [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]
        assert any(label.startswith("2. I'm Priya and I can't promise that") for label in labels), labels
        await pilot.press("2")
        await settle(pilot)
        said = [t.text for t in screen.run.state.transcript if t.speaker == "learner"]
        assert said[-1].startswith("I'm Priya and I can't promise that, but I'll always tell you")
