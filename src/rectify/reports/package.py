"""The evaluation package `rectify/evaluation@1`: strict models, loading and validation.

`load_package(path)` reads one JSON file (numbers as Decimal), validates its shape with
pydantic (unknown keys rejected, any object may carry `note`) and then its meaning
(tree order, unique codes, rules only on leaves, named inputs present, ...). Every
problem is collected with its JSON path and raised together as `InvalidPackage`.

Extensions to the contract (documented here and in the format notes):
- `evaluation.stated.total_weight` (default 100) is what the roots add up to.
- `Survey.aggregate` may be `mean_of_questions` (default) or `pooled`
  (Σ all counts × scale / (valid × questions)).
- a finding's `indicator_codes` must name indicators of the package (`code` or
  `printed_code`); staffing units must be the department or one of its units.

Size: the whole `rectify/evaluation@1` schema stays in one module, in the order of
evaluation-format.md, so the contract is read and changed in one place.
"""

from __future__ import annotations

import json
import pathlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    Strict,
    TypeAdapter,
    ValidationError,
)

from rectify.domain.errors import InvalidInput
from rectify.domain.scoring import (
    Case,
    ChecklistRule,
    CompositeRule,
    GradeBand,
    GradedItem,
    GradeMapRule,
    Num,
    Rounding,
    Rule,
    is_known_measure,
    required_inputs,
    rule_problems,
)
from rectify.domain.scoring.rules import LIST_INPUTS, InputValue, rule_measures
from rectify.domain.scoring.tree import DEFAULT_GRADE_BANDS
from rectify.reports import limits
from rectify.reports.plausibility import plausibility_errors

FORMAT = "rectify/evaluation@1"

# ------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class PackageError:
    path: str
    message: str


class InvalidPackage(InvalidInput):
    """The package does not validate; nothing may be written."""

    exit_code = 2

    def __init__(self, file: str, errors: Sequence[PackageError]) -> None:
        self.file = file
        self.errors = list(errors)
        lines = [f"评价包无效（{len(self.errors)} 处错误）：{file}"]
        lines += [f"{file}: {e.path}: {e.message}" for e in self.errors]
        super().__init__("\n".join(lines))


# ------------------------------------------------------------------------- field types

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def _iso_date(value: object) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DATE_RE.match(value):
        raise ValueError(f"日期应为 YYYY-MM-DD 格式，实为 {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"不存在的日期 {value!r}") from None


def _report_date(value: object) -> date | str:
    if isinstance(value, str):
        m = _MONTH_RE.match(value)
        if m:
            if not 1 <= int(m.group(2)) <= 12:
                raise ValueError(f"不存在的月份 {value!r}")
            return value
    return _iso_date(value)


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
ReportDate = Annotated[date | str, PlainValidator(_report_date)]
StrictInt = Annotated[int, Strict()]


_T = TypeVar("_T")


def _none_as_empty(value: object) -> object:
    return [] if value is None else value


# Optional lists (units, phases, staffing, ...): absent and null both mean "none stated".
NoneList = Annotated[list[_T], BeforeValidator(_none_as_empty)]

NonNegInt = Annotated[int, Strict(), Field(ge=0)]


class Model(BaseModel):
    """Strict base: unknown keys rejected, any object may carry `note`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    note: str | None = None


# ------------------------------------------------------------------------- models


class Org(Model):
    code: str = Field(min_length=1)
    name: str
    parent: str | None = None


class ProjectRef(Model):
    code: str
    name: str


class Phase(Model):
    name: str
    start: IsoDate | None = None
    end: IsoDate | None = None


class GradeBandModel(Model):
    grade: str
    min: Num


class RoundingModel(Model):
    places: Annotated[int, Strict(), Field(ge=0, le=10)] = 2
    mode: Literal["half_up", "half_even"] = "half_up"
    aggregate: Literal["sum_of_rounded", "round_of_sum"] = "sum_of_rounded"

    def policy(self) -> Rounding:
        return Rounding(places=self.places, mode=self.mode, aggregate=self.aggregate)


class StatedResult(Model):
    total: Num | None = None
    grade: str | None = None
    total_weight: Num = Decimal(100)


def _default_bands() -> list[GradeBandModel]:
    return [GradeBandModel(grade=b.grade, min=b.min) for b in DEFAULT_GRADE_BANDS]


class EvaluationInfo(Model):
    key: str = Field(min_length=1)
    fiscal_year: StrictInt
    subject: Literal["department", "project", "policy"]
    project: ProjectRef | None = None
    stage: Literal["self", "third_party", "review"]
    title: str
    commissioned_by: str | None = None
    evaluator: str | None = None
    report_date: ReportDate | None = None
    phases: NoneList[Phase] = Field(default_factory=list)
    amount_unit: Literal["万元", "元"] = "万元"
    grade_bands: list[GradeBandModel] = Field(default_factory=_default_bands, min_length=1)
    rounding: RoundingModel = Field(default_factory=RoundingModel)
    stated: StatedResult = Field(default_factory=StatedResult)

    def bands(self) -> list[GradeBand]:
        return [GradeBand(b.grade, b.min) for b in self.grade_bands]


class StageScore(Model):
    stage: Literal["self", "third_party", "review"]
    awarded: Num | None = None  # null/absent: the report's column is empty (seed 004's 复核)


class Indicator(Model):
    code: str = Field(min_length=1)
    printed_code: str | None = None
    parent: str | None = None
    name: str
    weight: Num
    benchmark: str | None = None
    explanation: str | None = None
    checkpoints: NoneList[str] = Field(default_factory=list)
    rule_text: str | None = None
    rule: Rule | None = None
    inputs: dict[str, InputValue] | None = None
    awarded: Num | None = None
    scores: list[StageScore] | None = None
    narrative: str | None = None
    evidence: NoneList[str] = Field(default_factory=list)

    @property
    def shown_code(self) -> str:
        return self.printed_code or self.code


class BudgetLine(Model):
    code: str
    name: str
    nature: Literal["basic", "project"] | None = None  # null: not disclosed
    unit: str | None = None
    initial: Num | None = None
    adjusted: Num | None = None
    final: Num | None = None


class BudgetAdjustment(Model):
    line: str | None = None  # null: the report does not say which line (counts in no line's sum)
    amount: Num
    date: IsoDate | None = None
    reason: str | None = None
    document: str | None = None


class BudgetSources(Model):
    initial: dict[str, Num] | None = None
    adjusted: dict[str, Num] | None = None
    final: dict[str, Num] | None = None


class PublicFunds(Model):
    budget: Num | None = None
    actual: Num | None = None


class ThreePublic(Model):
    initial: Num | None = None
    adjusted: Num | None = None
    actual: Num | None = None


class BudgetStated(Model):
    initial: Num | None = None
    adjusted: Num | None = None
    final: Num | None = None
    adjustment: Num | None = None
    carryover: Num | None = None
    execution_rate: Num | None = None
    adjustment_rate: Num | None = None
    carryover_rate: Num | None = None
    public_funds_control_rate: Num | None = None
    three_public_control_rate: Num | None = None


class Budget(Model):
    unit: Literal["万元", "元"] | None = None
    lines: NoneList[BudgetLine] = Field(default_factory=list)
    adjustments: NoneList[BudgetAdjustment] = Field(default_factory=list)
    sources: BudgetSources | None = None
    carryover: Num | None = None
    public_funds: PublicFunds | None = None
    three_public: ThreePublic | None = None
    stated: BudgetStated = Field(default_factory=BudgetStated)


class Staffing(Model):
    unit: str
    authorized: NonNegInt | None = None  # null: not disclosed; control rates unknown
    actual: NonNegInt | None = None


class SurveyQuestion(Model):
    text: str
    counts: list[NonNegInt] | None = None
    stated: Num | None = None


class Survey(Model):
    id: str = Field(min_length=1)
    title: str | None = None
    respondents: NonNegInt | None = None
    valid: NonNegInt | None = None  # null: composites are taken as stated, counts not summed
    options: NoneList[str] = Field(default_factory=list)
    scale: list[Num] | None = None
    aggregate: Literal["mean_of_questions", "pooled"] = "mean_of_questions"
    questions: NoneList[SurveyQuestion] = Field(default_factory=list)
    stated_overall: Num | None = None


class PackageFinding(Model):
    ref: str = Field(min_length=1)
    seq: StrictInt | str | None = None
    category: str | None = None
    title: str
    description: str | None = None
    root_cause: str | None = None
    responsible_unit: str | None = None
    indicator_codes: NoneList[str] = Field(default_factory=list)
    amount: Num | None = None
    rectification_class: Literal["immediate", "phased", "long_term"] | None = None
    due: IsoDate | None = None


class Suggestion(Model):
    ref: str
    title: str | None = None
    text: str
    finding_refs: NoneList[str] = Field(default_factory=list)


class Package(Model):
    format: Literal["rectify/evaluation@1"]
    department: Org
    units: NoneList[Org] = Field(default_factory=list)
    evaluation: EvaluationInfo
    indicators: list[Indicator]
    budget: Budget | None = None
    staffing: NoneList[Staffing] = Field(default_factory=list)
    surveys: NoneList[Survey] = Field(default_factory=list)
    findings: NoneList[PackageFinding]  # required key; null = the report lists no problems
    suggestions: NoneList[Suggestion] = Field(default_factory=list)

    def leaf_codes(self) -> set[str]:
        parents = {i.parent for i in self.indicators}
        return {i.code for i in self.indicators if i.code not in parents}


# ------------------------------------------------------------------------- loading

_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段（拼写错误？自由文本请放入 note）",
    "literal_error": "取值不在允许范围内",
    "string_type": "应为字符串",
    "int_type": "应为整数",
    "bool_type": "应为布尔值 true/false",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "tuple_type": "应为列表",
    "too_short": "元素太少",
    "too_long": "元素太多",
    "union_tag_invalid": "kind 不是已知的规则类型",
    "union_tag_not_found": "缺少 kind",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "string_too_short": "不能为空字符串",
    "value_error": "",
    "decimal_type": "应为数字",
    "date_type": "应为日期",
}


def json_path(loc: Iterable[int | str], data: object) -> str:
    """A pydantic error location as a JSON path, skipping union tags that are not keys."""
    path = "$"
    items = list(loc)
    current: object = data
    for i, part in enumerate(items):
        last = i == len(items) - 1
        if isinstance(current, list) and isinstance(part, int):
            path += f"[{part}]"
            current = current[part] if 0 <= part < len(current) else None
        elif isinstance(current, dict) and isinstance(part, str) and (part in current or last):
            path += f".{part}"
            current = current.get(part)
        elif isinstance(current, dict | list):
            continue  # a tag pydantic added (discriminator, union member)
        else:
            break
    return path


def _translate(err: Mapping[str, Any]) -> str:
    kind = str(err.get("type", ""))
    base = _MESSAGES.get(kind)
    msg = str(err.get("msg", ""))
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    if kind == "literal_error":
        expected = (err.get("ctx") or {}).get("expected", "")
        return f"取值 {err.get('input')!r} 不允许，应为 {expected}"
    if kind == "union_tag_invalid":
        return f"未知的规则类型 kind={(err.get('ctx') or {}).get('tag')!r}"
    if base:
        return base
    return msg


def parse_package(data: object, source: str) -> Package:
    """Validate decoded JSON (numbers as Decimal) as a package; raise InvalidPackage."""
    if not isinstance(data, dict):
        raise InvalidPackage(source, [PackageError("$", "顶层应为 JSON 对象")])
    fmt = data.get("format")
    if fmt != FORMAT:
        raise InvalidPackage(
            source, [PackageError("$.format", f"格式应为 {FORMAT!r}，实为 {fmt!r}")]
        )
    try:
        package = Package.model_validate(data)
    except ValidationError as exc:
        errors = [
            PackageError(json_path(e["loc"], data), _translate(e))
            for e in exc.errors(include_url=False)
        ]
        raise InvalidPackage(source, _dedupe(errors)) from None
    errors = semantic_errors(package)
    errors += [PackageError(p, m) for p, m in plausibility_errors(package)]
    if errors:
        raise InvalidPackage(source, errors)
    return package


def _dedupe(errors: list[PackageError]) -> list[PackageError]:
    seen: set[PackageError] = set()
    out = []
    for e in errors:
        if e not in seen:
            seen.add(e)
            out.append(e)
    return out


def load_package(path: pathlib.Path) -> Package:
    """Read, decode (Decimal numbers) and validate a package file.

    Size, nesting, literal lengths, text lengths and number ranges are checked
    (reports/limits.py) before pydantic or any arithmetic sees a value."""
    source = str(path)
    try:
        with path.open("rb") as stream:
            raw = stream.read(limits.MAX_BYTES + 1)
    except FileNotFoundError:
        raise InvalidPackage(source, [PackageError("$", "文件不存在")]) from None
    except IsADirectoryError:
        raise InvalidPackage(source, [PackageError("$", "这是目录，不是文件")]) from None
    except OSError as exc:
        raise InvalidPackage(source, [PackageError("$", f"无法读取文件：{exc.strerror}")]) from None
    if len(raw) > limits.MAX_BYTES:
        raise InvalidPackage(
            source, [PackageError("$", f"文件过大（超过 {limits.MAX_BYTES // (1024 * 1024)} MB）")]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidPackage(
            source, [PackageError("$", f"文件不是 UTF-8 编码（第 {exc.start} 字节）")]
        ) from None
    deep = limits.scan_nesting(text)
    if deep is not None:
        raise InvalidPackage(
            source, [PackageError(deep, f"嵌套过深（超过 {limits.MAX_DEPTH} 层）")]
        )
    try:
        data = limits.decode(text)
    except json.JSONDecodeError as exc:
        raise InvalidPackage(
            source,
            [PackageError("$", f"JSON 语法错误：第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}")],
        ) from None
    refused = limits.limit_errors(data)
    if refused:
        raise InvalidPackage(source, [PackageError(p, m) for p, m in refused])
    return parse_package(data, source)


# ------------------------------------------------------------------------- semantics

_CASES = TypeAdapter(list[Case])
_ITEMS = TypeAdapter(list[GradedItem])


def _adapter_errors(
    adapter: TypeAdapter[Any], value: object, base: str, out: list[PackageError]
) -> None:
    try:
        adapter.validate_python(value)
    except ValidationError as exc:
        for e in exc.errors(include_url=False):
            out.append(PackageError(base + json_path(e["loc"], value)[1:], _translate(e)))


def given_or_empty(inputs: Mapping[str, object] | None) -> Mapping[str, object]:
    return inputs if inputs is not None else {}


def _check_inputs(
    rule: Rule,
    weight: Decimal,
    inputs: Mapping[str, object] | None,
    base: str,
    out: list[PackageError],
) -> None:
    """Inputs a rule needs are present and well-typed; recurse into composite parts."""
    rpath = base + ".rule"
    ipath = base + ".inputs"
    for sub, msg in rule_problems(rule, weight):
        out.append(PackageError(rpath + sub, msg))
    for m_i, measure in enumerate(rule_measures(rule)):
        if not is_known_measure(measure):
            out.append(PackageError(f"{rpath}.measure", f"未知的 measure {measure!r}"))
        del m_i
    for name, value in (inputs or {}).items():
        if name == "note":
            if not isinstance(value, str):
                out.append(PackageError(f"{ipath}.note", "note 应为字符串"))
        elif isinstance(value, str):
            out.append(PackageError(f"{ipath}.{name}", "输入不能是文本；自由文本请放入 note"))
        elif isinstance(value, list) and name not in LIST_INPUTS:
            out.append(PackageError(f"{ipath}.{name}", "列表仅用于 results、cases、items"))
    # `inputs: null`: the report disclosed none of them, so each counts as null.
    for name in required_inputs(rule) if inputs is not None else ():
        if name not in given_or_empty(inputs):
            out.append(
                PackageError(f"{ipath}.{name}", f"规则引用的输入 {name!r} 缺失（未披露请写 null）")
            )
    given = given_or_empty(inputs)
    for clause_i, clause in enumerate(rule.veto):
        value = given.get(clause.input)
        if value is not None and not isinstance(value, bool):
            out.append(
                PackageError(
                    f"{ipath}.{clause.input}",
                    f"否决输入应为 true/false/null（rule.veto[{clause_i}]）",
                )
            )
    if isinstance(rule, ChecklistRule):
        results = given.get("results")
        if isinstance(results, list):
            if len(results) != len(rule.items):
                out.append(
                    PackageError(
                        f"{ipath}.results",
                        f"results 有 {len(results)} 项，规则有 {len(rule.items)} 个要点",
                    )
                )
            for i, r in enumerate(results):
                if isinstance(r, str) and r not in (rule.result_tiers or {}):
                    out.append(
                        PackageError(f"{ipath}.results[{i}]", f"档位 {r!r} 不在 result_tiers 中")
                    )
                elif isinstance(r, Decimal) and not (0 <= r <= 1):
                    out.append(PackageError(f"{ipath}.results[{i}]", f"比例 {r} 应在 0 到 1 之间"))
                elif isinstance(r, dict):
                    out.append(
                        PackageError(
                            f"{ipath}.results[{i}]", "结果应为布尔值、比例、档位名称或 null"
                        )
                    )
        elif results is not None and "results" in given:
            out.append(PackageError(f"{ipath}.results", "results 应为列表或 null"))
    if "cases" in given and given["cases"] is not None:
        cases = given["cases"]
        if isinstance(cases, list):
            _adapter_errors(_CASES, cases, f"{ipath}.cases", out)
        elif not isinstance(cases, Decimal) or cases < 0 or cases != cases.to_integral_value():
            out.append(PackageError(f"{ipath}.cases", "cases 应为非负整数或案例列表"))
    if "items" in given and given["items"] is not None:
        items = given["items"]
        if isinstance(items, list):
            _adapter_errors(_ITEMS, items, f"{ipath}.items", out)
            if isinstance(rule, GradeMapRule):
                for i, it in enumerate(items):
                    grade = it.get("grade") if isinstance(it, dict) else None
                    if isinstance(grade, str) and grade not in rule.fractions:
                        out.append(
                            PackageError(
                                f"{ipath}.items[{i}].grade", f"等级 {grade!r} 不在 fractions 中"
                            )
                        )
        else:
            out.append(PackageError(f"{ipath}.items", "items 应为列表或 null"))
    if isinstance(rule, CompositeRule):
        for i, part in enumerate(rule.parts):
            _check_inputs(part.rule, part.points, part.inputs, f"{rpath}.parts[{i}]", out)


def semantic_errors(pkg: Package) -> list[PackageError]:
    out: list[PackageError] = []
    org_codes = {pkg.department.code}
    for i, unit in enumerate(pkg.units):
        if unit.parent is None or unit.parent not in org_codes:
            out.append(
                PackageError(
                    f"$.units[{i}].parent",
                    f"上级单位 {unit.parent!r} 不存在（应为部门或前面的单位代码）",
                )
            )
        if unit.code in org_codes:
            out.append(PackageError(f"$.units[{i}].code", f"单位代码 {unit.code!r} 重复"))
        org_codes.add(unit.code)

    ev = pkg.evaluation
    grades = [b.grade for b in ev.grade_bands]
    for i, g in enumerate(grades):
        if g in grades[:i]:
            out.append(PackageError(f"$.evaluation.grade_bands[{i}].grade", f"等级 {g!r} 重复"))
    if ev.subject == "project" and ev.project is None:
        out.append(PackageError("$.evaluation.project", "项目评价须给出 project"))

    seen: dict[str, int] = {}
    parents = {ind.parent for ind in pkg.indicators if ind.parent is not None}
    for i, ind in enumerate(pkg.indicators):
        base = f"$.indicators[{i}]"
        if ind.code in seen:
            out.append(
                PackageError(
                    f"{base}.code",
                    f"指标代码 {ind.code!r} 重复（与 indicators[{seen[ind.code]}]）；印刷代码相同请用 printed_code",
                )
            )
        if ind.parent is not None and ind.parent not in seen:
            later = any(o.code == ind.parent for o in pkg.indicators[i + 1 :])
            msg = "上级指标须排在下级之前" if later else "上级指标不存在"
            out.append(PackageError(f"{base}.parent", f"{msg}：{ind.parent!r}"))
        seen.setdefault(ind.code, i)
        if ind.weight < 0:
            out.append(PackageError(f"{base}.weight", "权重不能为负"))
        is_leaf = ind.code not in parents
        if not is_leaf:
            for key in ("rule", "inputs", "scores"):
                if getattr(ind, key) is not None:
                    out.append(PackageError(f"{base}.{key}", f"{key} 只能出现在末级指标上"))
            continue
        if ind.awarded is None:
            out.append(PackageError(f"{base}.awarded", "末级指标须给出 awarded（评价得分）"))
        for j, sc in enumerate(ind.scores or []):
            if sc.stage == ev.stage and ind.awarded is not None and sc.awarded != ind.awarded:
                out.append(
                    PackageError(
                        f"{base}.scores[{j}].awarded",
                        f"本阶段（{ev.stage}）得分 {sc.awarded} 与 awarded {ind.awarded} 不一致",
                    )
                )
        stages = [s.stage for s in ind.scores or []]
        for j, st in enumerate(stages):
            if st in stages[:j]:
                out.append(PackageError(f"{base}.scores[{j}].stage", f"阶段 {st!r} 重复"))
        if ind.rule is not None:
            _check_inputs(ind.rule, ind.weight, ind.inputs, base, out)

    shown = {ind.code for ind in pkg.indicators} | {ind.shown_code for ind in pkg.indicators}
    refs: set[str] = set()
    for i, f in enumerate(pkg.findings):
        if f.ref in refs:
            out.append(PackageError(f"$.findings[{i}].ref", f"问题编号 {f.ref!r} 重复"))
        refs.add(f.ref)
        for j, code in enumerate(f.indicator_codes):
            if code not in shown:
                out.append(
                    PackageError(f"$.findings[{i}].indicator_codes[{j}]", f"指标 {code!r} 不存在")
                )
        if f.responsible_unit is not None and f.responsible_unit not in org_codes:
            out.append(
                PackageError(
                    f"$.findings[{i}].responsible_unit",
                    f"责任单位 {f.responsible_unit!r} 不是部门或其单位",
                )
            )
    srefs: set[str] = set()
    for i, s in enumerate(pkg.suggestions):
        if s.ref in srefs:
            out.append(PackageError(f"$.suggestions[{i}].ref", f"建议编号 {s.ref!r} 重复"))
        srefs.add(s.ref)
        for j, ref in enumerate(s.finding_refs):
            if ref not in refs:
                out.append(
                    PackageError(f"$.suggestions[{i}].finding_refs[{j}]", f"问题 {ref!r} 不存在")
                )

    if pkg.budget is not None:
        lines = [ln.code for ln in pkg.budget.lines]
        for i, code in enumerate(lines):
            if code in lines[:i]:
                out.append(PackageError(f"$.budget.lines[{i}].code", f"预算行 {code!r} 重复"))
        for i, adj in enumerate(pkg.budget.adjustments):
            if adj.line is None:
                if not lines:
                    out.append(
                        PackageError(
                            f"$.budget.adjustments[{i}].line",
                            "预算没有预算行，未注明预算行的调整无处计入；调整总数请写在 stated.adjustment",
                        )
                    )
            elif adj.line not in lines:
                out.append(
                    PackageError(f"$.budget.adjustments[{i}].line", f"预算行 {adj.line!r} 不存在")
                )
    for i, staff in enumerate(pkg.staffing):
        if staff.unit not in org_codes:
            out.append(
                PackageError(f"$.staffing[{i}].unit", f"单位 {staff.unit!r} 不是部门或其单位")
            )
    ids: set[str] = set()
    for i, sv in enumerate(pkg.surveys):
        base = f"$.surveys[{i}]"
        if sv.id in ids:
            out.append(PackageError(f"{base}.id", f"问卷 {sv.id!r} 重复"))
        ids.add(sv.id)
        if sv.respondents is not None and sv.valid is not None and sv.valid > sv.respondents:
            out.append(
                PackageError(f"{base}.valid", f"有效问卷 {sv.valid} 多于回收 {sv.respondents}")
            )
        n = len(sv.options)
        if sv.scale is not None and len(sv.scale) != n:
            out.append(PackageError(f"{base}.scale", f"分值有 {len(sv.scale)} 项，选项有 {n} 项"))
        for j, q in enumerate(sv.questions):
            if q.counts is not None and len(q.counts) != n:
                out.append(
                    PackageError(
                        f"{base}.questions[{j}].counts", f"计数有 {len(q.counts)} 项，选项有 {n} 项"
                    )
                )
    return out


__all__ = [
    "FORMAT",
    "Budget",
    "BudgetAdjustment",
    "BudgetLine",
    "EvaluationInfo",
    "Indicator",
    "InvalidPackage",
    "Org",
    "Package",
    "PackageError",
    "PackageFinding",
    "Staffing",
    "Suggestion",
    "Survey",
    "SurveyQuestion",
    "load_package",
    "parse_package",
    "semantic_errors",
]
