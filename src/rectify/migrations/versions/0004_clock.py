"""the clock: deadline watch and cursor, inbox, read marks, mail log

Revision ID: 0004_clock
Revises: 0003_problem_list
Create Date: 2026-11-26 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_clock"
down_revision = "0003_problem_list"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deadline_watch",
        sa.Column("finding_id", sa.String(length=36), nullable=False),
        sa.Column("ref", sa.String(length=128), nullable=False),
        sa.Column("department_code", sa.String(length=64), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("rectification_class", sa.String(length=32), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("re_review_on", sa.Date(), nullable=True),
        sa.Column("report_dates", sa.Text(), server_default="", nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("next_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("finding_id", name=op.f("pk_deadline_watch")),
        sa.UniqueConstraint("ref", name=op.f("uq_deadline_watch_ref")),
    )
    with op.batch_alter_table("deadline_watch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deadline_watch_next_on"), ["next_on"], unique=False)

    op.create_table(
        "deadline_cursor",
        sa.Column("finding_id", sa.String(length=36), nullable=False),
        sa.Column("watched_until", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("finding_id", name=op.f("pk_deadline_cursor")),
    )
    op.create_table(
        "inbox_items",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("department_code", sa.String(length=64), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=True),
        sa.Column("ref", sa.String(length=128), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("for_date", sa.Date(), nullable=True),
        sa.Column("about", sa.Date(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_inbox_items")),
    )
    with op.batch_alter_table("inbox_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inbox_items_department_code"), ["department_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_inbox_items_unit_code"), ["unit_code"], unique=False)

    op.create_table(
        "inbox_reads",
        sa.Column("item_key", sa.String(length=120), nullable=False),
        sa.Column("user_name", sa.String(length=128), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("item_key", "user_name", name=op.f("pk_inbox_reads")),
    )
    op.create_table(
        "mail_sent",
        sa.Column("item_key", sa.String(length=120), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("item_key", name=op.f("pk_mail_sent")),
    )


def downgrade() -> None:
    op.drop_table("mail_sent")
    op.drop_table("deadline_cursor")
    op.drop_table("inbox_reads")
    with op.batch_alter_table("inbox_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbox_items_unit_code"))
        batch_op.drop_index(batch_op.f("ix_inbox_items_department_code"))
    op.drop_table("inbox_items")
    with op.batch_alter_table("deadline_watch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deadline_watch_next_on"))
    op.drop_table("deadline_watch")
