"""The conversation as a student meets it over a long session (issue 11): typing stays as cheap after
thousands of keys as at the start, the newest line stays in view, drafts survive, tiny windows do not
crash, and keys typed while a reply is scored are kept.

Pilot tests at fixed sizes, with the fake scorer of tests/tui_support.py; no timings (those are in
`make bench`, trainer/tui/bench.py).
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from textual.widgets import Footer, OptionList

from tests.test_tui import (
    FIXTURES,
    SIZE,
    data_dir,  # noqa: F401 (the autouse fixture: saves go to tmp_path)
    make_app,
    notifications,
    open_conversation,
    say,
    screen_text,
    settle,
)
from tests.tui_support import FakeScorer
from trainer.practice.helptext import KEYS_MARKDOWN
from trainer.scoring.api import Assessment
from trainer.tui.conversation import ChoiceList, ConversationScreen, ReplyBox


def footer_watchers(footer: Footer) -> int:
    watchers = getattr(footer, "__watchers", {})
    return sum(len(entries) for entries in watchers.values())


# --- item 2: keystroke cost does not grow ----------------------------------------------------------


async def test_typing_does_not_rebuild_the_footer_on_every_key():
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_conversation(pilot)
        await pilot.press("a")  # the box stops being empty: "1-9 Pick option" may go
        await pilot.pause()
        footer = screen.query_one(Footer)
        keys_before = list(footer.children)
        await pilot.press(*"bcdefghij")
        await pilot.pause()
        assert list(footer.children) == keys_before  # the same key widgets: nothing was rebuilt
        assert screen.query_one(ReplyBox).text == "abcdefghij"


async def test_footer_work_stays_bounded_however_long_the_app_is_open():
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_conversation(pilot)
        footer = screen.query_one(Footer)

        async def type_and_erase() -> None:
            await pilot.press("h", "i", "backspace", "backspace")  # empty -> typed -> empty: bindings change
            await pilot.pause()

        for _ in range(3):
            await type_and_erase()
        early = footer_watchers(footer)
        for _ in range(30):
            await type_and_erase()
        # Every rebuild used to leave the removed keys' watchers behind, so each key cost more.
        assert footer_watchers(footer) <= early
        assert footer_watchers(footer) <= 2 * len(footer.children) + 2


async def test_every_screen_uses_the_footer_that_rebuilds_only_on_change(tmp_path: Path):
    from trainer.tui.footer import TrainerFooter

    async with make_app().run_test(size=SIZE) as pilot:
        await open_conversation(pilot)
        assert isinstance(pilot.app.screen.query_one(Footer), TrainerFooter)
    # and no screen builds Textual's own (the debrief once did, and its keys ran off the edge at 80 columns)
    import trainer.tui

    for source in Path(trainer.tui.__file__).parent.glob("*.py"):
        assert not re.search(r"\bFooter\(", source.read_text(encoding="utf-8")), source.name


# --- item 5: tiny windows ----------------------------------------------------------------------------


def notice_shown(app) -> bool:
    from trainer.tui.roomy import TooSmall

    return any(n.display and n.styles.display != "none" for n in app.screen.query(TooSmall)) and (
        app.has_class("-too-small")
    )


@pytest.mark.parametrize("size", [(3, 24), (6, 4), (1, 1), (80, 3), (20, 30)])
async def test_a_tiny_window_shows_a_notice_and_the_conversation_carries_on_when_it_grows(size):
    async with make_app().run_test(size=size) as pilot:
        screen = await open_conversation(pilot)  # used to end the app: ValueError from range()
        await pilot.pause()
        assert notice_shown(pilot.app)
        text = str(screen.query_one("TooSmall").visual)
        assert "too small" in text and f"{size[0]}x{size[1]}" in text and "40x12" in text
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not notice_shown(pilot.app)
        await pilot.press(*"Hi there")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.run.learner_turns == 1
        await pilot.resize_terminal(5, 5)  # shrinking mid-conversation: the notice again, no crash
        await pilot.pause()
        assert notice_shown(pilot.app)


@pytest.mark.parametrize("size", [(1, 1), (4, 3), (12, 6), (39, 11)])
async def test_every_screen_survives_a_tiny_window(size):
    async with make_app().run_test(size=size) as pilot:
        await settle(pilot)
        assert notice_shown(pilot.app)
        await pilot.press("f1")  # help
        await pilot.pause()
        await pilot.press("escape")
        await pilot.press("enter")  # briefing
        await pilot.pause()
        await pilot.press("enter")  # conversation
        await pilot.pause()
        await say(pilot, "Hello, I'm here because the school asked")
        await say(pilot, "It sounds like it has been hard")
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("enter")  # end screen
        await pilot.pause()
        await pilot.press("enter")  # self-assessment
        await pilot.pause()
        await pilot.press("ctrl+k")  # debrief
        await settle(pilot)
        assert type(pilot.app.screen).__name__ == "DebriefScreen"
        assert notice_shown(pilot.app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not notice_shown(pilot.app)


# --- item 10: typing while the service user "thinks" ------------------------------------------------


def slow_scorer(release: threading.Event, fail_first: bool = False):
    class SlowScorer(FakeScorer):
        failed = False

        def assess(self, text: str, context: str | None = None, cues=None) -> Assessment:
            release.wait(10)
            if fail_first and not SlowScorer.failed:
                SlowScorer.failed = True
                raise RuntimeError("the model broke")
            return super().assess(text, context, cues)

    return SlowScorer


async def test_the_next_reply_can_be_typed_while_the_last_is_scored_and_is_never_dropped():
    release = threading.Event()
    async with make_app(scorer_factory=slow_scorer(release)).run_test(size=SIZE) as pilot:
        screen = await open_conversation(pilot)
        reply = screen.query_one(ReplyBox)
        await pilot.press(*"Hello, I'm here because the school asked")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.thinking and reply.has_class("thinking")
        assert "You: Hello, I'm here because the school asked" in screen_text(pilot.app)  # shown at once
        await pilot.press(*"It sounds like 2 things")  # typed while Rose "thinks"; the digit is text
        await pilot.press("enter")  # cannot go yet: kept, and the student is told
        await pilot.pause()
        assert reply.text == "It sounds like 2 things"
        assert any("has not answered your last reply yet" in n for n in notifications(pilot.app))
        release.set()
        await settle(pilot)
        assert not screen.thinking
        assert reply.text == "It sounds like 2 things"  # still there after the first reply landed
        assert screen.run.learner_turns == 1
        await pilot.press("enter")
        await settle(pilot)
        assert screen.run.learner_turns == 2
        assert "You: It sounds like 2 things" in screen_text(pilot.app)


async def test_a_reply_that_could_not_be_scored_comes_back_before_what_was_typed_since():
    release = threading.Event()
    async with make_app(scorer_factory=slow_scorer(release, fail_first=True)).run_test(size=SIZE) as pilot:
        screen = await open_conversation(pilot)
        reply = screen.query_one(ReplyBox)
        await pilot.press(*"First reply")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"second")
        release.set()
        await settle(pilot)
        assert reply.text == "First reply\nsecond"
        assert screen.run.learner_turns == 0
        assert "sending" not in screen_text(pilot.app) and not screen.query(".pending")
        assert any("could not be scored" in n for n in notifications(pilot.app))


# --- item 4: the newest line stays in view ------------------------------------------------------------

LONG = "I'm here because the school asked me to come and see how things are. " + "And more words. " * 220


def newest_in_view(screen) -> bool:
    """The transcript is scrolled to its end and its last line is inside the visible window."""
    box = screen.query_one("#transcript")
    last = box.children[-1]
    visible = box.content_region
    at_end = box.scroll_y >= box.max_scroll_y - 0.5 or box.max_scroll_y == 0
    inside = visible.y <= last.region.y < last.region.bottom <= visible.bottom
    return at_end and last.region.height > 0 and inside


async def test_after_a_long_reply_the_answer_and_the_note_are_in_view():
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_conversation(pilot)
        await say(pilot, LONG)
        await pilot.pause()
        assert screen.run.learner_turns == 1
        assert "Rose: I'm doing my best with him." in str(screen.query_one("#transcript").children[-1].visual)
        assert newest_in_view(screen)


async def test_after_a_resize_the_newest_line_is_still_in_view():
    async with make_app().run_test(size=(120, 35)) as pilot:
        screen = await open_conversation(pilot)
        await say(pilot, LONG)
        await say(pilot, "It sounds like it has been hard " + "really " * 200)
        await pilot.pause()
        assert newest_in_view(screen)
        for size in [(80, 24), (200, 50), (80, 24)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.pause()
            assert newest_in_view(screen), size


async def test_the_transcript_scrolls_from_the_reply_box_and_end_returns_to_the_newest():
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_conversation(pilot)
        await say(pilot, LONG)
        await pilot.press(*"draft")
        box = screen.query_one("#transcript")
        await pilot.press("pageup")
        await pilot.pause()
        assert box.scroll_y < box.max_scroll_y  # moved up a page
        up_once = box.scroll_y
        await pilot.press("pageup")
        await pilot.pause()
        assert box.scroll_y < up_once
        await pilot.press("pagedown")
        await pilot.pause()
        assert box.scroll_y > box.scroll_y - 1 and box.scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert newest_in_view(screen)
        assert screen.query_one(ReplyBox).text == "draft"  # the keys scrolled; the draft is untouched
        assert pilot.app.focused is screen.query_one(ReplyBox)


async def test_end_returns_to_the_newest_line_while_choosing_an_option_too():
    # At an options-only moment the options have the focus: End highlighted the last option instead of
    # scrolling (and Enter then picked it), though the help says End goes back to the newest line.
    async with make_app().run_test(size=(80, 24)) as pilot:
        screen = await open_conversation(pilot)
        await say(pilot, LONG)
        await say(pilot, "Right")
        await say(pilot, "Hmm")
        choices = screen.query_one(ChoiceList)
        assert pilot.app.focused is choices and choices.highlighted == 0
        for key in ("end", "ctrl+end"):
            await pilot.press("pageup")
            await pilot.pause()
            assert not newest_in_view(screen)
            await pilot.press(key)
            await pilot.pause()
            assert newest_in_view(screen), key
            assert choices.highlighted == 0  # the first option is still the one Enter picks
        assert "**End** (or\n  ctrl+End) goes back to the newest line" in KEYS_MARKDOWN


async def test_a_resumed_run_opens_at_its_newest_line():
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_conversation(pilot)
        await say(pilot, LONG)
        await say(pilot, "It sounds like it has been hard")
        run_id = screen.run.run_id
        await pilot.press("escape", "y")
    from tests.test_tui import FIXTURES

    fixture = str(FIXTURES / "kitchen-table.yaml")
    async with make_app(scenario=fixture, resume=run_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert newest_in_view(pilot.app.screen)


# --- item 3: the half-typed reply is kept --------------------------------------------------------------


async def resume_from_home(pilot):
    await settle(pilot)
    from trainer.tui.home import SessionList

    pilot.app.screen.query_one(SessionList).focus()
    await pilot.press("enter")
    await pilot.pause()
    return pilot.app.screen


async def test_a_half_typed_reply_is_kept_on_quit_and_back_on_resume():
    async with make_app().run_test(size=SIZE) as pilot:
        await open_conversation(pilot)
        await say(pilot, "Hello, I'm here because the school asked")
        await pilot.press(*"It sounds like")
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await resume_from_home(pilot)
        reply = screen.query_one(ReplyBox)
        assert reply.text == "It sounds like"
        assert reply.cursor_location == reply.document.end  # carry on typing where you were
        await pilot.press(*" it has been hard", "enter")
        await settle(pilot)
        assert screen.run.learner_turns == 2
        assert "You: It sounds like it has been hard" in screen_text(pilot.app)


async def test_a_draft_with_no_reply_yet_is_worth_keeping():
    async with make_app().run_test(size=SIZE) as pilot:
        await open_conversation(pilot)
        await pilot.press(*"Hello")
        await pilot.press("ctrl+q")
        assert type(pilot.app.screen).__name__ == "ConfirmScreen"  # asks: there is something to lose
        await pilot.press("y")
        await pilot.pause()
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await resume_from_home(pilot)
        assert screen.query_one(ReplyBox).text == "Hello"


async def test_the_draft_is_saved_every_few_seconds_while_typing():
    from trainer.scenario import saves

    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_conversation(pilot)
        await say(pilot, "Hello, I'm here because the school asked")
        await pilot.press(*"half a tho")
        screen._save_draft()  # what the timer calls every DRAFT_SAVE_SECONDS (no timing in tests)
        # As if the machine went off now: the file on disk has the draft.
        assert saves.load_run(screen.run.run_id).draft == "half a tho"
        await pilot.press("enter")
        await settle(pilot)
        assert saves.load_run(screen.run.run_id).draft == ""  # sent: no longer a draft


def test_saves_written_before_drafts_were_kept_still_load(tmp_path: Path):
    import json

    from trainer.scenario import saves

    old = {
        "format": 1,
        "run_id": "0123456789abcdef0123456789abcdef",
        "scenario_id": "kitchen-table",
        "scenario_title": "At the kitchen table",
        "node": "start",
        "variables": {"trust": 5},
        "transcript": [],
        "finished": False,
        "started_at": "2026-11-01T10:00:00Z",
        "updated_at": "2026-11-01T10:05:00Z",
        "mode": "coach",
    }
    (tmp_path / f"{old['run_id']}.json").write_text(json.dumps(old))
    state = saves.load_run(old["run_id"], tmp_path)
    assert state.draft == ""
    assert [r.run_id for r in saves.list_unfinished(tmp_path)] == [old["run_id"]]


async def test_keys_typed_between_enter_and_the_send_are_kept_for_the_next_reply():
    # A fast typist (or tmux) types on straight after Enter, before the screen has taken the reply:
    # those keys belong to the next reply and must not be cleared away with the one sent.
    release = threading.Event()
    async with make_app(scorer_factory=slow_scorer(release)).run_test(size=SIZE) as pilot:
        screen = await open_conversation(pilot)
        reply = screen.query_one(ReplyBox)
        await pilot.press(*"Hello, I'm here because the school asked")
        reply.action_send()  # Enter: the Submitted message is queued for the screen...
        reply.insert("It sounds like")  # ...and these keys reach the box before it is handled
        await pilot.pause()
        assert screen.thinking
        assert reply.text == "It sounds like"
        release.set()
        await settle(pilot)
        assert screen.run.learner_turns == 1
        assert "You: Hello, I'm here because the school asked" in screen_text(pilot.app)
        assert reply.text == "It sounds like"


@pytest.mark.parametrize("size", [(3, 4), (6, 4)])
async def test_the_options_survive_a_tiny_window_even_before_the_notice_styles_apply(size):
    # In a real terminal (tmux, 80x24 -> 6x4 -> 3x4) the screen can be laid out at the new size before
    # the app's "-too-small" class and its min-width have been applied: the option list must not need
    # them to lay its options out (it ended the app with "range() arg 3 must not be zero").
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_conversation(pilot)
        await say(pilot, "Hello, I'm here because the school asked")
        await say(pilot, "It sounds like it has been hard")
        assert screen.query_one("#choices").display  # the moment with options
        await pilot.resize_terminal(*size)
        await pilot.pause()
        pilot.app.set_class(False, "-too-small")  # the layout done before the class lands
        screen.refresh(layout=True)
        await pilot.pause()
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert pilot.app.is_running and pilot.app.return_code is None
        await pilot.press("2")
        await settle(pilot)
        assert screen.run.learner_turns == 3


def test_help_names_every_key_the_debrief_history_home_and_self_assessment_footers_show():
    # a tester found the debrief's f/n/e/h, the self-assessment's ctrl+s/ctrl+k and the history's d/p/s
    # nowhere in Help; at a narrow width the footer leaves some of them out
    from trainer.tui.debrief_screen import DebriefScreen
    from trainer.tui.history_screen import HistoryScreen
    from trainer.tui.home import SessionList
    from trainer.tui.selfassess import SelfAssessScreen

    written = {"escape": "Escape", "enter": "Enter", "delete": "Delete", "tab": "Tab"}
    for screen in (DebriefScreen, HistoryScreen, SessionList, SelfAssessScreen):
        for binding in screen.BINDINGS:
            if not getattr(binding, "show", False) or binding.key in {"1"}:
                continue
            key = binding.key.split(",")[0]
            assert f"**{written.get(key, key)}**" in KEYS_MARKDOWN, (screen.__name__, key)


OPTION_LINES = [
    "(Ringing straight back on the same number.) Leo's mum, it's me again - we got cut off. Are you still "
    "OK to talk?",
    "(Texting.) Hi, it's me, we got cut off. I'll try you again in five minutes, and then again at four.",
    "(Waiting for her to ring back, and getting on with the emails that came in this morning.)",
]
LONG_OPTIONS = "".join(
    f'      - say: "{line}"\n        goto: {goto}\n'
    for line, goto in zip(OPTION_LINES, ["thursday", "promised", "thursday"], strict=True)
)


def long_options_scenarios(tmp_path: Path) -> Path:
    """The fixture with three long options at its options-only moment ("So which is it?")."""
    text = (FIXTURES / "kitchen-table.yaml").read_text()
    start = text.index("    options:\n", text.index("So which is it?")) + len("    options:\n")
    end = text.index("    default:", start)
    folder = tmp_path / "long"
    folder.mkdir()
    (folder / "kitchen-table.yaml").write_text(text[:start] + LONG_OPTIONS + text[end:])
    return folder


async def to_the_options_only_moment(pilot) -> ConversationScreen:
    screen = await open_conversation(pilot)
    for reply in ("Hi", "Right", "Hmm, let me think"):  # no signal: on to the options-only moment
        await say(pilot, reply)
    assert "Rose: So which is it?" in screen_text(pilot.app)
    return screen


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)])
async def test_every_option_of_an_options_only_moment_reads_whole(tmp_path: Path, size):
    """Student tester F39: at 60x20 the third option was cut off below the list's edge."""
    async with make_app(scenarios_dir=long_options_scenarios(tmp_path)).run_test(size=size) as pilot:
        screen = await to_the_options_only_moment(pilot)
        choices = screen.query_one("#choices", OptionList)
        assert choices.option_count == 3
        assert choices.max_scroll_y == 0  # nothing below the edge
        assert choices.content_region.height >= choices.virtual_size.height


async def test_letters_typed_at_an_options_only_moment_say_what_to_do():
    """Student tester F39: typed letters vanished without a word."""
    async with make_app().run_test(size=(60, 20)) as pilot:
        screen = await to_the_options_only_moment(pilot)
        choices = screen.query_one("#choices", OptionList)
        assert not choices.border_title
        await pilot.press(*"hello")
        assert choices.border_title == "Choose one of the options (1-2) here"
        choices.border_title = None
        await pilot.press("tab", *"hi")  # with the focus moved off the list too
        assert choices.border_title == "Choose one of the options (1-2) here" and choices.has_focus
        await pilot.press("1")  # the number still picks
        await settle(pilot)
        assert "You: I can't keep secrets" in screen_text(pilot.app)


async def test_after_a_resize_the_reply_box_repaints_every_line(monkeypatch):
    """Student tester F25: after a resize while typing, a line wrapped at the old width stayed on screen
    ("...a bit scary," / "scary, and ur kind of..."). Textual's TextArea re-wraps but repaints only the
    lines it thinks changed (reproduced with a bare TextArea); the reply box asks for a whole repaint."""
    async with make_app().run_test(size=(80, 24)) as pilot:
        screen = await open_conversation(pilot)
        reply = screen.query_one(ReplyBox)
        reply.insert("sounds like the first night on ur own felt a bit scary, and ur kind of embarrassed")
        await pilot.pause()
        whole: list[bool] = []
        original = type(reply).refresh

        def refresh(self, *regions, **kwargs):
            if self is reply:
                whole.append(not regions)
            return original(self, *regions, **kwargs)

        monkeypatch.setattr(type(reply), "refresh", refresh)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert True in whole
        assert reply.text.count("scary") == 1
