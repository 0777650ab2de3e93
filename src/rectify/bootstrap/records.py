"""The store as the people service sees it: logging in without the Application.

A query logs its user in (RECTIFY_USER/RECTIFY_PASSWORD or the session file) and reads;
it records nothing. Reading the user replays its events straight from the event table,
from its latest snapshot (projections/snapshots.py), so the Application — the
ORM, eventsourcing-sqlalchemy, every aggregate module — is built only when something
is saved (a failed login, a session opened, a command).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from rectify.domain.mapping import SNAPSHOT_INTERVALS
from rectify.projections.credentials import read_credential
from rectify.projections.event_table import events_table, read_aggregate
from rectify.projections.snapshots import read_snapshotted

if TYPE_CHECKING:
    from rectify.domain.department import Department
    from rectify.projections.store import Store

A = TypeVar("A", bound=Aggregate)


class StoreRecords:
    def __init__(self, store: Store) -> None:
        self.store = store

    def find(self, aggregate_id: UUID, kind: type[A], version: int | None = None) -> A | None:
        if version is not None:
            return self.store.app.find(aggregate_id, kind, version)
        snapshotted = self.store.snapshots and getattr(kind, "TOPIC", "") in SNAPSHOT_INTERVALS
        read = read_snapshotted if snapshotted else read_aggregate
        with self.store.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                # One SELECT sees one snapshot anyway: no BEGIN, no ROLLBACK round trips.
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            found = read(conn, self.store.mapper, aggregate_id)
        return found if isinstance(found, kind) else None

    def save_all(
        self, *aggregates: Aggregate, credentials: Mapping[UUID, str] | None = None
    ) -> None:
        self.store.app.save_all(*aggregates, credentials=credentials)

    def credential(self, user_id: UUID) -> str | None:
        """The password hash to check a login against, read without the Application."""
        with self.store.engine.connect() as conn:
            return read_credential(conn, events_table, user_id)

    def get_department(self, code: str) -> Department:
        return self.store.app.get_department(code)
