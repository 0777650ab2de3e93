"""user snapshots: the eventsourcing library's snapshot store

Revision ID: 0017_snapshots
Revises: 0012_tuiperf
Create Date: 2026-11-26 23:00:00

A user gains an event at every login, so checking a session replayed every login the
user ever had. `rectify_snapshots` is the table of the library's snapshot store
(eventsourcing-sqlalchemy's SnapshotRecord, column for column: the originator id as
16 bytes on SQLite and a native uuid on PostgreSQL, as in the event table). Snapshots
are derived from the log: not sealed, not read by `verify` or `rebuild`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0017_snapshots"
down_revision = "0012_tuiperf"
branch_labels = None
depends_on = None

TABLE = "rectify_snapshots"


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    originator: sa.types.TypeEngine[Any] = (
        postgresql.UUID(as_uuid=True) if postgres else sa.BINARY(16)
    )
    op.create_table(
        TABLE,
        sa.Column("originator_id", originator, primary_key=True),
        sa.Column(
            "originator_version",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
        ),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("state", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table(TABLE)
