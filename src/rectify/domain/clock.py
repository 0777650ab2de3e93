"""The clock every service reads "today" and "now" from, so tests and the scheduler can set it.

Days are Beijing days (deadlines, 整改 dates and reports follow the calendar in
China whatever the machine's zone); `now()` is always timezone-aware.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    def today(self) -> date: ...

    def now(self) -> datetime: ...


class SystemClock:
    """The real time, in Beijing."""

    def now(self) -> datetime:
        return datetime.now(BEIJING)

    def today(self) -> date:
        return self.now().date()


@dataclass
class FixedClock:
    """A clock that stands still until moved (tests, replays, the scheduler's dry runs)."""

    moment: datetime

    def __post_init__(self) -> None:
        if self.moment.tzinfo is None:
            self.moment = self.moment.replace(tzinfo=BEIJING)

    @classmethod
    def on(cls, day: date, at: time = time(9, 0)) -> FixedClock:
        return cls(datetime.combine(day, at, tzinfo=BEIJING))

    def now(self) -> datetime:
        return self.moment

    def today(self) -> date:
        return self.moment.astimezone(BEIJING).date()

    def advance(self, *, days: int = 0, hours: int = 0) -> None:
        self.moment += timedelta(days=days, hours=hours)
