"""The footer every screen shows: its keys, Ctrl+P (跳转) among them.

Textual docks the command palette's key at the right edge, over the row of keys; where
a Chinese word of that row reached the edge, the overlap split it and the docked key
showed as `^p   转`. Ctrl+P is an ordinary shown binding of the app instead (in the
flow, after the screen's own keys), so nothing is drawn over anything."""

from __future__ import annotations

from textual.widgets import Footer


def footer() -> Footer:
    return Footer(compact=True, show_command_palette=False)
