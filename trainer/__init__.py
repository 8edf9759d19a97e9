"""trainer: rehearse first meetings with a simulated service user.

The package root imports nothing heavy: the scorer (spaCy) and the app (Textual) are loaded by the
commands that need them, so `trainer validate` starts fast.
"""

__version__ = "0.1.0"
