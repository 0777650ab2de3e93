"""Deadline policy: defaults by class, calendar vs working days, the holiday calendar."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from rectify.domain.deadlines import DayCount, Deadline, DeadlinePolicy, HolidayCalendar
from rectify.domain.errors import InvalidInput
from rectify.domain.finding import RectificationClass as RC


def test_default_policy_calendar_days() -> None:
    policy = DeadlinePolicy()
    issued = date(2025, 3, 10)
    assert policy.deadline(RC.IMMEDIATE, issued) == Deadline(date(2025, 4, 9), None)
    assert policy.deadline(RC.PHASED, issued) == Deadline(date(2025, 6, 8), None)
    # Long-term: no hard due, a re-review in 90 days.
    assert policy.deadline(RC.LONG_TERM, issued) == Deadline(None, date(2025, 6, 8))
    assert policy.default_due(RC.LONG_TERM, issued) is None


def test_policy_is_configurable() -> None:
    policy = DeadlinePolicy(
        days={RC.IMMEDIATE: 15, RC.PHASED: 60, RC.LONG_TERM: None},
        re_review_days={RC.LONG_TERM: 30},
    )
    assert policy.default_due(RC.IMMEDIATE, date(2025, 1, 1)) == date(2025, 1, 16)
    assert policy.deadline(RC.LONG_TERM, date(2025, 1, 1)).re_review_on == date(2025, 1, 31)
    with pytest.raises(InvalidInput, match="正数"):
        DeadlinePolicy(days={RC.IMMEDIATE: 0})


def test_working_days_2024_national_day_with_tiaoxiu() -> None:
    cal = HolidayCalendar()
    # 2024 国庆: 10-01..10-07 off; Sun 09-29 and Sat 10-12 are 调休 working days.
    assert cal.is_workday(date(2024, 9, 29))
    assert not cal.is_workday(date(2024, 10, 7))
    assert cal.is_workday(date(2024, 10, 12))
    # Fri 09-27 + 3 working days: Sun 09-29, Mon 09-30, then Tue 10-08.
    assert cal.add_working_days(date(2024, 9, 27), 3) == date(2024, 10, 8)


def test_working_days_2025_national_day_and_mid_autumn() -> None:
    policy = DeadlinePolicy(days={RC.IMMEDIATE: 7}, counting=DayCount.WORKING)
    # 2025: 10-01..10-08 off; Sun 09-28 and Sat 10-11 worked.
    # From Fri 09-26: 09-28, 09-29, 09-30, 10-09, 10-10, 10-11, 10-13.
    assert policy.default_due(RC.IMMEDIATE, date(2025, 9, 26)) == date(2025, 10, 13)


def test_working_days_2025_spring_festival() -> None:
    cal = HolidayCalendar()
    # 春节 2025: 01-28..02-04 off; Sun 01-26 and Sat 02-08 worked.
    assert cal.add_working_days(date(2025, 1, 24), 2) == date(2025, 1, 27)
    assert cal.add_working_days(date(2025, 1, 27), 1) == date(2025, 2, 5)
    assert cal.add_working_days(date(2025, 2, 7), 1) == date(2025, 2, 8)


def test_calendar_days_roll_forward_past_holiday() -> None:
    plain = DeadlinePolicy()
    rolled = DeadlinePolicy(roll_forward=True)
    # 2024-09-01 + 30 days = 10-01, inside 国庆; rolled to the first working day after.
    assert plain.default_due(RC.IMMEDIATE, date(2024, 9, 1)) == date(2024, 10, 1)
    assert rolled.default_due(RC.IMMEDIATE, date(2024, 9, 1)) == date(2024, 10, 8)


def test_unknown_year_is_a_clear_error() -> None:
    policy = DeadlinePolicy(counting=DayCount.WORKING)
    with pytest.raises(InvalidInput) as info:
        policy.default_due(RC.IMMEDIATE, date(2031, 3, 2))
    message = info.value.message
    assert "2031" in message
    assert "holidays" in message and "workdays" in message


def test_supplied_year_is_used(tmp_path: Path) -> None:
    path = tmp_path / "2031.json"
    path.write_text(
        json.dumps(
            {
                "years": [2031],
                "holidays": ["2031-01-01", "2031-01-02"],
                "workdays": ["2031-01-04"],
            }
        ),
        encoding="utf-8",
    )
    cal = HolidayCalendar.from_json(path)
    # From Wed 01-01 (a year the library does not know):
    # Thu 01-02 off, Fri 01-03 work, Sat 01-04 调休 work, Mon 01-06 work.
    assert cal.add_working_days(date(2031, 1, 1), 3) == date(2031, 1, 6)


def test_supplied_dates_override_the_library() -> None:
    cal = HolidayCalendar(holidays=[date(2025, 6, 3)], workdays=[date(2025, 6, 7)])
    assert not cal.is_workday(date(2025, 6, 3))
    assert cal.is_workday(date(2025, 6, 7))


def test_holiday_file_errors(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(InvalidInput, match="nope.json 不存在"):
        HolidayCalendar.from_json(missing)
    bad = tmp_path / "bad.json"
    bad.write_text('{"holidays": ["2031-13-01"]}', encoding="utf-8")
    with pytest.raises(InvalidInput, match="2031-13-01"):
        HolidayCalendar.from_json(bad)
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(InvalidInput, match="不是合法 JSON"):
        HolidayCalendar.from_json(broken)
    with pytest.raises(InvalidInput, match="既列为节假日又列为工作日"):
        HolidayCalendar(holidays=[date(2031, 1, 1)], workdays=[date(2031, 1, 1)])
