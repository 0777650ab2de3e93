"""Monitoring and self-evaluation reports: reminders before the due date, and the
overdue mark, reach the department's and the bureau's inbox and the mail (real SMTP)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from rectify.bootstrap import House, open_house
from rectify.domain.clock import FixedClock
from rectify.domain.identity import Principal, Role, acting_as
from rectify.projections.inbox_queries import inbox
from rectify.scheduler.mail import send_pending
from rectify.scheduler.scan import scan
from tests.scheduler.scenario import BUREAU, DEPT, departments, monitoring_plans
from tests.scheduler.test_mail import Inbox, settings, smtp_server  # noqa: F401

OTHER_DEPT = Principal("卫健委用户", Role.DEPARTMENT, department="D02")


@pytest.fixture
def house(db_url: str, tmp_path: Path) -> Iterator[House]:
    with open_house(
        db_url, create=True, clock=FixedClock.on(date(2025, 8, 1)), blob_dir=tmp_path / "blobs"
    ) as opened:
        departments(opened)
        monitoring_plans(opened)
        yield opened


def items_of(house: House, principal: Principal) -> list[tuple[str, str, str, str]]:
    with house.store.engine.connect() as conn:
        return sorted(
            (i.kind, i.ref, i.for_date.isoformat(), i.title) for i in inbox(conn, principal)
        )


def test_reminders_then_the_overdue_mark_reach_both_inboxes(house: House) -> None:
    recorded = scan(house, date(2025, 7, 16))
    kinds = sorted((r.kind, r.ref, r.for_date) for r in recorded)
    assert ("monitoring_reminder", "D01/2025/H1", "2025-06-15") in kinds
    assert ("monitoring_overdue", "D01/2025/H1", "2025-07-16") in kinds
    assert scan(house, date(2025, 7, 16)) == []  # once each
    mine = items_of(house, DEPT)
    assert mine == [
        ("monitoring_overdue", "D01/2025/H1", "2025-07-16", "绩效监控报告逾期未报"),
        ("monitoring_reminder", "D01/2025/H1", "2025-06-15", "绩效监控报告（H1）"),
        ("monitoring_reminder", "D01/2025/H1", "2025-07-08", "绩效监控报告（H1）"),
        ("monitoring_reminder", "D01/2025/H1", "2025-07-14", "绩效监控报告（H1）"),
    ]
    bureau = items_of(house, BUREAU)
    assert set(mine) < set(bureau)  # the bureau has D02's self-evaluation items too
    assert ("monitoring_overdue", "D02/2024/自评", "2025-04-01", "自评报告逾期未报") in bureau
    assert all(ref.startswith("D02/") for _, ref, _, _ in items_of(house, OTHER_DEPT))
    # Rebuilt from the log, the inbox is the same (the overdue mark reads its period).
    house.store.runner.rebuild()
    assert items_of(house, DEPT) == mine


def test_a_report_filed_before_a_lead_day_gets_no_more_reminders(house: House) -> None:
    scan(house, date(2025, 3, 5))
    with acting_as(OTHER_DEPT):
        house.monitoring.submit_self_evaluation("D02", 2024, filed_on=date(2025, 3, 10))
    later = scan(house, date(2025, 8, 1))
    assert [r for r in later if r.ref == "D02/2024/自评"] == []
    assert items_of(house, OTHER_DEPT) == [
        ("monitoring_reminder", "D02/2024/自评", "2025-03-01", "自评报告（自评）")
    ]


def test_report_items_are_mailed_naming_the_period(
    house: House,
    smtp_server: tuple[Inbox, int],  # noqa: F811
) -> None:
    server, port = smtp_server
    scan(house, date(2025, 7, 16))
    assert send_pending(house, settings(port)) == len(items_of(house, BUREAU)) + len(
        items_of(house, DEPT)
    ) + len(items_of(house, OTHER_DEPT))
    overdue = [m for m in server.messages if "报告逾期未报" in m["Subject"]]
    assert {m["Subject"] for m in overdue} == {
        "【rectify】报告逾期未报：D01/2025/H1 绩效监控报告逾期未报",
        "【rectify】报告逾期未报：D02/2024/自评 自评报告逾期未报",
    }
    assert len(overdue) == 4  # the department's and the bureau's, each
    body = overdue[0].get_content()
    assert "报告期：" in body and "相关时限：" in body and "问题编号" not in body
