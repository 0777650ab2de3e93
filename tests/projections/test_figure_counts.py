"""The figures' read model (projections/figure_counts.py) gives exactly the figures
main computed before it (tests/projections/figures_oracle.py, kept verbatim), for every
principal, filter and day, on both backends; and it is rebuilt to the same rows as it
was built incrementally."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from uuid import uuid4

import pytest
from sqlalchemy import select

from rectify.bootstrap.generator import BUREAU, EVALUATOR, generate
from rectify.domain.application import finding_fields
from rectify.domain.finding import Finding, RectificationClass
from rectify.domain.identity import Principal, Role, acting_as
from rectify.projections.figure_counts import figure_counts, figure_dues, figure_findings
from rectify.projections.figures import figures
from rectify.projections.store import Store, open_store
from tests.projections.figures_oracle import old_figures

AUDITOR = Principal("auditor", Role.AUDITOR)
DAYS = (date(2026, 6, 30), date(2020, 1, 1), date(2017, 9, 15))


@pytest.fixture
def province(db_url: str) -> Iterator[Store]:
    store = open_store(db_url, create=True)
    try:
        # Caught up after every atomic save, in odd batches: a finding's events land in
        # several batches, so the subtract-then-add of each batch is exercised.
        def catch_up(saved: int) -> None:
            store.runner.catch_up(batch_size=997)

        generate(store.app, 3000, seed=11, progress=catch_up)
        _units_and_inexact_amounts(store)
        store.catch_up()
        yield store
    finally:
        store.close()


def _units_and_inexact_amounts(store: Store) -> None:
    """What the generator does not make: units registered under their department (the
    department user's scope reads them) and amounts finer than a millionth (summed as
    Decimal, not in micros)."""
    app = store.app
    with acting_as(BUREAU):
        app.save_all(*(app.department_for(f"D0001-U{n}", f"单位{n}", "D0001") for n in (1, 2)))
    made = []
    for n, unit in enumerate(("D0001-U1", None, "D0001-U2", None)):
        with acting_as(EVALUATOR):
            made.append(
                Finding(
                    **finding_fields(
                        ref=f"D0001-2019-9{n:02d}",
                        department_code="D0001",
                        unit_code=unit,
                        fiscal_year=2019,
                        category="资金管理",
                        title=f"精确金额 {n}",
                        description="金额含百万分之一以下的位数",
                        amount=Decimal("1.0000001") * (n + 1),
                        amount_unit="万元",
                    )
                )
            )
    recorded, issued, carried, withdrawn = made
    with acting_as(BUREAU):
        for finding in (issued, carried):
            finding.issue(
                rectification_class=RectificationClass.IMMEDIATE,
                issued_on=date(2020, 3, 1),
                due=date(2020, 6, 1),
                re_review_on=None,
                requirements="按期整改",
            )
        carried.carry_over(2020, "跨年整改")
    with acting_as(EVALUATOR):
        withdrawn.withdraw("误记")
    app.save_all(*made)
    store.catch_up()
    with acting_as(Principal("dept-d0001", Role.DEPARTMENT, "D0001")):
        issued.request_closure([uuid4()], "已整改")
    with acting_as(BUREAU):
        issued.close("整改到位")
    app.save_all(issued)


def _principals() -> list[Principal | None]:
    department = [Principal(f"dept-{c}", Role.DEPARTMENT, c) for c in ("D0001", "D0002")]
    unit = Principal("unit", Role.DEPARTMENT, "D0001-U1")
    nameless = Principal("nameless", Role.DEPARTMENT, "")
    return [None, BUREAU, EVALUATOR, AUDITOR, *department, unit, nameless]


FILTERS: list[dict[str, object]] = [
    {},
    {"year": 2019},
    {"year": 2020},
    {"department": "D0001"},
    {"department": "D0001-U2"},
    {"department": "D0002", "year": 2018},
    {"year": 1999},
    {"department": ""},
]


def test_the_figures_are_exactly_mains_on_both_paths(province: Store) -> None:
    with province.engine.connect() as conn:
        inexact = [  # from the read model: every department's figures
            f
            for f in figures(conn, principal=BUREAU, today=DAYS[0])
            if f.department_code == "D0001" and f.year in (2019, 2020)
        ]
        # The fixture reached what it means to test: amounts summed exactly as Decimal.
        assert any(f.amount_total % Decimal("0.000001") != 0 for f in inexact)
        assert any(f.amount_closed % Decimal("0.000001") != 0 for f in inexact)
        checked = 0
        for principal in _principals():
            for kw in FILTERS:
                for today in DAYS:
                    new = figures(conn, principal=principal, today=today, **kw)  # type: ignore[arg-type]
                    direct = figures(conn, principal=principal, today=today, direct=True, **kw)  # type: ignore[arg-type]
                    old = old_figures(conn, principal=principal, today=today, **kw)  # type: ignore[arg-type]
                    assert new == direct == old, (principal, kw, today)
                    # Down to each Decimal's digits and the statuses' order, as printed.
                    assert repr(new) == repr(direct) == repr(old), (principal, kw, today)
                    assert [list(f.by_status) for f in new] == [list(f.by_status) for f in old]
                    checked += len(new)
        mine = figures(conn, principal=_principals()[4], today=DAYS[0])
        assert {f.department_code for f in mine} == {"D0001"}
        assert sum(f.overdue for f in figures(conn, principal=BUREAU, today=DAYS[0])) > 0
        assert sum(f.carried_over for f in figures(conn, principal=BUREAU, today=DAYS[0])) > 0
    assert checked > 500


def test_rebuilt_in_other_batches_it_has_the_same_rows(province: Store) -> None:
    def rows() -> dict[str, list[tuple[object, ...]]]:
        with province.engine.connect() as conn:
            return {
                t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key))]
                for t in (figure_findings, figure_counts, figure_dues)
            }

    incremental = rows()
    assert all(incremental.values())
    province.runner.rebuild(batch_size=313)
    assert rows() == incremental
    with province.engine.connect() as conn:
        # No row is left with nothing in it (a row whose findings all left is deleted).
        counts = conn.execute(select(figure_counts)).mappings().all()
        assert all(sum(v for k, v in r.items() if k.startswith("s_")) > 0 for r in counts)
        assert all(r.n > 0 for r in conn.execute(select(figure_dues)))
