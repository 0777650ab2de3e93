"""Textual terminal UI (room reserved by the layering; screens arrive with their issue)."""
