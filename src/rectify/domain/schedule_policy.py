"""The bureau's schedule policy: reminder lead times, report periods, scan times, deadlines.

Policy is recorded as events on one `Policy` aggregate (who changed what, and why), so
every occurrence the scheduler records can name the policy version it was computed
under. Settings are stored flat as text (`reminder.phased = "30,7,1"`), which keeps the
events readable and the transcoding trivial; `SchedulePolicy.parse` is the one place
that validates them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from rectify.domain.base import RectifyAggregate, derived_id
from rectify.domain.errors import InvalidInput
from rectify.domain.finding import RectificationClass

CLASSES = tuple(c.value for c in RectificationClass)

DEFAULTS: Mapping[str, str] = {
    "reminder.immediate": "30,7,1",
    "reminder.phased": "30,7,1",
    "reminder.long_term": "30,7,1",
    "deadline.immediate": "30",
    "deadline.phased": "90",
    "deadline.long_term": "none",
    "first_report_days": "90",
    "report_period_months": "3",
    "report_grace_working_days": "15",
    "scan_hour": "6",
    "scan_interval_minutes": "60",
}

SETTING_LABELS: Mapping[str, str] = {
    "reminder": "提前提醒天数（自然日，逗号分隔）",
    "deadline": "默认整改时限（自然日；none 为无硬性时限）",
    "first_report_days": "下发后首次报送整改情况的天数",
    "report_period_months": "此后定期报送的周期（月）",
    "report_grace_working_days": "每期结束后报送期限（工作日）",
    "scan_hour": "每日扫描时刻（北京时间，0–23 时）",
    "scan_interval_minutes": "两次扫描之间的间隔（分钟）",
}


def _int(key: str, raw: str, *, minimum: int, maximum: int | None = None) -> int:
    text = raw.strip()
    if not text.lstrip("-").isdigit():
        raise InvalidInput(f"政策设置 {key}：{raw!r} 不是整数")
    value = int(text)
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"{minimum}–{maximum}" if maximum is not None else f"不小于 {minimum}"
        raise InvalidInput(f"政策设置 {key}：{value} 超出范围（应为 {bound}）")
    return value


def _class_of(key: str) -> RectificationClass:
    name = key.split(".", 1)[1]
    try:
        return RectificationClass(name)
    except ValueError:
        raise InvalidInput(
            f"政策设置 {key}：不认识的整改类别 {name!r}（可选 {'、'.join(CLASSES)}）"
        ) from None


@dataclass(frozen=True)
class SchedulePolicy:
    reminder_days: Mapping[RectificationClass, tuple[int, ...]]
    deadline_days: Mapping[RectificationClass, int | None]
    first_report_days: int
    report_period_months: int
    report_grace_working_days: int
    scan_hour: int
    scan_interval_minutes: int
    version: int = 0  # the Policy aggregate's version; 0 = the built-in defaults

    @property
    def report_reminder_days(self) -> tuple[int, ...]:
        """Lead times before a monitoring or self-evaluation report's due date: a report
        has no rectification class, so every lead time the policy names applies."""
        return tuple(
            sorted({d for days in self.reminder_days.values() for d in days}, reverse=True)
        )

    @classmethod
    def parse(cls, settings: Mapping[str, str], version: int = 0) -> SchedulePolicy:
        merged = {**DEFAULTS, **settings}
        unknown = sorted(set(merged) - set(DEFAULTS))
        for key in unknown:
            if key.split(".", 1)[0] in ("reminder", "deadline") and "." in key:
                _class_of(key)  # says which class is unknown
            raise InvalidInput(f"不认识的政策设置 {key!r}（可设：{'、'.join(sorted(DEFAULTS))}）")
        reminders: dict[RectificationClass, tuple[int, ...]] = {}
        deadlines: dict[RectificationClass, int | None] = {}
        for key, raw in merged.items():
            if key.startswith("reminder."):
                parts = [p for p in raw.split(",") if p.strip()]
                days = tuple(_int(key, p, minimum=1) for p in parts)
                reminders[_class_of(key)] = tuple(sorted(set(days), reverse=True))
            elif key.startswith("deadline."):
                deadlines[_class_of(key)] = (
                    None if raw.strip().lower() == "none" else _int(key, raw, minimum=1)
                )
        return cls(
            reminder_days=reminders,
            deadline_days=deadlines,
            first_report_days=_int("first_report_days", merged["first_report_days"], minimum=1),
            report_period_months=_int(
                "report_period_months", merged["report_period_months"], minimum=1, maximum=12
            ),
            report_grace_working_days=_int(
                "report_grace_working_days", merged["report_grace_working_days"], minimum=1
            ),
            scan_hour=_int("scan_hour", merged["scan_hour"], minimum=0, maximum=23),
            scan_interval_minutes=_int(
                "scan_interval_minutes", merged["scan_interval_minutes"], minimum=1
            ),
            version=version,
        )

    @classmethod
    def default(cls) -> SchedulePolicy:
        return cls.parse({})


def canonical(key: str, raw: str) -> str:
    """Validate one setting and return the text to store (raises InvalidInput)."""
    key = key.strip()
    policy = SchedulePolicy.parse({key: raw})
    if key.startswith("reminder."):
        return ",".join(str(d) for d in policy.reminder_days[_class_of(key)])
    if key.startswith("deadline."):
        days = policy.deadline_days[_class_of(key)]
        return "none" if days is None else str(days)
    return str(int(raw.strip()))


class Policy(RectifyAggregate):
    """The bureau's one schedule policy; its settings are the non-default values."""

    TOPIC = "rectify/Policy"

    @staticmethod
    def create_id() -> UUID:
        return derived_id("policy", "bureau")

    @event("Adopted", topic="rectify/Policy.Adopted")
    def __init__(self, settings: dict[str, str], reason: str | None) -> None:
        self.settings = dict(settings)

    def change(self, settings: Mapping[str, str], reason: str) -> None:
        self._changed(settings=dict(settings), reason=reason)

    @event("Changed", topic="rectify/Policy.Changed")
    def _changed(self, settings: dict[str, str], reason: str | None) -> None:
        self.settings = {**self.settings, **settings}

    def current(self) -> SchedulePolicy:
        return SchedulePolicy.parse(self.settings, version=self.version)


def describe(policy: SchedulePolicy) -> dict[str, Any]:
    """Plain values for `policy show --json`."""
    return {
        "version": policy.version,
        "reminder_days": {c.value: list(d) for c, d in policy.reminder_days.items()},
        "deadline_days": {c.value: d for c, d in policy.deadline_days.items()},
        "first_report_days": policy.first_report_days,
        "report_period_months": policy.report_period_months,
        "report_grace_working_days": policy.report_grace_working_days,
        "scan_hour": policy.scan_hour,
        "scan_interval_minutes": policy.scan_interval_minutes,
    }
