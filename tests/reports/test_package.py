"""The package reader: both real examples load; invalid variants name their paths."""

from __future__ import annotations

import copy
import json
import pathlib
from decimal import Decimal
from typing import Any

import pytest

from rectify.domain.errors import InvalidInput
from rectify.reports.package import (
    InvalidPackage,
    PackageError,
    load_package,
    parse_package,
)

EXAMPLES = pathlib.Path(__file__).parents[2] / "src" / "rectify" / "examples"
WEIBIN = EXAMPLES / "weibin-2024.evaluation.json"
ZHENGZHOU = EXAMPLES / "zhengzhou-service-2021.evaluation.json"


def raw(path: pathlib.Path = WEIBIN) -> Any:
    return json.loads(path.read_text("utf-8"), parse_float=Decimal)


def errors_of(data: object) -> list[PackageError]:
    with pytest.raises(InvalidPackage) as info:
        parse_package(data, "t.json")
    return info.value.errors


def paths_of(data: object) -> list[str]:
    return [e.path for e in errors_of(data)]


def index_of(data: Any, code: str) -> int:
    return next(i for i, ind in enumerate(data["indicators"]) if ind["code"] == code)


def test_examples_load() -> None:
    wb = load_package(WEIBIN)
    assert wb.evaluation.stated.total == Decimal("87.66")
    assert wb.indicators[2].rule is not None
    assert isinstance(wb.indicators[2].awarded, Decimal)
    zz = load_package(ZHENGZHOU)
    assert zz.evaluation.amount_unit == "元"
    assert zz.findings == []


def test_examples_shipped_verbatim() -> None:
    shared = pathlib.Path("/work/shared/examples")
    if not shared.exists():
        pytest.skip("shared examples not present")
    for f in shared.glob("*.json"):
        assert (EXAMPLES / f.name).read_bytes() == f.read_bytes()


def test_invalid_package_is_invalid_input_exit_2() -> None:
    with pytest.raises(InvalidPackage) as info:
        parse_package({"format": "x"}, "t.json")
    assert isinstance(info.value, InvalidInput)
    assert info.value.exit_code == 2
    assert info.value.file == "t.json"
    assert info.value.errors == [PackageError("$.format", info.value.errors[0].message)]
    assert "t.json: $.format:" in info.value.message


def test_unknown_key_gives_its_path() -> None:
    data = raw()
    data["findings"][1]["duedate"] = "2026-01-01"
    assert paths_of(data) == ["$.findings[1].duedate"]


def test_bad_date() -> None:
    data = raw()
    data["findings"][1]["due"] = "2026-02-30"
    errs = errors_of(data)
    assert [e.path for e in errs] == ["$.findings[1].due"]
    assert "日期" in errs[0].message


def test_report_date_may_be_month() -> None:
    data = raw()
    data["evaluation"]["report_date"] = "2024-12"
    assert parse_package(data, "t").evaluation.report_date == "2024-12"
    data["evaluation"]["report_date"] = "2024-13"
    assert paths_of(data) == ["$.evaluation.report_date"]


def test_missing_awarded_on_leaf() -> None:
    data = raw()
    i = index_of(data, "B1.2")
    del data["indicators"][i]["awarded"]
    assert paths_of(data) == [f"$.indicators[{i}].awarded"]


def test_wrong_type_deep_inside_rule() -> None:
    data = raw()
    i = index_of(data, "B1.2")
    data["indicators"][i]["rule"]["deduct"]["fraction_of_weight"] = "5%"
    assert paths_of(data) == [f"$.indicators[{i}].rule.deduct.fraction_of_weight"]


def test_tiers_path_and_contradiction() -> None:
    data = raw()
    i = index_of(data, "B1.3")
    data["indicators"][i]["rule"] = {
        "kind": "tiers",
        "measure": "budget.carryover_rate",
        "tiers": [{"min": "0", "max": 5, "fraction": 1}],
    }
    assert paths_of(data) == [f"$.indicators[{i}].rule.tiers[0].min"]
    data["indicators"][i]["rule"]["tiers"] = [{"min": 5, "max": 1, "fraction": 1}]
    assert paths_of(data) == [f"$.indicators[{i}].rule.tiers[0].min"]
    data["indicators"][i]["rule"]["tiers"] = []
    assert paths_of(data) == [f"$.indicators[{i}].rule.tiers"]


def test_unknown_rule_kind() -> None:
    data = raw()
    i = index_of(data, "B1.2")
    data["indicators"][i]["rule"]["kind"] = "deviaton"
    errs = errors_of(data)
    assert [e.path for e in errs] == [f"$.indicators[{i}].rule"]
    assert "deviaton" in errs[0].message


def test_self_contradicting_rule_parameters_all_collected() -> None:
    data = raw()
    i = index_of(data, "B1.2")
    rule = data["indicators"][i]["rule"]
    rule["band"] = [10, -10]
    rule["deduct"] = {"fraction_of_weight": Decimal("1.5")}
    j = index_of(data, "A1.1")
    data["indicators"][j]["rule"]["items"][0]["share"] = Decimal("0.9")
    k = index_of(data, "D1.3")
    data["indicators"][k]["rule"]["levels"] = [1, -1]
    assert sorted(paths_of(data)) == sorted(
        [
            f"$.indicators[{i}].rule.band",
            f"$.indicators[{i}].rule.deduct.fraction_of_weight",
            f"$.indicators[{j}].rule.items",
            f"$.indicators[{k}].rule.levels[1]",
        ]
    )


def test_tree_order_and_unique_codes() -> None:
    data = raw()
    a = data["indicators"].pop(0)  # root A now comes after its children
    data["indicators"].append(a)
    assert "$.indicators[0].parent" in paths_of(data)
    data = raw()
    data["indicators"][5]["code"] = data["indicators"][4]["code"]
    assert "$.indicators[5].code" in paths_of(data)
    data = raw()
    data["indicators"][1]["parent"] = "X"
    assert "$.indicators[1].parent" in paths_of(data)


def test_rule_only_on_leaves() -> None:
    data = raw()
    data["indicators"][0]["rule"] = {"kind": "manual"}
    assert paths_of(data) == ["$.indicators[0].rule"]


def test_named_inputs_present() -> None:
    data = raw()
    i = index_of(data, "A2.3")
    del data["indicators"][i]["inputs"]["key_spending_rate"]
    data["indicators"][i]["rule"]["veto"] = [{"text": "挪用", "input": "misuse"}]
    assert sorted(paths_of(data)) == [
        f"$.indicators[{i}].inputs.key_spending_rate",
        f"$.indicators[{i}].inputs.misuse",
    ]
    data["indicators"][i]["inputs"]["key_spending_rate"] = None
    data["indicators"][i]["inputs"]["misuse"] = None
    parse_package(data, "t")  # null = undisclosed is fine


def test_results_count_and_lists_only_where_allowed() -> None:
    data = raw()
    i = index_of(data, "A1.1")
    data["indicators"][i]["inputs"]["results"] = [True, True]
    data["indicators"][i]["inputs"]["other"] = [1, 2]
    data["indicators"][i]["inputs"]["label"] = "text"
    assert sorted(paths_of(data)) == [
        f"$.indicators[{i}].inputs.label",
        f"$.indicators[{i}].inputs.other",
        f"$.indicators[{i}].inputs.results",
    ]


def test_stage_score_must_equal_awarded() -> None:
    data = raw()
    i = index_of(data, "B1.2")
    data["indicators"][i]["scores"] = [
        {"stage": "self", "awarded": 2},
        {"stage": "third_party", "awarded": 1},
    ]
    assert paths_of(data) == [f"$.indicators[{i}].scores[1].awarded"]


def test_refs() -> None:
    data = raw()
    data["findings"][1]["ref"] = data["findings"][0]["ref"]
    data["suggestions"][0]["finding_refs"] = ["nope"]
    data["units"][0]["parent"] = "NOPE"
    assert sorted(paths_of(data)) == [
        "$.findings[1].ref",
        "$.suggestions[0].finding_refs[0]",
        "$.suggestions[1].finding_refs[0]",  # it named the renamed finding
        "$.units[0].parent",
    ]


def test_composite_part_reads_own_inputs() -> None:
    data = raw()
    i = index_of(data, "B1.2")
    data["indicators"][i]["rule"] = {
        "kind": "composite",
        "parts": [
            {
                "name": "a",
                "points": 1,
                "rule": {"kind": "per_case", "points": Decimal("0.5")},
                "inputs": {"cases": 1},
            },
            {
                "name": "b",
                "points": 1,
                "rule": {"kind": "threshold", "measure": "input:x", "op": ">=", "value": 1},
                "inputs": {},
            },
        ],
    }
    assert paths_of(data) == [f"$.indicators[{i}].rule.parts[1].inputs.x"]


def test_file_problems(tmp_path: pathlib.Path) -> None:
    with pytest.raises(InvalidPackage) as info:
        load_package(tmp_path / "missing.json")
    assert "不存在" in info.value.errors[0].message
    bad = tmp_path / "gbk.json"
    bad.write_bytes('{"a": "中文"}'.encode("gbk"))
    with pytest.raises(InvalidPackage) as info:
        load_package(bad)
    assert "UTF-8" in info.value.errors[0].message
    syntax = tmp_path / "syntax.json"
    syntax.write_text('{\n  "format": "rectify/evaluation@1",\n  "x": ,\n}', "utf-8")
    with pytest.raises(InvalidPackage) as info:
        load_package(syntax)
    assert "第 3 行第 8 列" in info.value.errors[0].message
    with pytest.raises(InvalidPackage) as info:
        load_package(tmp_path)
    assert info.value.errors[0].path == "$"


def test_wrong_format() -> None:
    data = raw()
    data["format"] = "rectify/evaluation@2"
    assert paths_of(data) == ["$.format"]


def test_numbers_are_never_float() -> None:
    data = raw()
    data["indicators"][2]["weight"] = "3"
    assert paths_of(data) == ["$.indicators[2].weight"]
    data = raw()
    data["staffing"][0]["actual"] = Decimal("4.5")
    assert paths_of(data) == ["$.staffing[0].actual"]


def test_note_allowed_everywhere_unknown_keys_not() -> None:
    data = raw()
    data["budget"]["public_funds"]["note"] = "x"
    data["evaluation"]["rounding"]["note"] = "x"
    i = index_of(data, "A1.1")
    data["indicators"][i]["rule"]["items"][0]["note"] = "x"
    parse_package(data, "t")
    data = copy.deepcopy(data)
    data["indicators"][i]["rule"]["items"][0]["vetoo"] = True
    assert paths_of(data) == [f"$.indicators[{i}].rule.items[0].vetoo"]
