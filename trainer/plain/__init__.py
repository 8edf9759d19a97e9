"""The plain-text front end: `trainer play --plain`, the conversation as plain lines on stdin/stdout.

A front end beside the Textual app (`trainer.tui`), sharing the practice layer (`trainer.practice`) with it.
May import trainer.practice and the layers below it; never Textual or trainer.tui.
"""

from trainer.plain.player import EMPTY_REPLY, OPTIONS_ONLY, PlainError, briefing_lines, run_plain

__all__ = ["EMPTY_REPLY", "OPTIONS_ONLY", "PlainError", "briefing_lines", "run_plain"]
