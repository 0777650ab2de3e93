"""The deadline scan over a fiscal year, on SQLite and PostgreSQL: once each, same as a jump."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rectify.bootstrap import House, open_house
from rectify.domain.clock import FixedClock
from rectify.domain.deadlines import HolidayCalendar
from rectify.domain.errors import InvalidInput
from rectify.domain.identity import acting_as
from rectify.domain.occurrence import OccurrenceKind, occurrence_id
from rectify.projections.inbox import inbox_items
from rectify.scheduler.scan import scan
from tests.scheduler.scenario import BUREAU, IMM, fiscal_year, issue, monitoring_plans, record

START, END = date(2025, 1, 1), date(2025, 12, 31)


@pytest.fixture
def house(db_url: str, tmp_path: Path) -> Iterator[House]:
    """The conftest House, but its clock after the fiscal year: the scenario's progress
    reports are dated up to the year's end, one finding is issued in late 2026,
    and no date may lie after today."""
    with open_house(
        db_url, create=True, clock=FixedClock.on(date(2027, 6, 1)), blob_dir=tmp_path / "blobs"
    ) as opened:
        opened.people.password_cost_n = 2**10
        yield opened


def triples(items: list) -> list[tuple[str, str, str]]:  # type: ignore[type-arg]
    return sorted((i.kind, i.ref, i.for_date) for i in items)


def event_count(house: House) -> int:
    with house.store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(house.store.events)).scalar_one())


def test_day_by_day_equals_one_jump_after_downtime(house: House, tmp_path: Path) -> None:
    fiscal_year(house, tmp_path)
    monitoring_plans(house)
    daily = []
    day = START
    while day <= END:
        daily += scan(house, day)
        day += timedelta(days=1)
    assert len(daily) == len(set(triples(daily)))  # once each
    assert scan(house, END) == []  # a second scan at the same date records nothing

    with open_house(f"sqlite:///{tmp_path / 'jump.db'}", create=True) as jump:
        fiscal_year(jump, tmp_path / "j")
        monitoring_plans(jump)
        jumped = scan(jump, END)
    assert triples(daily) == triples(jumped)

    by_ref: dict[str, list[tuple[str, str]]] = {}
    for kind, ref, day_text in triples(daily):
        by_ref.setdefault(ref, []).append((day_text, kind))
    # What a person expects, finding by finding.
    assert sorted(by_ref["IMM-OPEN"]) == [
        ("2025-01-29", "reminder"),
        ("2025-02-04", "reminder"),
        ("2025-02-06", "overdue"),
        ("2025-04-06", "report_due"),
        ("2025-04-26", "report_overdue"),
    ]
    extended = sorted(by_ref["PH-EXTENDED"])
    assert ("2025-04-07", "overdue") not in extended  # extended before the old date passed
    assert ("2025-07-01", "overdue") in extended and ("2025-05-31", "reminder") in extended
    assert ("2025-07-01", "re_review_due") in by_ref["LT-REVIEW"]
    assert ("2025-09-30", "re_review_due") in by_ref["PH-ACCEPTED-LT"]
    reporting = [d for d, k in by_ref["PH-REPORTING"] if k == "report_overdue"]
    assert reporting == ["2025-10-29"]  # first and Q2 reports were filed; Q3 was not
    # Reports owed: reminded 30, 7 and 1 days before the due date, then marked for the
    # day after it; H2 (due 2026-01-15) gets its first reminder on 2025-12-16 only.
    assert sorted(by_ref["D01/2025/H1"]) == [
        ("2025-06-15", "monitoring_reminder"),
        ("2025-07-08", "monitoring_reminder"),
        ("2025-07-14", "monitoring_reminder"),
        ("2025-07-16", "monitoring_overdue"),
    ]
    assert sorted(by_ref["D02/2024/自评"]) == [
        ("2025-03-01", "monitoring_reminder"),
        ("2025-03-24", "monitoring_reminder"),
        ("2025-03-30", "monitoring_reminder"),
        ("2025-04-01", "monitoring_overdue"),
    ]
    assert by_ref["D01/2025/H2"] == [("2025-12-16", "monitoring_reminder")]
    for quiet in ("IMM-CLOSED", "NOT-ISSUED", "WITHDRAWN"):
        assert quiet not in by_ref
    # Awaiting the closure review: overdue by the shared rule, but no reminders or reports.
    assert by_ref["REQ-CLOSURE"] == [("2025-02-06", "overdue")]
    # Each occurrence went to the department and to the bureau.
    with house.store.engine.connect() as conn:
        items = conn.execute(
            select(func.count())
            .select_from(inbox_items)
            .where(inbox_items.c.kind.in_(("reminder", "overdue")))
        ).scalar_one()
    assert items == 2 * sum(1 for k, _, _ in triples(daily) if k in ("reminder", "overdue"))


def test_a_policy_change_is_an_event_and_applies_from_then_on(house: House, tmp_path: Path) -> None:
    fiscal_year(house, tmp_path)
    scan(house, date(2025, 1, 20))
    with acting_as(BUREAU):
        house.schedule.set_policy({"reminder.immediate": "3"}, "提醒改为提前三天")
    later = scan(house, date(2025, 2, 10))
    reminders = [i for i in later if i.ref == "IMM-OPEN" and i.kind == "reminder"]
    assert [r.for_date for r in reminders] == ["2025-02-02"]
    oid = occurrence_id("IMM-OPEN", OccurrenceKind.REMINDER, date(2025, 2, 2))
    [recorded] = list(house.store.app.repository.event_store.get(oid))
    assert recorded.policy_version == 1 and recorded.actor == "system"  # type: ignore[attr-defined]
    assert recorded.for_date == date(2025, 2, 2)  # type: ignore[attr-defined]


def test_unknown_holiday_year_records_nothing(house: House, tmp_path: Path) -> None:
    from tests.scheduler.scenario import PHASED, departments

    departments(house)
    record(house, "OK-1")
    issue(house, "OK-1", IMM, date(2026, 12, 1), date(2026, 12, 20))
    record(house, "LATE-1")
    issue(house, "LATE-1", PHASED, date(2026, 10, 1), date(2027, 6, 30))
    before = event_count(house)
    with pytest.raises(InvalidInput, match="2027"):
        scan(house, date(2027, 2, 1))
    assert event_count(house) == before
    holidays = tmp_path / "2027.json"
    holidays.write_text('{"years": [2027], "holidays": ["2027-01-01"]}', encoding="utf-8")
    assert scan(house, date(2027, 2, 1), HolidayCalendar.from_json(holidays))


def test_rebuild_keeps_the_cursor_so_nothing_old_is_recorded_again(
    house: House, tmp_path: Path
) -> None:
    fiscal_year(house, tmp_path)
    scan(house, date(2025, 3, 1))
    with acting_as(BUREAU):
        house.schedule.set_policy(
            {"reminder.immediate": "20"}, "改提醒"
        )  # IMM-OPEN: 01-16, never recorded
    house.store.runner.rebuild()
    # Under the new lead times, days before 03-01 would have other reminders: not recorded now.
    later = scan(house, date(2025, 3, 2))
    assert all(item.for_date > "2025-03-01" for item in later)
    assert scan(house, date(2025, 3, 2)) == []


def test_the_recorded_policy_sets_the_default_deadline_at_issue(house: House) -> None:
    from tests.scheduler.scenario import departments

    departments(house)
    record(house, "P-1")
    with acting_as(BUREAU):
        house.schedule.set_policy({"deadline.immediate": "10"}, "立行立改十日内完成")
    issue(house, "P-1", IMM, date(2025, 3, 3), None)
    assert house.findings.get_finding("P-1").due == date(2025, 3, 13)
