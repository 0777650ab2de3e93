"""Alembic migrations for the read-model tables (never the event store's own tables)."""
