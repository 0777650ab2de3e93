"""Every Chinese word the TUI shows that is not a domain term. Domain terms
(statuses, classes, actions, roles, stages, event names) come from
`rectify.domain.vocabulary`, and values are written by `rectify.domain.formatting`
(Beijing time with the zone, amounts, rates), the same as the CLI's."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from rich.cells import cell_len
from rich.text import Text

from rectify.domain import formatting
from rectify.domain.identity import Role
from rectify.domain.vocabulary import (
    CLASS_LABELS as DOMAIN_CLASS_LABELS,
)
from rectify.domain.vocabulary import (
    ROLE_LABELS,
    STAGE_LABELS,
    STATUS_LABELS,
    Action,
    by_value,
)

APP_TITLE = "rectify 绩效评价与整改"
SCREEN_TITLES = {
    "home": "首页",
    "problems": "问题清单",
    "finding": "问题详情",
    "evaluations": "绩效评价",
    "budget": "预算台账",
    "log": "事件日志",
    "login": "登录",
    "cycle": "年度流程",
}
CLASS_LABELS = by_value(DOMAIN_CLASS_LABELS)
_STATUS = by_value(STATUS_LABELS)
_STAGE = by_value(STAGE_LABELS)

KEYS = {
    "home": "首页",
    "problems": "问题清单",
    "evaluations": "评价",
    "budget": "预算",
    "log": "日志",
    "inbox": "收件箱",
    "help": "帮助",
    "theme": "明/暗",
    "quit": "退出",
    "back": "返回",
    "refresh": "刷新",
    "filter": "筛选",
    "open": "打开",
    "overdue": "只看逾期",
    "repeat": "只看屡犯",
    "sort": "排序",
    "sort_reverse": "反向排序",
    "as_of": "某日清单",
    "adjust": "调整预算",
    "open_file": "打开材料",
    "verify": "校验封存",
    "revise": "修订得分",
    "history": "得分历史",
    "chart": "跨年图",
    "save": "保存材料",
    "cycle": "年度流程",
    "convert_warning": "预警转问题",
    "choose_year": "换部门/年度",
    "checks": "核查",  # the checker's findings for the evaluation
    "palette": "跳转",  # Ctrl+P: Textual's own binding would say "palette"
    "earlier": "前案",  # the finding a repeat (屡查屡犯) repeats
    "later": "后案",  # a later finding that repeats this one
}

# The event log's columns; times in the 时间 column are Beijing time, said once here.
LOG_COLUMNS = ("序号", "事件", "对象", "版本", "操作人", "时间（北京时间）", "理由")
LOG_TOPIC_HINT = "/ 事件，如 退回、评价"  # fits the field at 80 columns

# A finding's actions as the footer names them: short, so that the seven a bureau may
# take on an item waiting for review fit 80 columns beside the global keys (the full
# name is the form's title and is in `?` help).
FOOTER_ACTIONS = {
    Action.ISSUE: "下发",
    Action.RECORD_MEASURES: "措施",
    Action.NAME_RESPONSIBLE: "责任人",
    Action.REPORT_PROGRESS: "进展",
    Action.ATTACH_EVIDENCE: "佐证",
    Action.REQUEST_CLOSURE: "申请销号",
    Action.CLOSE: "销号",
    Action.RETURN: "退回",
    Action.EXTEND_DEADLINE: "延期",
    Action.ACCEPT_LONG_TERM: "转持续",
    Action.REOPEN: "重开",
    Action.CARRY_OVER: "结转",
    Action.WITHDRAW: "撤销",
    Action.LINK_REPEAT: "屡犯",
}

# `?` help: one table per screen (键 | 作用), so that a key and its meaning stay on one
# row at 80 columns. The finding actions' table is built from the forms (help.py).
HELP_TEXT = """\
# rectify 帮助

## 到处可用

| 键 | 作用 |
|---|---|
| `1`–`7` | 首页、问题清单、绩效评价、预算台账、事件日志、收件箱、年度流程 |
| `Ctrl+P` | 命令面板：输入问题编号（或其一部分，如 2023-007）、部门或评价即跳转 |
| `Ctrl+T` | 明/暗主题 |
| `?` | 本帮助 |
| `Esc` | 返回 |
| `Ctrl+Q` | 退出 |

## 问题清单

| 键 | 作用 |
|---|---|
| `/` | 光标到筛选框（文字、年度、部门；下一行：状态、类别、逾期、屡查屡犯） |
| `o` | 只看逾期 |
| `r` | 只看屡查屡犯 |
| `s` / `S` | 换排序列 / 反向（点列标题也可排序） |
| `t` | 某日的问题清单（时间回溯），输入日期后回车 |
| `Enter` | 打开问题；滚到底自动加载下一页 |
| `←` `→` | 左右滚动，看年度、部门、金额、类别 |
| `F5` | 刷新 |

## 问题详情

| 键 | 作用 |
|---|---|
| `j` | 打开本问题重复的前案（屡查屡犯；有关联时底栏才显示） |
| `J` | 打开重复本问题的后案（有关联时底栏才显示） |
| `v` | 在佐证材料上：打开（写到临时文件，用系统程序打开；没有则显示路径） |
| `s` | 在佐证材料上：保存到当前目录 |
| `Esc` | 返回 |

底栏列出当前角色此时可做的操作，每个操作一个按键，打开表单。表单校验不通过时在字段旁标出原因，什么也不记录；领域规则拒绝时显示与命令行相同的中文原因。

## 绩效评价

| 键 | 作用 |
|---|---|
| `Enter` | 打开评价的指标树 |
| `h` | 末级指标的得分历史（各阶段、修改人、理由） |
| `e` | 修订末级指标得分（须说明理由） |
| `c` | 该指标的跨年度图 |
| `k` | 核查：总分、等级、权重合计、编号重复、评分与规则不符、扣分无对应问题；回车跳到该指标 |
| `t` | 按日期查看指标树（日期留空：今天） |

## 预算台账

| 键 | 作用 |
|---|---|
| `j` | 调整预算（须说明理由） |

## 年度流程（`7`）

| 键 | 作用 |
|---|---|
| `Enter` | 选定部门与年度 |
| `g` | 绩效目标及调整 |
| `m` | 绩效监控：偏差、预警 |
| `w` | 在预警上（财政局）：转为问题 |
| `v` | 自评与复核的偏差 |
| `c` | 征求意见：回复与答复 |
| `a` | 结果应用与预算、整改情况 |
| `d` | 换部门/年度 |

## 事件日志（财政局、审计）

| 键 | 作用 |
|---|---|
| `v` | 重新计算封存链并显示进度 |
| `/` | 按事件（如 销号、问题：退回）、对象（问题编号/评价/部门）、操作人筛选 |

## 收件箱

| 键 | 作用 |
|---|---|
| `Enter` | 标为已读并打开问题 |
| `a` | 全部标为已读 |
"""


def reason_line(reason: str | None, label: str = "理由") -> Text:
    """The highlighted row's whole reason, under a table too narrow for it (literal:
    a reason is the user's text, not markup)."""
    return Text.assemble((f"{label}：", "dim"), reason or "—")


# What a Ctrl+P hit opens, shown beside it (the palette's help column).
JUMP_KINDS = {
    "finding": "打开问题",
    "department": "部门的问题清单",
    "evaluation": "打开评价",
    "cycle": "年度流程",
}


def status_label(status: str) -> str:
    return _STATUS.get(status, status)


def class_label(value: str | None) -> str:
    return CLASS_LABELS.get(value or "", formatting.MISSING)


def role_label(role: Role) -> str:
    return ROLE_LABELS[role]


def stage_label(stage: str | None) -> str:
    return formatting.MISSING if stage is None else _STAGE.get(stage, stage)


def when(moment: datetime | None) -> str:
    """A moment in Beijing time, with the zone said."""
    return formatting.moment(moment)


def clock_time(moment: datetime) -> str:
    """A moment in Beijing time without the zone, under a title that says it."""
    return formatting.beijing(moment).strftime("%Y-%m-%d %H:%M")


def day(value: date | None) -> str:
    return formatting.day(value)


def number(value: Decimal | None, unit: str | None = None) -> str:
    return formatting.amount(value, unit) if unit else formatting.number(value)


def rate(value: Decimal | None) -> str:
    """Two places on screen (a computed rate such as 调整率 may carry 28 digits)."""
    if value is None:
        return formatting.percent(None)
    return formatting.percent(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def short(text: str, width: int = 24) -> str:
    """Cut a long title to `width` terminal cells (a Chinese character takes two);
    the full text is on the detail screen."""
    if cell_len(text) <= width:
        return text
    out = ""
    for char in text:
        if cell_len(out + char) > width - 1:
            break
        out += char
    return out + "…"
