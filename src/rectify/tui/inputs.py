"""The TUI's text field: Textual's Input, keeping the order of a burst of keys.

A terminal may deliver "user, Tab, password, Enter" in one read (tmux send-keys, a
paste, a fast typist over SSH). The app hands each key to the field focused when the
app reads it, so every key of the burst lands in the first field; its Tab then moved
the focus only after the password had been typed there. Here the field handles Tab
itself, in order with the keys before it, and passes on the keys that reach it after
it lost the focus to the field that has it; its editing keys (bindings) act in order
too. Readline keys are Textual's own (Ctrl+U, Ctrl+W, Ctrl+A/E, Ctrl+K; docs/tui.md).
"""

from __future__ import annotations

from textual import events
from textual.actions import SkipAction
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input


def focus_now(screen: Screen[object], field: Widget) -> None:
    """For a priority binding that moves to a field (`/`, `t`): focus it at once, not
    after the keys queued behind the binding's key (as `focus()` would), so that the
    text typed behind it in one burst (tmux `send-keys t 2025-06-01`) lands there. While
    a text field has the focus the key is a letter typed in it, not the binding."""
    if isinstance(screen.focused, Input):
        raise SkipAction
    screen.set_focus(field)


class TermInput(Input):
    async def _on_key(self, event: events.Key) -> None:
        screen = self.screen
        target = screen.focused
        # (`has_focus` would still say yes: it changes when the Blur message is handled.)
        if target is None or screen is not self.app.screen:
            return
        if target is self:
            await self._edit_in_order(event)
            return
        # Queued before the focus moved on: belongs to the field that has it now.
        event.stop()
        event.prevent_default()
        target.post_message(events.Key(event.key, event.character))

    async def _edit_in_order(self, event: events.Key) -> None:
        """An editing key (Ctrl+U, Ctrl+W, Backspace, …) is a binding, which Textual
        runs once the key has bubbled up to the app — after the keys behind it in the
        burst were typed (tmux `C-u 2026-11-27` cleared the `2`). Run it here, in order."""
        bindings = self._bindings.key_to_bindings.get(event.key)
        if bindings and event.key not in ("tab", "shift+tab"):
            event.stop()
            event.prevent_default()
            await self.run_action(bindings[0].action)

    def key_tab(self, event: events.Key) -> None:
        event.stop()
        self.screen.focus_next()

    def key_shift_tab(self, event: events.Key) -> None:
        event.stop()
        self.screen.focus_previous()
