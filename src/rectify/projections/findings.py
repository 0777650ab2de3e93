"""Read model: the problem list (问题清单), one row per finding, with its lifecycle state."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from rectify.domain.vocabulary import FindingStatus, RectificationClass
from rectify.projections.batch import RowCache, insert_many
from rectify.projections.metadata import DecimalText, metadata
from rectify.projections.projector import Handler, Projector

findings = Table(
    "findings",
    metadata,
    Column("ref", String(128), primary_key=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("department_code", String(64), nullable=False, index=True),
    Column("unit_code", String(64), nullable=True, index=True),
    Column("fiscal_year", Integer, nullable=False, index=True),
    Column("evaluation_key", String(200), nullable=True),
    Column("category", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("root_cause", Text, nullable=True),
    Column("indicator_codes", Text, nullable=False),  # comma-separated, for display and LIKE
    Column("amount", DecimalText, nullable=True),
    # The amount in millionths, for exact SUMs in SQL (NULL when it has finer digits).
    Column("amount_micros", BigInteger, nullable=True),
    Column("amount_unit", String(16), nullable=True),
    Column("rectification_class", String(32), nullable=True, index=True),
    Column("due", Date, nullable=True, index=True),
    Column("status", String(32), nullable=False, index=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),
    # Lifecycle (filled by the events after Recorded).
    Column("issued_on", Date, nullable=True),
    Column("requirements", Text, nullable=True),
    Column("re_review_on", Date, nullable=True),
    Column("responsible_person", Text, nullable=True),
    Column("progress_percent", Integer, nullable=True),  # the last reported percent
    Column("extension_count", Integer, nullable=False, server_default="0"),
    Column("carried_years", Text, nullable=False, server_default=""),  # comma-separated
    Column("last_carried_year", Integer, nullable=True, index=True),
    Column("repeat_of", Text, nullable=False, server_default=""),  # comma-separated refs
    Column("closed_at", DateTime(timezone=True), nullable=True),
    Column("reopen_count", Integer, nullable=False, server_default="0"),
    # The overdue filter's page of refs, index-only (queries.list_findings): without
    # it every match is fetched from the table to be sorted by ref.
    Index("ix_findings_due_status_ref", "due", "status", "ref"),
)


# Every year a finding is on the list of: its fiscal year and each year carried into
# (结转). The year filter and the figures read this instead of LIKE on carried_years.
finding_years = Table(
    "finding_years",
    metadata,
    Column("fiscal_year", Integer, primary_key=True),
    Column("finding_id", String(36), primary_key=True, index=True),
    Column("carried", Boolean, nullable=False),
)

_MICROS = Decimal(1_000_000)


def amount_micros(amount: Decimal | None) -> int | None:
    """The amount in whole millionths, or None if it has no exact such value."""
    if amount is None:
        return None
    scaled = amount * _MICROS
    if scaled != scaled.to_integral_value() or abs(scaled) >= 2**63:
        return None
    return int(scaled)


def _join(items: list[str]) -> str:
    return ",".join(items)


def _split(text: str | None) -> list[str]:
    return [item for item in (text or "").split(",") if item]


class FindingsProjector(Projector):
    name = "findings"
    tables = (findings, finding_years)
    gathers = True

    def handlers(self) -> Mapping[str, Handler]:
        return {
            "rectify/Finding.Recorded": self.recorded,
            "rectify/Finding.Issued": self.issued,
            "rectify/Finding.MeasuresRecorded": self.just_touch,
            "rectify/Finding.ResponsiblePersonNamed": self.person_named,
            "rectify/Finding.ProgressReported": self.progress_reported,
            "rectify/Finding.EvidenceAttached": self.just_touch,
            "rectify/Finding.ClosureRequested": self.status_to(FindingStatus.CLOSURE_REQUESTED),
            "rectify/Finding.Closed": self.closed,
            "rectify/Finding.Returned": self.status_to(FindingStatus.RETURNED),
            "rectify/Finding.DeadlineExtended": self.extended,
            "rectify/Finding.AcceptedAsLongTerm": self.long_term,
            "rectify/Finding.Reopened": self.reopened,
            "rectify/Finding.CarriedOver": self.carried_over,
            "rectify/Finding.Withdrawn": self.status_to(FindingStatus.WITHDRAWN),
            "rectify/Finding.RepeatLinked": self.repeat_linked,
        }

    def __init__(self) -> None:
        self._rows = RowCache(findings, "id")
        self._years: list[dict[str, Any]] = []

    def begin_batch(self, conn: Connection, events: Sequence[Any]) -> None:
        self._rows.begin()
        self._rows.load(conn, {str(e.originator_id) for e in events})
        self._years = []

    def end_batch(self, conn: Connection) -> None:
        self._rows.flush(conn)
        insert_many(conn, finding_years, self._years)
        self._years = []

    def _on_list(self, event: Any, year: int, carried: bool) -> None:
        self._years.append(
            {"fiscal_year": year, "finding_id": str(event.originator_id), "carried": carried}
        )

    def recorded(self, conn: Connection, event: Any) -> None:
        self._rows.add(
            {
                "ref": event.ref,
                "id": str(event.originator_id),
                "department_code": event.department_code,
                "unit_code": event.unit_code,
                "fiscal_year": event.fiscal_year,
                "evaluation_key": event.evaluation_key,
                "category": event.category,
                "title": event.title,
                "description": event.description,
                "root_cause": event.root_cause,
                "indicator_codes": ",".join(event.indicator_codes),
                "amount": event.amount,
                "amount_micros": amount_micros(event.amount),
                "amount_unit": event.amount_unit,
                "rectification_class": (
                    event.rectification_class.value if event.rectification_class else None
                ),
                "due": event.due,
                "status": FindingStatus.RECORDED.value,
                "recorded_at": event.timestamp,
                "recorded_by": event.actor,
                "updated_at": event.timestamp,
                "version": event.originator_version,
                "issued_on": None,
                "requirements": None,
                "re_review_on": None,
                "responsible_person": None,
                "progress_percent": None,
                "extension_count": 0,
                "carried_years": "",
                "last_carried_year": None,
                "repeat_of": "",
                "closed_at": None,
                "reopen_count": 0,
            }
        )
        self._on_list(event, event.fiscal_year, carried=False)

    def touch(self, event: Any, **values: Any) -> dict[str, Any]:
        """Change a finding's row from a later event; returns the row."""
        row = self._rows.get(str(event.originator_id))
        row.update(updated_at=event.timestamp, version=event.originator_version, **values)
        return row

    def status_to(self, status: FindingStatus) -> Handler:
        def handler(conn: Connection, event: Any) -> None:
            self.touch(event, status=status.value)

        return handler

    def just_touch(self, conn: Connection, event: Any) -> None:
        self.touch(event)

    def issued(self, conn: Connection, event: Any) -> None:
        self.touch(
            event,
            status=FindingStatus.ISSUED.value,
            rectification_class=event.rectification_class.value,
            issued_on=event.issued_on,
            due=event.due,
            re_review_on=event.re_review_on,
            requirements=event.requirements,
        )

    def person_named(self, conn: Connection, event: Any) -> None:
        self.touch(event, responsible_person=event.person)

    def progress_reported(self, conn: Connection, event: Any) -> None:
        self.touch(event, progress_percent=event.percent)

    def closed(self, conn: Connection, event: Any) -> None:
        self.touch(event, status=FindingStatus.CLOSED.value, closed_at=event.timestamp)

    def extended(self, conn: Connection, event: Any) -> None:
        row = self.touch(event, due=event.new_due)
        row["extension_count"] += 1

    def long_term(self, conn: Connection, event: Any) -> None:
        self.touch(
            event,
            status=FindingStatus.LONG_TERM.value,
            rectification_class=RectificationClass.LONG_TERM.value,
            re_review_on=event.re_review_on,
        )

    def reopened(self, conn: Connection, event: Any) -> None:
        row = self.touch(event, status=FindingStatus.ISSUED.value, closed_at=None)
        row["reopen_count"] += 1

    def carried_over(self, conn: Connection, event: Any) -> None:
        row = self.touch(event, last_carried_year=event.year)
        row["carried_years"] = _join([*_split(row["carried_years"]), str(event.year)])
        self._on_list(event, event.year, carried=True)

    def repeat_linked(self, conn: Connection, event: Any) -> None:
        row = self.touch(event)
        row["repeat_of"] = _join([*_split(row["repeat_of"]), event.earlier_ref])
