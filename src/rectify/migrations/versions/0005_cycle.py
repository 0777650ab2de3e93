"""the yearly cycle: adjustments with no line, performance targets, monitoring, comment rounds, result decisions

Revision ID: 0005_cycle
Revises: 0004_clock
Create Date: 2026-11-26 14:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import rectify.projections.metadata

revision = "0005_cycle"
down_revision = "0004_clock"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A report may not say which budget line an adjustment touched.
    with op.batch_alter_table("budget_adjustments", schema=None) as batch_op:
        batch_op.alter_column("line", existing_type=sa.String(length=64), nullable=True)
    op.create_table(
        "target_changes",
        sa.Column("targets_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("department_code", sa.String(length=64), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("project_code", sa.String(length=64), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("effective", sa.Date(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("operator", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("targets_id", "version", "code", name=op.f("pk_target_changes")),
    )
    op.create_index(
        "ix_target_changes_department_code_fiscal_year",
        "target_changes",
        ["department_code", "fiscal_year"],
        unique=False,
    )
    op.create_table(
        "monitoring_periods",
        sa.Column("department_code", sa.String(length=64), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("monitoring_id", sa.String(length=36), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=True),
        sa.Column("execution_rate", rectify.projections.metadata.DecimalText(), nullable=True),
        sa.Column("time_elapsed", rectify.projections.metadata.DecimalText(), nullable=True),
        sa.PrimaryKeyConstraint(
            "department_code", "fiscal_year", "period", name=op.f("pk_monitoring_periods")
        ),
    )
    op.create_index(
        op.f("ix_monitoring_periods_monitoring_id"),
        "monitoring_periods",
        ["monitoring_id"],
        unique=False,
    )
    op.create_index(op.f("ix_monitoring_periods_due"), "monitoring_periods", ["due"], unique=False)
    op.create_table(
        "monitoring_values",
        sa.Column("department_code", sa.String(length=64), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("reached", rectify.projections.metadata.DecimalText(), nullable=True),
        sa.Column("expected", rectify.projections.metadata.DecimalText(), nullable=True),
        sa.Column("deviation", rectify.projections.metadata.DecimalText(), nullable=True),
        sa.Column("cause", sa.Text(), nullable=True),
        sa.Column("measure", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint(
            "department_code", "fiscal_year", "period", "code", name=op.f("pk_monitoring_values")
        ),
    )
    op.create_table(
        "monitoring_warnings",
        sa.Column("warning_id", sa.String(length=160), nullable=False),
        sa.Column("department_code", sa.String(length=64), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("finding_ref", sa.String(length=160), nullable=True),
        sa.PrimaryKeyConstraint("warning_id", name=op.f("pk_monitoring_warnings")),
    )
    op.create_index(
        op.f("ix_monitoring_warnings_department_code"),
        "monitoring_warnings",
        ["department_code"],
        unique=False,
    )
    op.create_table(
        "comment_rounds",
        sa.Column("evaluation_key", sa.String(length=200), nullable=False),
        sa.Column("round_id", sa.String(length=36), nullable=False),
        sa.Column("department_code", sa.String(length=64), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("evaluation_key", name=op.f("pk_comment_rounds")),
        sa.UniqueConstraint("round_id", name=op.f("uq_comment_rounds_round_id")),
    )
    op.create_index(
        op.f("ix_comment_rounds_department_code"),
        "comment_rounds",
        ["department_code"],
        unique=False,
    )
    op.create_table(
        "comment_replies",
        sa.Column("evaluation_key", sa.String(length=200), nullable=False),
        sa.Column("reply_id", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=160), nullable=False),
        sa.Column("agrees", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("proposed", rectify.projections.metadata.DecimalText(), nullable=True),
        sa.Column("replied_on", sa.Date(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("replied_by", sa.Text(), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=True),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("responded_by", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("evaluation_key", "reply_id", name=op.f("pk_comment_replies")),
    )
    op.create_table(
        "result_decisions",
        sa.Column("evaluation_key", sa.String(length=200), nullable=False),
        sa.Column("department_code", sa.String(length=64), nullable=False),
        sa.Column("project_code", sa.String(length=64), nullable=True),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("budget_year", sa.Integer(), nullable=False),
        sa.Column("total", rectify.projections.metadata.DecimalText(), nullable=False),
        sa.Column("grade", sa.String(length=16), nullable=False),
        sa.Column("consequence", sa.String(length=16), nullable=False),
        sa.Column("share", rectify.projections.metadata.DecimalText(), nullable=True),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("evaluation_key", name=op.f("pk_result_decisions")),
    )
    op.create_index(
        op.f("ix_result_decisions_department_code"),
        "result_decisions",
        ["department_code"],
        unique=False,
    )
    op.create_index(
        op.f("ix_result_decisions_budget_year"), "result_decisions", ["budget_year"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_result_decisions_budget_year"), table_name="result_decisions")
    op.drop_index(op.f("ix_result_decisions_department_code"), table_name="result_decisions")
    op.drop_table("result_decisions")
    op.drop_table("comment_replies")
    op.drop_index(op.f("ix_comment_rounds_department_code"), table_name="comment_rounds")
    op.drop_table("comment_rounds")
    op.drop_index(op.f("ix_monitoring_warnings_department_code"), table_name="monitoring_warnings")
    op.drop_table("monitoring_warnings")
    op.drop_table("monitoring_values")
    op.drop_index(op.f("ix_monitoring_periods_due"), table_name="monitoring_periods")
    op.drop_index(op.f("ix_monitoring_periods_monitoring_id"), table_name="monitoring_periods")
    op.drop_table("monitoring_periods")
    op.drop_index("ix_target_changes_department_code_fiscal_year", table_name="target_changes")
    op.drop_table("target_changes")
    with op.batch_alter_table("budget_adjustments", schema=None) as batch_op:
        batch_op.alter_column("line", existing_type=sa.String(length=64), nullable=False)
