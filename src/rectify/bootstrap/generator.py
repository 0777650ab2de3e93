"""A province's event log, generated: seeded, deterministic, through the domain's own commands.

Every event comes from the aggregates' own methods (the same guards and the same events
the commands record), acting as the role that may take each step; the aggregates are
saved through the application in large atomic saves. Only the event timestamps come
from the clock: the wall clock, or (`until`, the demo) a clock the generator steps to
the day each step happened, never later than `until` and never before the aggregate's
own last event, so a finding's timeline reads like its fiscal year's history. The shape, per department and fiscal year: users and their login
sessions, a budget with adjustments and final accounts, an evaluation (the tree of the
bundled Weibin package) scored by the department, the reviewer and the bureau with
revisions, and findings through every lifecycle state — issued, measures, progress,
evidence, extensions, returns, closures, long-term, withdrawals, reopenings,
carry-overs into the next year and repeats of last year's findings.

Size: every step of a department-year shares one seeded random source, one saver and
the users it acts as; split apart, the determinism would depend on call order across modules.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from rectify.domain.application import RectifyApp, finding_fields
from rectify.domain.base import recording_with
from rectify.domain.budget import Budget
from rectify.domain.clock import BEIJING, FixedClock
from rectify.domain.department import Department
from rectify.domain.evaluation import Evaluation, ScoreStage
from rectify.domain.evidence import Evidence
from rectify.domain.finding import Finding, FindingStatus, RectificationClass
from rectify.domain.identity import Principal, Role, acting_as
from rectify.domain.passwords import PasswordHash
from rectify.domain.user import User, UserDirectory
from rectify.reports.evaluation_import import header_data
from rectify.reports.package import load_package

FIRST_YEAR = 2015
YEARS = 10
FINDINGS_PER_EVALUATION = 10
# Events a department-year produces (measured ~170; a little less so the province
# is sized to reach the target before its last year runs out).
EVENTS_PER_DEPARTMENT_YEAR = 160
# Events each finding past the tenth adds to a department-year (measured ~9.1; a
# little less, as above). A denser province (`findings_per_evaluation`) is sized by it.
EVENTS_PER_FINDING = 9
SAVE_EVERY = 5000  # pending events per atomic save
PASSWORD = "generated-Passw0rd"
CATEGORIES = ("预算编制", "预算执行", "绩效目标", "资产管理", "政府采购", "项目管理", "财务管理")
BUREAU = Principal("bureau", Role.BUREAU)
EVALUATOR = Principal("evaluator", Role.EVALUATOR)

Progress = Callable[[int], None]


@dataclass
class Generated:
    events: int = 0
    departments: int = 0
    findings: int = 0
    evaluations: int = 0
    users: int = 0
    statuses: dict[str, int] = field(default_factory=dict)


class _Saver:
    """Collects aggregates with pending events and saves them in large atomic saves."""

    def __init__(self, app: RectifyApp, progress: Progress | None) -> None:
        self.app, self.progress = app, progress
        self.pending: dict[Any, Aggregate] = {}
        self.credentials: dict[UUID, str] = {}
        self.saved = 0

    def add(self, *aggregates: Aggregate) -> None:
        for aggregate in aggregates:
            self.pending[aggregate.id] = aggregate

    def count(self) -> int:
        return sum(len(a.pending_events) for a in self.pending.values())

    def flush(self) -> None:
        if not self.pending:
            return
        self.saved += self.count()
        self.app.save_all(*self.pending.values(), credentials=self.credentials)
        self.pending.clear()
        self.credentials.clear()
        if self.progress is not None:
            self.progress(self.saved)


class _Dates:
    """The clock events are stamped with, stepped to each step's day (09:00 Beijing)."""

    def __init__(self, until: datetime) -> None:
        self.until = until
        self.clock = FixedClock(until)

    def at(self, day: date, *aggregates: Aggregate) -> None:
        """Stamp what follows on `day`: a day after an aggregate's last event when that
        is later (its timeline stays in order), and never after `until`."""
        moment = datetime.combine(day, time(9, 0), tzinfo=BEIJING)
        for aggregate in aggregates:
            if aggregate.modified_on >= moment:
                moment = aggregate.modified_on + timedelta(days=1)
        self.clock.moment = min(moment, self.until)


def _package_header() -> dict[str, Any]:
    source = resources.files("rectify.examples") / "weibin-2024.evaluation.json"
    with resources.as_file(source) as path:
        return header_data(load_package(Path(path)))


class Province:
    def __init__(
        self,
        app: RectifyApp,
        target: int,
        seed: int,
        progress: Progress | None,
        *,
        departments: int | None = None,
        first_year: int = FIRST_YEAR,
        years: int = YEARS,
        people: bool = True,
        until: datetime | None = None,
        findings_per_evaluation: int = FINDINGS_PER_EVALUATION,
    ) -> None:
        if findings_per_evaluation < 1:
            raise ValueError(
                f"每次评价的问题数至少为 1（findings per evaluation must be at least 1, "
                f"not {findings_per_evaluation}）"
            )
        self.rng = random.Random(seed)
        self.dates = _Dates(until) if until is not None else None
        self.saver = _Saver(app, progress)
        self.target = target
        self.header = _package_header()
        self.first_year, self.years, self.people = first_year, years, people
        self.per_evaluation = findings_per_evaluation
        per_year = (
            EVENTS_PER_DEPARTMENT_YEAR
            + (findings_per_evaluation - FINDINGS_PER_EVALUATION) * EVENTS_PER_FINDING
        )
        self.departments = departments or max(2, -(-target // (per_year * years)))
        self.stats = Generated(departments=self.departments)
        self.password_hash = PasswordHash.create(PASSWORD, n=2).encoded
        self.users: dict[str, User] = {}
        self.directory: UserDirectory | None = None
        # Last year's findings per department: carried over, or repeated.
        self.last_year: dict[str, list[Finding]] = {}

    def _at(self, day: date, *aggregates: Aggregate) -> None:
        if self.dates is not None:
            self.dates.at(day, *aggregates)

    # -- people ----------------------------------------------------------------------

    def _user(self, principal: Principal, display: str) -> User:
        with acting_as(BUREAU if self.directory is not None else principal):
            if self.directory is None:
                self.directory = UserDirectory(first_user=principal.name)
            else:
                self.directory.add(principal.name)
            user = User(
                name=principal.name,
                role=principal.role,
                department_code=principal.department,
                display_name=display,
            )
        self.users[principal.name] = user
        self.saver.add(self.directory, user)
        self.saver.credentials[user.id] = self.password_hash
        self.stats.users += 1
        return user

    def _session(self, principal: Principal) -> None:
        if not self.people:
            return
        user = self.users[principal.name]
        token = hashlib.sha256(f"{principal.name}/{self.rng.random()}".encode()).hexdigest()
        with acting_as(principal):
            user.open_session(token, 2_000_000_000)
            if self.rng.random() < 0.7:
                user.close_session(token)
        self.saver.add(user)

    # -- a department-year -------------------------------------------------------------

    def _budget(self, code: str, year: int) -> None:
        initial = {f"L{n}": Decimal(self.rng.randrange(50, 5000)) for n in range(1, 4)}
        lines: list[dict[str, Any]] = [
            {
                "code": code,
                "name": name,
                "nature": "项目",
                "unit": "万元",
                "initial": amount,
                "stated_adjusted": None,
            }
            for (code, amount), name in zip(
                initial.items(), ("基本支出", "项目支出", "专项资金"), strict=True
            )
        ]
        self._at(date(year, 1, 10))
        with acting_as(BUREAU):
            budget = Budget(
                department_code=code,
                fiscal_year=year,
                unit="万元",
                lines=lines,
                sources=None,
                stated={},
            )
            for n in range(self.rng.randrange(1, 4)):
                amount = Decimal(self.rng.randrange(-40, 120) or 5)
                self._at(date(year, 6 + n, 15), budget)
                budget.adjust(
                    f"L{self.rng.randrange(1, 4)}",
                    amount,
                    reason="年中预算调整",
                    on=date(year, 6 + n, 15),
                    document=f"财预〔{year}〕{n + 1}号",
                )
            finals: dict[str, Decimal | None] = {
                code: amount * Decimal("0.9") for code, amount in initial.items()
            }
            self._at(date(year + 1, 2, 20), budget)
            budget.record_final_accounts(finals, Decimal(0))
        self.saver.add(budget)

    def _evaluation(self, code: str, year: int, dept: Principal) -> str:
        key = f"{code}/{year}/整体"
        self._at(date(year + 1, 2, 25))
        with acting_as(EVALUATOR):
            evaluation = Evaluation(
                key=key,
                department_code=code,
                fiscal_year=year,
                **{
                    **self.header,
                    "title": f"{code} {year} 年度部门整体支出绩效评价",
                    "stated_total": None,
                    "stated_grade": None,
                },
            )
        weights = {c: evaluation.nodes[c]["weight"] for c in evaluation.leaf_codes}
        for month, (stage, who) in enumerate(
            ((ScoreStage.SELF, dept), (ScoreStage.REVIEW, EVALUATOR), (ScoreStage.FINAL, BUREAU)),
            start=3,
        ):
            self._at(date(year + 1, month, 10), evaluation)
            with acting_as(who):
                for leaf, weight in weights.items():
                    if stage is not ScoreStage.SELF and self.rng.random() < 0.4:
                        continue
                    tenths = int(weight * 10)
                    evaluation.enter_score(
                        leaf, stage, Decimal(self.rng.randint(tenths // 2, tenths)) / 10
                    )
                    if self.rng.random() < 0.1:
                        evaluation.revise_score(
                            leaf,
                            stage,
                            Decimal(self.rng.randint(0, tenths)) / 10 + Decimal("0.0"),
                            reason="复核意见调整",
                        )
        self.saver.add(evaluation)
        self.stats.evaluations += 1
        return key

    def _finding(self, code: str, year: int, n: int, key: str, dept: Principal) -> Finding:
        rng = self.rng
        ref = f"{code}-{year}-{n:03d}"
        category = rng.choice(CATEGORIES)
        self._at(date(year + 1, 3, 1))
        with acting_as(EVALUATOR):
            finding = Finding(
                **finding_fields(
                    ref=ref,
                    department_code=code,
                    unit_code=f"{code}-U{rng.randrange(1, 4)}",
                    fiscal_year=year,
                    evaluation_key=key,
                    category=category,
                    title=f"{category}问题 {n}",
                    description=f"{category}方面存在不足，需整改（第 {n} 项）",
                    indicator_codes=(rng.choice(list(self.header["indicators"]))["code"],),
                    amount=Decimal(rng.randrange(1, 500)),
                    amount_unit="万元",
                )
            )
        if rng.random() < 0.03:
            return finding  # recorded, not yet issued
        if rng.random() < 0.04:
            self._at(date(year + 1, 3, 20), finding)
            with acting_as(EVALUATOR):
                finding.withdraw("误记")
            return finding
        issued_on = date(year + 1, rng.randrange(3, 7), rng.randrange(1, 28))
        cls = rng.choice(list(RectificationClass))
        self._at(issued_on, finding)
        with acting_as(BUREAU):
            finding.issue(
                rectification_class=cls,
                issued_on=issued_on,
                due=issued_on + timedelta(days=rng.randrange(30, 240)),
                re_review_on=issued_on + timedelta(days=365)
                if cls is RectificationClass.LONG_TERM
                else None,
                requirements="按期整改并报送佐证材料",
            )
        if rng.random() < 0.12:
            return finding  # still at the department, perhaps overdue
        self._work(finding, dept, issued_on)
        if rng.random() < 0.1:
            assert finding.due is not None
            self._at(finding.due - timedelta(days=10), finding)
            with acting_as(BUREAU):
                finding.extend_deadline(finding.due + timedelta(days=90), "客观原因需延期")
        if rng.random() < 0.08:
            self._at(issued_on + timedelta(days=30), finding)
            with acting_as(BUREAU):
                finding.accept_long_term(
                    issued_on + timedelta(days=400), issued_on + timedelta(days=30), "需长期推进"
                )
            return finding
        if rng.random() < 0.1:
            return finding  # working, not yet asking for closure
        self._ask_closure(finding, dept, issued_on)
        if rng.random() < 0.2:
            self._at(issued_on + timedelta(days=50), finding)
            with acting_as(BUREAU):
                finding.return_for_rework("佐证材料不足")
            if rng.random() < 0.25:
                return finding  # back at the department
            self._work(finding, dept, issued_on)
            self._ask_closure(finding, dept, issued_on)
        if rng.random() < 0.1:
            return finding  # awaiting the bureau's review
        self._at(issued_on + timedelta(days=60), finding)
        with acting_as(BUREAU):
            finding.close("整改到位")
        if rng.random() < 0.05:
            self._at(issued_on + timedelta(days=150), finding)
            with acting_as(BUREAU):
                finding.reopen("复查发现虚假整改")
        return finding

    def _work(self, finding: Finding, dept: Principal, issued_on: date) -> None:
        self._at(issued_on + timedelta(days=5), finding)
        with acting_as(dept):
            if finding.responsible_person is None:
                finding.name_responsible_person(f"责任人{self.rng.randrange(1, 50)}")
            finding.record_measures("制定整改方案，明确责任分工")
            for step in range(self.rng.randrange(1, 4)):
                as_of = issued_on + timedelta(days=10 * (step + 1))
                self._at(as_of, finding)
                finding.report_progress("按计划推进", min(100, 30 * (step + 1)), as_of)

    def _ask_closure(self, finding: Finding, dept: Principal, issued_on: date) -> None:
        sha = hashlib.sha256(f"{finding.ref}/{len(finding.evidence_ids)}".encode()).hexdigest()
        self._at(issued_on + timedelta(days=40), finding)
        with acting_as(dept):
            evidence = Evidence(
                sha256=sha,
                original_name="整改报告.pdf",
                media_type="application/pdf",
                size=self.rng.randrange(10_000, 900_000),
                effective_date=issued_on + timedelta(days=40),
                submitted_by=dept.name,
                finding_ref=finding.ref,
                indicator_code=None,
            )
            finding.request_closure([evidence.id], "整改完成，申请销号")
        self.saver.add(evidence)

    def _follow_up(self, finding: Finding, year: int, new: list[Finding]) -> None:
        """Last year's finding this year: carried over if still open, or repeated."""
        open_states = (
            FindingStatus.ISSUED,
            FindingStatus.RETURNED,
            FindingStatus.LONG_TERM,
            FindingStatus.CLOSURE_REQUESTED,
        )
        if finding.status in open_states and self.rng.random() < 0.6:
            self._at(date(year + 1, 3, 1), finding)
            with acting_as(BUREAU):
                finding.carry_over(year, "跨年度继续整改")
            self.saver.add(finding)
        elif finding.status is FindingStatus.CLOSED and new and self.rng.random() < 0.15:
            later = self.rng.choice(new)
            if finding.ref not in later.repeat_of and later.status is not FindingStatus.WITHDRAWN:
                self._at(date(year + 1, 3, 5), later)
                with acting_as(BUREAU):
                    later.link_repeat(finding)

    def department_year(self, code: str, year: int) -> None:
        dept = Principal(f"dept-{code}".lower(), Role.DEPARTMENT, code)
        self._session(dept)
        self._budget(code, year)
        key = self._evaluation(code, year, dept)
        new = [self._finding(code, year, n, key, dept) for n in range(1, self.per_evaluation + 1)]
        for earlier in self.last_year.get(code, []):
            self._follow_up(earlier, year, new)
        self.saver.add(*new)
        self.last_year[code] = new
        self.stats.findings += len(new)

    def run(self) -> Generated:
        if self.dates is None:
            return self._run()
        with recording_with(self.dates.clock):
            return self._run()

    def _run(self) -> Generated:
        codes = [f"D{n:04d}" for n in range(1, self.departments + 1)]
        self._at(date(self.first_year, 1, 5))
        if self.people:
            self._user(BUREAU, "财政局绩效科")
            self._user(EVALUATOR, "第三方评价机构")
        with acting_as(BUREAU):
            for code in codes:
                self.saver.add(Department(code=code, name=f"第 {code[1:]} 部门", parent_code=None))
        for code in codes if self.people else ():
            self._user(
                Principal(f"dept-{code}".lower(), Role.DEPARTMENT, code), f"{code} 绩效联络员"
            )
        for year in range(self.first_year, self.first_year + self.years):
            for code in codes:
                self.department_year(code, year)
                if self.saver.count() >= SAVE_EVERY:
                    self.saver.flush()
                if self.saver.saved + self.saver.count() >= self.target:
                    break
            self._session(BUREAU)
            if self.saver.saved + self.saver.count() >= self.target:
                break
        self.saver.flush()
        self.stats.events = self.saver.saved
        for findings in self.last_year.values():
            for f in findings:
                self.stats.statuses[f.status.value] = self.stats.statuses.get(f.status.value, 0) + 1
        return self.stats


def generate(
    app: RectifyApp,
    events: int,
    *,
    seed: int = 1,
    progress: Progress | None = None,
    departments: int | None = None,
    first_year: int = FIRST_YEAR,
    years: int = YEARS,
    people: bool = True,
    until: datetime | None = None,
    findings_per_evaluation: int = FINDINGS_PER_EVALUATION,
) -> Generated:
    """About `events` events (whole department-years) into an empty store. The demo
    asks for a fixed shape instead (`departments` × `years` from `first_year`) and,
    with `people=False`, no users (its store already has its own first user), and
    `until` (its clock's now): each event dated on its step's day, none after it.
    `findings_per_evaluation` sets the density: the default 10 gives ~60k findings per
    1M events, 170 gives ~100k (the TUI benchmark's store)."""
    return Province(
        app,
        events,
        seed,
        progress,
        departments=departments,
        first_year=first_year,
        years=years,
        people=people,
        until=until,
        findings_per_evaluation=findings_per_evaluation,
    ).run()
