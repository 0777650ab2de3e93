"""figures: pre-aggregated per department and year (projections/figure_counts.py)

Revision ID: 0009_figures
Revises: 0008_tui3
Create Date: 2026-11-26 20:00:00

`figure_counts` (what the figures sum, per department and fiscal year),
`figure_dues` (open findings per due date: overdue as of a day is the open findings
with a due date minus those due from that day on) and the
projector's own state per finding, `figure_findings`. The tables start empty: the new
`figures` projector starts at position 0 and catches up on its own from the log.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0009_figures"
down_revision = "0008_tui3"
branch_labels = None
depends_on = None

_STATUSES = (
    "recorded",
    "issued",
    "closure_requested",
    "returned",
    "closed",
    "long_term",
    "withdrawn",
)
_MEASURES = (
    *(f"s_{s}" for s in _STATUSES),
    "micros",
    "micros_closed",
    "inexact",
    "inexact_closed",
    "extended",
    "carried",
    "repeats",
    "dated_open",
)


def _key() -> list[sa.Column[Any]]:
    return [
        sa.Column("department_code", sa.String(length=64), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "figure_findings",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("department_code", sa.String(length=64), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("carried_years", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("amount_micros", sa.BigInteger(), nullable=True),
        sa.Column("inexact", sa.Boolean(), nullable=False),
        sa.Column("extended", sa.Boolean(), nullable=False),
        sa.Column("repeat", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_figure_findings")),
    )
    op.create_table(
        "figure_counts",
        *_key(),
        *(sa.Column(name, sa.BigInteger(), nullable=False) for name in _MEASURES),
        sa.PrimaryKeyConstraint("department_code", "fiscal_year", name=op.f("pk_figure_counts")),
    )
    op.create_table(
        "figure_dues",
        *_key(),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "department_code", "fiscal_year", "due", name=op.f("pk_figure_dues")
        ),
    )
    for table in ("figure_counts", "figure_dues"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_fiscal_year"), ["fiscal_year"])
    with op.batch_alter_table("figure_dues", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_figure_dues_due"), ["due"])


def downgrade() -> None:
    op.drop_table("figure_dues")
    op.drop_table("figure_counts")
    op.drop_table("figure_findings")
