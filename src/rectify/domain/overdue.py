"""The overdue rule (逾期), in one place for Python and for the read-model queries.

A finding is overdue when it has a hard due date that has passed and it is still being
worked on. Recorded findings are not issued yet; a long-term finding is watched by its
re-review date, not its old due date; closed and withdrawn findings need no more work.
The SQL clause in projections/queries.py is built from `OVERDUE_EXEMPT`.
"""

from __future__ import annotations

from datetime import date

from rectify.domain.vocabulary import FindingStatus

# Statuses that no longer count as open work.
DONE: frozenset[FindingStatus] = frozenset({FindingStatus.CLOSED, FindingStatus.WITHDRAWN})
# Statuses that are never overdue, whatever their due date.
OVERDUE_EXEMPT: frozenset[FindingStatus] = DONE | {
    FindingStatus.LONG_TERM,
    FindingStatus.RECORDED,
}


def is_overdue(due: date | None, status: FindingStatus | str, today: date) -> bool:
    """Past its due date (strictly before `today`) and not exempt by its status."""
    state = status if isinstance(status, FindingStatus) else FindingStatus(status)
    return due is not None and due < today and state not in OVERDUE_EXEMPT


def stored(statuses: frozenset[FindingStatus]) -> tuple[str, ...]:
    """The stored names of `statuses`, sorted, for an SQL `IN` list."""
    return tuple(sorted(s.value for s in statuses))
