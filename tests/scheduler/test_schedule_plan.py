"""The schedule plan of one finding: a pure function of state, policy and date."""

from __future__ import annotations

from datetime import date

import pytest

from rectify.domain.deadlines import HolidayCalendar
from rectify.domain.errors import InvalidInput
from rectify.domain.finding import RectificationClass
from rectify.domain.occurrence import OccurrenceKind as K
from rectify.domain.schedule import WatchFacts, plan
from rectify.domain.schedule_policy import SchedulePolicy, canonical

CAL = HolidayCalendar()
POLICY = SchedulePolicy.default()
ISSUED = date(2025, 1, 6)


def facts(**kw: object) -> WatchFacts:
    base: dict[str, object] = dict(
        ref="F1",
        status="issued",
        rectification_class=RectificationClass.IMMEDIATE,
        issued_on=ISSUED,
        due=date(2025, 2, 5),
        re_review_on=None,
        report_dates=(),
    )
    base.update(kw)
    return WatchFacts(**base)  # type: ignore[arg-type]


def kinds(f: WatchFacts, through: date, policy: SchedulePolicy = POLICY) -> list[tuple[K, date]]:
    return [(d.kind, d.for_date) for d in plan(f, policy, CAL, through).due]


def test_reminders_after_issue_then_overdue_the_day_after() -> None:
    # T-30 (2025-01-06) is the issue day itself: no reminder for it.
    assert kinds(facts(), date(2025, 2, 6)) == [
        (K.REMINDER, date(2025, 1, 29)),
        (K.REMINDER, date(2025, 2, 4)),
        (K.OVERDUE, date(2025, 2, 6)),
    ]
    assert plan(facts(), POLICY, CAL, date(2025, 2, 6)).next_on == date(2025, 4, 6)  # first report


def test_extension_moves_reminders_and_overdue() -> None:
    got = kinds(facts(due=date(2025, 3, 31)), date(2025, 4, 1))
    assert (K.OVERDUE, date(2025, 4, 1)) in got and (K.OVERDUE, date(2025, 2, 6)) not in got
    assert (K.REMINDER, date(2025, 3, 1)) in got


def test_long_term_watches_re_review_and_quarterly_reports_not_the_old_due() -> None:
    f = facts(
        status="long_term",
        rectification_class=RectificationClass.LONG_TERM,
        re_review_on=date(2025, 9, 30),
    )
    got = kinds(f, date(2025, 12, 31))
    assert K.OVERDUE not in {k for k, _ in got} and K.REMINDER not in {k for k, _ in got}
    assert (K.RE_REVIEW_DUE, date(2025, 9, 30)) in got
    assert [d for k, d in got if k is K.REPORT_DUE] == [
        date(2025, 4, 6),
        date(2025, 6, 30),
        date(2025, 9, 30),
        date(2025, 12, 31),
    ]


def test_a_report_answers_the_earliest_owed_report_in_its_window() -> None:
    f = facts(
        rectification_class=RectificationClass.PHASED,
        due=date(2026, 6, 30),
        report_dates=(date(2025, 4, 20), date(2025, 7, 3)),
    )
    got = kinds(f, date(2025, 12, 31))
    overdue = [d for k, d in got if k is K.REPORT_OVERDUE]
    # First (04-06, due 04-25) and Q2 (due 07-21) answered; Q3 (due 2025-10-28) not.
    assert overdue == [date(2025, 10, 29)]


def test_nothing_for_closed_withdrawn_or_recorded() -> None:
    for status in ("closed", "withdrawn", "recorded"):
        p = plan(facts(status=status), POLICY, CAL, date(2026, 1, 1))
        assert p.due == [] and p.next_on is None


def test_awaiting_closure_review_only_overdue_as_the_shared_rule_says() -> None:
    p = plan(facts(status="closure_requested"), POLICY, CAL, date(2026, 1, 1))
    assert [(d.kind, d.for_date) for d in p.due] == [(K.OVERDUE, date(2025, 2, 6))]


def test_policy_lead_times_apply_per_class() -> None:
    policy = SchedulePolicy.parse({"reminder.immediate": "10"})
    assert [d for k, d in kinds(facts(), date(2025, 2, 6), policy) if k is K.REMINDER] == [
        date(2025, 1, 26)
    ]


def test_working_days_in_an_unknown_year_fail_only_once_needed() -> None:
    f = facts(
        issued_on=date(2026, 10, 1),
        due=date(2026, 10, 31),
        rectification_class=RectificationClass.PHASED,
    )
    # The Q4 2026 report is due 15 working days into 2027, which the calendar does not know:
    plan(f, POLICY, CAL, date(2027, 1, 10))  # not needed yet: fine
    with pytest.raises(InvalidInput, match="2027"):
        plan(f, POLICY, CAL, date(2027, 2, 1))
    known = HolidayCalendar(years=[2027])
    assert plan(f, POLICY, known, date(2027, 2, 1)).due


@pytest.mark.parametrize(
    ("key", "value", "needle"),
    [
        ("reminder.phased", "30,-7", "超出范围"),
        ("reminder.phased", "7.5", "不是整数"),
        ("report_period_months", "0", "超出范围"),
        ("first_report_days", "0", "超出范围"),
        ("reminder.urgent", "3", "不认识的整改类别"),
        ("deadline.urgent", "3", "不认识的整改类别"),
        ("scan_hour", "24", "超出范围"),
        ("colour", "red", "不认识的政策设置"),
    ],
)
def test_bad_policy_values_are_refused_with_what_and_where(
    key: str, value: str, needle: str
) -> None:
    with pytest.raises(InvalidInput, match=needle) as info:
        canonical(key, value)
    assert key.split(".")[0] in info.value.message


def test_canonical_forms() -> None:
    assert canonical("reminder.phased", "1, 7,30,7") == "30,7,1"
    assert canonical("deadline.long_term", "None") == "none"
