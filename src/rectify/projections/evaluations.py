"""Read models for evaluations and budgets: score history, current scores, the ledger.

- `evaluations`: one row per evaluation (key, department, year, stated figures).
- `evaluation_indicators`: the current tree (for cross-year comparison by code or name).
- `leaf_scores`: the current score per leaf and stage.
- `score_history`: every score change (entered / revised) with stage, value, previous
  value, actor, time and reason — the history query reads only this table.
- `budget_lines`, `budget_adjustments`: the budget ledger per department and year.

Past states (`as_of`, `version`) are never computed from these tables: see
`EvaluationCommands.scorecard`, which replays the events.

Size: the evaluation and budget read models and their queries share the tables
defined here; splitting budgets into their own module is a planned follow-up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    select,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from rectify.projections.batch import Bulk, RowCache, chunks, insert_many, replace_groups
from rectify.projections.metadata import DecimalText, metadata
from rectify.projections.projector import Handler, Projector

evaluations = Table(
    "evaluations",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("department_code", String(64), nullable=False, index=True),
    Column("fiscal_year", Integer, nullable=False, index=True),
    Column("subject", String(32), nullable=False),
    Column("project_code", String(64), nullable=True),
    Column("title", Text, nullable=False),
    Column("stage", String(32), nullable=False),
    Column("stated_total", DecimalText, nullable=True),
    Column("stated_grade", String(32), nullable=True),
    Column("rounding_places", Integer, nullable=False),
    Column("rounding_mode", String(16), nullable=False),
    Column("rounding_aggregate", String(32), nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),
)

evaluation_indicators = Table(
    "evaluation_indicators",
    metadata,
    Column("evaluation_key", String(200), primary_key=True),
    Column("code", String(64), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("printed_code", String(64), nullable=True),
    Column("parent", String(64), nullable=True),
    Column("name", Text, nullable=False),
    Column("weight", DecimalText, nullable=False),
    Column("is_leaf", Boolean, nullable=False),
)

leaf_scores = Table(
    "leaf_scores",
    metadata,
    Column("evaluation_key", String(200), primary_key=True),
    Column("code", String(64), primary_key=True),
    Column("stage", String(32), primary_key=True),
    Column("value", DecimalText, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),
)

score_history = Table(
    "score_history",
    metadata,
    Column("evaluation_id", String(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("evaluation_key", String(200), nullable=False),
    Column("code", String(64), nullable=False),
    Column("stage", String(32), nullable=False),
    Column("kind", String(16), nullable=False),  # entered / revised
    Column("value", DecimalText, nullable=False),
    Column("previous", DecimalText, nullable=True),
    Column("narrative", Text, nullable=True),
    Column("actor", Text, nullable=False),
    Column("reason", Text, nullable=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Index("ix_score_history_key_code_version", "evaluation_key", "code", "version"),
)

budget_lines = Table(
    "budget_lines",
    metadata,
    Column("department_code", String(64), primary_key=True),
    Column("fiscal_year", Integer, primary_key=True),
    Column("code", String(64), primary_key=True),
    Column("budget_id", String(36), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("nature", String(16), nullable=True),
    Column("unit", String(16), nullable=False),
    Column("initial", DecimalText, nullable=True),
    Column("stated_adjusted", DecimalText, nullable=True),
    Column("adjustments", DecimalText, nullable=False),
    Column("final", DecimalText, nullable=True),
)

budget_adjustments = Table(
    "budget_adjustments",
    metadata,
    Column("budget_id", String(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("department_code", String(64), nullable=False, index=True),
    Column("fiscal_year", Integer, nullable=False),
    Column("line", String(64), nullable=True),  # null: the report did not say which line
    Column("amount", DecimalText, nullable=False),
    Column("adjusted_on", Date, nullable=True),
    Column("document", Text, nullable=True),
    Column("reason", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)


def _stage(value: Any) -> str:
    return str(getattr(value, "value", value))


def _tree_rows(key: str, indicators: list[dict[str, Any]]) -> list[dict[str, Any]]:
    parents = {i.get("parent") for i in indicators}
    return [
        {
            "evaluation_key": key,
            "code": i["code"],
            "position": n,
            "printed_code": i.get("printed_code"),
            "parent": i.get("parent"),
            "name": i.get("name", ""),
            "weight": i["weight"],
            "is_leaf": i["code"] not in parents,
        }
        for n, i in enumerate(indicators)
    ]


_LEAF_KEY = ("evaluation_key", "code", "stage")


class EvaluationsProjector(Projector):
    name = "evaluations"
    tables = (evaluations, evaluation_indicators, leaf_scores, score_history)
    gathers = True

    def __init__(self) -> None:
        self._rows = RowCache(evaluations, "id")
        self._trees: dict[str, list[dict[str, Any]]] = {}  # key -> its new tree
        self._leaves: dict[tuple[str, str, str], dict[str, Any]] = {}  # latest score per leaf
        self._history: list[dict[str, Any]] = []
        self._upsert_leaf: dict[str, Bulk] = {}  # per dialect

    def handlers(self) -> Mapping[str, Handler]:
        return {
            "rectify/Evaluation.Registered": self.registered,
            "rectify/Evaluation.Revised": self.revised,
            "rectify/Evaluation.ScoreEntered": self.score_entered,
            "rectify/Evaluation.ScoreRevised": self.score_revised,
        }

    def begin_batch(self, conn: Connection, events: Sequence[Any]) -> None:
        self._rows.begin()
        self._rows.load(conn, {str(e.originator_id) for e in events})
        self._trees, self._leaves, self._history = {}, {}, []

    def end_batch(self, conn: Connection) -> None:
        self._rows.flush(conn)
        replace_groups(conn, evaluation_indicators, "evaluation_key", self._trees)
        if self._leaves:
            self._leaf_upsert(conn.dialect.name).run(conn, list(self._leaves.values()))
        insert_many(conn, score_history, self._history)
        self._trees, self._leaves, self._history = {}, {}, []

    def _leaf_upsert(self, dialect: str) -> Bulk:
        """Each leaf's latest score in one statement per row (most scores are a leaf's
        first: a DELETE before each INSERT mostly probed for a row that was not there)."""
        bulk = self._upsert_leaf.get(dialect)
        if bulk is None:
            insert = pg_insert if dialect == "postgresql" else sqlite_insert
            statement = insert(leaf_scores)
            latest = {name: statement.excluded[name] for name in ("value", "updated_at", "version")}
            bulk = self._upsert_leaf[dialect] = Bulk(
                statement.on_conflict_do_update(index_elements=list(_LEAF_KEY), set_=latest)
            )
        return bulk

    def registered(self, conn: Connection, event: Any) -> None:
        rounding = event.rounding or {}
        self._rows.add(
            {
                "key": event.key,
                "id": str(event.originator_id),
                "department_code": event.department_code,
                "fiscal_year": event.fiscal_year,
                "subject": event.subject,
                "project_code": (event.project or {}).get("code"),
                "title": event.title,
                "stage": _stage(event.stage),
                "stated_total": event.stated_total,
                "stated_grade": event.stated_grade,
                "rounding_places": int(rounding.get("places", 2)),
                "rounding_mode": rounding.get("mode", "half_up"),
                "rounding_aggregate": rounding.get("aggregate", "sum_of_rounded"),
                "registered_at": event.timestamp,
                "updated_at": event.timestamp,
                "version": event.originator_version,
            }
        )
        self._trees[event.key] = _tree_rows(event.key, event.indicators)

    def revised(self, conn: Connection, event: Any) -> None:
        row = self._rows.get(str(event.originator_id))
        changes = event.changes
        row.update(updated_at=event.timestamp, version=event.originator_version)
        for name in ("subject", "title", "stated_total", "stated_grade"):
            if name in changes:
                row[name] = changes[name]
        if "stage" in changes:
            row["stage"] = _stage(changes["stage"])
        if "project" in changes:
            row["project_code"] = (changes["project"] or {}).get("code")
        if "rounding" in changes:
            r = changes["rounding"]
            row.update(
                rounding_places=int(r.get("places", 2)),
                rounding_mode=r.get("mode", "half_up"),
                rounding_aggregate=r.get("aggregate", "sum_of_rounded"),
            )
        if "indicators" in changes:
            self._trees[row["key"]] = _tree_rows(row["key"], changes["indicators"])

    def _score(self, event: Any, kind: str, previous: Decimal | None) -> None:
        row = self._rows.get(str(event.originator_id))
        key = row["key"]
        stage = _stage(event.stage)
        self._history.append(
            {
                "evaluation_id": str(event.originator_id),
                "version": event.originator_version,
                "evaluation_key": key,
                "code": event.code,
                "stage": stage,
                "kind": kind,
                "value": event.value,
                "previous": previous,
                "narrative": event.narrative,
                "actor": event.actor,
                "reason": event.reason,
                "recorded_at": event.timestamp,
            }
        )
        self._leaves[(key, event.code, stage)] = {
            "evaluation_key": key,
            "code": event.code,
            "stage": stage,
            "value": event.value,
            "updated_at": event.timestamp,
            "version": event.originator_version,
        }
        row.update(updated_at=event.timestamp, version=event.originator_version)

    def score_entered(self, conn: Connection, event: Any) -> None:
        self._score(event, "entered", None)

    def score_revised(self, conn: Connection, event: Any) -> None:
        self._score(event, "revised", event.previous)


class BudgetsProjector(Projector):
    name = "budgets"
    tables = (budget_lines, budget_adjustments)
    gathers = True

    def __init__(self) -> None:
        self._lines: dict[str, list[dict[str, Any]]] = {}  # budget id -> its lines, in order
        self._touched: set[str] = set()
        self._adjustments: list[dict[str, Any]] = []

    def handlers(self) -> Mapping[str, Handler]:
        return {
            "rectify/Budget.Opened": self.opened,
            "rectify/Budget.Restated": self.restated,
            "rectify/Budget.Adjusted": self.adjusted,
            "rectify/Budget.FinalAccountsRecorded": self.finals,
        }

    def begin_batch(self, conn: Connection, events: Sequence[Any]) -> None:
        self._lines, self._touched, self._adjustments = {}, set(), []
        ids = sorted({str(e.originator_id) for e in events})
        for part in chunks(ids):
            query = (
                select(budget_lines)
                .where(budget_lines.c.budget_id.in_(part))
                .order_by(budget_lines.c.budget_id, budget_lines.c.position)
            )
            for row in conn.execute(query).mappings():
                self._lines.setdefault(row["budget_id"], []).append(dict(row))

    def end_batch(self, conn: Connection) -> None:
        replace_groups(
            conn,
            budget_lines,
            "budget_id",
            {ident: self._lines.get(ident, []) for ident in sorted(self._touched)},
        )
        if self._adjustments:
            insert_many(conn, budget_adjustments, self._adjustments)
        self._lines, self._touched, self._adjustments = {}, set(), []

    def _write_lines(self, event: Any, department: str, year: int, unit: str) -> None:
        ident = str(event.originator_id)
        old = {ln["code"]: ln for ln in self._lines.get(ident, [])}
        self._lines[ident] = [
            {
                "department_code": department,
                "fiscal_year": year,
                "code": ln["code"],
                "budget_id": ident,
                "position": n,
                "name": ln.get("name", ""),
                "nature": ln.get("nature"),
                "unit": unit,
                "initial": ln.get("initial"),
                "stated_adjusted": ln.get("stated_adjusted"),
                "adjustments": old[ln["code"]]["adjustments"] if ln["code"] in old else Decimal(0),
                "final": old[ln["code"]]["final"] if ln["code"] in old else None,
            }
            for n, ln in enumerate(event.lines)
        ]
        self._touched.add(ident)

    def _line(self, ident: str, code: str) -> dict[str, Any] | None:
        return next((ln for ln in self._lines.get(ident, []) if ln["code"] == code), None)

    def opened(self, conn: Connection, event: Any) -> None:
        self._write_lines(event, event.department_code, event.fiscal_year, event.unit)

    def restated(self, conn: Connection, event: Any) -> None:
        lines = self._lines.get(str(event.originator_id))
        if lines:
            first = lines[0]
            self._write_lines(event, first["department_code"], first["fiscal_year"], first["unit"])

    def adjusted(self, conn: Connection, event: Any) -> None:
        ident = str(event.originator_id)
        if event.line is None:  # counts in the budget's totals, in no line's sum
            line = next(iter(self._lines.get(ident, [])), None)
        else:
            line = self._line(ident, event.line)
        if line is None:
            raise LookupError(f"budget {ident}: no line {event.line!r}")
        if event.line is not None:
            line["adjustments"] = line["adjustments"] + event.amount
            self._touched.add(ident)
        self._adjustments.append(
            {
                "budget_id": ident,
                "version": event.originator_version,
                "department_code": line["department_code"],
                "fiscal_year": line["fiscal_year"],
                "line": event.line,
                "amount": event.amount,
                "adjusted_on": event.on,
                "document": event.document,
                "reason": event.reason,
                "actor": event.actor,
                "recorded_at": event.timestamp,
            }
        )

    def finals(self, conn: Connection, event: Any) -> None:
        ident = str(event.originator_id)
        for code, value in event.finals.items():
            line = self._line(ident, code)
            if line is not None:
                line["final"] = value
                self._touched.add(ident)


# ----------------------------------------------------------------------------- queries


@dataclass(frozen=True)
class ScoreChange:
    evaluation_key: str
    code: str
    version: int
    stage: str
    kind: str  # entered / revised
    value: Decimal
    previous: Decimal | None
    actor: str
    recorded_at: datetime
    reason: str | None
    narrative: str | None


@dataclass(frozen=True)
class EvaluationSummary:
    key: str
    department_code: str
    fiscal_year: int
    subject: str
    title: str
    stage: str
    stated_total: Decimal | None
    stated_grade: str | None
    version: int


@dataclass(frozen=True)
class ComparePoint:
    fiscal_year: int
    evaluation_key: str
    code: str
    name: str
    weight: Decimal
    score: Decimal | None
    is_leaf: bool


@dataclass(frozen=True)
class BudgetLineView:
    code: str
    name: str
    initial: Decimal | None
    adjustments: Decimal
    adjusted: Decimal | None
    final: Decimal | None


@dataclass(frozen=True)
class AdjustmentView:
    line: str | None  # None: the report did not say which line
    amount: Decimal
    on: date | None
    document: str | None
    reason: str
    actor: str
    recorded_at: datetime


@dataclass(frozen=True)
class BudgetView:
    department_code: str
    fiscal_year: int
    unit: str
    lines: tuple[BudgetLineView, ...]
    adjustments: tuple[AdjustmentView, ...]
    initial: Decimal | None
    adjusted: Decimal | None
    final: Decimal | None
    execution_rate: Decimal | None
    adjustment_rate: Decimal | None


def score_history_of(
    conn: Connection, key: str, code: str, *, after_version: int = 0, limit: int | None = None
) -> list[ScoreChange]:
    """Every change of one leaf's score, oldest first (keyset page on version)."""
    query = (
        select(score_history)
        .where(
            (score_history.c.evaluation_key == key)
            & (score_history.c.code == code)
            & (score_history.c.version > after_version)
        )
        .order_by(score_history.c.version)
    )
    if limit is not None:
        query = query.limit(limit)
    return [
        ScoreChange(
            evaluation_key=r.evaluation_key,
            code=r.code,
            version=r.version,
            stage=r.stage,
            kind=r.kind,
            value=r.value,
            previous=r.previous,
            actor=r.actor,
            recorded_at=r.recorded_at,
            reason=r.reason,
            narrative=r.narrative,
        )
        for r in conn.execute(query).all()
    ]


def get_evaluation_summary(conn: Connection, key: str) -> EvaluationSummary | None:
    r = conn.execute(select(evaluations).where(evaluations.c.key == key)).first()
    if r is None:
        return None
    return EvaluationSummary(
        key=r.key,
        department_code=r.department_code,
        fiscal_year=r.fiscal_year,
        subject=r.subject,
        title=r.title,
        stage=r.stage,
        stated_total=r.stated_total,
        stated_grade=r.stated_grade,
        version=r.version,
    )


def list_evaluations(conn: Connection, *, department: str | None = None) -> list[EvaluationSummary]:
    """Every registered evaluation (of one department), newest fiscal year first."""
    query = select(evaluations).order_by(evaluations.c.fiscal_year.desc(), evaluations.c.key)
    if department is not None:
        query = query.where(evaluations.c.department_code == department)
    return [
        EvaluationSummary(
            key=r.key,
            department_code=r.department_code,
            fiscal_year=r.fiscal_year,
            subject=r.subject,
            title=r.title,
            stage=r.stage,
            stated_total=r.stated_total,
            stated_grade=r.stated_grade,
            version=r.version,
        )
        for r in conn.execute(query).all()
    ]


def indicator_exists(conn: Connection, key: str, code: str) -> bool:
    return (
        conn.execute(
            select(evaluation_indicators.c.code).where(
                (evaluation_indicators.c.evaluation_key == key)
                & (evaluation_indicators.c.code == code)
            )
        ).first()
        is not None
    )


_STAGE_PRIORITY = ("final", None, "third_party", "review", "self")


def _counted(scores: Mapping[str, Decimal], own: str) -> Decimal | None:
    for stage in _STAGE_PRIORITY:
        got = scores.get(own if stage is None else stage)
        if got is not None:
            return got
    return None


def compare(conn: Connection, department: str, code_or_name: str) -> list[ComparePoint]:
    """One indicator (by code, printed code or exact name) across the department's
    evaluations, by fiscal year; a parent's score is the sum of its leaves."""
    evs = conn.execute(
        select(evaluations)
        .where(evaluations.c.department_code == department)
        .order_by(evaluations.c.fiscal_year, evaluations.c.key)
    ).all()
    out: list[ComparePoint] = []
    for ev in evs:
        nodes = conn.execute(
            select(evaluation_indicators)
            .where(evaluation_indicators.c.evaluation_key == ev.key)
            .order_by(evaluation_indicators.c.position)
        ).all()
        match = [n for n in nodes if n.code == code_or_name or n.printed_code == code_or_name]
        if not match:
            match = [n for n in nodes if n.name == code_or_name]
        if not match:
            continue
        by_leaf: dict[str, dict[str, Decimal]] = {}
        for s in conn.execute(
            select(leaf_scores).where(leaf_scores.c.evaluation_key == ev.key)
        ).all():
            by_leaf.setdefault(s.code, {})[s.stage] = s.value
        from rectify.domain.scoring import Rounding, TreeNode, compute_scores  # only compare scores

        tree = [
            TreeNode(
                code=n.code,
                parent=n.parent,
                weight=n.weight,
                awarded=_counted(by_leaf.get(n.code, {}), ev.stage),
            )
            for n in nodes
        ]
        rounding = Rounding(
            places=ev.rounding_places, mode=ev.rounding_mode, aggregate=ev.rounding_aggregate
        )
        scores = compute_scores(tree, rounding).scores
        for n in match:
            scored = not n.is_leaf or n.code in by_leaf
            out.append(
                ComparePoint(
                    fiscal_year=ev.fiscal_year,
                    evaluation_key=ev.key,
                    code=n.printed_code or n.code,
                    name=n.name,
                    weight=n.weight,
                    score=scores.get(n.code) if scored else None,
                    is_leaf=n.is_leaf,
                )
            )
    return out


def budget_view(conn: Connection, department: str, fiscal_year: int) -> BudgetView | None:
    rows = conn.execute(
        select(budget_lines)
        .where(
            (budget_lines.c.department_code == department)
            & (budget_lines.c.fiscal_year == fiscal_year)
        )
        .order_by(budget_lines.c.position)
    ).all()
    if not rows:
        return None
    lines = []
    for r in rows:
        if r.initial is not None:
            adjusted = r.initial + r.adjustments
        elif r.stated_adjusted is not None:
            adjusted = r.stated_adjusted + r.adjustments
        else:
            adjusted = None
        lines.append(BudgetLineView(r.code, r.name, r.initial, r.adjustments, adjusted, r.final))

    def total(values: list[Decimal | None]) -> Decimal | None:
        if any(v is None for v in values):
            return None
        return sum((v for v in values if v is not None), Decimal(0))

    initial = total([ln.initial for ln in lines])
    adjusted = total([ln.adjusted for ln in lines])
    final = total([ln.final for ln in lines])
    adjustments = [
        AdjustmentView(
            a.line, a.amount, a.adjusted_on, a.document, a.reason, a.actor, a.recorded_at
        )
        for a in conn.execute(
            select(budget_adjustments)
            .where(
                (budget_adjustments.c.department_code == department)
                & (budget_adjustments.c.fiscal_year == fiscal_year)
            )
            .order_by(budget_adjustments.c.version)
        ).all()
    ]
    unassigned = sum((a.amount for a in adjustments if a.line is None), Decimal(0))
    if adjusted is not None:
        adjusted += unassigned
    from rectify.domain.scoring import adjustment_rate, execution_rate  # not at a query's start-up

    return BudgetView(
        department_code=department,
        fiscal_year=fiscal_year,
        unit=rows[0].unit,
        lines=tuple(lines),
        adjustments=tuple(adjustments),
        initial=initial,
        adjusted=adjusted,
        final=final,
        execution_rate=execution_rate(final, adjusted)
        if final is not None and adjusted is not None
        else None,
        adjustment_rate=adjustment_rate(initial, adjusted)
        if initial is not None and adjusted is not None
        else None,
    )
