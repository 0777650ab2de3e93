"""The text filter finds what LIKE '%text%' finds, by whichever way it takes
(projections/text_search.py), and its index follows the findings table: a new
finding, a rebuild. On both backends."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from rectify.bootstrap.generator import BUREAU, EVALUATOR, generate
from rectify.domain.application import finding_fields
from rectify.domain.finding import Finding
from rectify.domain.identity import acting_as
from rectify.projections import text_index, text_search
from rectify.projections.queries import list_findings
from rectify.projections.store import Store, open_store

TODAY = date(2026, 6, 30)
# Rare and common texts, ASCII in a ref-like description, fewer than 3 characters
# (no trigram), a LIKE wildcard, a double quote, nothing at all.
TEXTS = ("问题 7", "管理方面", "第 3 项", "预算", "问题", "%", "整改（第", 'a"b', "没有这句话")


def listed(store: Store, text: str) -> list[str]:
    with store.engine.connect() as conn:
        rows = list_findings(conn, principal=BUREAU, today=TODAY, text=text, limit=100_000)
    return [f.ref for f in rows]


def expected(store: Store, text: str) -> list[str]:
    with store.engine.connect() as conn:
        rows = list_findings(conn, principal=BUREAU, today=TODAY, limit=100_000)
    return [f.ref for f in rows if text in f.title or text in f.description]


def add_finding(store: Store, ref: str, title: str, description: str) -> None:
    """Record a new finding and catch up."""
    with acting_as(EVALUATOR):
        finding = Finding(
            **finding_fields(
                ref=ref,
                department_code="D0001",
                fiscal_year=2016,
                category="资产管理",
                title=title,
                description=description,
            )
        )
    store.app.save(finding)
    store.catch_up()


@pytest.fixture
def province(store: Any) -> Store:
    generate(store.app, 2500, seed=11)
    store.catch_up()
    assert isinstance(store, Store)
    return store


@pytest.mark.parametrize("walk_from", [text_search.TEXT_LIST_AT, 0])
def test_text_filter_equals_a_substring_search(
    province: Store, walk_from: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the index (few matches) and by the walk (many: here forced with 0)."""
    monkeypatch.setattr(text_search, "TEXT_LIST_AT", walk_from)
    for text in TEXTS:
        if text == "%":
            continue  # a LIKE wildcard: matches every finding, not a literal '%'
        assert listed(province, text) == expected(province, text), text
    assert listed(province, "问题 7")  # the texts are not all misses
    assert len(listed(province, "%")) == len(expected(province, ""))


def test_the_index_follows_new_findings_and_a_rebuild(province: Store) -> None:
    add_finding(province, "T-NEW-1", "新增的独特标题", "固定资产账实不符")
    assert listed(province, "独特标题") == ["T-NEW-1"]
    assert listed(province, "账实不符") == ["T-NEW-1"]
    before = {text: listed(province, text) for text in TEXTS}
    province.runner.rebuild()
    assert {text: listed(province, text) for text in TEXTS} == before
    if province.engine.dialect.name == "sqlite":
        with province.engine.connect() as conn:
            indexed = conn.exec_driver_sql("SELECT count(*) FROM findings_text").scalar_one()
            rows = conn.exec_driver_sql("SELECT count(*) FROM findings").scalar_one()
        assert indexed == rows  # one index row per finding: none left over by the rebuild


def test_without_the_text_index_the_filter_walks(tmp_path: Any) -> None:
    """An SQLite without the trigram tokenizer gets no index (0012_tuiperf creates
    nothing): the filter is the LIKE walk, same results."""
    store = open_store(f"sqlite:///{tmp_path / 'plain.db'}", create=True)
    try:
        generate(store.app, 1500, seed=4)
        store.catch_up()
        found = {text: listed(store, text) for text in TEXTS}
        with store.engine.begin() as conn:
            for trigger in ("insert", "delete", "update"):
                conn.exec_driver_sql(f"DROP TRIGGER findings_text_{trigger}")
            conn.exec_driver_sql("DROP TABLE findings_text")
        assert {text: listed(store, text) for text in TEXTS} == found
        assert found["问题 7"] == expected(store, "问题 7") != []
    finally:
        store.close()


def indexed(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT count(*) FROM findings_text").scalar_one())


def test_a_rebuild_stopped_before_the_fill_is_completed_by_the_next_runner(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild drops SQLite's triggers and fills the index once, in its last batch;
    killed there, the read models are left behind the head, and the next process's
    catch-up fills the index and brings the triggers back (projections/text_index.py):
    the filter and new findings stay indexed."""
    db_url = f"sqlite:///{tmp_path / 'stopped.db'}"
    store = open_store(db_url, create=True)
    try:
        generate(store.app, 1500, seed=4)
        store.catch_up()
        before = {text: listed(store, text) for text in TEXTS}
        assert indexed(store) > 0

        def killed(conn: Any) -> None:
            raise KeyboardInterrupt  # the process dies in the rebuild's last batch

        monkeypatch.setattr(text_index, "restore", killed)
        with pytest.raises(KeyboardInterrupt):
            store.runner.rebuild()
    finally:
        store.close()
    monkeypatch.undo()
    store = open_store(db_url)
    try:
        assert not store.up_to_date()
        assert indexed(store) == 0
        store.catch_up()
        assert indexed(store) > 0
        assert {text: listed(store, text) for text in TEXTS} == before
        add_finding(store, "T-NEW-2", "重建之后的独特标题", "账实不符")
        assert listed(store, "重建之后") == ["T-NEW-2"]
    finally:
        store.close()
