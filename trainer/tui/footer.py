"""The footer every screen shows: Textual's Footer, rebuilt only when the keys it shows have changed.

Textual's Footer rebuilds all its keys whenever a screen publishes "bindings changed", which screens do
on every focus change and whenever they call `refresh_bindings()`. Each rebuild also leaves the removed
keys' data bindings (`FooterKey.compact` bound to `Footer.compact`) in the footer's watcher list, and
every new binding scans that list: so each rebuild costs more than the one before, and typing (which
refreshed the bindings on every key) got slower the longer the app was open (issue 11, item 2).

`TrainerFooter` compares what it would show (key, label, enabled, tooltip) with what it shows, and
rebuilds only when they differ; when it does rebuild it drops the watchers of the keys it removed, so
the watcher list stays as long as the footer is wide.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer

Signature = tuple[tuple[Any, ...], ...]


class TrainerFooter(Footer):
    """A Footer that rebuilds only when the shown keys change, and never accumulates dead watchers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: Signature | None = None
        self.rebuilds = 0
        """How many times the keys were rebuilt (for tests and the benchmark)."""

    def keys_signature(self) -> Signature:
        """What the footer would show now: for every shown binding, its key, label, action and state."""
        palette_key = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            (key, binding.action, binding.description, binding.key_display, enabled, tooltip, binding.show)
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette_key
        ) + ((self.show_command_palette, self.app.ENABLE_COMMAND_PALETTE),)

    async def recompose(self) -> None:
        if not self.is_attached or not self._bindings_ready:
            await super().recompose()
            return
        signature = self.keys_signature()
        if signature == self._shown:
            return
        self._shown = signature
        self.rebuilds += 1
        await super().recompose()
        self._drop_dead_watchers()

    def _drop_dead_watchers(self) -> None:
        # Textual keeps a reactive's watchers in the attribute "__watchers" (a plain name, not mangled);
        # it prunes closed ones only when the reactive changes, which `compact` never does.
        watchers: dict[str, list[tuple[Any, Any]]] = getattr(self, "__watchers", {})
        for entries in watchers.values():
            entries[:] = [(node, cb) for node, cb in entries if node.is_attached and not node._closing]

    def watcher_count(self) -> int:
        """How many watchers the footer's reactives have (stays bounded; for tests)."""
        watchers: dict[str, list[Any]] = getattr(self, "__watchers", {})
        return sum(len(entries) for entries in watchers.values())
