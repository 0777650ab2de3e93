"""The 整改台账 query: each finding with its latest measures and progress report.

The findings row keeps only the last percent; the texts a 台账 shows (整改措施, 整改进展)
are in the timeline's details. Pages of findings (keyset, like every list) are joined
with their timeline rows of those two kinds, so 10,000 findings never load at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select

from rectify.domain.identity import Principal
from rectify.projections.queries import PAGE, FindingView, list_findings
from rectify.projections.timeline import finding_timeline

LEDGER_EVENTS = ("MeasuresRecorded", "ProgressReported")


@dataclass(frozen=True)
class LedgerRow:
    finding: FindingView
    measures: str | None  # the latest 整改措施
    progress: str | None  # the latest 整改进展 text
    progress_on: date | None


def ledger_rows(
    conn: Connection,
    *,
    principal: Principal | None,
    fiscal_year: int | None = None,
    department: str | None = None,
    today: date,
    page: int = PAGE,
) -> Iterator[LedgerRow]:
    """Every finding `principal` may see (filters as `list_findings`), by ref."""
    after: str | None = None
    while True:
        batch = list_findings(
            conn,
            principal=principal,
            fiscal_year=fiscal_year,
            department=department,
            today=today,
            after=after,
            limit=page,
        )
        if not batch:
            return
        texts = _latest_texts(conn, [f.ref for f in batch])
        for f in batch:
            measures, progress, on = texts.get(f.ref, (None, None, None))
            yield LedgerRow(f, measures, progress, on)
        after = batch[-1].ref


def _latest_texts(
    conn: Connection, refs: list[str]
) -> dict[str, tuple[str | None, str | None, date | None]]:
    rows = conn.execute(
        select(finding_timeline.c.ref, finding_timeline.c.event, finding_timeline.c.details)
        .where(finding_timeline.c.ref.in_(refs), finding_timeline.c.event.in_(LEDGER_EVENTS))
        .order_by(finding_timeline.c.ref, finding_timeline.c.version)
    ).all()
    out: dict[str, tuple[str | None, str | None, date | None]] = {}
    for r in rows:
        measures, progress, on = out.get(r.ref, (None, None, None))
        details = json.loads(r.details)
        if r.event == "MeasuresRecorded":
            measures = details.get("measures")
        else:
            progress = details.get("text")
            on = date.fromisoformat(details["as_of"]) if details.get("as_of") else None
        out[r.ref] = (measures, progress, on)
    return out
