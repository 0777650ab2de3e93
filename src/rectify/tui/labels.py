"""Every Chinese word the TUI shows that is not a domain term (those come from the
domain's vocabulary: statuses, actions, roles, stages), and the one place that turns
values into screen text (Beijing time with the zone, money, rates)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from rectify.domain.evaluation import STAGE_LABELS, ScoreStage
from rectify.domain.identity import Role
from rectify.domain.lifecycle import ROLE_LABELS, STATUS_LABELS, FindingStatus

BEIJING = ZoneInfo("Asia/Shanghai")

APP_TITLE = "rectify 绩效评价与整改"
SCREEN_TITLES = {
    "home": "首页",
    "problems": "问题清单",
    "finding": "问题详情",
    "evaluations": "绩效评价",
    "budget": "预算台账",
    "log": "事件日志",
    "login": "登录",
}
CLASS_LABELS = {"immediate": "立行立改", "phased": "分阶段整改", "long_term": "持续整改"}

KEYS = {
    "home": "首页",
    "problems": "问题清单",
    "evaluations": "评价",
    "budget": "预算",
    "log": "日志",
    "help": "帮助",
    "theme": "明/暗",
    "quit": "退出",
    "back": "返回",
    "refresh": "刷新",
    "filter": "筛选",
    "open": "打开",
    "overdue": "只看逾期",
    "repeat": "只看屡犯",
    "verify": "校验封存",
    "revise": "修订得分",
    "history": "得分历史",
    "chart": "跨年图",
    "save": "保存材料",
}

HELP_TEXT = """\
# rectify 帮助

**到处可用**：`1` 首页　`2` 问题清单　`3` 绩效评价　`4` 预算台账　`5` 事件日志
`Ctrl+P` 命令面板（输入问题编号、部门或评价即可跳转）　`Ctrl+T` 明/暗主题　`?` 本帮助　`Esc` 返回　`Ctrl+Q` 退出

**问题清单**：`/` 光标到筛选框　`o` 只看逾期　`r` 只看屡查屡犯　`Enter` 打开问题；滚到底自动加载下一页。

**问题详情**：底栏列出当前角色此时可做的操作，每个操作一个按键，打开表单；
表单校验不通过时在字段旁标出原因，什么也不记录；领域规则拒绝时显示与命令行相同的中文原因。

**绩效评价**：`Enter` 看指标树；在末级指标上 `h` 看得分历史，`e` 修订得分（须说明理由），`c` 跨年度图。

**事件日志**（财政局、审计）：`v` 重新计算封存链并显示进度。
"""


def status_label(status: str) -> str:
    try:
        return STATUS_LABELS[FindingStatus(status)]
    except ValueError:
        return status


def class_label(value: str | None) -> str:
    return CLASS_LABELS.get(value or "", "—")


def role_label(role: Role) -> str:
    return ROLE_LABELS[role]


def stage_label(stage: str | None) -> str:
    if stage is None:
        return "—"
    try:
        return STAGE_LABELS[ScoreStage(stage)]
    except ValueError:
        return stage


def when(moment: datetime | None) -> str:
    """A moment in Beijing time, with the zone said."""
    if moment is None:
        return "—"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") + " 北京"


def day(value: date | None) -> str:
    return value.isoformat() if value else "—"


def number(value: Decimal | None, unit: str | None = None) -> str:
    if value is None:
        return "—"
    return f"{value:f}{unit or ''}"


def rate(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:f}%"
