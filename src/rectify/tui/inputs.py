"""The TUI's text field: Textual's Input, keeping the order of a burst of keys.

A terminal may deliver "user, Tab, password, Enter" in one read (tmux send-keys, a
paste, a fast typist over SSH). The app hands each key to the field focused when the
app reads it, so every key of the burst lands in the first field; its Tab then moved
the focus only after the password had been typed there. Here the field handles Tab
itself, in order with the keys before it, and passes on the keys that reach it after
it lost the focus to the field that has it. Readline keys are Textual's own (Ctrl+U,
Ctrl+W, Ctrl+A/E, Ctrl+K; docs/tui.md).
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class TermInput(Input):
    async def _on_key(self, event: events.Key) -> None:
        screen = self.screen
        target = screen.focused
        # (`has_focus` would still say yes: it changes when the Blur message is handled.)
        if target is None or target is self or screen is not self.app.screen:
            return
        # Queued before the focus moved on: belongs to the field that has it now.
        event.stop()
        event.prevent_default()
        target.post_message(events.Key(event.key, event.character))

    def key_tab(self, event: events.Key) -> None:
        event.stop()
        self.screen.focus_next()

    def key_shift_tab(self, event: events.Key) -> None:
        event.stop()
        self.screen.focus_previous()
