"""The event store and its read models, on a SQLite file and on PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy.exc
from sqlalchemy import select, text

from rectify.bootstrap import House, open_house
from rectify.domain.application import finding_fields
from rectify.domain.department import Department
from rectify.domain.errors import ConcurrencyConflict, StoreError
from rectify.domain.finding import Finding
from rectify.projections import queries
from rectify.projections.catalog import all_projectors
from rectify.projections.store import alembic_check, open_store

TODAY = date(2025, 3, 3)


def record_sample(house: House, n_findings: int = 3) -> None:
    house.services.app.save_all(house.services.app.department_for("D1", "甲局", None))
    for i in range(n_findings):
        house.services.app.save_all(
            house.findings.new_finding(
                **finding_fields(
                    ref=f"D1/2024/{i:02d}",
                    department_code="D1",
                    fiscal_year=2024,
                    category="预算管理",
                    title=f"问题{i}",
                    description="说明",
                )
            )
        )


def snapshot(house: House) -> dict[str, list[Any]]:
    """Every rebuildable read model's rows, ordered, minus nothing."""
    out: dict[str, list[Any]] = {}
    with house.store.engine.connect() as conn:
        for projector in all_projectors():
            if not projector.rebuildable:
                continue
            for table in projector.tables:
                pk = list(table.primary_key.columns)
                out[table.name] = [
                    tuple(r) for r in conn.execute(select(table).order_by(*pk)).all()
                ]
    return out


def test_append_and_read_back(house: House, bureau: object) -> None:
    record_sample(house)
    finding = house.findings.get_finding("D1/2024/01")
    assert finding.title == "问题1"
    assert finding.department_code == "D1"
    events = house.store.app.repository.event_store.get(Finding.create_id("D1/2024/01"))
    [recorded] = list(events)
    assert recorded.actor == "bureau-test"  # type: ignore[attr-defined]


def test_optimistic_concurrency_conflict(house: House, bureau: object) -> None:
    record_sample(house, 0)
    # A second application on the same database: two users acting at once.
    other = open_house(house.store.url.render_as_string(hide_password=False))
    try:
        mine = house.services.app.get_department("D1")
        theirs = other.services.app.get_department("D1")
        theirs.rename("乙局", reason="更名")
        other.services.app.save_all(theirs)
        mine.rename("丙局", reason="更名")
        with pytest.raises(ConcurrencyConflict):
            house.services.app.save_all(mine)
    finally:
        other.close()
    assert house.services.app.get_department("D1").name == "乙局"


def test_projection_catch_up_is_incremental(house: House, bureau: object) -> None:
    record_sample(house, 2)
    assert house.store.catch_up() == 3
    assert house.store.catch_up() == 0
    record_sample_more = house.findings.new_finding(
        **finding_fields(
            ref="D1/2024/09",
            department_code="D1",
            fiscal_year=2024,
            category="资产管理",
            title="新问题",
            description="",
        )
    )
    house.services.app.save_all(record_sample_more)
    assert house.store.catch_up() == 1
    with house.store.engine.connect() as conn:
        refs = [f.ref for f in queries.list_findings(conn, today=TODAY)]
        assert refs == ["D1/2024/00", "D1/2024/01", "D1/2024/09"]
        assert [
            f.ref for f in queries.list_findings(conn, today=TODAY, after="D1/2024/00", limit=1)
        ] == ["D1/2024/01"]
        assert queries.list_findings(conn, today=TODAY)[0].department_name == "甲局"


def test_rebuild_equals_incremental(house: House, bureau: object) -> None:
    record_sample(house, 7)
    department = house.services.app.get_department("D1")
    department.rename("甲局（新）", reason="机构改革")
    house.services.app.save_all(department)
    house.store.runner.catch_up(batch_size=2)
    incremental = snapshot(house)
    progress: list[tuple[int, int]] = []
    replayed = house.store.runner.rebuild(
        batch_size=3, progress=lambda d, h: progress.append((d, h))
    )
    assert replayed == 9
    assert snapshot(house) == incremental
    assert progress[-1] == (9, 9)
    assert incremental["departments"][0][2] == "甲局（新）"


def test_runner_batches_are_transactions(house: House, bureau: object) -> None:
    record_sample(house, 4)
    house.store.runner.catch_up(batch_size=2)
    with house.store.engine.connect() as conn:
        positions = dict(
            conn.execute(text("select name, position from projection_positions")).tuples().all()
        )
    assert set(positions) == {p.name for p in all_projectors()}
    assert set(positions.values()) == {5}


def test_migrations_from_empty_and_alembic_check(db_url: str) -> None:
    store = open_store(db_url, create=True)
    try:
        alembic_check(store)  # raises if models and tables differ
        with store.engine.connect() as conn:
            version = conn.execute(text("select version_num from alembic_version")).scalar_one()
        assert version
    finally:
        store.close()
    # Opening again (no create) works and writes nothing.
    open_store(db_url).close()


def test_database_from_a_newer_version_is_refused(house: House) -> None:
    with house.store.engine.begin() as conn:
        conn.execute(text("update alembic_version set version_num = '9999_future'"))
    url = house.store.url.render_as_string(hide_password=False)
    with pytest.raises(StoreError, match="更新版本"):
        open_store(url)
    with pytest.raises(StoreError, match="更新版本"):
        open_store(url, create=True)


def test_uninitialised_database_is_refused_without_writing(pg_url: str, tmp_path: Any) -> None:
    with pytest.raises(StoreError, match="rectify init"):
        open_store(f"sqlite:///{tmp_path / 'absent.db'}")
    assert not (tmp_path / "absent.db").exists()
    with pytest.raises(StoreError, match="尚未初始化"):
        open_store(pg_url)
    probe = open_store(pg_url, create=True)  # only now are tables created
    probe.close()


def test_an_opened_sqlite_file_deleted_in_use_is_an_error_not_a_new_store(
    tmp_path: Any,
) -> None:
    """Only create=True lets SQLite create the file: an opened store whose file goes
    away (even under a pooled connection) refuses to connect, in Chinese."""
    path = tmp_path / "名 有空格#.db"  # the URI form quotes what a path may hold
    url = f"sqlite:///{path}"
    open_store(url, create=True).close()
    store = open_store(url)
    try:
        with store.engine.connect() as conn:
            conn.execute(text("SELECT 1"))  # a connection now waits in the pool
        path.unlink()
        with pytest.raises(sqlalchemy.exc.OperationalError, match="库文件不存在"):
            store.engine.connect()
        assert not path.exists()
    finally:
        store.close()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u@h/db", "不支持的数据库类型"),
        ("sqlite:///:memory:", "不支持内存数据库"),
        ("not a url", "不是有效的数据库地址"),
        ("postgresql+psycopg://postgres@127.0.0.1:1/none", "无法连接数据库"),
        ("sqlite:////etc/passwd/inside-a-file.db", "目录不可写"),
    ],
)
def test_bad_store_urls_get_one_clear_error(url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        open_store(url, create=True)


def test_department_topics_are_explicit() -> None:
    assert Department.TOPIC == "rectify/Department"
    assert Department.Registered.TOPIC == "rectify/Department.Registered"  # type: ignore[attr-defined]
