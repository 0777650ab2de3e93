"""Read model: the problem list (问题清单), one row per finding."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    Integer,
    String,
    Table,
    Text,
    update,
)

from rectify.domain.finding import Finding
from rectify.projections.metadata import DecimalText, metadata
from rectify.projections.projector import Handler, Projector

findings = Table(
    "findings",
    metadata,
    Column("ref", String(128), primary_key=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("department_code", String(64), nullable=False, index=True),
    Column("unit_code", String(64), nullable=True),
    Column("fiscal_year", Integer, nullable=False, index=True),
    Column("evaluation_key", String(200), nullable=True),
    Column("category", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("root_cause", Text, nullable=True),
    Column("indicator_codes", Text, nullable=False),  # comma-separated, for display and LIKE
    Column("amount", DecimalText, nullable=True),
    Column("amount_unit", String(16), nullable=True),
    Column("rectification_class", String(32), nullable=True),
    Column("due", Date, nullable=True),
    Column("status", String(32), nullable=False, index=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),
)


class FindingsProjector(Projector):
    name = "findings"
    tables = (findings,)

    def handlers(self) -> Mapping[str, Handler]:
        return {Finding.Recorded.TOPIC: self.recorded}

    def recorded(self, conn: Connection, event: Any) -> None:
        conn.execute(
            findings.insert().values(
                ref=event.ref,
                id=str(event.originator_id),
                department_code=event.department_code,
                unit_code=event.unit_code,
                fiscal_year=event.fiscal_year,
                evaluation_key=event.evaluation_key,
                category=event.category,
                title=event.title,
                description=event.description,
                root_cause=event.root_cause,
                indicator_codes=",".join(event.indicator_codes),
                amount=event.amount,
                amount_unit=event.amount_unit,
                rectification_class=(
                    event.rectification_class.value if event.rectification_class else None
                ),
                due=event.due,
                status="recorded",
                recorded_at=event.timestamp,
                recorded_by=event.actor,
                updated_at=event.timestamp,
                version=event.originator_version,
            )
        )

    @staticmethod
    def touch(conn: Connection, event: Any, **values: Any) -> None:
        """Update a finding's row from a later event (used by lifecycle handlers)."""
        conn.execute(
            update(findings)
            .where(findings.c.id == str(event.originator_id))
            .values(updated_at=event.timestamp, version=event.originator_version, **values)
        )
