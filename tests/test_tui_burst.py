"""Keys that arrive in one burst (a fast typist, tmux send-keys, a terminal pasting without bracketed
paste) land in the order they were typed: a new line (ctrl+j, shift+enter) typed in the middle of a
burst is stored where it was typed, and the reply sent, saved and scored is exactly what was typed
(student tester F1/F8: "hour.I'm", "te\\nll")."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_tui import data_dir, make_app, open_conversation, settle  # noqa: F401
from tests.tui_support import FakeScorer, burst
from trainer.tui.conversation import ConversationScreen, ReplyBox

TYPED = (
    "Today I'll be here about half an hour.\n"
    "I'm going to listen to how things are, and at the end we'll agree what happens next together.\n"
    "What you tell me stays within the team, unless I'm worried someone is at risk of harm, and I'd "
    "tell you first."
)


async def type_in_a_burst_and_send(size: tuple[int, int], *parts: str):
    scorer = FakeScorer()
    async with make_app(scorer_factory=lambda: scorer).run_test(size=size) as pilot:
        screen = await open_conversation(pilot)
        burst(pilot.app, *parts)
        await settle(pilot)
        shown = screen.query_one(ReplyBox).text
        await pilot.press("enter")
        await settle(pilot)
        return shown, [sent for sent, _ in scorer.calls], screen.run.state.transcript


async def test_a_burst_with_new_lines_is_sent_and_saved_exactly_as_typed():
    shown, sent, transcript = await type_in_a_burst_and_send((80, 24), TYPED)
    assert shown == TYPED
    assert sent == [TYPED]
    assert any(record.text == TYPED for record in transcript)


async def test_shift_enter_in_a_burst_is_a_new_line_where_it_was_typed():
    shown, sent, _ = await type_in_a_burst_and_send((60, 20), "first line", "shift+enter", "second line")
    assert shown == "first line\nsecond line"
    assert sent == ["first line\nsecond line"]


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz'.,?", min_size=1, max_size=40)
LINE = st.lists(WORD, min_size=1, max_size=12).map(" ".join)
# A reply with words: punctuation alone ("?\n?") is not sent (trainer.practice.replies).
REPLY = st.lists(LINE, min_size=2, max_size=4).map("\n".join).filter(lambda t: any(c.isalpha() for c in t))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=REPLY, size=st.sampled_from([(80, 24), (120, 40), (60, 20)]))
def test_any_multi_line_reply_typed_in_a_burst_is_kept_exactly(text: str, size: tuple[int, int]) -> None:
    shown, sent, _ = asyncio.run(type_in_a_burst_and_send(size, text))
    assert shown == text
    assert sent == [text]


# --- every other text box: typing that reaches a dialog before its box has the focus (trainer.tui.bursts) --

NOTE = "I felt nervous, my sister had the same thing happen."


async def note_typed_in_a_burst(tmp_path, text: str, size: tuple[int, int] = (80, 24)) -> tuple[str, dict]:
    """Open the note dialog (n), wait, then type `text` in one burst and press Enter: (box, saved notes)."""
    from tests.test_debrief_fixtures import poor_run, scenario
    from tests.test_debrief_screen import Host, saved
    from trainer.debrief.compute import compute_debrief
    from trainer.tui.debrief_screen import DebriefScreen

    store, sid = saved(tmp_path)
    app = Host(DebriefScreen(compute_debrief(scenario(), poor_run(), session_id=sid), store))
    async with app.run_test(size=size) as pilot:
        await pilot.press("n")
        await pilot.pause()
        burst(app, text)  # the focus is on the reply picker: the whole burst reaches it first
        await settle(pilot)
        shown = app.screen.query_one("#note-text").value
        await pilot.press("enter")
        await settle(pilot)
    return shown, store.get_session(sid).turn_notes


async def test_a_note_typed_in_a_burst_keeps_its_spaces(tmp_path, monkeypatch):
    # Student tester: dictated into the note dialog, the note was saved "Ifeltnervous,mysister...".
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path))
    shown, notes = await note_typed_in_a_burst(tmp_path, NOTE)
    assert shown == NOTE
    assert notes == {1: NOTE}


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=LINE.filter(lambda s: s.strip() == s), size=st.sampled_from([(80, 24), (120, 40), (200, 60)]))
def test_any_note_typed_in_a_burst_is_kept_exactly(tmp_path_factory, text: str, size) -> None:
    import os

    folder = tmp_path_factory.mktemp("note")
    os.environ["TRAINER_DATA_DIR"] = str(folder)
    try:
        shown, notes = asyncio.run(note_typed_in_a_burst(folder, text, size))
    finally:
        del os.environ["TRAINER_DATA_DIR"]
    assert shown == text
    assert notes == {1: text}


async def test_a_flag_reason_typed_in_a_burst_keeps_its_spaces(tmp_path, monkeypatch):
    from textual.widgets import Input

    from tests.test_debrief_fixtures import poor_run, scenario
    from tests.test_debrief_screen import Host, saved
    from trainer.debrief.compute import compute_debrief
    from trainer.tui.debrief_screen import DebriefScreen

    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path))
    store, sid = saved(tmp_path)
    app = Host(DebriefScreen(compute_debrief(scenario(), poor_run(), session_id=sid), store))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        burst(app, "It was a real question, not advice")
        await settle(pilot)
        assert app.screen.query_one("#flag-reason", Input).value == "It was a real question, not advice"
        assert app.screen.query_one("#flag-empathy").value is False  # no space ticked a box on the way


async def test_a_name_typed_in_a_burst_on_a_button_goes_into_the_name_box():
    from textual.widgets import Input

    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f4", "tab")  # from the name box to "Save"
        await pilot.pause()
        burst(pilot.app, "Sam Lee")
        await settle(pilot)
        assert pilot.app.screen.query_one("#learner-name", Input).value == "Sam Lee"


async def test_a_reply_typed_with_the_focus_on_the_transcript_goes_into_the_reply_box():
    # Tab moves the focus out of the reply box; a sentence typed then used to vanish without a word.
    async with make_app().run_test(size=(80, 24)) as pilot:
        screen = await open_conversation(pilot)
        await pilot.press("tab")
        await pilot.pause()
        assert not isinstance(pilot.app.focused, ReplyBox)
        burst(pilot.app, "Hello, I'm Sam from the school team.")
        await settle(pilot)
        assert screen.query_one(ReplyBox).text == "Hello, I'm Sam from the school team."


async def test_every_key_the_debrief_and_history_footers_show_is_in_the_palette(tmp_path, monkeypatch):
    # A fresh tester (stop 14) found Export, I disagree, Note and History missing from ctrl+p in the debrief,
    # though the README says every action is in the command palette.
    from tests.test_debrief_fixtures import poor_run, scenario
    from tests.test_debrief_screen import Host, saved
    from trainer.debrief.compute import compute_debrief
    from trainer.tui.debrief_screen import DebriefScreen
    from trainer.tui.history_screen import HistoryScreen

    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path))
    store, sid = saved(tmp_path)
    for screen in (DebriefScreen(compute_debrief(scenario(), poor_run(), session_id=sid), store),
                   HistoryScreen(store)):
        app = Host(screen)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            titles = {c.title for c in app.screen.palette_commands()}
            shown = {b.description for b in type(screen).BINDINGS if b.show}
            assert shown <= titles, (type(screen).__name__, shown - titles)


# --- a long burst (tmux paste-buffer: 10,000 characters as keystrokes) is not one edit per key -----------


async def test_a_long_burst_goes_into_the_box_in_a_few_edits_and_its_end_is_in_view(monkeypatch):
    # TextArea re-wraps the whole line at every edit: one edit per key made a 10,000-character paste
    # quadratic (the app froze for 12-18 s). Counted, not timed: the edits and the reply box's change
    # handler, which keeps the draft.
    edits, changes = [], []
    edit, changed = ReplyBox.edit, ConversationScreen._reply_changed
    monkeypatch.setattr(ReplyBox, "edit", lambda self, e: edits.append(e) or edit(self, e))
    monkeypatch.setattr(ConversationScreen, "_reply_changed", lambda self: changes.append(1) or changed(self))
    pasted = "word " * 2000
    async with make_app().run_test(size=(80, 24)) as pilot:
        screen = await open_conversation(pilot)
        burst(pilot.app, pasted[:500])  # the box at its full height, then a long burst
        await settle(pilot)
        burst(pilot.app, pasted[500:] + "the end")
        await settle(pilot)
        box = screen.query_one(ReplyBox)
        assert box.text == pasted + "the end" and screen.run.draft == box.text
        assert box.scroll_y == box.max_scroll_y > 0  # the cursor's line, the last, is in view
        burst(pilot.app, "ctrl+j", "next line", "ctrl+j", "and a third")
        await settle(pilot)
        assert box.text == pasted + "the end\nnext line\nand a third"  # every key, in order
        assert screen.run.draft == box.text
        assert len(edits) <= 10 and len(changes) <= 10  # not 10,029
