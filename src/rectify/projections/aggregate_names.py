"""What a person calls an aggregate the event log names by id: a finding's ref, an
evaluation's key, a department's code — read from the read models in one query for a
whole page of events."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Connection, select, union_all

from rectify.projections.departments import departments
from rectify.projections.evaluations import evaluations
from rectify.projections.findings import findings


def names_of(conn: Connection, ids: Collection[str]) -> dict[str, str]:
    """The name of each id the read models know, by id; ids they don't know are left out
    (users, budgets, the clock… have no such name)."""
    if not ids:
        return {}
    wanted = list(ids)
    query = union_all(
        select(findings.c.id, findings.c.ref.label("name")).where(findings.c.id.in_(wanted)),
        select(evaluations.c.id, evaluations.c.key.label("name")).where(
            evaluations.c.id.in_(wanted)
        ),
        select(departments.c.id, departments.c.code.label("name")).where(
            departments.c.id.in_(wanted)
        ),
    )
    return {str(row.id): str(row.name) for row in conn.execute(query)}
