"""The event table as SQLAlchemy core sees it, and reading one aggregate from it.

eventsourcing-sqlalchemy declares the same table with its ORM (and sqlalchemy-utils'
UUID type); importing that costs a query ~0.3 s of start-up. Readers — the runner,
`verify`, a login — use this core declaration of the same columns instead, and the
Application (with the ORM) is built only when something records.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Mapper, StoredEvent
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Dialect,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
    select,
)
from sqlalchemy.types import TypeDecorator, TypeEngine, Uuid

from rectify.domain.mapping import EVENTS_TABLE


class EventUuid(TypeDecorator[UUID]):
    """sqlalchemy-utils' UUIDType as stored: 16 raw bytes on SQLite, native on PostgreSQL."""

    impl = LargeBinary
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(Uuid(as_uuid=True))
        return dialect.type_descriptor(LargeBinary(16))

    def process_bind_param(self, value: UUID | None, dialect: Dialect) -> Any:
        if value is None or dialect.name == "postgresql":
            return value
        return value.bytes

    def process_result_value(self, value: Any, dialect: Dialect) -> UUID | None:
        if value is None or isinstance(value, UUID):
            return value
        return UUID(bytes=bytes(value))


ID_TYPE = BigInteger().with_variant(Integer(), "sqlite")

# Its own MetaData: the library creates this table, Alembic never sees it.
events_table = Table(
    EVENTS_TABLE,
    MetaData(),
    Column("id", ID_TYPE, primary_key=True, autoincrement=True),
    Column("originator_id", EventUuid(), nullable=False),
    Column("originator_version", ID_TYPE, nullable=False),
    Column("topic", Text(), nullable=False),
    Column("state", LargeBinary(), nullable=False),
)


def read_aggregate(conn: Connection, mapper: Mapper[UUID], aggregate_id: UUID) -> Aggregate | None:
    """The aggregate replayed from its first event, as the Application's repository does
    (it reads no snapshots), or None when it has none."""
    rows = conn.execute(
        select(events_table.c.originator_version, events_table.c.topic, events_table.c.state)
        .where(events_table.c.originator_id == aggregate_id)
        .order_by(events_table.c.originator_version)
    ).all()
    aggregate: Any = None
    for version, topic, state in rows:
        event: Any = mapper.to_domain_event(
            StoredEvent(aggregate_id, int(version), topic, bytes(state))
        )
        aggregate = event.mutate(aggregate)  # no Protocol isinstance: see application.replay
    return aggregate if isinstance(aggregate, Aggregate) else None
