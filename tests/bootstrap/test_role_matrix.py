"""Every role against every command, imports included: one table, one walk.

Each step is tried first by every role not allowed to take it (each refusal must be
NotAllowed — NotFound for what lies out of the principal's scope, or, for a 台账, the
ledger's list of refused cells — and record nothing), then by the allowed roles (each
must succeed). The steps run in lifecycle order on one finding, so every command meets
a state in which only the role rule can refuse it.

Size: one table of every command and the walk over it; split, the table would no longer
be readable as the one place that lists who may do what.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from rectify.bootstrap import House
from rectify.domain.errors import NotAllowed, NotFound, RectifyError
from rectify.domain.evaluation import ScoreStage
from rectify.domain.finding import RectificationClass
from rectify.domain.identity import Principal, Role, acting_as
from rectify.projections.ledger import ledger_rows
from rectify.reports.importer import import_package
from rectify.reports.package import load_package
from rectify.reports.xlsx.columns import SHEET, letter
from rectify.reports.xlsx.ledger_apply import apply_ledger
from rectify.reports.xlsx.ledger_export import export
from rectify.reports.xlsx.ledger_read import LedgerProblems, read_ledger
from tests.conftest import WEIBIN

DEPT = "WB-GXJ"
KEY = "WB-GXJ/2024/department"
TODAY = date(2025, 3, 3)
ROLES: dict[str, Principal] = {
    "bureau": Principal("局", Role.BUREAU),
    "evaluator": Principal("评价组", Role.EVALUATOR),
    "own_department": Principal("本部门", Role.DEPARTMENT, department=DEPT),
    "other_department": Principal("他部门", Role.DEPARTMENT, department="ZZ-OTHER"),
    "auditor": Principal("审计", Role.AUDITOR),
    "system": Principal("调度", Role.SYSTEM),
}
B, E, OWN, A = "bureau", "evaluator", "own_department", "auditor"

Command = Callable[[House, str, Path], Any]


@dataclass(frozen=True)
class Step:
    name: str
    allowed: tuple[str, ...]
    run: Command
    # Steps that cannot be repeated (a second success would change nothing or clash)
    # are taken by the first allowed role only.
    repeatable: bool = True
    # Reads out of the principal's scope are refused like a missing object (NotFound),
    # so that a refusal reveals nothing about another department's records.
    hidden: bool = False
    refusal: type[RectifyError] = NotAllowed
    # (key named, a key that does not exist, the same command on that key): another
    # department's refusal must be the missing key's, word for word and exit code.
    absent: tuple[str, str, Command] | None = None


def _file(tmp: Path, who: str, name: str) -> Path:
    path = tmp / f"{name}-{who}.txt"
    path.write_text(f"佐证 {name} {who}", encoding="utf-8")
    return path


F = "M-1"
TARGETS = [
    {
        "code": "T1",
        "name": "企业服务次数",
        "category": "quantity",
        "operator": "≥",
        "value": "40",
        "unit": "次",
    }
]
SUBMITTED: list[Any] = []  # evidence ids of the walk, in order


def _submit(house: House, who: str, tmp: Path) -> Any:
    evidence_id = house.evidence.submit_evidence(
        _file(tmp, who, "submit"), effective_date=date(2025, 3, 1), finding_ref=F
    )
    SUBMITTED.append(evidence_id)
    return evidence_id


LEDGER_MEASURES = "台账填报：按月通报执行率"


def _import_ledger(house: House, who: str, tmp: Path) -> Any:
    """`rectify import ledger` as the CLI runs it, on a 台账 the bureau exported and the
    department filled in with new 整改措施 for F."""
    path = tmp / "台账.xlsx"
    if not path.exists():
        house.catch_up()
        with acting_as(ROLES[B]), house.store.engine.connect() as conn:
            rows = list(ledger_rows(conn, principal=ROLES[B], today=TODAY))
        export([r for r in rows if r.finding.ref == F], path, checkpoint="0:" + "0" * 64, info={})
        workbook = load_workbook(path)
        workbook[SHEET][f"{letter('整改措施')}2"] = LEDGER_MEASURES
        workbook.save(path)
    house.catch_up()
    with house.store.engine.connect() as conn:
        current = {r.finding.ref: r for r in ledger_rows(conn, principal=ROLES[who], today=TODAY)}
    outcome = apply_ledger(
        house.findings, read_ledger(path), today=TODAY, dry_run=False, current=current
    )
    assert outcome.recorded and house.findings.get_finding(F).measures[-1] == LEDGER_MEASURES
    return outcome


STEPS: tuple[Step, ...] = (
    Step(
        "record_finding",
        (B, E),
        lambda h, w, t: h.findings.record_finding(
            ref=F,
            department_code=DEPT,
            fiscal_year=2025,
            category="预算",
            title="执行率低",
            description="62%",
        ),
        repeatable=False,
    ),
    Step(
        "link_repeat",
        (B, E),
        lambda h, w, t: h.findings.link_repeat(F, "WB-GXJ/2024/01"),
        repeatable=False,
    ),
    Step(
        "issue_finding",
        (B,),
        lambda h, w, t: h.findings.issue_finding(
            F, rectification_class=RectificationClass.IMMEDIATE, requirements="整改"
        ),
    ),
    Step("record_measures", (OWN,), lambda h, w, t: h.findings.record_measures(F, "月度通报")),
    Step(
        "name_responsible_person",
        (OWN,),
        lambda h, w, t: h.findings.name_responsible_person(F, "王五"),
    ),
    Step("report_progress", (OWN,), lambda h, w, t: h.findings.report_progress(F, "过半", 50)),
    Step("import ledger", (OWN,), _import_ledger, repeatable=False, refusal=LedgerProblems),
    Step("submit_evidence", (B, E, OWN), _submit),
    Step(
        "attach_evidence",
        (OWN,),
        lambda h, w, t: h.findings.attach_evidence(F, SUBMITTED[0]),
        repeatable=False,
    ),
    Step(
        "get_evidence",
        (B, E, OWN, A),
        lambda h, w, t: h.evidence.get_evidence(SUBMITTED[0]),
        hidden=True,
    ),
    Step(
        "evidence_content",
        (B, E, OWN, A),
        lambda h, w, t: h.evidence.evidence_content(SUBMITTED[-1]),
        hidden=True,
    ),
    Step(
        "extend_deadline",
        (B,),
        lambda h, w, t: h.findings.extend_deadline(F, date(2025, 12, 31), "数据待决算"),
        repeatable=False,
    ),
    Step(
        "request_closure",
        (OWN,),
        lambda h, w, t: h.findings.request_closure(F, h.findings.get_finding(F).evidence_ids),
    ),
    Step("return_finding", (B,), lambda h, w, t: h.findings.return_finding(F, "材料不足")),
    Step(
        "request_closure again",
        (OWN,),
        lambda h, w, t: h.findings.request_closure(F, h.findings.get_finding(F).evidence_ids),
    ),
    Step("close_finding", (B,), lambda h, w, t: h.findings.close_finding(F, "材料齐全")),
    Step("reopen_finding", (B,), lambda h, w, t: h.findings.reopen_finding(F, "复查")),
    Step(
        "accept_long_term",
        (B,),
        lambda h, w, t: h.findings.accept_long_term(F, date(2026, 6, 30), "体制调整"),
    ),
    Step(
        "carry_over_finding",
        (B,),
        lambda h, w, t: h.findings.carry_over_finding(F, 2026),
        repeatable=False,
    ),
    Step("withdraw_finding", (B,), lambda h, w, t: h.findings.withdraw_finding(F, "误记")),
    Step(
        "set_score third_party",
        (B, E),
        lambda h, w, t: h.evaluations.set_score(
            KEY,
            "A1.1",
            Decimal("1.00") if w == B else Decimal("1.50"),
            stage=ScoreStage.THIRD_PARTY,
            reason="复核",
        ),
    ),
    Step(
        "set_score self",
        (B, E, OWN),
        lambda h, w, t: h.evaluations.set_score(
            KEY,
            "A1.1",
            Decimal({B: "1", E: "1.5", OWN: "2"}.get(w, "0.5")),
            stage=ScoreStage.SELF,
            reason="自评更正",
        ),
        absent=(
            KEY,
            "WB-GXJ/2024/absent",
            lambda h, w, t: h.evaluations.set_score(
                "WB-GXJ/2024/absent", "A1.1", Decimal(1), stage=ScoreStage.SELF, reason="r"
            ),
        ),
    ),
    Step(
        "open_budget",
        (B,),
        lambda h, w, t: h.evaluations.open_budget(
            DEPT,
            2026,
            unit="万元",
            lines=[
                {"code": "basic", "name": "基本支出", "nature": "basic", "initial": Decimal(120)}
            ],
        ),
        repeatable=False,
    ),
    Step(
        "adjust_budget",
        (B, OWN),
        lambda h, w, t: h.evaluations.adjust_budget(
            DEPT, 2024, line="basic.personnel", amount=Decimal(1), reason="追加"
        ),
        absent=(
            "2024",
            "2025",
            lambda h, w, t: h.evaluations.adjust_budget(
                DEPT, 2025, line="basic.personnel", amount=Decimal(1), reason="追加"
            ),
        ),
    ),
    Step(
        "declare_targets",
        (B, OWN),
        lambda h, w, t: h.targets.declare_targets(DEPT, 2024, TARGETS),
        repeatable=False,
        absent=(
            "WB-GXJ",
            "ZZ-NONE",
            lambda h, w, t: h.targets.declare_targets("ZZ-NONE", 2024, TARGETS),
        ),
    ),
    Step(
        "revise_target",
        (B, OWN),
        lambda h, w, t: h.targets.revise_target(
            DEPT, 2024, "T1", {"value": {B: "41", OWN: "42"}.get(w, "43")}, reason="调整"
        ),
        absent=(
            "2024",
            "2025",
            lambda h, w, t: h.targets.revise_target(
                DEPT, 2025, "T1", {"value": "41"}, reason="调整"
            ),
        ),
    ),
    Step(
        "add_user",
        (B,),
        lambda h, w, t: h.people.add_user(f"u-{w}", Role.EVALUATOR, "long-password-1", "新用户"),
    ),
    Step(
        "change_user_role",
        (B,),
        lambda h, w, t: h.people.change_user_role("u-bureau", Role.AUDITOR, "转岗"),
    ),
    Step(
        "reset password",
        (B,),
        lambda h, w, t: h.people.change_password("u-bureau", "other-password-2"),
    ),
    Step("disable_user", (B,), lambda h, w, t: h.people.disable_user("u-bureau", "离职")),
    Step("enable_user", (B,), lambda h, w, t: h.people.enable_user("u-bureau", "返岗")),
)


def _head(house: House) -> int:
    return house.store.app.recorder.max_notification_id() or 0


def _refused(house: House, who: str, step: Step, tmp: Path) -> None:
    before = _head(house)
    if step.refusal is LedgerProblems:
        with acting_as(ROLES[who]), pytest.raises(LedgerProblems) as refused:
            step.run(house, who, tmp)
        message = refused.value.message
        if who == "other_department":  # another department's row reads as no such row
            assert f"问题 {F} 不存在" in message and "属于" not in message, message
        else:
            assert "只有部门可以" in message, message
    elif who == "other_department":
        # Out of scope reads exactly like missing; else the role rule refuses.
        with acting_as(ROLES[who]), pytest.raises((NotAllowed, NotFound)) as caught:
            step.run(house, who, tmp)
        if isinstance(caught.value, NotFound):
            hidden = {
                f"问题 {F} 不存在",
                f"评价 {KEY} 不存在",
                f"部门 {DEPT} 2024 年度的预算不存在",
                f"部门 {DEPT} 不存在",
                f"绩效目标 {DEPT}/2024/department 尚未申报",
            } | {f"佐证材料 {e} 不存在" for e in SUBMITTED}
            assert str(caught.value) in hidden, (step.name, str(caught.value))
            if step.absent is not None:
                named, missing, run_absent = step.absent
                with acting_as(ROLES[who]), pytest.raises(RectifyError) as absent:
                    run_absent(house, who, tmp)
                assert type(absent.value) is type(caught.value), step.name
                assert absent.value.exit_code == caught.value.exit_code, step.name
                assert absent.value.message == caught.value.message.replace(named, missing)
        elif step.hidden or OWN in step.allowed:
            # Its own department may do it, so only the scope refuses: it must not tell.
            pytest.fail(f"{step.name}: out of scope must read like missing, got {caught.value}")
    else:
        with acting_as(ROLES[who]), pytest.raises(NotAllowed):
            step.run(house, who, tmp)
    assert _head(house) == before, f"{step.name} refused for {who} but recorded events"


def test_every_role_against_every_command(sqlite_house: House, tmp_path: Path) -> None:
    house = sqlite_house
    SUBMITTED.clear()
    house.people.bootstrap_first_user("admin", "admin-password-1", "管理员")
    with acting_as(ROLES[B]):
        import_package(house.services, load_package(WEIBIN))
    walked = 0
    for step in STEPS:
        for who in ROLES:
            if who not in step.allowed:
                _refused(house, who, step, tmp_path)
                walked += 1
        for who in step.allowed if step.repeatable else step.allowed[:1]:
            with acting_as(ROLES[who]):
                step.run(house, who, tmp_path)
            walked += 1
    assert house.findings.get_finding(F).status.value == "withdrawn"
    assert walked >= len(STEPS) * 4


def _evaluator_package(tmp: Path, *, with_adjustments: bool) -> Path:
    data = json.loads(WEIBIN.read_text(encoding="utf-8"))
    if not with_adjustments:
        data["budget"]["adjustments"] = []
        for line in data["budget"]["lines"]:
            line.pop("adjusted", None)
    path = tmp / ("with.json" if with_adjustments else "without.json")
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("who", "adjusts", "allowed"),
    [
        (B, True, True),
        (E, True, False),  # an adjustment needs the budget role, imported or typed
        (E, False, True),
        ("own_department", False, False),
        ("other_department", False, False),
        (A, False, False),
        ("system", False, False),
    ],
)
def test_import_by_role(
    sqlite_house: House, tmp_path: Path, who: str, adjusts: bool, allowed: bool
) -> None:
    """Imports are commands too: refused whole, with nothing recorded."""
    house = sqlite_house
    package = load_package(_evaluator_package(tmp_path, with_adjustments=adjusts))
    with acting_as(ROLES[who]):
        if not allowed:
            with pytest.raises(NotAllowed) as refused:
                import_package(house.services, package)
            assert _head(house) == 0
            if adjusts:
                assert "调整预算" in refused.value.message
            return
        result = import_package(house.services, package)
    assert result.events > 0 and house.evaluations.get_budget(DEPT, 2024) is not None
    adjustments = house.evaluations.get_budget(DEPT, 2024).adjustments
    assert bool(adjustments) is adjusts
    with acting_as(ROLES[who]):
        assert import_package(house.services, package).events == 0  # idempotent


def test_evaluator_package_adjusting_a_budget_records_nothing_on_either_backend(
    house: House, tmp_path: Path
) -> None:
    package = load_package(_evaluator_package(tmp_path, with_adjustments=True))
    with acting_as(ROLES[E]), pytest.raises(NotAllowed, match="调整预算"):
        import_package(house.services, package)
    assert _head(house) == 0
    assert house.catch_up() == 0
