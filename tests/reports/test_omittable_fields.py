"""Every field a real report may leave out (docs/evaluation-format.md, "What a report
may leave out"): a Weibin package with that one field null validates, checks without
a traceback (saying what it could not check) and imports, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rectify.bootstrap import House
from rectify.cli.main import main
from rectify.domain.identity import Principal, Role
from rectify.projections.evaluations import budget_view
from rectify.reports.checker import check_package
from rectify.reports.importer import import_package
from rectify.reports.package import load_package
from tests.conftest import WEIBIN

# JSON paths (keys and list indexes) of every field the format lets a report leave null.
OMITTABLE: list[tuple[Any, ...]] = [
    ("department", "parent"),
    ("units",),
    ("evaluation", "project"),
    ("evaluation", "commissioned_by"),
    ("evaluation", "evaluator"),
    ("evaluation", "report_date"),
    ("evaluation", "phases"),
    ("evaluation", "phases", 0, "start"),
    ("evaluation", "phases", 0, "end"),
    ("evaluation", "stated", "total"),
    ("evaluation", "stated", "grade"),
    ("indicators", 1, "awarded"),  # a parent's printed subtotal
    ("indicators", 2, "benchmark"),
    ("indicators", 2, "explanation"),
    ("indicators", 2, "checkpoints"),
    ("indicators", 2, "rule_text"),
    ("indicators", 2, "rule"),
    ("indicators", 2, "inputs"),
    ("indicators", 2, "narrative"),
    ("indicators", 2, "evidence"),
    ("budget",),
    ("budget", "unit"),
    ("budget", "lines"),
    ("budget", "lines", 0, "nature"),
    ("budget", "lines", 0, "unit"),
    ("budget", "lines", 0, "initial"),
    ("budget", "lines", 0, "adjusted"),
    ("budget", "lines", 0, "final"),
    ("budget", "adjustments"),
    ("budget", "adjustments", 0, "line"),
    ("budget", "adjustments", 0, "date"),
    ("budget", "adjustments", 0, "reason"),
    ("budget", "adjustments", 0, "document"),
    ("budget", "sources"),
    ("budget", "sources", "initial"),
    ("budget", "carryover"),
    ("budget", "public_funds"),
    ("budget", "public_funds", "budget"),
    ("budget", "public_funds", "actual"),
    ("budget", "three_public"),
    ("budget", "three_public", "initial"),
    ("budget", "three_public", "adjusted"),
    ("budget", "three_public", "actual"),
    *[
        ("budget", "stated", k)
        for k in (
            "initial",
            "adjusted",
            "final",
            "execution_rate",
            "adjustment_rate",
            "carryover_rate",
            "public_funds_control_rate",
            "three_public_control_rate",
        )
    ],
    ("staffing",),
    ("staffing", 0, "authorized"),
    ("staffing", 0, "actual"),
    ("surveys",),
    ("surveys", 0, "title"),
    ("surveys", 0, "respondents"),
    ("surveys", 0, "valid"),
    ("surveys", 0, "options"),
    ("surveys", 0, "scale"),
    ("surveys", 0, "questions", 0, "counts"),
    ("surveys", 0, "questions", 0, "stated"),
    ("surveys", 0, "stated_overall"),
    ("findings",),
    *[
        ("findings", 0, k)
        for k in (
            "category",
            "description",
            "root_cause",
            "responsible_unit",
            "indicator_codes",
            "amount",
            "rectification_class",
            "due",
        )
    ],
    ("suggestions",),
    ("suggestions", 0, "title"),
    ("suggestions", 0, "finding_refs"),
]


def _label(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path)


def with_null(path: tuple[Any, ...], department: str = "WB-GXJ") -> dict[str, Any]:
    """The Weibin package with one field null (its department code renamed if asked)."""
    text = WEIBIN.read_text(encoding="utf-8").replace("WB-GXJ", department)
    data: dict[str, Any] = json.loads(text)
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = None
    if path == ("units",):  # staffing names the unit the package no longer lists
        data["staffing"] = [s for s in data["staffing"] if s["unit"] == department]
    if path == ("budget", "lines"):  # adjustments name lines
        data["budget"]["adjustments"] = None
    if path == ("findings",):  # suggestions point at findings
        data["suggestions"] = None
    if path == ("surveys", 0, "options"):  # counts and scale are per option
        data["surveys"][0]["scale"] = None
        for q in data["surveys"][0]["questions"]:
            q["counts"] = None
    return data


def _write(tmp_path: Path, name: str, data: dict[str, Any]) -> Path:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("path", OMITTABLE, ids=_label)
def test_a_package_omitting_the_field_validates_and_checks(
    path: tuple[Any, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = _write(tmp_path, "pkg", with_null(path))
    report = check_package(load_package(file))
    assert report.total == Decimal("87.66") or path == ("indicators", 1, "awarded")
    code = main(["check", str(file), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code in (0, 1) and out["total"] == "87.66"
    assert isinstance(out["unchecked"], list)


def test_every_null_package_imports(house: House, tmp_path: Path) -> None:
    with house.acting(Principal("bureau", Role.BUREAU)):
        for n, path in enumerate(OMITTABLE):
            data = with_null(path, department=f"D{n}")  # one fresh department each
            import_package(house.services, load_package(_write(tmp_path, f"pkg{n}", data)))
    # An adjustment with no line counts in the total, in no line's sum.
    with house.store.engine.connect() as conn:
        view = budget_view(conn, f"D{OMITTABLE.index(('budget', 'adjustments', 0, 'line'))}", 2024)
    assert view is not None
    personnel = next(ln for ln in view.lines if ln.code == "basic.personnel")
    assert personnel.adjustments == Decimal(0) and personnel.adjusted == Decimal("88.14")
    assert view.adjusted == Decimal("533.63")
    assert [a.line for a in view.adjustments][0] is None


def test_the_checker_says_what_it_could_not_check(tmp_path: Path) -> None:
    def unchecked(path: tuple[Any, ...]) -> dict[str, str]:
        report = check_package(load_package(_write(tmp_path, "x", with_null(path))))
        return {u.path: u.message for u in report.unchecked}

    assert (
        "未注明预算行" in unchecked(("budget", "adjustments", 0, "line"))["budget.adjustments[0]"]
    )
    assert "人员控制率无法计算" in unchecked(("staffing", 0, "actual"))["staffing[0]"]
    assert "有效问卷数未披露" in unchecked(("surveys", 0, "valid"))["surveys[enterprise].valid"]
    assert "未核对" in unchecked(("budget", "lines", 0, "initial"))["budget.stated.initial"]
    assert check_package(load_package(WEIBIN)).unchecked == []


def test_an_unlined_adjustment_must_match_the_lines_gaps(tmp_path: Path) -> None:
    data = with_null(("budget", "adjustments", 0, "line"))
    data["budget"]["adjustments"][0]["amount"] = 20.0  # lines say 21.54
    report = check_package(load_package(_write(tmp_path, "gap", data)))
    found = [(c.kind, c.path, str(c.stated), str(c.computed)) for c in report.checks]
    assert ("budget_sum", "budget.adjustments", "20.00", "21.54") in found


def test_an_unlined_adjustment_needs_a_budget_with_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = with_null(("budget", "adjustments", 0, "line"))
    data["budget"]["lines"] = []
    data["budget"]["adjustments"] = data["budget"]["adjustments"][:1]
    code = main(["check", str(_write(tmp_path, "nolines", data))])
    err = capsys.readouterr().err
    assert code == 2 and "$.budget.adjustments[0].line" in err and "stated.adjustment" in err
