"""The clock's service: the bureau's schedule policy, and recording occurrences.

Occurrences are recorded by the `system` principal only; a version clash on the
derived id means another writer recorded it first, which is success, not an error.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from rectify.domain.application import RectifyApp
from rectify.domain.errors import ConcurrencyConflict, InvalidInput, NotAllowed
from rectify.domain.finding import RectificationClass
from rectify.domain.identity import Role, current_principal
from rectify.domain.occurrence import Due, Occurrence
from rectify.domain.schedule_policy import Policy, SchedulePolicy, canonical


@dataclass(frozen=True)
class OccurrenceContext:
    """What an occurrence says about its finding, and the policy it was computed under."""

    department_code: str
    unit_code: str | None
    title: str
    policy_version: int


class ScheduleService:
    def __init__(self, app: RectifyApp) -> None:
        self.app = app

    def policy(self) -> SchedulePolicy:
        stored = self.app.find(Policy.create_id(), Policy)
        return stored.current() if stored is not None else SchedulePolicy.default()

    def set_policy(self, settings: Mapping[str, str], reason: str) -> SchedulePolicy:
        principal = current_principal()
        if principal.role is not Role.BUREAU:
            raise NotAllowed(f"只有财政局用户可以修改时限与提醒政策（{principal.name} 不是）")
        if not reason or not reason.strip():
            raise InvalidInput("修改政策须说明理由（--reason）")
        if not settings:
            raise InvalidInput("没有给出要修改的设置（KEY=VALUE）")
        clean = {key.strip(): canonical(key, value) for key, value in settings.items()}
        stored = self.app.find(Policy.create_id(), Policy)
        if stored is not None:
            stored.change(clean, reason=reason.strip())
        else:
            stored = Policy(settings=clean, reason=reason.strip())
        self.app.save_all(stored)
        return stored.current()

    def record_occurrences(self, items: Sequence[tuple[Due, OccurrenceContext]]) -> list[bool]:
        """Record each item once; per item, whether it was new (False: already recorded).

        The batch is saved in one transaction; if any occurrence in it already exists
        (a re-run, another scheduler) the batch is refused whole and each is then saved
        alone, so the clash decides item by item. Same result, far fewer commits.
        """
        principal = current_principal()
        if principal.role is not Role.SYSTEM:
            raise NotAllowed(f"提醒与逾期只能由系统记录（{principal.name} 不是系统用户）")
        if not items:
            return []
        try:
            self.app.save_all(*[_occurrence(due, context) for due, context in items])
            return [True] * len(items)
        except ConcurrencyConflict:
            pass
        results = []
        for due, context in items:
            try:
                self.app.save_all(_occurrence(due, context))
                results.append(True)
            except ConcurrencyConflict:
                results.append(False)  # the derived id exists: someone recorded it first
        return results


class RecordedDeadlineDays(Mapping[RectificationClass, int | None]):
    """Default deadline days by class as the bureau last recorded them (else `base`).

    A live view, read at each issue, so `policy set deadline.<class>=N` applies to the
    next issue without re-wiring the FindingService's DeadlinePolicy.
    """

    def __init__(
        self, schedule: ScheduleService, base: Mapping[RectificationClass, int | None]
    ) -> None:
        self.schedule = schedule
        self.base = dict(base)

    def _current(self) -> Mapping[RectificationClass, int | None]:
        stored = self.schedule.app.find(Policy.create_id(), Policy)
        return self.base if stored is None else stored.current().deadline_days

    def __getitem__(self, key: RectificationClass) -> int | None:
        return self._current()[key]

    def __iter__(self) -> Iterator[RectificationClass]:
        return iter(self._current())

    def __len__(self) -> int:
        return len(self._current())


def _occurrence(due: Due, context: OccurrenceContext) -> Occurrence:
    return Occurrence(
        ref=due.ref,
        kind=due.kind,
        for_date=due.for_date,
        about=due.about,
        department_code=context.department_code,
        unit_code=context.unit_code,
        title=context.title,
        policy_version=context.policy_version,
    )
