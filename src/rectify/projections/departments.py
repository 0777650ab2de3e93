"""Read model: departments and units."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Column, Connection, DateTime, Integer, String, Table, Text

from rectify.domain.department import Department
from rectify.projections.batch import RowCache
from rectify.projections.metadata import metadata
from rectify.projections.projector import Handler, Projector

departments = Table(
    "departments",
    metadata,
    Column("code", String(64), primary_key=True),
    # The aggregate id, so events that carry only the id find their row.
    Column("id", String(36), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("parent_code", String(64), nullable=True, index=True),  # a department user's units
    Column("registered_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),
)


class DepartmentsProjector(Projector):
    name = "departments"
    tables = (departments,)
    gathers = True

    def __init__(self) -> None:
        self._rows = RowCache(departments, "id")

    def handlers(self) -> Mapping[str, Handler]:
        return {
            f"{Department.TOPIC}.Registered": self.registered,
            f"{Department.TOPIC}.Renamed": self.renamed,
        }

    def begin_batch(self, conn: Connection, events: Sequence[Any]) -> None:
        self._rows.begin()
        self._rows.load(conn, {str(e.originator_id) for e in events})

    def end_batch(self, conn: Connection) -> None:
        self._rows.flush(conn)

    def registered(self, conn: Connection, event: Any) -> None:
        self._rows.add(
            {
                "code": event.code,
                "id": str(event.originator_id),
                "name": event.name,
                "parent_code": event.parent_code,
                "registered_at": event.timestamp,
                "updated_at": event.timestamp,
                "version": event.originator_version,
            }
        )

    def renamed(self, conn: Connection, event: Any) -> None:
        row = self._rows.get(str(event.originator_id))
        row.update(name=event.name, updated_at=event.timestamp, version=event.originator_version)
