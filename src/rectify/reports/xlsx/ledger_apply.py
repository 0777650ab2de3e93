"""Apply a read 台账 through the finding lifecycle, as the logged-in user, all or nothing.

Each row is compared with its finding; only what differs becomes an action: 责任人 →
name the person, 整改措施 → record measures, 整改进展/完成比例 → report progress,
状态「已申请销号」 → ask for closure with the evidence already attached. A second import
of the same file therefore records nothing. The finding is loaded and scope-checked by
`FindingService.load_for_action`, as `rectify findings …` does (a ref of another
department reads as one that does not exist), and the actions are the aggregate's own
guarded methods (role, state, values); every refusal is kept with its sheet/row/column.
Only when no row is refused are all changed findings saved by one
`FindingService.save_changed` — a single transaction, so a 台账 is recorded whole or
not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from rectify.domain.errors import RectifyError
from rectify.domain.finding import Finding
from rectify.domain.services.findings import FindingService
from rectify.projections.ledger import LedgerRow
from rectify.reports import labels
from rectify.reports.xlsx.ledger_read import CellProblem, LedgerEntry, LedgerProblems, LedgerSheet


@dataclass(frozen=True)
class PlannedChange:
    sheet: str
    row: int
    ref: str
    action: str  # Chinese label of what is recorded
    value: str


@dataclass(frozen=True)
class LedgerOutcome:
    changes: tuple[PlannedChange, ...]
    rows: int
    recorded: bool

    @property
    def findings_changed(self) -> int:
        return len({c.ref for c in self.changes})


def apply_ledger(
    findings: FindingService,
    sheet: LedgerSheet,
    *,
    today: date,
    dry_run: bool,
    current: Mapping[str, LedgerRow] | None = None,
) -> LedgerOutcome:
    """`current`: the caught-up 台账 rows the user may see, by ref. A row equal to its
    read-model state is skipped without loading its finding (a re-import of 10,000
    rows then costs a query, not 10,000 loads); every other row goes to the finding."""
    problems: list[CellProblem] = list(sheet.problems)
    changes: list[PlannedChange] = []
    touched: dict[str, Finding] = {}
    first_row: dict[str, int] = {}
    for entry in sheet.entries:
        if entry.ref in first_row:
            problems.append(
                CellProblem(
                    entry.place("问题编号"),
                    f"问题编号 {entry.ref} 与第 {first_row[entry.ref]} 行重复",
                )
            )
            continue
        first_row[entry.ref] = entry.row
        known = current.get(entry.ref) if current is not None else None
        if known is not None and unchanged(entry, known):
            continue
        try:
            # The same load and scope check as every finding command; another
            # department's ref reads as one that does not exist.
            finding = findings.load_for_action(entry.ref)
        except RectifyError as exc:
            problems.append(CellProblem(entry.place("问题编号"), exc.message))
            continue
        planned = _apply_row(finding, entry, today, problems)
        if planned:
            changes.extend(planned)
            touched[entry.ref] = finding
    if problems:
        problems.sort(key=lambda p: (p.place.sheet, p.place.row, p.place.column))
        raise LedgerProblems(sheet.path, problems)
    if touched and not dry_run:
        findings.save_changed(touched.values())
    return LedgerOutcome(tuple(changes), len(sheet.entries), recorded=bool(touched) and not dry_run)


def unchanged(entry: LedgerEntry, row: LedgerRow) -> bool:
    """Whether importing `entry` would record nothing, judged from the read model."""
    f = row.finding
    return (
        entry.due == f.due
        and entry.person in (None, f.responsible_person)
        and entry.measures in (None, row.measures)
        and (
            (entry.progress is None and entry.percent is None)
            or (entry.progress, entry.percent) == (row.progress, f.progress_percent)
        )
        and entry.status in (None, f.status)
    )


def _apply_row(
    finding: Finding, entry: LedgerEntry, today: date, problems: list[CellProblem]
) -> list[PlannedChange]:
    planned: list[PlannedChange] = []

    def attempt(title: str, action: str, value: str, change: Callable[[], None]) -> None:
        try:
            change()
        except RectifyError as exc:
            problems.append(CellProblem(entry.place(title), exc.message))
            return
        planned.append(PlannedChange(entry.sheet, entry.row, entry.ref, action, value))

    if entry.due != finding.due:
        was = finding.due.isoformat() if finding.due else "空"
        problems.append(
            CellProblem(
                entry.place("整改时限"),
                f"整改时限不能在台账中修改（导出时为 {was}）；延期由财政局办理",
            )
        )
    person = entry.person
    if person and person != finding.responsible_person:
        attempt("责任人", "指定责任人", person, lambda: finding.name_responsible_person(person))
    measures = entry.measures
    if measures and (not finding.measures or finding.measures[-1] != measures):
        attempt("整改措施", "记录整改措施", measures, lambda: finding.record_measures(measures))
    _progress(finding, entry, today, problems, attempt)
    status = entry.status
    if status and status != finding.status.value:
        _status(finding, entry, status, problems, attempt)
    return planned


def _progress(
    finding: Finding,
    entry: LedgerEntry,
    today: date,
    problems: list[CellProblem],
    attempt: Callable[[str, str, str, Callable[[], None]], None],
) -> None:
    text, percent = entry.progress, entry.percent
    if text is None and percent is None:
        return
    last = finding.progress[-1] if finding.progress else None
    if last is not None and (last.text, last.percent) == (text, percent):
        return
    if text is None:
        problems.append(
            CellProblem(entry.place("整改进展"), "填写了完成比例，但没有填写整改进展说明")
        )
        return
    if percent is None:
        problems.append(
            CellProblem(entry.place("完成比例"), "填写了整改进展，但没有填写完成比例（0–100）")
        )
        return
    attempt(
        "整改进展",
        "报告整改进展",
        f"{percent}%：{text}",
        lambda: finding.report_progress(text, percent, today),
    )


def _status(
    finding: Finding,
    entry: LedgerEntry,
    status: str,
    problems: list[CellProblem],
    attempt: Callable[[str, str, str, Callable[[], None]], None],
) -> None:
    if status != "closure_requested":
        problems.append(
            CellProblem(
                entry.place("状态"),
                f"台账中不能把状态从「{labels.status_label(finding.status.value)}」改为"
                f"「{labels.status_label(status)}」；台账只能申请销号，其余由财政局办理",
            )
        )
        return
    if not finding.evidence_ids:
        problems.append(
            CellProblem(
                entry.place("状态"),
                f"申请销号须附佐证材料：请先 `rectify evidence submit 文件 --finding {finding.ref}`",
            )
        )
        return
    evidence = list(finding.evidence_ids)
    attempt(
        "状态", "申请销号", entry.note or "", lambda: finding.request_closure(evidence, entry.note)
    )
