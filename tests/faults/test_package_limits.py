"""Hostile packages end in exit 2 with a JSON path, no traceback, nothing written;
`check` and `import` refuse the same packages; a re-import lists its score changes."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rectify.reports import limits
from rectify.reports.package import InvalidPackage, load_package
from tests.conftest import WEIBIN
from tests.faults.conftest import InProcess


def weibin() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(WEIBIN.read_text(encoding="utf-8"))
    return data


def write(tmp_path: Path, text: str, name: str = "p.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refusal(path: Path) -> list[tuple[str, str]]:
    with pytest.raises(InvalidPackage) as caught:
        load_package(path)
    return [(e.path, e.message) for e in caught.value.errors]


def test_deep_nesting_is_refused_before_decoding_with_its_path(tmp_path: Path) -> None:
    data = weibin()
    # Far beyond Python's recursion limit.
    text = json.dumps(data)[:-1] + ', "zz": ' + "[" * 100_000 + "]" * 100_000 + "}"
    errors = refusal(write(tmp_path, text))
    assert len(errors) == 1
    path, message = errors[0]
    assert path == "$.zz" + "[0]" * (limits.MAX_DEPTH - 1) and "嵌套过深" in message


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        ("1" * 5000, "数字过长"),
        ("NaN", "不允许 NaN"),
        ("Infinity", "不允许 Infinity"),
        ("-Infinity", "不允许 -Infinity"),
        ("1e30", "超出合理范围"),
        ("1000000000000000000000000000000", "超出合理范围"),
        ("1e-400", "小数位过多"),
        ("1e9999999", "超出合理范围"),  # past Decimal's Emax: abs() raised Overflow
        ("-1e99999999", "超出合理范围"),
    ],
)
def test_number_literals_are_bounded_before_arithmetic(
    tmp_path: Path, literal: str, expected: str
) -> None:
    data = weibin()
    index = next(i for i, ind in enumerate(data["indicators"]) if ind.get("awarded") is not None)
    data["indicators"][index]["awarded"] = "@@"
    text = json.dumps(data, ensure_ascii=False).replace('"@@"', literal)
    [(path, message)] = refusal(write(tmp_path, text))
    assert path == f"$.indicators[{index}].awarded" and expected in message


def test_long_strings_and_huge_files_are_refused(tmp_path: Path) -> None:
    data = weibin()
    data["findings"][0]["description"] = "长" * (limits.MAX_STRING + 1)
    [(path, message)] = refusal(write(tmp_path, json.dumps(data, ensure_ascii=False)))
    assert path == "$.findings[0].description" and "文本过长" in message
    big = write(tmp_path, " " * (limits.MAX_BYTES + 1), "big.json")
    [(path, message)] = refusal(big)
    assert path == "$" and "文件过大" in message


def budget_package(**change: Any) -> dict[str, Any]:
    data = weibin()
    budget = data["budget"]
    for dotted, value in change.items():
        target = budget
        *parents, last = dotted.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    return data


@pytest.mark.parametrize(
    ("change", "path", "expected"),
    [
        ({"lines__0__initial": -5}, "$.budget.lines[0].initial", "不能为负"),
        (
            {"adjustments__0__amount": 1_000_000_000},
            "$.budget.adjustments[0].amount",
            "超出合理范围",
        ),
        ({"adjustments__0__amount": -100_000}, "$.budget.adjustments[0].amount", "为负"),
        (
            {"adjustments__0__date": "2031-03-01"},
            "$.budget.adjustments[0].date",
            "不在 2024 预算年度或次年内",
        ),
        (
            {"adjustments__0__date": "2019-03-01"},
            "$.budget.adjustments[0].date",
            "不在 2024 预算年度或次年内",
        ),
        ({"stated__execution_rate": 5000}, "$.budget.stated.execution_rate", "超出合理范围"),
    ],
)
def test_implausible_budgets_are_errors_of_the_package(
    tmp_path: Path, change: dict[str, Any], path: str, expected: str
) -> None:
    errors = refusal(write(tmp_path, json.dumps(budget_package(**change), ensure_ascii=False)))
    assert any(p == path and expected in m for p, m in errors), errors


def test_the_example_packages_still_load() -> None:
    assert load_package(WEIBIN).budget is not None
    assert limits.scan_nesting(WEIBIN.read_text(encoding="utf-8")) is None


def test_check_and_import_refuse_alike_and_write_nothing(
    rectify: InProcess, tmp_path: Path
) -> None:
    before = rectify.event_count()
    bad = budget_package(lines__0__initial=-5)
    bad_file = write(tmp_path, json.dumps(bad, ensure_ascii=False))
    nan_file = write(
        tmp_path,
        WEIBIN.read_text(encoding="utf-8").replace('"fiscal_year": 2024', '"fiscal_year": NaN'),
        "nan.json",
    )
    for path in (bad_file, nan_file):
        checked = rectify("check", str(path))
        imported = rectify("import", "evaluation", str(path))
        assert checked.code == imported.code == 2, (checked, imported)
        assert "$." in imported.err and "Traceback" not in imported.err
    assert rectify.event_count() == before


def test_reimport_summary_lists_every_score_change(rectify: InProcess, tmp_path: Path) -> None:
    rectify.ok("import", "evaluation", str(WEIBIN))
    data = weibin()
    parents = {ind.get("parent") for ind in data["indicators"]}
    leaves = [
        ind
        for ind in data["indicators"]
        if ind["code"] not in parents
        and ind.get("awarded") is not None
        and Decimal(str(ind["awarded"])) > 0
    ]
    changed = leaves[:2]
    for ind in changed:
        ind["awarded"] = float(Decimal(str(ind["awarded"])) - Decimal("0.5"))
        for score in ind.get("scores") or []:
            if score["stage"] == data["evaluation"]["stage"]:
                score["awarded"] = ind["awarded"]
    out = rectify.ok(
        "import", "evaluation", str(write(tmp_path, json.dumps(data, ensure_ascii=False)))
    )
    for ind in changed:
        assert f"得分修改（重新导入）：指标 {ind['code']}" in out, out
    assert out.count("得分修改") == 2
