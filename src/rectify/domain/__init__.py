"""Write side: aggregates, their events, commands and the scoring rules.

Imports only the standard library, eventsourcing and pydantic (enforced by import-linter).
"""
