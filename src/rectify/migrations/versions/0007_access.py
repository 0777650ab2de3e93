"""access: the credentials table, filled from the hashes old events carry

Revision ID: 0007_access
Revises: 0006_scale
Create Date: 2026-11-26 17:00:00

Password hashes leave the event log: new `User.Added` / `User.PasswordChanged` events
(version 2) carry none, the recorder writes the hash to `credentials` in the same
transaction. A store recorded before holds the hashes only in version-1 events, so
this copies the latest one per user into the table (logins keep working). The old
events stay as they are: the log is immutable and sealed.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from alembic import op

revision = "0007_access"
down_revision = "0006_scale"
branch_labels = None
depends_on = None

EVENTS_TABLE = "rectify_events"  # rectify.domain.application.EVENTS_TABLE
WITH_HASH = ("rectify/User.Added", "rectify/User.PasswordChanged")


def _uuid(value: Any) -> UUID:
    """SQLite stores the originator id as 16 bytes, PostgreSQL as a uuid."""
    if isinstance(value, bytes | memoryview):
        return UUID(bytes=bytes(value))
    return value if isinstance(value, UUID) else UUID(str(value))


def _old_hashes(conn: sa.Connection) -> dict[str, str]:
    """The last hash recorded per user, in log order."""
    if not sa.inspect(conn).has_table(EVENTS_TABLE):
        return {}
    events = sa.table(
        EVENTS_TABLE,
        sa.column("id"),
        sa.column("originator_id"),
        sa.column("topic"),
        sa.column("state"),
    )
    found: dict[str, str] = {}
    rows = conn.execute(
        sa.select(events.c.originator_id, events.c.state)
        .where(events.c.topic.in_(WITH_HASH))
        .order_by(events.c.id)
    )
    for originator, state in rows:
        data: Any = json.loads(bytes(state))
        user_id = str(_uuid(originator))
        if isinstance(data, dict) and isinstance(data.get("password_hash"), str):
            found[user_id] = data["password_hash"]
    return found


def upgrade() -> None:
    op.create_table(
        "credentials",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_credentials")),
    )
    hashes = _old_hashes(op.get_bind())
    if hashes:
        credentials = sa.table("credentials", sa.column("user_id"), sa.column("password_hash"))
        op.bulk_insert(credentials, [{"user_id": k, "password_hash": v} for k, v in hashes.items()])


def downgrade() -> None:
    op.drop_table("credentials")
