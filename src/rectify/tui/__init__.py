"""The Textual terminal UI (`rectify tui`): screens per role and task, over the backend
module, its one door to the store (docs/ARCHITECTURE.md, docs/tui.md)."""
