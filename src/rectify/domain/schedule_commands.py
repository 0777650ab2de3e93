"""Clock commands, as a mixin for RectifyApp: the policy, and recording occurrences.

Occurrences are recorded by the `system` principal only; a version clash on the
derived id means another writer recorded it first, which is success, not an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from uuid import UUID

from rectify.domain.deadlines import DeadlinePolicy
from rectify.domain.errors import ConcurrencyConflict, InvalidInput, NotAllowed
from rectify.domain.identity import Role, current_principal
from rectify.domain.occurrence import Due, Occurrence
from rectify.domain.schedule_policy import Policy, SchedulePolicy, canonical

if TYPE_CHECKING:
    from eventsourcing.domain import Aggregate

    class _AppBase:
        def save_all(self, *aggregates: Aggregate) -> None: ...
        def get_or_none(self, aggregate_id: UUID) -> Any: ...

else:
    _AppBase = object


class ScheduleCommands(_AppBase):
    def policy(self) -> SchedulePolicy:
        stored = self.get_or_none(Policy.create_id())
        return stored.current() if isinstance(stored, Policy) else SchedulePolicy.default()

    _base_deadline_policy: DeadlinePolicy | None = None

    @property
    def deadline_policy(self) -> DeadlinePolicy:
        """The wired policy (day counting, holidays), with the days the bureau recorded."""
        base = self._base_deadline_policy or DeadlinePolicy()
        stored = self.get_or_none(Policy.create_id())
        if not isinstance(stored, Policy):
            return base
        return replace(base, days=dict(stored.current().deadline_days))

    @deadline_policy.setter
    def deadline_policy(self, policy: DeadlinePolicy) -> None:
        self._base_deadline_policy = policy

    def set_policy(self, settings: Mapping[str, str], reason: str) -> SchedulePolicy:
        principal = current_principal()
        if principal.role is not Role.BUREAU:
            raise NotAllowed(f"只有财政局用户可以修改时限与提醒政策（{principal.name} 不是）")
        if not reason or not reason.strip():
            raise InvalidInput("修改政策须说明理由（--reason）")
        if not settings:
            raise InvalidInput("没有给出要修改的设置（KEY=VALUE）")
        clean = {key.strip(): canonical(key, value) for key, value in settings.items()}
        stored = self.get_or_none(Policy.create_id())
        if isinstance(stored, Policy):
            stored.change(clean, reason=reason.strip())
        else:
            stored = Policy(settings=clean, reason=reason.strip())
        self.save_all(stored)
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
        occurrences = [_occurrence(due, context) for due, context in items]
        if not occurrences:
            return []
        try:
            self.save_all(*occurrences)
            return [True] * len(occurrences)
        except ConcurrencyConflict:
            pass
        results = []
        for due, context in items:
            try:
                self.save_all(_occurrence(due, context))
                results.append(True)
            except ConcurrencyConflict:
                results.append(False)  # the derived id exists: someone recorded it first
        return results


@dataclass(frozen=True)
class OccurrenceContext:
    """What an occurrence says about its finding, and the policy it was computed under."""

    department_code: str
    unit_code: str | None
    title: str
    policy_version: int


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
