"""The Textual front end: the app (`app.py`) and its screens.

The only package that imports Textual. A front end beside the plain player (`trainer.plain`) and the
browser (`trainer.serve`); it shares the practice layer (`trainer.practice`) with them and imports
neither of them.
"""
