"""the yearly cycle: adjustments with no line, performance targets

Revision ID: 0004_cycle
Revises: 0003_problem_list
Create Date: 2026-11-26 14:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004_cycle'
down_revision = '0003_problem_list'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A report may not say which budget line an adjustment touched.
    with op.batch_alter_table('budget_adjustments', schema=None) as batch_op:
        batch_op.alter_column('line', existing_type=sa.String(length=64), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table('budget_adjustments', schema=None) as batch_op:
        batch_op.alter_column('line', existing_type=sa.String(length=64), nullable=False)
