"""province scale: findings by year, exact amounts for SQL sums, filter indexes

Revision ID: 0004_scale
Revises: 0004_clock
Create Date: 2026-11-26 14:20:00

`finding_years` lists each finding under its fiscal year and every year it was carried
into, so the year filter and the figures use an index instead of LIKE on
`carried_years`; `amount_micros` lets the figures SUM amounts exactly in SQL. Both are
filled here from the existing rows, so no replay is needed.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision = '0004_scale'
# Re-chained after the clock's migration (0004_clock) when merged into tui2.
down_revision = '0004_clock'
branch_labels = None
depends_on = None


def _micros(text: str | None) -> int | None:
    if text is None:
        return None
    scaled = Decimal(text) * 1_000_000
    if scaled != scaled.to_integral_value() or abs(scaled) >= 2**63:
        return None
    return int(scaled)


def upgrade() -> None:
    op.create_table(
        'finding_years',
        sa.Column('fiscal_year', sa.Integer(), nullable=False),
        sa.Column('finding_id', sa.String(length=36), nullable=False),
        sa.Column('carried', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('fiscal_year', 'finding_id', name=op.f('pk_finding_years')),
    )
    with op.batch_alter_table('finding_years', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finding_years_finding_id'), ['finding_id'], unique=False)
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('amount_micros', sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f('ix_findings_unit_code'), ['unit_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_findings_due'), ['due'], unique=False)
        batch_op.create_index(
            batch_op.f('ix_findings_rectification_class'), ['rectification_class'], unique=False
        )

    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_departments_parent_code'), ['parent_code'], unique=False)

    conn = op.get_bind()
    rows = conn.execute(sa.text('SELECT id, fiscal_year, carried_years, amount FROM findings')).all()
    years = [
        {'y': int(y), 'f': r.id, 'c': carried}
        for r in rows
        for y, carried in [(r.fiscal_year, False)] + [(c, True) for c in (r.carried_years or '').split(',') if c]
    ]
    if years:
        conn.execute(
            sa.text('INSERT INTO finding_years (fiscal_year, finding_id, carried) VALUES (:y, :f, :c)'), years
        )
    amounts = [{'m': _micros(r.amount), 'i': r.id} for r in rows if r.amount is not None]
    if amounts:
        conn.execute(sa.text('UPDATE findings SET amount_micros = :m WHERE id = :i'), amounts)


def downgrade() -> None:
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_departments_parent_code'))
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_findings_rectification_class'))
        batch_op.drop_index(batch_op.f('ix_findings_due'))
        batch_op.drop_index(batch_op.f('ix_findings_unit_code'))
        batch_op.drop_column('amount_micros')
    op.drop_table('finding_years')
