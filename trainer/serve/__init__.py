"""The app in a web browser (`trainer serve`), beside the terminal app (trainer.tui) and the plain player.

See `trainer.serve.server` for how it works and what it guards against.
"""

from trainer.serve.server import ServeError, TrainerServer, app_command, serve

__all__ = ["ServeError", "TrainerServer", "app_command", "serve"]
