"""Read model: the figures (整改统计) pre-aggregated per department and fiscal year.

`figure_counts` holds one row per (department, fiscal year) with what the figures
sum: a count per status, the amounts in millionths, and the flags. A finding counts in
its fiscal year and in every year it was carried into (like finding_years). Overdue
depends on the day asked: the row counts the open findings (those the overdue rule
does not exempt) that have a due date, and `figure_dues` counts them per due date, so
overdue as of a day is that count minus those due from that day on, which are the
few not yet due (read by the index on `due`), not a decade of past ones.

It serves the figures that grow with the store: every department (the bureau, the
evaluators, the auditors), all years or one. A department user's figures and a
department or unit filter read the findings through their indexes
(projections/figures.py): few rows, and a unit is not a key here.

The projector keeps its own slim state per finding (`figure_findings`), so it can
catch up on its own like every read model. Each batch subtracts what the touched
findings contributed before it and adds what they contribute after it, then writes the
differences as set-based upserts (`n = n + delta`); a row whose findings all left is
deleted, so rebuilt tables equal incrementally built ones.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    Integer,
    String,
    Table,
    Text,
    and_,
    bindparam,
    delete,
    literal_column,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from rectify.domain.overdue import OVERDUE_EXEMPT
from rectify.domain.vocabulary import FindingStatus
from rectify.projections.batch import Bulk, RowCache
from rectify.projections.findings import amount_micros
from rectify.projections.metadata import metadata
from rectify.projections.projector import Handler, Projector

STATUSES = tuple(s.value for s in FindingStatus)
_CLOSED = FindingStatus.CLOSED.value
_WITHDRAWN = FindingStatus.WITHDRAWN.value
_EXEMPT = frozenset(s.value for s in OVERDUE_EXEMPT)

# What each (department, year) row sums, in this order in the delta vectors.
MEASURES = (
    *(f"s_{value}" for value in STATUSES),
    "micros",  # Σ amount_micros, withdrawn excluded
    "micros_closed",
    "inexact",  # amounts finer than a millionth (summed as Decimal at query time)
    "inexact_closed",
    "extended",
    "carried",
    "repeats",
    "dated_open",  # open findings with a due date (overdue = these minus those due from today)
)
_STATUS_INDEX = {value: i for i, value in enumerate(STATUSES)}
_KEY = ("department_code", "fiscal_year")
_EMPTIED_KEY = tuple("e_" + name for name in _KEY)

figure_findings = Table(
    "figure_findings",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("department_code", String(64), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("carried_years", Text, nullable=False),  # comma-separated
    Column("status", String(32), nullable=False),
    Column("due", Date, nullable=True),
    Column("amount_micros", BigInteger, nullable=True),
    Column("inexact", Boolean, nullable=False),
    Column("extended", Boolean, nullable=False),
    Column("repeat", Boolean, nullable=False),
)

figure_counts = Table(
    "figure_counts",
    metadata,
    Column("department_code", String(64), primary_key=True),
    Column("fiscal_year", Integer, primary_key=True, index=True),
    *(Column(name, BigInteger, nullable=False) for name in MEASURES),
)

figure_dues = Table(
    "figure_dues",
    metadata,
    Column("department_code", String(64), primary_key=True),
    Column("fiscal_year", Integer, primary_key=True, index=True),
    Column("due", Date, primary_key=True, index=True),
    Column("n", BigInteger, nullable=False),
)

Key = tuple[str, int]
DueKey = tuple[str, int, Any]


def _upsert(table: Table, dialect: str, measures: Sequence[str]) -> Bulk:
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(table)
    return Bulk(
        statement.on_conflict_do_update(
            index_elements=list(table.primary_key.columns),
            set_={m: table.c[m] + statement.excluded[m] for m in measures},
        )
    )


def _emptied(table: Table, measures: Sequence[str]) -> Bulk:
    """Delete a row (by key) once its counts are all zero."""
    keys = [table.c[name] == bindparam("e_" + name) for name in _key_of(table)]
    empty = [table.c[m] == literal_column("0") for m in measures]
    return Bulk(delete(table).where(and_(*keys, *empty)))


def _key_of(table: Table) -> list[str]:
    return [c.name for c in table.primary_key.columns]


class FiguresProjector(Projector):
    name = "figures"
    tables = (figure_findings, figure_counts, figure_dues)
    gathers = True

    def handlers(self) -> Mapping[str, Handler]:
        status = self.status_to
        return {
            "rectify/Finding.Recorded": self.recorded,
            "rectify/Finding.Issued": self.issued,
            "rectify/Finding.ClosureRequested": status(FindingStatus.CLOSURE_REQUESTED),
            "rectify/Finding.Closed": status(FindingStatus.CLOSED),
            "rectify/Finding.Returned": status(FindingStatus.RETURNED),
            "rectify/Finding.DeadlineExtended": self.extended,
            "rectify/Finding.AcceptedAsLongTerm": status(FindingStatus.LONG_TERM),
            "rectify/Finding.Reopened": status(FindingStatus.ISSUED),
            "rectify/Finding.CarriedOver": self.carried_over,
            "rectify/Finding.Withdrawn": status(FindingStatus.WITHDRAWN),
            "rectify/Finding.RepeatLinked": self.repeat_linked,
        }

    def __init__(self) -> None:
        self._rows = RowCache(figure_findings, "id")
        self._counts: dict[Key, list[int]] = {}
        self._dues: Counter[DueKey] = Counter()
        self._bulk: dict[str, tuple[Bulk, Bulk, Bulk, Bulk]] = {}

    def begin_batch(self, conn: Connection, events: Sequence[Any]) -> None:
        self._rows.begin()
        self._rows.load(conn, {str(e.originator_id) for e in events})
        self._counts, self._dues = {}, Counter()
        for row in self._rows.rows():  # what the touched findings counted before
            self._contribute(row, -1)

    def end_batch(self, conn: Connection) -> None:
        for row in self._rows.rows():
            self._contribute(row, +1)
        self._rows.flush(conn)
        counts_upsert, counts_emptied, dues_upsert, dues_emptied = self._statements(conn)
        changed = [(key, delta) for key, delta in self._counts.items() if any(delta)]
        counts_upsert.run(
            conn,
            [
                dict(zip(_KEY, key, strict=True)) | dict(zip(MEASURES, delta, strict=True))
                for key, delta in changed
            ],
        )
        dues = [
            {"department_code": k[0], "fiscal_year": k[1], "due": k[2], "n": n}
            for k, n in self._dues.items()
            if n
        ]
        dues_upsert.run(conn, dues)
        # Only a row something left can have become empty.
        statuses = len(STATUSES)
        counts_emptied.run(
            conn,
            [
                dict(zip(_EMPTIED_KEY, key, strict=True))
                for key, delta in changed
                if min(delta[:statuses]) < 0
            ],
        )
        dues_emptied.run(
            conn, [{"e_" + k: r[k] for k in (*_KEY, "due")} for r in dues if r["n"] < 0]
        )
        self._counts, self._dues = {}, Counter()

    def _statements(self, conn: Connection) -> tuple[Bulk, Bulk, Bulk, Bulk]:
        dialect = conn.dialect.name
        made = self._bulk.get(dialect)
        if made is None:
            made = self._bulk[dialect] = (
                _upsert(figure_counts, dialect, MEASURES),
                _emptied(figure_counts, [f"s_{v}" for v in STATUSES]),
                _upsert(figure_dues, dialect, ["n"]),
                _emptied(figure_dues, ["n"]),
            )
        return made

    def _contribute(self, row: Mapping[str, Any], sign: int) -> None:
        """Add (sign +1) or take away (-1) what one finding counts in its every year."""
        status = row["status"]
        counted = status != _WITHDRAWN
        closed = status == _CLOSED
        micros = row["amount_micros"] or 0
        inexact = row["inexact"]
        vector = [0] * len(MEASURES)
        vector[_STATUS_INDEX[status]] = sign
        base = len(STATUSES)
        vector[base] = sign * micros if counted else 0
        vector[base + 1] = sign * micros if closed else 0
        vector[base + 2] = sign if inexact and counted else 0
        vector[base + 3] = sign if inexact and closed else 0
        vector[base + 4] = sign if row["extended"] else 0
        vector[base + 6] = sign if row["repeat"] else 0
        due = row["due"] if status not in _EXEMPT else None
        vector[base + 7] = sign if due is not None else 0
        dept = row["department_code"]
        years = [(row["fiscal_year"], False)]
        years += [(int(y), True) for y in row["carried_years"].split(",") if y]
        for year, carried in years:
            vector[base + 5] = sign if carried else 0
            total = self._counts.setdefault((dept, year), [0] * len(MEASURES))
            for i, value in enumerate(vector):
                total[i] += value
            if due is not None:
                self._dues[(dept, year, due)] += sign

    def recorded(self, conn: Connection, event: Any) -> None:
        micros = amount_micros(event.amount)
        self._rows.add(
            {
                "id": str(event.originator_id),
                "department_code": event.department_code,
                "fiscal_year": event.fiscal_year,
                "carried_years": "",
                "status": FindingStatus.RECORDED.value,
                "due": event.due,
                "amount_micros": micros,
                "inexact": event.amount is not None and micros is None,
                "extended": False,
                "repeat": False,
            }
        )

    def _row(self, event: Any) -> dict[str, Any]:
        return self._rows.get(str(event.originator_id))

    def status_to(self, status: FindingStatus) -> Handler:
        def handler(conn: Connection, event: Any) -> None:
            self._row(event)["status"] = status.value

        return handler

    def issued(self, conn: Connection, event: Any) -> None:
        self._row(event).update(status=FindingStatus.ISSUED.value, due=event.due)

    def extended(self, conn: Connection, event: Any) -> None:
        self._row(event).update(due=event.new_due, extended=True)

    def carried_over(self, conn: Connection, event: Any) -> None:
        row = self._row(event)
        years = [y for y in row["carried_years"].split(",") if y]
        row["carried_years"] = ",".join([*years, str(event.year)])

    def repeat_linked(self, conn: Connection, event: Any) -> None:
        self._row(event)["repeat"] = True
