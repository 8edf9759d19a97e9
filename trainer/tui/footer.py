"""The footer every screen shows: Textual's Footer, rebuilt only when the keys it shows have changed.

Textual's Footer rebuilds all its keys whenever a screen publishes "bindings changed", which screens do
on every focus change and whenever they call `refresh_bindings()`. Each rebuild also leaves the removed
keys' data bindings (`FooterKey.compact` bound to `Footer.compact`) in the footer's watcher list, and
every new binding scans that list: so each rebuild costs more than the one before, and typing (which
refreshed the bindings on every key) got slower the longer the app was open (issue 11, item 2).

`TrainerFooter` compares what it would show (key, label, enabled, tooltip) with what it shows, and
rebuilds only when they differ; when it does rebuild it drops the watchers of the keys it removed, so
the watcher list stays as long as the footer is wide.

It also fits the terminal: Textual's Footer lets keys run off the right edge, so at 80 columns the home
screen lost F1 Help and F2 Contrast once it had unfinished sessions to show. When the keys do not fit,
the footer turns compact (less padding); if they still do not fit it leaves out, in this order, the keys
in LEAST_NEEDED, then the screen's own keys from the last. F1 Help is never left out, and Help lists
every key, so nothing becomes unreachable.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: Actions the footer leaves out first when the terminal is narrow (all are in Help, F1, and the palette).
LEAST_NEEDED: tuple[str, ...] = ("app.toggle_contrast", "toggle_contrast", "app.quit", "quit")
#: Never left out: the way to every other key.
ALWAYS: frozenset[str] = frozenset({"app.help", "help"})

Signature = tuple[tuple[Any, ...], ...]
Shown = tuple[Binding, bool, str]
"""A shown key: its binding, whether it is enabled, its tooltip."""


class TrainerFooter(Footer):
    """A Footer that rebuilds only when the shown keys change, and never accumulates dead watchers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: Signature | None = None
        self._fits: dict[Any, tuple[bool, tuple[str, ...]]] = {}
        self.rebuilds = 0
        """How many times the keys were rebuilt (for tests and the benchmark)."""

    def keys_signature(self) -> Signature:
        """What the footer would show now: for every shown binding, its key, label, action and state, and
        how the keys fit the width (compact, and which are left out)."""
        palette_key = self.app.COMMAND_PALETTE_BINDING
        active = self.screen.active_bindings  # built anew on each access: read once
        return tuple(
            (key, binding.action, binding.description, binding.key_display, enabled, tooltip, binding.show)
            for key, (_node, binding, enabled, tooltip) in active.items()
            if binding.show or key == palette_key
        ) + ((self.show_command_palette, self.app.ENABLE_COMMAND_PALETTE), self._fit(*self._keys(active)))

    def _keys(self, active: Any) -> tuple[list[Shown], Shown | None]:
        """The bindings Textual's Footer would show, one per action in its order, and the palette's key."""
        seen: dict[str, Shown] = {}
        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in seen:
                seen[binding.action] = (binding, enabled, tooltip)
        palette = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            entry = active.get(self.app.COMMAND_PALETTE_BINDING)
            palette = None if entry is None else (entry[1], entry[2], entry[3])
        return list(seen.values()), palette

    def _width(self, bindings: Iterable[Shown], palette: Shown | None, compact: bool) -> int:
        """Cells the keys take: " key " and "label " each (compact: "key label" and one cell between)."""
        total = 0
        for binding, _enabled, _tooltip in bindings:
            key, label = cell_len(self.app.get_key_display(binding)), cell_len(binding.description)
            total += key + 1 + label + 1 if compact else key + 2 + label + 1
        if palette is not None:  # docked right with a border and padding
            binding = palette[0]
            total += cell_len(self.app.get_key_display(binding)) + cell_len(binding.description) + 5
        return total

    def _fit(self, shown: list[Shown], palette: Shown | None) -> tuple[bool, tuple[str, ...]]:
        """(compact, the actions left out) for the footer's width now; worked out once per width and set
        of keys (the signature is taken on every keystroke)."""
        width = self.size.width or self.app.size.width
        memo = (width, tuple((b.key, b.action, b.description) for b, _e, _t in shown), palette is not None)
        fit = self._fits.get(memo)
        if fit is None:
            fit = self._fits[memo] = self._work_out_fit(width, shown, palette)
        return fit

    def _work_out_fit(
        self, width: int, shown: list[Shown], palette: Shown | None
    ) -> tuple[bool, tuple[str, ...]]:
        if not width or self._width(shown, palette, compact=False) <= width:
            return False, ()
        actions = [b.action for b, _e, _t in shown]
        order = [a for a in LEAST_NEEDED if a in actions]
        order += [a for a in reversed(actions) if a not in order and a not in ALWAYS]
        left_out: list[str] = []
        for action in order:
            if self._width((s for s in shown if s[0].action not in left_out), palette, compact=True) <= width:
                break
            left_out.append(action)
        return True, tuple(left_out)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        shown, palette = self._keys(self.screen.active_bindings)
        compact, left_out = self._fit(shown, palette)
        self.set_class(compact, "-compact")
        self.set_reactive(Footer.compact, compact)
        for binding, enabled, tooltip in shown:
            if binding.action in left_out:
                continue
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)
        if palette is not None:
            binding, enabled, _tooltip = palette
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                classes="-command-palette",
                disabled=not enabled,
                tooltip=binding.tooltip or binding.description,
            )

    def on_resize(self) -> None:
        if self.is_attached and self._bindings_ready:
            self.call_after_refresh(self.recompose)

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
