"""The TUI's one door to the store: application commands and read-model queries.

Screens never see a connection, a table or the event store: they call these methods
from thread workers and get frozen DTOs back. Writes go through the House's
application services as the logged-in principal (`house.acting`, which catches the
read models up afterwards, as the CLI does); reads go through the query functions,
which scope rows to the principal. "Today" is the House's clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

from rectify.bootstrap import House
from rectify.domain.department import Department
from rectify.domain.errors import NoActor, NotAllowed, NotFound
from rectify.domain.evaluation import Evaluation, Scorecard, ScoreStage
from rectify.domain.finding import Finding
from rectify.domain.identity import Principal, Role, acting_as
from rectify.domain.services.evaluations import end_of_day
from rectify.domain.vocabulary import topics_named
from rectify.projections import (
    aggregate_names,
    dashboard,
    event_log,
    finding_history,
    inbox_queries,
    queries,
    seal,
)
from rectify.projections import evaluations as evaluation_queries
from rectify.projections import figures as figure_queries
from rectify.projections.finding_sort import SortCursor
from rectify.tui.opener import open_file, private_copy
from rectify.tui.problem_filter import ProblemFilter, held, view_of

PAGE = 50  # rows one screenful asks for; the table asks again when scrolled near the end
EVALUATION_FINDINGS = 5000  # a department's findings of one year read for the checks
SCAN = 200  # candidates replayed per round when listing the past under a filter


@dataclass(frozen=True)
class EvidenceView:
    id: UUID
    original_name: str
    size: int
    sha256: str
    submitted_by: str
    effective_date: date


@dataclass(frozen=True)
class InboxItem:
    key: str
    kind: str
    ref: str
    title: str
    for_date: date | None
    read: bool


def aggregate_ids(text: str) -> tuple[UUID, ...]:
    """The ids `text` may name: itself as a UUID, else a finding, evaluation or department."""
    try:
        return (UUID(text),)
    except ValueError:
        return (Finding.create_id(text), Evaluation.create_id(text), Department.create_id(text))


class Backend:
    def __init__(self, house: House, principal: Principal | None = None) -> None:
        self.house = house
        self.principal = principal

    def today(self) -> date:
        return self.house.clock.today()

    @property
    def evidence_max_size(self) -> int:
        """The store's limit on an evidence file (forms check it before recording)."""
        return self.house.evidence.evidence_max_size

    # -- who ----------------------------------------------------------------------

    def login(self, name: str, password: str) -> Principal:
        """The same scrypt check as `rectify login`; raises NotAllowed/NotFound on failure."""
        principal = self.house.authenticate(name.strip(), password)
        self.principal = principal
        return principal

    def _me(self) -> Principal:
        if self.principal is None:
            raise NoActor("尚未登录")
        return self.principal

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        """A connection for the query functions House.queries does not wrap."""
        with self.house.queries.connection() as conn:
            yield conn

    def refresh(self) -> int:
        """Apply events recorded by others (another terminal, the scheduler)."""
        return self.house.catch_up()

    # -- problem list ---------------------------------------------------------------

    def findings_page(
        self, flt: ProblemFilter, after: str | SortCursor | None = None, limit: int = PAGE
    ) -> list[queries.FindingView]:
        """One page under `flt`, after a ref or (sorted by a column) a SortCursor."""
        cursor = after if isinstance(after, SortCursor) else None
        ref_after = after if isinstance(after, str) else None
        with acting_as(self._me()):
            return self.house.queries.list_findings(
                fiscal_year=flt.fiscal_year,
                department=flt.department,
                status=flt.status,
                rectification_class=flt.rectification_class,
                overdue=flt.overdue,
                repeat=flt.repeat,
                text=flt.text,
                ref_part=flt.ref_part,
                after=ref_after,
                limit=limit,
                sort=flt.sort,
                descending=flt.descending,
                sort_after=cursor,
            )

    def findings_as_of(
        self,
        day: date,
        flt: ProblemFilter | None = None,
        after: str | None = None,
        limit: int = PAGE,
    ) -> list[queries.FindingView]:
        """The problem list as it stood at the end of `day` under `flt` (by ref): each
        finding replayed from the log to its last version before then (see
        projections.finding_history), overdue judged on `day`."""
        return self.findings_at(end_of_day(day), day, flt or ProblemFilter(), after, limit)

    def findings_at(
        self, moment: datetime, day: date, flt: ProblemFilter, after: str | None, limit: int
    ) -> list[queries.FindingView]:
        """The list at `moment` under `flt`. SQL narrows by what cannot have changed
        (or only grown); what changes is checked on each replayed finding, a batch of
        candidates at a time until the page is full."""
        me, app = self._me(), self.house.services.app
        names = {d.code: d.name for d in self.departments()}  # as today's list shows them
        # Candidates per round: a page's worth when SQL decided everything, more when
        # replayed findings may still fall out.
        checked = (flt.fiscal_year, flt.status, flt.rectification_class, flt.overdue, flt.repeat)
        batch = max(limit, SCAN) if any(checked) else limit
        out: list[queries.FindingView] = []
        while len(out) < limit:
            with self._reading() as conn:
                versions = finding_history.versions_as_of(
                    conn,
                    moment,
                    principal=me,
                    department=flt.department,
                    fiscal_year=flt.fiscal_year,
                    repeat=flt.repeat,
                    text=flt.text,
                    status=flt.status,
                    rectification_class=flt.rectification_class,
                    after=after,
                    limit=batch,
                )
            for v in versions:
                past = app.find(v.finding_id, Finding, version=v.version)
                if past is not None and held(past, flt, day):
                    view = view_of(past, day)
                    out.append(replace(view, department_name=names.get(view.department_code)))
            if len(versions) < batch:
                break
            after = versions[-1].ref
        return out[:limit]

    def finding(self, ref: str) -> queries.FindingDetail:
        with acting_as(self._me()):
            return self.house.queries.finding_detail(ref)

    def evidence_of(self, ref: str) -> list[EvidenceView]:
        """The evidence attached to a finding, with hashes (scope-checked by the app)."""
        out = []
        with acting_as(self._me()):
            finding = self.house.findings.get_finding(ref)
            for evidence_id in finding.evidence_ids:
                e = self.house.evidence.get_evidence(evidence_id)
                out.append(
                    EvidenceView(
                        e.id, e.original_name, e.size, e.sha256, e.submitted_by, e.effective_date
                    )
                )
        return out

    def save_evidence(self, evidence_id: UUID, target: Path) -> Path:
        with acting_as(self._me()):
            data = self.house.evidence.evidence_content(evidence_id)
        target.write_bytes(data)
        return target

    def open_evidence(self, evidence_id: UUID, name: str) -> tuple[Path, bool]:
        """Write the evidence to a private temporary file and open it with the system's
        program when there is one; (the file, whether a program was started)."""
        with acting_as(self._me()):
            data = self.house.evidence.evidence_content(evidence_id)
        path = private_copy(name, data)
        return path, open_file(path)

    def figures(self, year: int | None = None) -> list[figure_queries.Figures]:
        with acting_as(self._me()):
            return self.house.queries.figures(year=year)

    def deadline_counts(self) -> dashboard.DeadlineCounts:
        with self._reading() as conn:
            return dashboard.deadline_counts(conn, self._me(), self.today())

    def most_urgent(self, status: str | None = None, limit: int = 20) -> list[queries.FindingView]:
        with self._reading() as conn:
            return dashboard.most_urgent(conn, self._me(), self.today(), status=status, limit=limit)

    def departments(self) -> list[queries.DepartmentView]:
        return self.house.queries.departments()

    # -- finding actions (the domain checks role, state and scope) -------------------

    def act(self, name: str, ref: str, **values: Any) -> None:
        """Run one lifecycle action by name (see tui.actions) as the principal."""
        with self.house.acting(self._me()):
            findings = self.house.findings
            if name == "attach_evidence":
                evidence_id = self.house.evidence.submit_evidence(
                    Path(values["path"]), effective_date=values["effective_date"], finding_ref=ref
                )
                findings.attach_evidence(ref, evidence_id)
            elif name == "request_closure":
                finding = findings.get_finding(ref)
                findings.request_closure(ref, list(finding.evidence_ids), values.get("note"))
            else:
                getattr(findings, name)(ref, **values)

    # -- evaluations -----------------------------------------------------------------

    def evaluations(self) -> list[evaluation_queries.EvaluationSummary]:
        me = self._me()
        with self._reading() as conn:
            if me.role is Role.DEPARTMENT:
                return evaluation_queries.list_evaluations(conn, department=me.department or "")
            return evaluation_queries.list_evaluations(conn)

    def scorecard(self, key: str, as_of: date | None = None) -> Scorecard:
        self._check_evaluation_scope(key)
        with acting_as(self._me()):  # the service's reads are scoped to the actor
            return self.house.evaluations.scorecard(key, as_of=as_of)

    def evaluation_finding_codes(self, key: str) -> set[str]:
        """The indicator codes the evaluation's findings name (the checker's "points
        lost that no finding explains"), among its department's findings of its year."""
        self._check_evaluation_scope(key)
        with acting_as(self._me()):
            summary = self.house.queries.evaluation_summary(key)
        if summary is None:
            return set()
        flt = ProblemFilter(department=summary.department_code, fiscal_year=summary.fiscal_year)
        rows = self.findings_page(flt, None, EVALUATION_FINDINGS)
        return {code for f in rows if f.evaluation_key == key for code in f.indicator_codes}

    def score_history(self, key: str, code: str) -> list[evaluation_queries.ScoreChange]:
        self._check_evaluation_scope(key)
        with self._reading() as conn:
            return evaluation_queries.score_history_of(conn, key, code)

    def compare(self, department: str, code: str) -> list[evaluation_queries.ComparePoint]:
        with self._reading() as conn:
            return evaluation_queries.compare(conn, department, code)

    def set_score(
        self, key: str, code: str, value: Decimal, stage: ScoreStage, reason: str
    ) -> bool:
        with self.house.acting(self._me()):
            return self.house.evaluations.set_score(key, code, value, stage=stage, reason=reason)

    def budget(self, department: str, year: int) -> evaluation_queries.BudgetView | None:
        me = self._me()
        if me.role is Role.DEPARTMENT and me.department != department:
            return None  # as a missing budget: a refusal reveals nothing
        with acting_as(me):
            return self.house.queries.budget(department, year)

    def adjust_budget(self, department: str, year: int, **values: Any) -> None:
        """追加/调减 one line with a reason (the domain checks role and scope)."""
        with self.house.acting(self._me()):
            self.house.evaluations.adjust_budget(department, year, **values)

    def _check_evaluation_scope(self, key: str) -> None:
        me = self._me()
        if me.role is not Role.DEPARTMENT:
            return
        with acting_as(me):
            summary = self.house.queries.evaluation_summary(key)
        if summary is not None and summary.department_code != me.department:
            raise NotFound(f"评价 {key} 不存在")  # as a missing one: reveals nothing

    # -- the log ---------------------------------------------------------------------

    def events(
        self,
        after: int = 0,
        topic: str | None = None,
        actor: str | None = None,
        limit: int = PAGE,
        aggregate: str | None = None,
    ) -> list[event_log.LoggedEvent]:
        """The log after a position, each event with its aggregate's name when the read
        models know it; `topic` is part of an event's Chinese title or stored topic;
        `aggregate` is a finding ref, an evaluation key, a department code or an
        aggregate id (UUID)."""
        self._require_overseer()
        ids = aggregate_ids(aggregate) if aggregate else ()
        topics = topics_named(topic) if topic else None
        if topics == []:
            return []
        with self._reading() as conn:
            rows = event_log.list_events(
                conn,
                self.house.store.events,
                after=after,
                limit=limit,
                topics=topics,
                actor=actor,
                originators=ids,
            )
            names = aggregate_names.names_of(conn, {e.originator_id for e in rows})
        return [replace(e, subject=names.get(e.originator_id)) for e in rows]

    def verify(self, progress: seal.VerifyProgress | None = None) -> seal.VerifyResult:
        self._require_overseer()
        with self._reading() as conn:
            return seal.verify(conn, self.house.store.events, progress=progress)

    def _require_overseer(self) -> None:
        if self._me().role not in (Role.AUDITOR, Role.BUREAU):
            raise NotAllowed("事件日志只对财政局与审计（只读）用户开放")

    # -- inbox (reminders the scheduler records) --------------------------------------

    def inbox(self, unread_only: bool = False) -> list[InboxItem]:
        with self._reading() as conn:
            rows = inbox_queries.inbox(conn, self._me(), unread_only=unread_only)
        return [InboxItem(r.key, r.kind, r.ref, r.title, r.for_date, bool(r.read)) for r in rows]

    def unread_count(self) -> int:
        with self._reading() as conn:
            return inbox_queries.unread_count(conn, self._me())

    def mark_read(self, key: str | None) -> int:
        """One item (by key) or, with None, every unread one; returns how many."""
        return inbox_queries.mark_read(
            self.house.store.engine, self._me(), key, now=self.house.clock.now()
        )
