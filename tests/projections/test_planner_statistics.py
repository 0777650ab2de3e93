"""A rebuild leaves PostgreSQL's planner statistics fresh for every table it rewrote;
on SQLite it adds none (its plans, tested in test_query_plans.py, are made without)."""

from __future__ import annotations

from sqlalchemy import inspect, text

from rectify.bootstrap import House
from rectify.projections.catalog import all_projectors


def test_a_rebuild_analyses_every_rebuilt_table_on_postgresql(province: House) -> None:
    store = province.store
    postgresql = store.engine.dialect.name == "postgresql"
    if postgresql:
        with store.engine.connect() as conn:
            before = conn.execute(text("SELECT clock_timestamp()")).scalar_one()
    store.runner.rebuild()
    if not postgresql:
        assert "sqlite_stat1" not in inspect(store.engine).get_table_names()
        return
    rebuilt = {t.name for p in all_projectors() if p.rebuildable for t in p.tables}
    with store.engine.connect() as conn:
        analysed = dict(
            conn.execute(text("SELECT relname, last_analyze FROM pg_stat_user_tables"))
            .tuples()
            .all()
        )
    stale = {name for name in rebuilt if analysed.get(name) is None or analysed[name] < before}
    assert stale == set()
    log = analysed.get("rectify_events")
    assert log is None or log < before  # the log itself is not the rebuild's
