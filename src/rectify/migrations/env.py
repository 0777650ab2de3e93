"""Alembic environment: runs on the connection the store hands over, online only."""

from __future__ import annotations

from typing import Any

from alembic import context

from rectify.projections.catalog import EVENT_STORE_TABLES
from rectify.projections.metadata import metadata
from rectify.projections.text_search import is_index_object


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    # The event store's tables belong to the eventsourcing library, not to us.
    if type_ == "table" and name in EVENT_STORE_TABLES:
        return False
    if type_ in ("table", "index") and is_index_object(name):
        return False  # the text index (migration 0012_tuiperf): outside the models
    return not (
        type_ == "index"
        and getattr(getattr(obj, "table", None), "name", None) in EVENT_STORE_TABLES
    )


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    include_object=include_object,
    compare_type=True,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
