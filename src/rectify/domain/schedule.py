"""The schedule of one finding: which occurrences fall due up to a date, and the next one.

A pure function of the finding's current state and the policy, so a scan after
downtime computes exactly what daily scans would have (given the same state), each
with its own `for_date`. Rules (documented in docs/scheduler.md):
- issued/returned: reminders at due−L for each lead time L (after the issue day),
  overdue on due+1; an extension moves both to the new date;
- re-review due on `re_review_on` for long-term items;
- a progress report owed `first_report_days` after issue and then at the end of every
  report period for phased/long-term items, due within the grace (working days);
  each report answers the earliest owed report whose window it falls in;
- awaiting the closure review: only overdue (the shared rule, domain/overdue.py);
- closed, withdrawn or only recorded: nothing is due.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from rectify.domain.deadlines import HolidayCalendar
from rectify.domain.errors import InvalidInput
from rectify.domain.finding import RectificationClass
from rectify.domain.occurrence import Due, OccurrenceKind
from rectify.domain.overdue import OVERDUE_EXEMPT, stored
from rectify.domain.schedule_policy import SchedulePolicy
from rectify.domain.vocabulary import FindingStatus

# Reminders and reports: while the department works on it. Overdue: the shared rule
# (domain/overdue.py), which also counts a finding awaiting the closure review.
WATCHED = frozenset({"issued", "returned", "long_term"})
OVERDUE_WATCHED = frozenset(s.value for s in FindingStatus) - frozenset(stored(OVERDUE_EXEMPT))
PERIODIC = frozenset({RectificationClass.PHASED, RectificationClass.LONG_TERM})


@dataclass(frozen=True)
class WatchFacts:
    ref: str
    status: str
    rectification_class: RectificationClass | None
    issued_on: date | None
    due: date | None
    re_review_on: date | None
    report_dates: tuple[date, ...] = ()


@dataclass(frozen=True)
class Plan:
    due: list[Due]  # every occurrence with for_date <= through
    next_on: date | None  # the earliest day something more may fall due (None: never)


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def _period_ends(after: date, months: int, through: date) -> list[date]:
    """Ends of report periods (months 12/months per year, from January) in (after, through]."""
    ends: list[date] = []
    year = after.year
    while date(year, 1, 1) <= through:
        for month in range(months, 13, months):
            end = _month_end(year, month)
            if after < end <= through:
                ends.append(end)
        year += 1
    return ends


def plan(
    facts: WatchFacts, policy: SchedulePolicy, calendar: HolidayCalendar, through: date
) -> Plan:
    if facts.issued_on is None or facts.status not in WATCHED | OVERDUE_WATCHED:
        return Plan([], None)
    due: list[Due] = []
    upcoming: list[date] = []

    def add(kind: OccurrenceKind, for_date: date, about: date | None) -> None:
        if for_date <= through:
            due.append(Due(kind, facts.ref, for_date, about))
        else:
            upcoming.append(for_date)

    issued = facts.issued_on
    cls = facts.rectification_class
    if facts.status in OVERDUE_WATCHED and facts.due is not None and cls is not None:
        if facts.status in WATCHED:
            for lead in policy.reminder_days.get(cls, ()):
                day = facts.due - timedelta(days=lead)
                if day > issued:
                    add(OccurrenceKind.REMINDER, day, facts.due)
        add(OccurrenceKind.OVERDUE, facts.due + timedelta(days=1), facts.due)
    if facts.status not in WATCHED:
        return Plan(
            sorted(due, key=lambda d: (d.for_date, d.kind.value)), min(upcoming, default=None)
        )
    if facts.re_review_on is not None and (
        facts.status == "long_term" or cls is RectificationClass.LONG_TERM
    ):
        add(OccurrenceKind.RE_REVIEW_DUE, facts.re_review_on, facts.re_review_on)
    _reports(facts, policy, calendar, through, add, upcoming)
    return Plan(sorted(due, key=lambda d: (d.for_date, d.kind.value)), min(upcoming, default=None))


def _reports(
    facts: WatchFacts,
    policy: SchedulePolicy,
    calendar: HolidayCalendar,
    through: date,
    add: Callable[[OccurrenceKind, date, date | None], None],
    upcoming: list[date],
) -> None:
    assert facts.issued_on is not None
    first = facts.issued_on + timedelta(days=policy.first_report_days)
    periods = [first] if first <= through else []
    if first > through:
        upcoming.append(first)
    if facts.rectification_class in PERIODIC and first <= through:
        periods += _period_ends(first, policy.report_period_months, through)
    if facts.rectification_class in PERIODIC:
        after = max(first, through)
        horizon = date(after.year + 2, 1, 1)
        upcoming.append(_period_ends(after, policy.report_period_months, horizon)[0])
    unused = sorted(facts.report_dates)
    start = facts.issued_on
    for end in periods:
        add(OccurrenceKind.REPORT_DUE, end, end)
        try:
            deadline = calendar.add_working_days(end, policy.report_grace_working_days)
        except InvalidInput:
            # Working days unknown for that year: only an error once the deadline could
            # already have passed (it is at least `grace` calendar days after the end).
            earliest = end + timedelta(days=policy.report_grace_working_days + 1)
            if earliest <= through:
                raise
            upcoming.append(earliest)
            start = end
            continue
        answer = next((d for d in unused if start < d <= deadline), None)
        if answer is not None:
            unused.remove(answer)
        elif deadline < through:
            add(OccurrenceKind.REPORT_OVERDUE, deadline + timedelta(days=1), deadline)
        else:
            upcoming.append(deadline + timedelta(days=1))
        start = end
