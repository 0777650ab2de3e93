"""Deadline policy (整改时限): the default due date by rectification class.

Days are counted either as calendar days (自然日) or working days (工作日). Working days
follow the Chinese public-holiday calendar including 调休 (weekend days that are made
working days). Layering exception, on purpose: this module imports `chinese_calendar`
(PyPI `chinesecalendar`, maintained, pure data + stdlib) besides stdlib/eventsourcing/
pydantic, because the State Council's holiday arrangement is data we should not retype.
The library only knows the years it was released with; for any other year (or to fix
or extend it) supply explicit dates through `HolidayCalendar`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from pathlib import Path

import chinese_calendar  # type: ignore[import-untyped]  # see module docstring

from rectify.domain.errors import InvalidInput
from rectify.domain.vocabulary import RectificationClass


class DayCount(Enum):
    CALENDAR = "calendar"  # 自然日
    WORKING = "working"  # 工作日


def _library_years() -> tuple[int, int]:
    years = [d.year for d in chinese_calendar.holidays]
    return min(years), max(years)


class HolidayCalendar:
    """Working days in China: the library's data, overridden/extended by explicit dates.

    `holidays` are days off (even on a weekday); `workdays` are working days (even on a
    weekend, i.e. 调休). A year named in `years`, or in which any explicit date falls,
    is taken as fully described by the explicit dates plus ordinary weekends — so a
    year the library does not know can be supplied completely.
    """

    def __init__(
        self,
        holidays: Iterable[date] = (),
        workdays: Iterable[date] = (),
        years: Iterable[int] = (),
    ) -> None:
        self.holidays = frozenset(holidays)
        self.workdays = frozenset(workdays)
        both = self.holidays & self.workdays
        if both:
            listed = "、".join(sorted(d.isoformat() for d in both))
            raise InvalidInput(f"节假日安排矛盾：{listed} 既列为节假日又列为工作日")
        self.supplied_years = frozenset(years) | {d.year for d in self.holidays | self.workdays}

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, object], source: str = "节假日数据"
    ) -> HolidayCalendar:
        """From {"holidays": ["2027-01-01", ...], "workdays": [...], "years": [2027]}."""

        def dates(key: str) -> list[date]:
            raw = data.get(key, [])
            if not isinstance(raw, list):
                raise InvalidInput(f"{source}：{key} 应为日期列表（YYYY-MM-DD）")
            out: list[date] = []
            for item in raw:
                try:
                    out.append(date.fromisoformat(str(item)))
                except ValueError:
                    raise InvalidInput(
                        f"{source}：{key} 中的 {item!r} 不是 YYYY-MM-DD 日期"
                    ) from None
            return out

        raw_years = data.get("years", [])
        if not isinstance(raw_years, list) or not all(
            isinstance(y, int) and not isinstance(y, bool) for y in raw_years
        ):
            raise InvalidInput(f"{source}：years 应为年份整数列表")
        unknown = set(data) - {"holidays", "workdays", "years"}
        if unknown:
            raise InvalidInput(f"{source}：不认识的键 {', '.join(sorted(unknown))}")
        return cls(holidays=dates("holidays"), workdays=dates("workdays"), years=raw_years)

    @classmethod
    def from_json(cls, path: Path) -> HolidayCalendar:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InvalidInput(f"节假日文件 {path} 不存在") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"节假日文件 {path} 无法读取：{exc}") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"节假日文件 {path} 不是合法 JSON：{exc}") from None
        if not isinstance(data, dict):
            raise InvalidInput(
                f'节假日文件 {path}：应为对象 {{"holidays": [...], "workdays": [...]}}'
            )
        return cls.from_mapping(data, source=f"节假日文件 {path}")

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        if day.year in self.supplied_years:
            return day.weekday() < 5
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            first, last = _library_years()
            raise InvalidInput(
                f"不知道 {day.year} 年的法定节假日与调休安排（内置数据只覆盖 {first}–{last} 年），"
                f"无法按工作日计算 {day.isoformat()}：请提供该年的节假日文件 "
                f'JSON {{"years": [{day.year}], "holidays": ["{day.year}-01-01", ...], '
                f'"workdays": [调休上班日...]}}，或改按自然日计算'
            ) from None

    def add_working_days(self, start: date, days: int) -> date:
        """The `days`-th working day after `start` (start itself not counted)."""
        if days < 0:
            raise InvalidInput(f"工作日天数不能为负数（{days}）")
        current = start
        remaining = days
        while remaining > 0:
            current += timedelta(days=1)
            if self.is_workday(current):
                remaining -= 1
        return current

    def next_workday_on_or_after(self, day: date) -> date:
        while not self.is_workday(day):
            day += timedelta(days=1)
        return day


@dataclass(frozen=True)
class Deadline:
    """What a class implies at issue: a hard due date, or a re-review date, or both."""

    due: date | None
    re_review_on: date | None


@dataclass(frozen=True)
class DeadlinePolicy:
    """Configurable defaults; the bureau may still give an explicit due date on issue.

    `days` maps a class to its hard deadline in days (None: no hard deadline);
    `re_review_days` maps a class to its re-review interval (None: no re-review).
    `roll_forward`: in calendar counting, a deadline falling on a day off moves to the
    next working day (期间届满日为节假日的，顺延至节假日后第一个工作日).
    """

    days: Mapping[RectificationClass, int | None] = field(
        default_factory=lambda: {
            RectificationClass.IMMEDIATE: 30,
            RectificationClass.PHASED: 90,
            RectificationClass.LONG_TERM: None,
        }
    )
    re_review_days: Mapping[RectificationClass, int | None] = field(
        default_factory=lambda: {
            RectificationClass.IMMEDIATE: None,
            RectificationClass.PHASED: None,
            RectificationClass.LONG_TERM: 90,
        }
    )
    counting: DayCount = DayCount.CALENDAR
    calendar: HolidayCalendar = field(default_factory=HolidayCalendar)
    roll_forward: bool = False

    def __post_init__(self) -> None:
        for what, table in (("整改时限", self.days), ("复核间隔", self.re_review_days)):
            for cls, n in table.items():
                if n is not None and n <= 0:
                    raise InvalidInput(f"时限政策：{cls.value} 的{what}天数须为正数（{n}）")

    def add(self, start: date, days: int) -> date:
        if self.counting is DayCount.WORKING:
            return self.calendar.add_working_days(start, days)
        end = start + timedelta(days=days)
        return self.calendar.next_workday_on_or_after(end) if self.roll_forward else end

    def deadline(self, rectification_class: RectificationClass, issued_on: date) -> Deadline:
        due_days = self.days.get(rectification_class)
        review_days = self.re_review_days.get(rectification_class)
        return Deadline(
            due=None if due_days is None else self.add(issued_on, due_days),
            re_review_on=None if review_days is None else self.add(issued_on, review_days),
        )

    def default_due(self, rectification_class: RectificationClass, issued_on: date) -> date | None:
        return self.deadline(rectification_class, issued_on).due
