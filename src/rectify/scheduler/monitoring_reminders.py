"""The scan's reminders before a monitoring or self-evaluation report falls due.

Each owed report gets a `monitoring_reminder` occurrence on due − L for every lead time
L of the policy (`SchedulePolicy.report_reminder_days`), dated that day, never the day
a scan ran, so daily scans and one jump after downtime record the same thing. They are
Occurrences (ref `DEPARTMENT/YEAR/PERIOD`), so the inbox, the mail and the
exactly-once rule (derived id) are the findings' own. A report filed before a lead day
gets no more reminders.
"""

from __future__ import annotations

from datetime import date, timedelta

from rectify.bootstrap import House
from rectify.domain.occurrence import Due, OccurrenceKind
from rectify.domain.schedule_policy import SchedulePolicy
from rectify.domain.services.schedule import OccurrenceContext
from rectify.domain.vocabulary import REPORT_KIND_LABELS
from rectify.projections.inbox_queries import recorded_for
from rectify.projections.monitoring import owed_until

KIND = OccurrenceKind.MONITORING_REMINDER


def report_reminders(
    house: House, policy: SchedulePolicy, today: date
) -> list[tuple[Due, OccurrenceContext]]:
    """What is due as of `today` and not yet in the inbox (read models caught up)."""
    leads = policy.report_reminder_days
    if not leads:
        return []
    with house.store.engine.connect() as conn:
        owed = owed_until(conn, today + timedelta(days=max(leads)))
        already = recorded_for(conn, KIND.value)
    pending = []
    for row in owed:
        ref = f"{row.department_code}/{row.fiscal_year}/{row.period}"
        title = f"{REPORT_KIND_LABELS.get(row.kind, row.kind)}（{row.period}）"
        context = OccurrenceContext(row.department_code, None, title, policy.version)
        for lead in leads:
            day = row.due - timedelta(days=lead)
            if day <= today and (ref, day) not in already:
                pending.append((Due(KIND, ref, day, row.due), context))
    return pending
