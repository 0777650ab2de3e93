"""The bulk write path (driver executemany / COPY) stores what SQLAlchemy's own insert stores."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import bindparam, select

from rectify.projections.batch import DriverQuery, RowCache, insert_many
from rectify.projections.findings import findings
from rectify.projections.runner import BATCH_WAL_PAGES, EventId
from rectify.projections.store import SQLITE_CACHE_KIB, Store, open_store


def finding_row(ref: str, **changes: Any) -> dict[str, Any]:
    at = datetime(2025, 3, 3, 1, 2, 3, tzinfo=UTC)
    row: dict[str, Any] = {column.name: None for column in findings.columns}
    row.update(
        ref=ref,
        id=str(uuid4()),
        department_code="D1",
        fiscal_year=2024,
        category="预算管理",
        title="问题 'quoted'\t\\ 与制表符",
        description="说明\n第二行",
        indicator_codes="A,B",
        amount=Decimal("12345.678901"),
        amount_micros=12345678901,
        due=date(2025, 6, 30),
        status="recorded",
        recorded_at=at,
        recorded_by="bureau",
        updated_at=at,
        version=1,
        extension_count=0,
        carried_years="",
        repeat_of="",
        reopen_count=0,
    )
    row.update(changes)
    return row


def stored(store: Store) -> list[tuple[Any, ...]]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(findings).order_by(findings.c.ref))]


def test_insert_many_stores_what_sqlalchemy_stores(store: Store) -> None:
    rows = [finding_row(f"R/{n}") for n in range(3)]
    with store.engine.begin() as conn:
        conn.execute(findings.insert(), rows)
    expected = stored(store)
    with store.engine.begin() as conn:
        conn.execute(findings.delete())
        insert_many(conn, findings, rows)
    assert stored(store) == expected
    assert expected[0][findings.c.keys().index("amount")] == Decimal("12345.678901")


def test_row_cache_changes_loaded_rows_and_keeps_the_rest(store: Store) -> None:
    rows = [finding_row(f"R/{n}") for n in range(3)]
    with store.engine.begin() as conn:
        insert_many(conn, findings, rows)
    cache = RowCache(findings, "id")
    with store.engine.begin() as conn:
        cache.load(conn, [rows[1]["id"]])
        cache.get(rows[1]["id"]).update(status="issued", issued_on=date(2025, 4, 1), version=2)
        cache.add(finding_row("R/9"))
        cache.flush(conn)
    after = {r[0]: r for r in stored(store)}
    status, issued_on = findings.c.keys().index("status"), findings.c.keys().index("issued_on")
    assert sorted(after) == ["R/0", "R/1", "R/2", "R/9"]
    assert (after["R/1"][status], after["R/1"][issued_on]) == ("issued", date(2025, 4, 1))
    assert after["R/0"][status] == after["R/2"][status] == "recorded"


def test_driver_query_returns_plain_rows(store: Store) -> None:
    with store.engine.begin() as conn:
        insert_many(conn, findings, [finding_row(f"R/{n}") for n in range(5)])
        query = DriverQuery(
            select(findings.c.ref)
            .where(findings.c.ref > bindparam("after"))
            .order_by(findings.c.ref)
        )
        assert [tuple(r) for r in query.rows(conn, after="R/2")] == [("R/3",), ("R/4",)]


def test_event_id_is_the_same_uuid() -> None:
    plain = uuid4()
    kept = EventId(bytes=plain.bytes)
    assert kept == plain and hash(kept) == hash(plain) and isinstance(kept, UUID)
    assert str(kept) == str(plain) and str(kept) == str(kept)
    assert repr(kept) == repr(plain)
    assert {plain: 1}[kept] == 1


def test_batches_leave_the_connection_at_the_stores_sync_setting(tmp_path: Any) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'sync.db'}", create=True)
    try:
        with store.engine.connect() as conn:
            before = conn.exec_driver_sql("PRAGMA synchronous").scalar_one()
            pages = conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one()
            # Every connection of the store gets the larger page cache (KiB: negative).
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar_one() == -SQLITE_CACHE_KIB
        store.runner.rebuild()
        store.catch_up()
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar_one() == before == 2
            assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one() == pages
            assert pages < BATCH_WAL_PAGES  # the batches' setting was in force only in them
    finally:
        store.close()
