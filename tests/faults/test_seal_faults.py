"""A seal an insider cannot silently extend: through the real CLI, on both backends.

The forged rows are written the way an insider with database access would: straight
into the tables, around rectify."""

from __future__ import annotations

import uuid
from pathlib import Path

import sqlalchemy
from sqlalchemy import select

from rectify.domain.application import EVENTS_TABLE
from rectify.projections.store import open_store
from tests.conftest import WEIBIN
from tests.faults.conftest import InProcess


def tamper(db_url: str, statements: list[str]) -> None:
    engine = sqlalchemy.create_engine(db_url)
    try:
        with engine.begin() as conn:
            for sql in statements:
                conn.execute(sqlalchemy.text(sql))
    finally:
        engine.dispose()


def last_id(db_url: str) -> int:
    engine = sqlalchemy.create_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(sqlalchemy.text(f"select max(id) from {EVENTS_TABLE}")).scalar_one()
            )
    finally:
        engine.dispose()


def forge_copy_of(db_url: str, source_id: int) -> None:
    """Append a copy of an event for a new originator, as a plain INSERT."""
    store = open_store(db_url)  # only for its typed event table; the INSERT bypasses rectify
    try:
        events = store.events
        with store.engine.begin() as conn:
            row = conn.execute(select(events).where(events.c.id == source_id)).one()
            conn.execute(
                events.insert().values(
                    originator_id=uuid.uuid4(),
                    originator_version=1,
                    topic=row.topic,
                    state=bytes(row.state),
                )
            )
    finally:
        store.close()


def test_intact_store_verifies_against_the_checkpoint_file(
    rectify: InProcess, tmp_path: Path
) -> None:
    rectify.ok("import", "evaluation", str(WEIBIN))
    out = rectify.ok("verify")
    assert "日志完整" in out and "延续检查点" in out and "检查点文件" in out
    assert (tmp_path / "checkpoints.log").read_text(encoding="utf-8").count("\n") >= 2


def test_forged_appended_event_fails_verify_even_after_later_commands(rectify: InProcess) -> None:
    rectify.ok("import", "evaluation", str(WEIBIN))
    forged_at = last_id(rectify.db_url) + 1
    forge_copy_of(rectify.db_url, 1)
    rectify.ok("findings", "list")  # a later command no longer seals what it finds
    rectify.ok(
        "user", "add", "auditor1", "--role", "auditor", "--password-stdin", stdin="auditor-pass-1\n"
    )
    result = rectify("verify")
    assert result.code == 1 and f"第 {forged_at} 号事件没有封存链接" in result.err, result


def test_deleted_tail_fails_verify_by_the_checkpoint_file(rectify: InProcess) -> None:
    rectify.ok("import", "evaluation", str(WEIBIN))
    tail = last_id(rectify.db_url)
    tamper(
        rectify.db_url,
        [
            f"delete from seal_links where notification_id = {tail}",
            f"delete from {EVENTS_TABLE} where id = {tail}",
        ],
    )
    result = rectify("verify")
    assert result.code == 1 and "超出现有封存位置" in result.err, result
    assert rectify("verify", "--no-checkpoint").code == 0  # the chain alone cannot see it


def test_emptied_seal_fails_verify(rectify: InProcess) -> None:
    rectify.ok("import", "evaluation", str(WEIBIN))
    tamper(rectify.db_url, ["delete from seal_links"])
    result = rectify("verify", "--no-checkpoint")
    assert result.code == 1 and "第 1 号事件没有封存链接" in result.err, result
    assert rectify("verify").code == 1


def test_emptied_store_fails_verify_by_the_checkpoint_file(rectify: InProcess) -> None:
    rectify.ok("import", "evaluation", str(WEIBIN))
    tamper(rectify.db_url, ["delete from seal_links", f"delete from {EVENTS_TABLE}"])
    result = rectify("verify")
    assert result.code == 1 and "超出现有封存位置 0" in result.err, result


def test_a_rolled_back_command_leaves_a_consistent_seal(rectify: InProcess) -> None:
    # A refused import records nothing, sealed or not; the next one chains on.
    rectify("import", "evaluation", "/nonexistent.json")
    rectify.ok("import", "evaluation", str(WEIBIN))
    assert rectify("verify").code == 0
