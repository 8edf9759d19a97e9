"""The help text: the skills this trainer practises and the professional-relationship checklist.

Written as Markdown once and shown by the app's help screen and by the plain player's `/help`, so it
imports nothing from textual. Drawn from Moss (2015) and Wilson et al. (2011), as quoted in the course
reading.
"""

from __future__ import annotations

SKILLS_MARKDOWN = """\
# Help: the skills you are practising

## Empathy, not sympathy
*Empathy* is "standing in someone else's shoes", and showing that you have understood accurately.
Give back what the person said or meant, tentatively, and check it:
"It sounds like you're exhausted - have I got that right?"

*Sympathy* is about your feelings, not theirs: pity ("poor you", "I'm so sorry"), your own reaction
("that breaks my heart"), "I know exactly how you feel", and reassurance that closes the feeling down
("don't worry, it'll be fine"). It does not show a shared understanding.

## Purpose
Be clear, with yourself and with the other person, about why you are meeting and what you need to
achieve: the referral, today's task, how long you have, what happens next. Offer an agenda they can
shape: "Could I explain why I'm here, and then hear what matters most to you?"

## Boundaries: what a professional relationship is
- Be clear about why you are meeting and what you need to achieve.
- Establish clear boundaries, so each of you knows what is and is not acceptable.
- You represent your agency and are accountable to your manager; a colleague may share the work, act
  on your behalf, or work with the person instead of you.
- Your reward is a job well done: gifts are normally declined tactfully; money is always refused. A
  small gift, if accepted, goes to the office for everyone, is recorded, and your manager is told.
- Confidentiality has limits: say what will be shared, with whom, and when (risk of harm).

## What a professional relationship is not (Moss)
- **Not a friend**: be friendly, but a friendship offers far more than you can.
- **Not always and instantly available**: you work to agreed appointments.
- **Not general "chat" sessions**: there is always a reason for meeting and objectives.
- **Not open-ended**: the work is focused and time-limited; the end is in sight from the start.
- **Not physically close**: physical contact can be misunderstood or exploited; it breaches the
  boundary of the professional relationship.
"""

KEYS_MARKDOWN = """\
## Keys
- **Enter** sends your reply; **ctrl+j** (or shift+enter, where your terminal supports it) starts a
  new line.
- **1-9** on an empty reply box pick a numbered option (greyed options are not available now).
- **PageUp** / **PageDown** scroll the conversation, while you type or choose an option; **End** (or
  ctrl+End) goes back to the newest line.
- You can type your next reply while the service user is still answering; it is sent when you press
  Enter after they have answered. A half-typed reply is kept with your session.
- **F1** opens this help anywhere; **?** does too, except while you are typing.
- **F2** switches the high-contrast theme on and off, anywhere.
- **F3** on the home screen: your history of sessions. **F4** there (or Settings in the palette): the
  name scenarios may call you by.
- **ctrl+p** opens the command palette: every action. When the terminal is narrow, the footer leaves
  out some keys; they all still work.
- **Escape** goes back; **ctrl+q** quits (a conversation is saved with what you were typing, and you
  can resume it from home).

On the home screen, typing filters the scenarios; **Tab** goes to your unfinished sessions, where
**Enter** resumes one and **Delete** discards it (after asking). After a session, in the self-assessment:
**1-5** rates the question you are on, **Tab** moves to the next, **ctrl+s** shows your debrief,
**ctrl+k** skips the rest. In the debrief: **f** says you disagree with a score, **n** adds a note on a
reply (for your practice educator), **e** exports (the debrief; as JSON, the file your educator's class
report reads; or as a process recording for your practice educator), **h** opens your history. In the
history: **Enter** opens a session's debrief, **d** deletes it, **p** and **s** switch between your
progress and your sessions. A conversation you leave at its end (Escape, ctrl+q) is kept in your
history, to rate yourself and see the debrief later.
"""

def plain_text(markdown: str) -> str:
    """The help without Markdown emphasis, for the plain player (a screen reader reads '**' aloud)."""
    return markdown.replace("**", "").replace("*", "")


PLAIN_COMMANDS = """\
Commands: type your reply and press Enter. Type a number (or #1, option 1) to pick a numbered option.
  /help   the skills and the professional-relationship checklist
  /name   what scenarios call you; /name YOUR NAME changes it (kept, and redacted from exports)
  /quit   save and stop (end of input does the same); resume later with --resume RUN_ID
After the ending: rate yourself, read the debrief, then add notes to replies ("what was happening for
you?"), export a process recording and flag a reply you think was scored wrongly ("I disagree": your
practice educator sees it). Enter skips each.
"""

LAB_NOTICE = (
    "This app runs on a shared server. Your sessions here are private to this browser tab and are deleted "
    "when you close it: to keep one, export it from the debrief (e), which downloads the file."
)
"""Said when the app runs in a private tab of a shared `trainer serve` (trainer.paths.on_lab_server)."""
