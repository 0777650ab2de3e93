"""The one formatting module and the one vocabulary, as people read them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from rectify.domain import formatting as fmt
from rectify.domain.overdue import OVERDUE_EXEMPT, is_overdue
from rectify.domain.scoring import Interval
from rectify.domain.vocabulary import (
    ACTION_LABELS,
    CLASS_LABELS,
    STATUS_LABELS,
    Action,
    FindingStatus,
    RectificationClass,
    by_value,
)


def test_numbers_never_use_exponent_notation() -> None:
    assert fmt.number(Decimal("1E+2")) == "100"
    assert fmt.number(Decimal("87.66")) == "87.66"
    assert fmt.number(None) == "—"
    assert fmt.amount(Decimal("320.44"), "万元") == "320.44万元"
    assert fmt.amount(None, "万元") == "—"
    assert fmt.percent(Decimal("50.00")) == "50.00%"


def test_intervals_use_the_chinese_range_mark_and_json_keeps_lists() -> None:
    span = Interval(Decimal("1.00"), Decimal("3.00"))
    assert fmt.interval(span) == "1.00～3.00"
    assert fmt.interval(Interval.point(Decimal("2.50"))) == "2.50"
    assert fmt.interval_json(span) == ["1.00", "3.00"]
    assert fmt.interval_json(Interval.point(Decimal("2.50"))) == "2.50"


def test_times_are_shown_in_beijing_time_with_the_zone() -> None:
    at = datetime(2026, 11, 26, 13, 55, tzinfo=UTC)
    assert fmt.moment(at) == "2026-11-26 21:55 北京时间"
    # SQLite gives naive values back; they are UTC.
    assert fmt.moment(at.replace(tzinfo=None)) == "2026-11-26 21:55 北京时间"
    assert fmt.day(date(2026, 1, 2)) == "2026-01-02"


def test_timeline_details_read_in_chinese() -> None:
    text = fmt.details_text({"due": "2025-12-31", "rectification_class": "phased", "note": None})
    assert text == "整改时限 2025-12-31；整改类别 分阶段整改"
    assert fmt.details_text({"evidence_ids": ["a", "b"]}) == "佐证材料 a、b"


def test_every_member_has_a_label_and_stored_names_are_english() -> None:
    for enum, labels in (
        (FindingStatus, STATUS_LABELS),
        (Action, ACTION_LABELS),
        (RectificationClass, CLASS_LABELS),
    ):
        assert set(labels) == set(enum)
        assert all(m.value.isascii() for m in enum)
    assert by_value(STATUS_LABELS)["closed"] == "已销号"
    assert ACTION_LABELS[Action.CARRY_OVER] == "结转下一年度"


def test_overdue_rule() -> None:
    today = date(2025, 6, 1)
    assert is_overdue(date(2025, 5, 31), FindingStatus.ISSUED, today)
    assert is_overdue(date(2025, 5, 31), "returned", today)
    assert not is_overdue(date(2025, 6, 1), FindingStatus.ISSUED, today)
    assert not is_overdue(None, FindingStatus.ISSUED, today)
    for status in OVERDUE_EXEMPT:
        assert not is_overdue(date(2000, 1, 1), status, today)
    assert {
        FindingStatus.CLOSED,
        FindingStatus.WITHDRAWN,
        FindingStatus.LONG_TERM,
        FindingStatus.RECORDED,
    } == OVERDUE_EXEMPT
