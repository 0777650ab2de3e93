"""The hot problem-list queries and the figures use their indexes, on both backends.

Each query is run once through its real function; the SQL it sent is then EXPLAINed.
On PostgreSQL sequential scans are switched off for the EXPLAIN, so a plan that still
scans `findings` whole means no index can serve the filter (on a small table the
planner would rightly prefer the scan anyway).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Connection, event

from rectify.bootstrap.generator import BUREAU, generate
from rectify.domain.identity import Principal, Role
from rectify.projections import queries
from rectify.projections.figures import figures
from rectify.projections.queries import list_findings
from rectify.projections.store import Store, open_store
from tests.conftest import PG_BASE, _create_pg_database, _drop_pg_database

TODAY = date(2026, 6, 30)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def province(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """One generated province per backend for the whole module (generating is the slow part)."""
    name = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('plans') / 'rectify.db'}"
    else:
        name = _create_pg_database()
        url = f"{PG_BASE}/{name}"
    store = open_store(url, create=True)
    try:
        generate(store.app, 3000, seed=5)
        store.catch_up()
        yield store
    finally:
        store.close()
        if name is not None:
            _drop_pg_database(name)


def plan(
    store: Store,
    run: Callable[[Connection], object],
    *,
    statement: int = 0,
    ordered_walks: bool = True,
) -> str:
    """The plan of the `statement`-th statement `run` sends (list_findings may first
    count a filter's matches to choose its way: -1 is the list itself)."""
    sent: list[tuple[str, Any]] = []

    def grab(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
    ) -> None:
        sent.append((statement, parameters))

    postgres = store.engine.dialect.name == "postgresql"
    with store.engine.connect() as conn:
        event.listen(store.engine, "before_cursor_execute", grab)
        try:
            run(conn)
        finally:
            event.remove(store.engine, "before_cursor_execute", grab)
        sql, parameters = sent[statement]
        if postgres:
            conn.exec_driver_sql("ANALYZE")
            conn.exec_driver_sql("SET enable_seqscan = off")
            if not ordered_walks:  # a small table's pk walk in ref order beats any index
                conn.exec_driver_sql("SET enable_indexscan = off")
            rows = conn.exec_driver_sql("EXPLAIN " + sql, parameters).all()
            conn.exec_driver_sql("RESET ALL")  # the connection may go back to a pool
            return "\n".join(r[0] for r in rows)
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, parameters).all()
        return "\n".join(r[-1] for r in rows)


def assert_no_full_scan_of_findings(text: str) -> None:
    assert "Seq Scan on findings" not in text
    assert not any(line.strip() == "SCAN findings" for line in text.splitlines()), text


CASES: dict[str, tuple[Callable[[Connection], object], tuple[str, ...]]] = {
    "year": (
        lambda c: list_findings(c, principal=BUREAU, fiscal_year=2016, today=TODAY),
        ("finding_years",),
    ),
    "department": (
        lambda c: list_findings(c, principal=BUREAU, department="D0001", today=TODAY),
        ("ix_findings_department_code", "ix_findings_unit_code"),
    ),
    "figures of a department": (
        lambda c: figures(c, principal=BUREAU, department="D0001", today=TODAY),
        ("ix_findings_department_code", "ix_findings_unit_code"),
    ),
    "overdue": (
        lambda c: list_findings(c, principal=BUREAU, overdue=True, today=TODAY),
        ("ix_findings_due",),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hot_queries_use_their_indexes(province: Store, case: str) -> None:
    run, indexes = CASES[case]
    # The figures' first statement; the list's last (it may count a filter's matches first).
    text = plan(province, run, statement=0 if case.startswith("figures") else -1)
    assert_no_full_scan_of_findings(text)
    for index in indexes:
        assert index in text, text


def test_a_large_year_is_walked_in_ref_order_and_probed_by_key(
    province: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A year of many findings (here: any, YEAR_WALK_AT 0) is an EXISTS on the
    finding_years key per finding walked in ref order (stops at the page), not an IN
    list of the whole year fetched and sorted (SQLite: ~45 ms → < 1 ms at 100k)."""
    monkeypatch.setattr(queries, "YEAR_WALK_AT", 0)
    text = plan(
        province,
        lambda c: list_findings(c, principal=BUREAU, fiscal_year=2016, today=TODAY),
        statement=-1,
    )
    assert_no_full_scan_of_findings(text)
    assert "finding_years" in text, text
    if province.engine.dialect.name == "sqlite":
        assert "SCAN findings USING INDEX sqlite_autoindex_findings_1" in text, text
        assert "TEMP B-TREE" not in text, text  # no sort: the walk is in ref order
        assert "(fiscal_year=? AND finding_id=?)" in text, text


def test_a_large_year_with_overdue_reads_the_years_ids_not_every_due_finding(
    province: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With overdue, a year is not walked: SQLite left the walk for the index on due
    and probed the year for every finding due before today (1.7M events: ~90 ms);
    the year's ids bound the work by the year's size (~25 ms)."""
    monkeypatch.setattr(queries, "YEAR_WALK_AT", 0)
    text = plan(
        province,
        lambda c: list_findings(c, principal=BUREAU, fiscal_year=2016, overdue=True, today=TODAY),
        statement=-1,
    )
    assert_no_full_scan_of_findings(text)
    assert "finding_years" in text, text
    if province.engine.dialect.name == "sqlite":
        assert "SEARCH finding_years USING COVERING INDEX" in text, text
        assert "(fiscal_year=?)" in text and "finding_id=?" not in text, text
        assert "ix_findings_due" not in text, text


def test_a_rare_text_is_looked_up_in_the_text_index(province: Store) -> None:
    """SQLite: the FTS5 trigram table gives the refs; PostgreSQL: the pg_trgm GIN
    indexes answer the LIKE (migration 0012_tuiperf)."""
    text = plan(
        province,
        lambda c: list_findings(c, principal=BUREAU, text="没有这句话", today=TODAY),
        statement=-1,
        ordered_walks=False,
    )
    assert_no_full_scan_of_findings(text)
    if province.engine.dialect.name == "sqlite":
        assert "SCAN findings_text VIRTUAL TABLE" in text, text
    else:
        assert "ix_findings_title_trgm" in text, text
        assert "ix_findings_description_trgm" in text, text


def test_a_department_users_scope_is_served_by_indexes(province: Store) -> None:
    dept = Principal("dept-d0001", Role.DEPARTMENT, "D0001")
    text = plan(province, lambda c: list_findings(c, principal=dept, today=TODAY))
    assert_no_full_scan_of_findings(text)
    assert "ix_departments_parent_code" in text, text
    # Both backends: the OR of department, unit and the department's units is answered
    # from the two indexes (PostgreSQL: a BitmapOr, since projections/any_of.py), not
    # by walking the ref index and filtering every finding.
    assert "ix_findings_unit_code" in text, text
    if province.engine.dialect.name == "postgresql":
        assert "ix_findings_department_code" in text, text
        # The list fetches its page in two steps (the page's refs, then their rows), so
        # pk_findings may serve the second; what must not happen is the scope evaluated
        # as a Filter on every finding that an index walk yields.
        filtered = [ln for ln in text.splitlines() if "Filter:" in ln and "unit_code" in ln]
        assert filtered == [], text
        assert "BitmapOr" in text, text


# Every department's figures read their read model (projections/figure_counts.py): the
# row per department and year, then the open findings not yet due (by the index on due).
FIGURE_CASES: dict[str, tuple[Callable[[Connection], object], tuple[str, ...]]] = {
    "of a year": (
        lambda c: figures(c, principal=BUREAU, year=2016, today=TODAY),
        ("ix_figure_counts_fiscal_year", "ix_figure_dues_"),
    ),
    "of every year": (
        lambda c: figures(c, principal=BUREAU, today=TODAY),
        ("", "ix_figure_dues_due"),
    ),
}


@pytest.mark.parametrize("statement_no", [0, 1])
@pytest.mark.parametrize("case", sorted(FIGURE_CASES))
def test_every_departments_figures_read_their_read_model(
    province: Store, case: str, statement_no: int
) -> None:
    run, indexes = FIGURE_CASES[case]
    table = ("figure_counts", "figure_dues")[statement_no]
    text = plan(province, run, statement=statement_no)
    assert table in text, text
    assert "findings" not in text.replace("figure_", ""), text  # the log-sized tables stay unread
    if indexes[statement_no]:  # every row of figure_counts is read for every year: a scan
        assert f"Seq Scan on {table}" not in text, text
        assert not any(line.strip() == f"SCAN {table}" for line in text.splitlines()), text
        assert indexes[statement_no] in text, text
