"""The user interfaces for playing a scenario.

The Textual app lives in `app.py` and the screen modules; this package root imports nothing, and
`coaching`, `helptext` and `play` import no textual, so the plain-text player (`trainer.plain`) can share
them without loading Textual.
"""
