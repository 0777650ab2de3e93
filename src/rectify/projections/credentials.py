"""The credentials table: each user's password hash, out of the event log.

Written only by the recorder (`sealing.py`), in the transaction that records the
event saying the password was set or changed, so neither commits without the other.
Read only to check a password (`RectifyApp.credential`). No query, view, export or
`--json` reads it, and `rebuild` keeps it: it is no projector's table, and it cannot be
rebuilt from the log, which no longer holds hashes.

A store recorded before the table existed holds hashes only in version-1 `User.Added` /
`User.PasswordChanged` events. Until `rectify db upgrade` copies them over (migration
0007_access), a user without a row is checked against the hash of their latest such
event, so the bureau can still log in to run the upgrade.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from sqlalchemy import Column, Connection, String, Table, Text, delete, select

from rectify.projections.metadata import metadata
from rectify.projections.schema_version import table_exists

credentials = Table(
    "credentials",
    metadata,
    Column("user_id", String(36), primary_key=True),
    Column("password_hash", Text, nullable=False),
)


def write_credentials(conn: Connection, hashes: Mapping[UUID, str]) -> None:
    if not hashes:
        return
    keys = [str(user_id) for user_id in hashes]
    conn.execute(delete(credentials).where(credentials.c.user_id.in_(keys)))
    conn.execute(
        credentials.insert(),
        [{"user_id": str(k), "password_hash": v} for k, v in hashes.items()],
    )


# The events that carried the hash in version 1 (and carry none from version 2).
WITH_HASH = ("rectify/User.Added", "rectify/User.PasswordChanged")


def read_credential(conn: Connection, events: Table, user_id: UUID) -> str | None:
    if table_exists(conn, credentials.name):
        found = conn.execute(
            select(credentials.c.password_hash).where(credentials.c.user_id == str(user_id))
        ).scalar_one_or_none()
        if found is not None:
            return str(found)
    return _hash_in_old_event(conn, events, user_id)


def _hash_in_old_event(conn: Connection, events: Table, user_id: UUID) -> str | None:
    state = conn.execute(
        select(events.c.state)
        .where(events.c.originator_id == user_id, events.c.topic.in_(WITH_HASH))
        .order_by(events.c.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if state is None:
        return None
    data: Any = json.loads(bytes(state))
    found = data.get("password_hash") if isinstance(data, dict) else None
    return found if isinstance(found, str) else None
