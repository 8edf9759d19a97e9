"""The app, driven through real key presses at 80x24 (Textual's Pilot).

Most tests use the fixture scenario and a fake scorer with fixed output (tests/tui_support.py), so they
are fast and do not move when the model is retrained; `test_bundled_scenario_end_to_end_with_real_scorer`
plays a bundled scenario with the real scorer. Saves go to TRAINER_DATA_DIR, pointed at tmp_path.
"""

from __future__ import annotations

import re
import threading
from datetime import datetime
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static

from tests.tui_support import FakeScorer
from trainer.practice.replies import EMPTY_REPLY, NO_WORDS
from trainer.scoring.api import Assessment
from trainer.tui.app import HIGH_CONTRAST, TrainerApp
from trainer.tui.briefing import BriefingScreen
from trainer.tui.conversation import ConversationScreen, ReplyBox
from trainer.tui.dialogs import ConfirmScreen
from trainer.tui.ending import EndScreen
from trainer.tui.help import HelpScreen
from trainer.tui.home import HomeScreen, SessionList

FIXTURES = Path(__file__).parent / "fixtures" / "tui"
SIZE = (80, 24)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TRAINER_THEME", raising=False)
    return tmp_path / "data"


def make_app(scorer_factory=FakeScorer, scenarios_dir: Path = FIXTURES, **kwargs) -> TrainerApp:
    return TrainerApp(
        scorer_factory=scorer_factory,
        scenarios_dir=scenarios_dir,
        cursor_blink=False,
        persist_settings=False,
        **kwargs,
    )


def screen_text(app: TrainerApp) -> str:
    """Everything the Static widgets of the current screen show, as plain text."""
    return "\n".join(str(w.visual) for w in app.screen.query(Static) if w.display)


def notifications(app: TrainerApp) -> list[str]:
    return [n.message for n in app._notifications]


async def settle(pilot) -> None:
    """Let workers (scenario reading, scoring) finish and their messages land."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_conversation(pilot, mode_key: str | None = None) -> ConversationScreen:
    await settle(pilot)
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("enter")
    assert isinstance(pilot.app.screen, BriefingScreen)
    if mode_key:
        await pilot.press(mode_key)
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ConversationScreen)
    return screen


async def leave_unfinished(pilot, text: str = "Hello") -> None:
    """Open the first scenario, say one reply, and leave it: home then lists one unfinished session."""
    await open_conversation(pilot)
    await say(pilot, text)
    await pilot.press("escape", "y")
    await settle(pilot)


async def say(pilot, text: str, typed: bool = False) -> None:
    """Reply: put the text in the reply box (or type it key by key), then press Enter."""
    if typed:
        await pilot.press(*text)
    else:
        pilot.app.screen.query_one(ReplyBox).insert(text)
    await pilot.press("enter")
    await settle(pilot)


def saved_files(data_dir: Path) -> list[Path]:
    return sorted(p for p in data_dir.rglob("*.json") if p.name != "settings.json")


# --- home and briefing ------------------------------------------------------------------------------


async def test_home_lists_scenarios_with_details_and_filters_as_you_type(tmp_path: Path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    text = (FIXTURES / "kitchen-table.yaml").read_text()
    (folder / "kitchen-table.yaml").write_text(text)
    (folder / "bench.yaml").write_text(
        text.replace("At the kitchen table", "On the park bench").replace("introductory", "advanced")
    )
    app = make_app(scenarios_dir=folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        options = app.screen.query_one("#scenarios", OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        titles = [p.split("\n")[0] for p in prompts]
        assert titles == ["At the kitchen table", "On the park bench"]  # by difficulty
        shown = screen_text(app)
        assert "Say why you have come before asking anything." in shown  # objectives of the highlighted one
        assert "A first home visit for the Children's Team" in shown
        await pilot.press(*"bench")  # typed on the list: goes to the filter
        assert app.screen.query_one("#filter").value == "bench"
        assert options.option_count == 1
        assert "On the park bench" in screen_text(app)
        await pilot.press("escape")
        assert options.option_count == 2


async def test_briefing_shows_who_why_objectives_and_the_mode_choice():
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        text = screen_text(pilot.app)
        assert "Rose Adams (66, she/her)" in text
        assert "missed twelve days of school" in text  # the referral
        assert "Reflect what Rose feels, without pity." in text
        assert "(•) Coach" in text
        await pilot.press("p")
        assert "(•) Practice" in screen_text(pilot.app)
        await pilot.press("enter")
        await pilot.pause()
        assert "practice mode" in screen_text(pilot.app)
        assert "trust" not in pilot.app.screen.query_one("#mood", Static).visual.plain


# --- the conversation ------------------------------------------------------------------------------


async def test_coach_note_under_each_reply_and_the_run_is_saved(data_dir: Path):
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_conversation(pilot)
        assert "Rose: [Opens the door] Yes? Who are you?" in screen_text(pilot.app)
        assert "trust ▮▮▮▮▮▯▯▯▯▯" in screen_text(pilot.app)
        await say(pilot, "Hello, I'm here because the school asked me to come", typed=True)
        text = screen_text(pilot.app)
        assert "You: Hello, I'm here because the school asked me to come" in text
        assert "Found: purpose" in text
        assert "Clear about why you're here" in text  # the expected signal was there: encouragement
        assert "Rose: I'm doing my best with him." in text
        assert "trust ▮▮▮▮▮▮▯▯▯▯ ↑" in text  # purpose earned trust +1
        assert screen.query_one(ReplyBox).text == ""
        assert len(saved_files(data_dir)) == 1  # saved after the turn


async def test_sympathy_gets_its_evidence_highlighted_and_a_tip():
    async with make_app().run_test(size=SIZE) as pilot:
        await open_conversation(pilot)
        await say(pilot, "Hi")
        await say(pilot, "Oh poor you, that's hard")
        note = screen_text(pilot.app)
        assert "Found: sympathy" in note
        assert "'Poor you' is sympathy" in note and "what she told you and the feeling in it" in note
        line = next(w for w in pilot.app.screen.query(".me") if "poor you" in str(w.visual))
        content = line.visual
        marked = [content.plain[s.start : s.end] for s in content.spans if getattr(s.style, "reverse", False)]
        assert marked == ["poor you"]  # exactly the evidence words are highlighted


async def test_practice_mode_gives_no_notes():
    async with make_app().run_test(size=SIZE) as pilot:
        await open_conversation(pilot, mode_key="p")
        await say(pilot, "Hello, I'm here because the school asked")
        text = screen_text(pilot.app)
        assert "You: Hello" in text
        assert "Found:" not in text and "Tip:" not in text


@pytest.mark.parametrize("typed", ["😀😀", "👍", "...", "?!"])
async def test_a_reply_of_emoji_or_punctuation_is_not_sent_and_stays_in_the_box(typed: str):
    scorer = FakeScorer()
    async with make_app(scorer_factory=lambda: scorer).run_test(size=SIZE) as pilot:
        screen = await open_conversation(pilot)
        await say(pilot, typed)
        assert NO_WORDS in notifications(pilot.app)
        assert scorer.calls == [] and screen.run.learner_turns == 0
        assert len(screen.run.state.transcript) == 1  # the scenario did not move on
        assert screen.query_one(ReplyBox).text == typed  # nothing lost: add words to it
        await say(pilot, " I hear you")
        assert [text for text, _ in scorer.calls] == [f"{typed} I hear you"]
        assert screen.run.learner_turns == 1


async def test_empty_reply_is_not_sent():
    scorer = FakeScorer()
    async with make_app(scorer_factory=lambda: scorer).run_test(size=SIZE) as pilot:
        screen = await open_conversation(pilot)
        await pilot.press("space", "space", "enter")
        await settle(pilot)
        assert EMPTY_REPLY in notifications(pilot.app)
        assert scorer.calls == []
        assert len(screen.run.state.transcript) == 1


async def test_enter_sends_ctrl_j_adds_a_line_and_question_mark_is_typed():
    scorer = FakeScorer()
    async with make_app(scorer_factory=lambda: scorer).run_test(size=SIZE) as pilot:
        screen = await open_conversation(pilot)
        await pilot.press("a", "ctrl+j", "b", "question_mark")
        assert screen.query_one(ReplyBox).text == "a\nb?"
        assert not isinstance(pilot.app.screen, HelpScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert scorer.calls[0] == ("a\nb?", "[Opens the door] Yes? Who are you?")  # context: her last line


async def test_options_by_number_greyed_when_unavailable_and_the_ending(data_dir: Path):
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_conversation(pilot)
        await say(pilot, "Hello, I'm here because the school asked")
        await say(pilot, "It sounds like it has been hard")
        options = screen.query_one("#choices", OptionList)
        assert options.display and options.option_count == 3
        assert options.get_option_at_index(2).disabled  # needs trust 9
        assert "(not available now)" in str(options.get_option_at_index(2).prompt)
        await pilot.press("3")
        await settle(pilot)
        assert "Option 3 isn't available at this point." in notifications(pilot.app)
        await pilot.press("2")
        await settle(pilot)
        text = screen_text(pilot.app)
        assert "You: I can't promise that" in text
        assert "Rose: Alright. Come back Thursday." in text
        assert "The conversation is over. Press Enter" in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, EndScreen)
        end = screen_text(pilot.app)
        assert "The relationship was built" in end and "Thursday, then" in end
        assert "Rose knows where she stands" in end
        await pilot.press("enter")  # on to the self-assessment, before any score is shown
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "SelfAssessScreen"


async def test_options_only_moment_takes_a_number_not_typing():
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_conversation(pilot)
        await say(pilot, "Hi")
        await say(pilot, "Right")
        await say(pilot, "Hmm, let me think")  # no signal: to the options-only moment
        assert "Rose: So which is it?" in screen_text(pilot.app)
        assert not screen.query_one(ReplyBox).display
        footer = [(k.key_display, k.description) for k in pilot.app.screen.query("FooterKey")]
        assert ("1-9", "Pick option") in footer
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert "Thursday, then" in screen_text(pilot.app)


async def test_scoring_runs_off_the_ui_thread_with_a_thinking_state():
    release = threading.Event()

    class SlowScorer(FakeScorer):
        def assess(self, text: str, context: str | None = None, cues=None) -> Assessment:
            release.wait(10)
            return super().assess(text, context, cues)

    async with make_app(scorer_factory=SlowScorer).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "enter")
        await pilot.pause()
        screen = pilot.app.screen
        await pilot.press(*"Hello")
        await pilot.press("enter")
        await pilot.pause()
        reply = screen.query_one(ReplyBox)
        assert reply.has_class("thinking") and reply.waiting  # the next reply can be typed meanwhile
        await pilot.press("f1")  # the app still answers while the reply is being scored
        assert isinstance(pilot.app.screen, HelpScreen)
        await pilot.press("escape")
        release.set()
        await settle(pilot)
        assert not reply.has_class("thinking")
        assert "You: Hello" in screen_text(pilot.app)


async def test_enormous_reply_is_sent_when_sent_again_and_the_truncation_noted():
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_conversation(pilot)
        reply = "I'm here because of the school. " + "word " * 2000
        screen.query_one(ReplyBox).load_text(reply)
        await pilot.press("end", "enter")
        await settle(pilot)
        # First told that only the start would be scored; nothing sent, the reply still in the box.
        assert any("10,032 characters long, and only the first 5,000" in n for n in notifications(pilot.app))
        assert screen.run.learner_turns == 0 and screen.query_one(ReplyBox).text == reply
        await pilot.press("enter")  # sent again unchanged: the student means it
        await settle(pilot)
        assert "Only the first 5,000 characters were scored" in screen_text(pilot.app)
        assert screen.run.learner_turns == 1


async def test_scorer_that_cannot_load_is_reported_and_the_reply_kept():
    def broken():
        raise FileNotFoundError("models/scorer is missing")

    async with make_app(scorer_factory=broken).run_test(size=SIZE) as pilot:
        screen = await open_conversation(pilot)
        assert any("could not be loaded" in n for n in notifications(pilot.app))
        await say(pilot, "Hello there")
        assert screen.query_one(ReplyBox).text == "Hello there"
        assert screen.run.learner_turns == 0


# --- help, themes, palette ---------------------------------------------------------------------------


async def test_help_from_anywhere_shows_the_checklist():
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        markdown = pilot.app.screen.query_one("#help-body").source  # type: ignore[attr-defined]
        assert "Not a friend" in markdown and "Empathy, not sympathy" in markdown
        await pilot.press("escape")
        await open_conversation(pilot)
        await pilot.press("f1")  # F1 works while typing
        assert isinstance(pilot.app.screen, HelpScreen)
        await pilot.press("f1")
        assert isinstance(pilot.app.screen, ConversationScreen)


async def test_high_contrast_theme_and_palette_commands():
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        assert pilot.app.theme == HIGH_CONTRAST.name
        # the toast speaks the student's words, not the theme's internal name (a tester saw
        # "Theme: trainer-high-contrast")
        toasts = [n.message for n in pilot.app._notifications]
        assert toasts[-1] == "High contrast on (F2 switches it off)", toasts
        await pilot.press("f2")
        assert pilot.app.theme != HIGH_CONTRAST.name
        titles = [c.title for c in pilot.app.get_system_commands(pilot.app.screen)]
        assert {"Help", "High contrast", "Filter scenarios"} <= set(titles)


async def test_no_color_is_respected(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.no_color
        assert any(type(f).__name__ in ("Monochrome", "NoColor") for f in app._filters)


# --- the footer fits the terminal -------------------------------------------------------------------------


def footer_keys(app: TrainerApp) -> list[tuple[str, str, int]]:
    """(key, label, right edge) of each key the footer shows."""
    return [(k.key_display, k.description, k.region.right) for k in app.screen.query("FooterKey")]


@pytest.mark.parametrize("width", [60, 80, 120])
async def test_the_home_footer_shows_help_and_settings_and_no_key_runs_off_the_edge(
    data_dir: Path, width: int
):
    async with make_app().run_test(size=SIZE) as pilot:  # leave a session unfinished: one more key
        await open_conversation(pilot)
        await say(pilot, "Hello, I'm here because the school asked")
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
    async with make_app().run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        await pilot.pause()
        keys = footer_keys(pilot.app)
        shown = {key for key, _label, _right in keys}
        assert ("tab", "Unfinished") in {(k, lbl) for k, lbl, _r in keys}
        assert "f1" in shown and all(right <= width for _k, _l, right in keys), keys
        if width >= 80:
            assert "f4" in shown  # Settings, which the first-start question points to
        if width >= 120:
            assert {"f2", "f3", "^q"} <= shown  # nothing left out when there is room
        await pilot.press("f4")
        await settle(pilot)
        assert type(pilot.app.screen).__name__ == "SettingsScreen"  # a left-out key still works


# --- quitting, resuming, corrupt saves ---------------------------------------------------------------


async def test_quit_mid_session_asks_once_then_resume_from_home(data_dir: Path):
    async with make_app().run_test(size=SIZE) as pilot:
        await open_conversation(pilot)
        await say(pilot, "Hello, I'm here because the school asked")
        await pilot.press("ctrl+q")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
    assert app_exited(pilot.app)
    assert len(saved_files(data_dir)) == 1

    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        sessions = pilot.app.screen.query_one(SessionList)
        assert sessions.display and sessions.option_count == 1
        assert "At the kitchen table" in str(sessions.get_option_at_index(0).prompt)
        assert "1 reply" in str(sessions.get_option_at_index(0).prompt)
        await pilot.press("tab")  # "tab Unfinished" in the footer
        assert pilot.app.focused is sessions
        await pilot.press("enter")  # saved with its mode: straight back into the conversation
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConversationScreen)
        text = screen_text(pilot.app)
        assert "coach mode" in text
        assert "You: Hello, I'm here because the school asked" in text
        assert "Found: purpose" in text  # coach notes of earlier turns are shown again
        assert "Rose: I'm doing my best with him." in text
        await say(pilot, "It sounds like it has been hard")
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, EndScreen)
        await pilot.press("enter", "ctrl+k")  # skip the self-assessment: to the debrief
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "DebriefScreen"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)
        assert not pilot.app.screen.query_one(SessionList).display  # finished: nothing left to resume


def app_exited(app: TrainerApp) -> bool:
    return not app.is_running


async def test_leaving_asks_and_staying_keeps_the_conversation():
    async with make_app().run_test(size=SIZE) as pilot:
        await open_conversation(pilot)
        await say(pilot, "Hello")
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(pilot.app.screen, ConversationScreen)
        await pilot.press("escape", "y")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)
        assert pilot.app.screen.query_one(SessionList).option_count == 1


async def test_the_discard_question_names_the_session_and_yes_discards_it(data_dir: Path):
    async with make_app().run_test(size=SIZE) as pilot:
        await leave_unfinished(pilot)
        pilot.app.screen.query_one(SessionList).focus()
        await pilot.press("delete")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        question = str(pilot.app.screen.query_one("#question", Static).render())
        started = re.escape(datetime.now().astimezone().strftime("%a %d %b at"))
        assert re.fullmatch(
            rf'Discard your unfinished session of "At the kitchen table" \(started {started} \d\d:\d\d, '
            r'1 reply so far, you last said "Hello"\)\? This cannot be undone\.',
            question,
        ), question
        await pilot.press("n")  # kept
        await settle(pilot)
        assert pilot.app.screen.query_one(SessionList).option_count == 1
        pilot.app.screen.query_one(SessionList).focus()
        await pilot.press("delete", "y")  # discarded
        await settle(pilot)
        assert not pilot.app.screen.query_one(SessionList).display
    assert saved_files(data_dir) == []


@pytest.mark.parametrize("width", [80, 120])
async def test_two_unfinished_sessions_of_one_scenario_read_apart(data_dir: Path, width: int):
    # They used to read alike ("At the kitchen table  1 reply, 01 Dec 14:05"): which one to resume?
    first = "Hello, I'm here because the school asked me to come and see you about Leo"
    async with make_app().run_test(size=(width, 24)) as pilot:
        await leave_unfinished(pilot, first)
        await leave_unfinished(pilot, "Hi Rose")
        sessions = pilot.app.screen.query_one(SessionList)
        prompts = [str(sessions.get_option_at_index(i).prompt) for i in range(sessions.option_count)]
        started = datetime.now().astimezone().strftime("%d %b")
        assert [p.splitlines()[0] for p in prompts] == ["At the kitchen table"] * 2
        assert all(re.fullmatch(rf"started {started} \d\d:\d\d, 1 reply", p.splitlines()[1]) for p in prompts)
        assert [p.splitlines()[2] for p in prompts][0] == '"Hi Rose"'  # the newest first
        quote = prompts[1].splitlines()[2]
        assert quote.startswith('"Hello, I\'m here') and quote.endswith('\u2026"')  # cut on a word
        assert first.startswith(quote[1:-2]) and first[len(quote) - 3] == " "
        assert sessions.region.height >= 8  # both whole on screen, to compare
        await pilot.press("tab")  # the details pane follows: the highlighted session, its reply whole
        await pilot.press("down")
        await pilot.pause()
        details = str(pilot.app.screen.query_one("#details-body", Static).visual)
        assert "Unfinished session" in details and first in " ".join(details.split())
        pilot.app.screen.query_one("#scenarios").focus()
        await pilot.pause()
        details = str(pilot.app.screen.query_one("#details-body", Static).visual)
        assert "You will meet Rose" in details  # back on the scenarios: the scenario's details again


async def test_typing_on_the_unfinished_list_filters_and_never_discards(data_dir: Path):
    async with make_app().run_test(size=SIZE) as pilot:
        await leave_unfinished(pilot)
        sessions = pilot.app.screen.query_one(SessionList)
        sessions.focus()
        await pilot.press(*"disability")  # "d" once opened the discard question, and the "y" said yes
        await settle(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)
        assert pilot.app.screen.query_one("#filter", Input).value == "disability"
        assert sessions.option_count == 1
    assert len(saved_files(data_dir)) == 1


async def test_corrupt_save_is_reported_and_set_aside(data_dir: Path):
    sessions = data_dir / "sessions"
    sessions.mkdir(parents=True)
    (sessions / "0123456789abcdef0123456789abcdef.json").write_text("{not json")
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)
        assert any("0123456789abcdef" in n or "corrupt" in n.lower() for n in notifications(pilot.app))
        assert not pilot.app.screen.query_one(SessionList).display
    leftovers = [p.name for p in sessions.iterdir()]
    assert "0123456789abcdef0123456789abcdef.json" not in leftovers
    assert any("corrupt" in name for name in leftovers)  # set aside, not deleted


# --- the real scorer -------------------------------------------------------------------------------


def _real_scorer_or_skip():
    scorer_module = pytest.importorskip("trainer.scoring.scorer")
    try:
        return scorer_module.Scorer.load()
    except Exception as error:  # the model is not built in this checkout
        pytest.skip(f"real scorer not available: {error}")


# Replies for the bundled doorstep example, by node: each moment gets a reply a student might give.
DOORSTEP_REPLIES = {
    "doorstep": "Hello, are you Marcia? I'm Sam, a family support worker. The school nurse asked me to come.",
    "wary": "I'm from the Family Support Team. The school nurse is worried Kai has been hungry.",
    "invited_in": "It sounds like things have been really hard since your hours were cut.",
    "pity": "Today I'd like to understand how things are for you and the boys, and agree what happens next.",
}


async def test_bundled_scenario_end_to_end_with_real_scorer(data_dir: Path):
    scorer = _real_scorer_or_skip()
    app = make_app(scorer_factory=lambda: scorer, scenarios_dir=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"doorstep")
        await pilot.press("enter")  # from the filter: the highlighted scenario
        assert isinstance(pilot.app.screen, BriefingScreen)
        await pilot.press("enter")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ConversationScreen)
        for _ in range(8):
            if screen.ending is not None:
                break
            node = screen.run.state.node
            if node == "opening_up":
                await pilot.press("2")  # "I can't promise that, but ..."
                await settle(pilot)
            else:
                # A moment added to the example later gets a reply that fits most moments.
                reply = DOORSTEP_REPLIES.get(node, "It sounds like this has been a lot to carry.")
                await say(pilot, reply, typed=True)
        assert screen.ending is not None
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, EndScreen)
        assert screen.ending.ending.title in screen_text(pilot.app)
    assert len(saved_files(data_dir)) == 1


# --- opening the app from the command line (`trainer play SCENARIO`, `--resume`) -------------------


async def test_play_scenario_opens_its_briefing_and_a_bad_name_is_a_message():
    fixture = str(FIXTURES / "kitchen-table.yaml")
    async with make_app(scenario=fixture, mode="practice").run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, BriefingScreen)
        assert "(•) Practice" in screen_text(pilot.app)
    async with make_app(scenario="no-such-scenario").run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)
        expected = "no scenario file or bundled scenario called 'no-such-scenario'"
        assert any(expected in n for n in notifications(pilot.app))


async def test_resume_by_run_id_goes_straight_back_to_that_run(data_dir: Path):
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_conversation(pilot)
        await say(pilot, "Hello")
        run_id = screen.run.run_id
        await pilot.press("escape", "y")
    fixture = str(FIXTURES / "kitchen-table.yaml")
    async with make_app(scenario=fixture, resume=run_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConversationScreen)  # saved with its mode: no briefing
        assert "You: Hello" in screen_text(pilot.app)
    async with make_app(resume="feedfacefeedfacefeedfacefeedface").run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert any("Cannot resume session 'feedface" in n for n in notifications(pilot.app))


async def test_the_theme_choice_is_remembered(data_dir: Path):
    app = TrainerApp(scorer_factory=FakeScorer, scenarios_dir=FIXTURES, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
    again = TrainerApp(scorer_factory=FakeScorer, scenarios_dir=FIXTURES, cursor_blink=False)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.theme == HIGH_CONTRAST.name


def test_the_app_ending_in_an_error_exits_with_a_failure_status(monkeypatch):
    # A crash printed its traceback and then `trainer` exited 0: a launcher or script saw success.
    from trainer.tui import app as app_module

    def crashed(self, *args, **kwargs):
        self._return_code = 1

    monkeypatch.setattr(app_module.TrainerApp, "run", crashed)
    with pytest.raises(SystemExit) as exit_info:
        app_module.run_app()
    assert exit_info.value.code == 1

    monkeypatch.setattr(app_module.TrainerApp, "run", lambda self, *a, **k: None)
    app_module.run_app()  # a normal quit: no exit status of its own


@pytest.mark.parametrize("typed_quickly", [False, True])
async def test_a_filter_of_several_words_keeps_its_spaces(typed_quickly: bool):
    """Student tester F24: "young carer" typed on the list became "youngcarer" (no match)."""
    from tests.tui_support import burst

    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        if typed_quickly:
            burst(pilot.app, "kitchen table")
            await pilot.pause()
            await pilot.pause()
        else:
            await pilot.press(*"kitchen table")
        options = pilot.app.screen.query_one("#scenarios", OptionList)
        assert pilot.app.screen.query_one("#filter", Input).value == "kitchen table"
        assert options.option_count == 1


async def test_slash_in_the_filter_is_the_filter_key_not_a_character():
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"kitchen", "slash")
        field = pilot.app.screen.query_one("#filter", Input)
        assert pilot.app.screen.focused is field
        assert field.value == "kitchen"
