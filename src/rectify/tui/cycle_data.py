"""The yearly cycle of one department and year, for the TUI's 年度流程 screen.

Like `Backend`, the only door to the store: reads through the query functions (each
scoped to the principal), the one write (a monitoring warning turned into a finding)
through `house.monitoring` as the logged-in principal. A step not reached yet (no
targets declared, no comment round) is an empty section, not an error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from rectify.domain.errors import NotFound
from rectify.domain.identity import Principal
from rectify.domain.permissions import MONITORING_PERMISSIONS
from rectify.projections import comments as comment_queries
from rectify.projections import evaluations as evaluation_queries
from rectify.projections import monitoring as monitoring_queries
from rectify.projections import results as result_queries
from rectify.projections import review as review_queries
from rectify.projections import targets as target_queries
from rectify.tui.backend import Backend

T = TypeVar("T")


@dataclass(frozen=True)
class CycleView:
    department_code: str
    fiscal_year: int
    evaluation_key: str | None
    targets: tuple[target_queries.TargetView, ...]
    target_changes: tuple[target_queries.TargetChangeView, ...]
    periods: tuple[monitoring_queries.PeriodView, ...]
    deviations: tuple[review_queries.Deviation, ...]
    comment_round: comment_queries.RoundView | None
    results: tuple[result_queries.ResultsView, ...]


def may_convert_warning(principal: Principal | None) -> bool:
    """Whether the 预警转问题 key is offered: the permission table's roles."""
    return (
        principal is not None and principal.role in MONITORING_PERMISSIONS["convert_warning"].roles
    )


def _or_empty(read: Callable[[], T], empty: T) -> T:
    try:
        return read()
    except NotFound:
        return empty


def cycle_view(backend: Backend, department: str, year: int, key: str | None) -> CycleView:
    me = backend.principal
    if me is None:
        raise NotFound("尚未登录")
    house = backend.house
    with house.queries.connection() as conn:
        if key is None:  # opened from a report's inbox item: the year's evaluation, if any
            key = next(
                (
                    e.key
                    for e in evaluation_queries.list_evaluations(conn, department=department)
                    if e.fiscal_year == year
                ),
                None,
            )
        in_force = target_queries.targets_in_force(conn, department, year, None, principal=me) or []
        changes = (
            target_queries.target_history(conn, department, year, principal=me) if in_force else []
        )
        periods = monitoring_queries.monitoring_view(conn, department, year, principal=me)
        deviations: list[review_queries.Deviation] = []
        round_: comment_queries.RoundView | None = None
        decided: list[result_queries.ResultsView] = []
        if key is not None:
            deviations = _or_empty(
                lambda: review_queries.deviations(conn, principal=me, key=key), []
            )
            round_ = _or_empty(lambda: comment_queries.comment_round(conn, key, principal=me), None)
            today = house.clock.today()
            decided = [
                result_queries.results_view(
                    conn, department, budget_year, principal=me, today=today
                )
                for budget_year in result_queries.budget_years_of(conn, key)
            ]
    return CycleView(
        department,
        year,
        key,
        tuple(in_force),
        tuple(changes),
        tuple(periods),
        tuple(deviations),
        round_,
        tuple(decided),
    )


def convert_warning(backend: Backend, department: str, year: int, warning_id: str) -> str:
    """The bureau's one key: the warning becomes a finding (ref returned); the domain
    checks the role and that it was not converted before."""
    me = backend.principal
    if me is None:
        raise NotFound("尚未登录")
    with backend.house.acting(me):
        return backend.house.monitoring.convert_warning(department, year, warning_id)
