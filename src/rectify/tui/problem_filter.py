"""The problem list's filter, and how a finding replayed from the log (the list as
of a past day) becomes a list row and is checked against the filter's changing parts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rectify.domain.finding import Finding
from rectify.domain.overdue import is_overdue
from rectify.projections import queries


@dataclass(frozen=True)
class ProblemFilter:
    fiscal_year: int | None = None
    department: str | None = None
    status: str | None = None
    rectification_class: str | None = None
    overdue: bool = False
    repeat: bool = False
    text: str | None = None
    ref_part: str | None = None  # a part of the finding's number (the palette)
    sort: str = "ref"  # a key of projections.finding_sort.SORTABLE
    descending: bool = False


def view_of(f: Finding, day: date) -> queries.FindingView:
    """A replayed finding as a list row, overdue as judged on `day`."""
    return queries.FindingView(
        ref=f.ref,
        department_code=f.department_code,
        department_name=None,
        unit_code=f.unit_code,
        fiscal_year=f.fiscal_year,
        evaluation_key=f.evaluation_key,
        category=f.category,
        title=f.title,
        description=f.description,
        indicator_codes=tuple(f.indicator_codes),
        amount=f.amount,
        amount_unit=f.amount_unit,
        rectification_class=f.rectification_class.value if f.rectification_class else None,
        due=f.due,
        status=f.status.value,
        recorded_at=f.created_on,
        recorded_by="",
        carried_years=tuple(f.carried_years),
        last_carried_year=max(f.carried_years, default=None),
        repeat_of=tuple(f.repeat_of),
        overdue=is_overdue(f.due, f.status, day),
    )


def held(f: Finding, flt: ProblemFilter, day: date) -> bool:
    """Whether a replayed finding met the filter's changing parts (on `day`)."""
    klass = f.rectification_class.value if f.rectification_class else None
    return (
        (flt.fiscal_year is None or flt.fiscal_year in (f.fiscal_year, *f.carried_years))
        and (flt.status is None or f.status.value == flt.status)
        and (flt.rectification_class is None or klass == flt.rectification_class)
        and (not flt.overdue or is_overdue(f.due, f.status, day))
        and (not flt.repeat or bool(f.repeat_of))
    )
