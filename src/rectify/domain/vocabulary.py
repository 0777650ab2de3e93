"""The one vocabulary: stored English names and the Chinese label of each.

Statuses, lifecycle actions, rectification classes, roles, score stages and every
event type (by its permanent topic) are named here once. Enum values are what the
event log and the read models store; the labels are what screens and documents show.
Everything else imports from here — a label table anywhere else is a bug.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

from rectify.domain.identity import Role

__all__ = [
    "ACTION_LABELS",
    "AGGREGATE_LABELS",
    "CLASS_LABELS",
    "DETAIL_LABELS",
    "EVENT_LABELS",
    "OCCURRENCE_LABELS",
    "REPORT_KIND_LABELS",
    "RESULT_CONSEQUENCE_LABELS",
    "ROLE_LABELS",
    "STAGE_LABELS",
    "STATUS_LABELS",
    "MONITORING_STATUS_LABELS",
    "TARGET_CATEGORY_LABELS",
    "TARGET_CHANGE_LABELS",
    "WARNING_KIND_LABELS",
    "Action",
    "FindingStatus",
    "RectificationClass",
    "Role",
    "ScoreStage",
    "by_value",
    "detail_label",
    "event_label",
    "event_title",
    "topics_named",
]


class FindingStatus(Enum):
    RECORDED = "recorded"  # 已记录，待下发
    ISSUED = "issued"  # 已下发，整改中（重新打开后也回到此状态）
    CLOSURE_REQUESTED = "closure_requested"  # 已申请销号
    RETURNED = "returned"  # 已退回
    CLOSED = "closed"  # 已销号
    LONG_TERM = "long_term"  # 持续整改（定期复核，不硬性销号）
    WITHDRAWN = "withdrawn"  # 已撤销（误记）


class Action(Enum):
    ISSUE = "issue"
    RECORD_MEASURES = "record_measures"
    NAME_RESPONSIBLE = "name_responsible"
    REPORT_PROGRESS = "report_progress"
    ATTACH_EVIDENCE = "attach_evidence"
    REQUEST_CLOSURE = "request_closure"
    CLOSE = "close"
    RETURN = "return"
    EXTEND_DEADLINE = "extend_deadline"
    ACCEPT_LONG_TERM = "accept_long_term"
    REOPEN = "reopen"
    CARRY_OVER = "carry_over"
    WITHDRAW = "withdraw"
    LINK_REPEAT = "link_repeat"


class RectificationClass(Enum):
    IMMEDIATE = "immediate"  # 立行立改
    PHASED = "phased"  # 分阶段整改
    LONG_TERM = "long_term"  # 持续整改


class ScoreStage(Enum):
    SELF = "self"  # 自评
    REVIEW = "review"  # 复核
    THIRD_PARTY = "third_party"  # 第三方评价
    FINAL = "final"  # 最终（征求意见后）


STATUS_LABELS: Mapping[FindingStatus, str] = {
    FindingStatus.RECORDED: "待下发",
    FindingStatus.ISSUED: "整改中",
    FindingStatus.CLOSURE_REQUESTED: "已申请销号",
    FindingStatus.RETURNED: "已退回",
    FindingStatus.CLOSED: "已销号",
    FindingStatus.LONG_TERM: "持续整改",
    FindingStatus.WITHDRAWN: "已撤销",
}

ACTION_LABELS: Mapping[Action, str] = {
    Action.ISSUE: "下发",
    Action.RECORD_MEASURES: "记录整改措施",
    Action.NAME_RESPONSIBLE: "指定责任人",
    Action.REPORT_PROGRESS: "报告整改进展",
    Action.ATTACH_EVIDENCE: "附佐证材料",
    Action.REQUEST_CLOSURE: "申请销号",
    Action.CLOSE: "销号",
    Action.RETURN: "退回",
    Action.EXTEND_DEADLINE: "延期",
    Action.ACCEPT_LONG_TERM: "转为持续整改",
    Action.REOPEN: "重新打开",
    Action.CARRY_OVER: "结转下一年度",
    Action.WITHDRAW: "撤销",
    Action.LINK_REPEAT: "关联屡查屡犯",
}

CLASS_LABELS: Mapping[RectificationClass, str] = {
    RectificationClass.IMMEDIATE: "立行立改",
    RectificationClass.PHASED: "分阶段整改",
    RectificationClass.LONG_TERM: "持续整改",
}

ROLE_LABELS: Mapping[Role, str] = {
    Role.BUREAU: "财政局",
    Role.EVALUATOR: "评价机构",
    Role.DEPARTMENT: "部门",
    Role.AUDITOR: "审计（只读）",
    Role.SYSTEM: "系统",
}

STAGE_LABELS: Mapping[ScoreStage, str] = {
    ScoreStage.SELF: "自评",
    ScoreStage.REVIEW: "复核",
    ScoreStage.THIRD_PARTY: "第三方评价",
    ScoreStage.FINAL: "最终",
}

# Every event type of every aggregate, by its permanent topic → what happened.
# tests/domain/test_vocabulary.py fails when an event class has no entry here.
EVENT_LABELS: Mapping[str, str] = {
    "rectify/Finding.Recorded": "记录问题",
    "rectify/Finding.Issued": ACTION_LABELS[Action.ISSUE],
    "rectify/Finding.MeasuresRecorded": ACTION_LABELS[Action.RECORD_MEASURES],
    "rectify/Finding.ResponsiblePersonNamed": ACTION_LABELS[Action.NAME_RESPONSIBLE],
    "rectify/Finding.ProgressReported": ACTION_LABELS[Action.REPORT_PROGRESS],
    "rectify/Finding.EvidenceAttached": ACTION_LABELS[Action.ATTACH_EVIDENCE],
    "rectify/Finding.ClosureRequested": ACTION_LABELS[Action.REQUEST_CLOSURE],
    "rectify/Finding.Closed": ACTION_LABELS[Action.CLOSE],
    "rectify/Finding.Returned": ACTION_LABELS[Action.RETURN],
    "rectify/Finding.DeadlineExtended": ACTION_LABELS[Action.EXTEND_DEADLINE],
    "rectify/Finding.AcceptedAsLongTerm": ACTION_LABELS[Action.ACCEPT_LONG_TERM],
    "rectify/Finding.Reopened": ACTION_LABELS[Action.REOPEN],
    "rectify/Finding.CarriedOver": ACTION_LABELS[Action.CARRY_OVER],
    "rectify/Finding.Withdrawn": ACTION_LABELS[Action.WITHDRAW],
    "rectify/Finding.RepeatLinked": ACTION_LABELS[Action.LINK_REPEAT],
    "rectify/Evaluation.Registered": "登记评价",
    "rectify/Evaluation.ScoreEntered": "录入得分",
    "rectify/Evaluation.ScoreRevised": "修改得分",
    "rectify/Evaluation.Revised": "修改评价信息",
    "rectify/Budget.Opened": "登记预算",
    "rectify/Budget.Adjusted": "调整预算",
    "rectify/Budget.FinalAccountsRecorded": "记录决算",
    "rectify/Budget.ControlsRecorded": "记录公用经费与“三公”经费",
    "rectify/Budget.StaffingRecorded": "记录编制与实有人数",
    "rectify/Budget.Restated": "重述预算",
    "rectify/Evidence.Submitted": "提交佐证材料",
    "rectify/User.Added": "添加用户",
    "rectify/User.PasswordChanged": "修改密码",
    "rectify/User.RoleChanged": "变更角色",
    "rectify/User.Disabled": "停用用户",
    "rectify/User.Enabled": "启用用户",
    "rectify/User.SessionOpened": "登录",
    "rectify/User.SessionClosed": "退出登录",
    "rectify/User.LoginFailed": "登录失败",
    "rectify/User.LockedOut": "多次登录失败，暂时锁定",
    "rectify/User.Unlocked": "解除登录锁定",
    "rectify/UserDirectory.Started": "建立用户名册",
    "rectify/UserDirectory.UserListed": "登记用户",
    "rectify/Department.Registered": "登记部门",
    "rectify/Department.Renamed": "部门更名",
    "rectify/Occurrence.Recorded": "时钟记录（提醒、逾期、复核、报送）",
    "rectify/Policy.Adopted": "制定时限与提醒政策",
    "rectify/Policy.Changed": "修改时限与提醒政策",
    "rectify/Targets.Declared": "申报绩效目标",
    "rectify/Targets.Revised": "调整绩效目标",
    "rectify/Targets.VersionNoted": "记录绩效目标的另一版本",
    "rectify/CommentRound.Opened": "发送征求意见稿",
    "rectify/CommentRound.ReplyRecorded": "部门回复征求意见",
    "rectify/CommentRound.ResponseRecorded": "答复部门意见",
    "rectify/CommentRound.Closed": "结束征求意见（定稿）",
    "rectify/ResultPolicy.Started": "建立结果应用政策",
    "rectify/ResultPolicy.Set": "设定结果应用政策",
    "rectify/ResultDecision.Decided": "决定结果应用",
    "rectify/Monitoring.Planned": "制定绩效监控计划",
    "rectify/Monitoring.ReportFiled": "报送绩效监控报告",
    "rectify/Monitoring.SelfEvaluationSubmitted": "报送自评报告",
    "rectify/Monitoring.WarningRaised": "绩效监控预警",
    "rectify/Monitoring.WarningConverted": "预警转为问题",
    "rectify/Monitoring.ReportOverdue": "绩效监控报告逾期",
}

# What each kind of aggregate is, by the class name in its topics: an event's label
# alone (下发, 修改得分) does not say what it happened to.
AGGREGATE_LABELS: Mapping[str, str] = {
    "Finding": "问题",
    "Evaluation": "评价",
    "Budget": "预算",
    "Evidence": "佐证",
    "User": "用户",
    "UserDirectory": "用户名册",
    "Department": "部门",
    "Occurrence": "时钟",
    "Policy": "时限政策",
    "Targets": "绩效目标",
    "CommentRound": "征求意见",
    "ResultPolicy": "结果应用政策",
    "ResultDecision": "结果应用",
    "Monitoring": "绩效监控",
}

# What the clock records (Occurrence.kind) and the inbox's other items, by stored name.
OCCURRENCE_LABELS: Mapping[str, str] = {
    "reminder": "整改时限提醒",
    "overdue": "整改逾期",
    "re_review_due": "持续整改到期复核",
    "report_due": "应报送整改情况",
    "report_overdue": "整改情况逾期未报",
    "monitoring_reminder": "报告到期提醒",
    "monitoring_overdue": "报告逾期未报",
    "returned": "问题被退回",
    "closure_requested": "申请销号待审核",
}

# What the scan records when a monitoring or self-evaluation report is owed past its
# due date (kind `monitoring_overdue`), by the period's kind.
OWED_REPORT_LABELS: Mapping[str, str] = {
    "monitoring": "绩效监控报告逾期未报",
    "self_evaluation": "自评报告逾期未报",
}

# The report a reminder before its due date is about (monitoring plan periods' kinds).
REPORT_KIND_LABELS: Mapping[str, str] = {
    "monitoring": "绩效监控报告",
    "self_evaluation": "自评报告",
}

# Performance-target categories (绩效指标类别), by their stored names.
TARGET_CATEGORY_LABELS: Mapping[str, str] = {
    "quantity": "数量指标",
    "quality": "质量指标",
    "timeliness": "时效指标",
    "cost": "成本指标",
    "economic": "经济效益指标",
    "social": "社会效益指标",
    "ecological": "生态效益指标",
    "sustainable": "可持续影响指标",
    "satisfaction": "满意度指标",
}

# Result application (结果应用): the budget consequence of a grade, by stored name.
RESULT_CONSEQUENCE_LABELS: Mapping[str, str] = {
    "priority": "优先保障",
    "keep": "维持",
    "cut": "核减",
    "suspend": "暂停",
}

# How a target entered the log (targets show/history, the TUI's 目标 tab).
TARGET_CHANGE_LABELS: Mapping[str, str] = {
    "declared": "申报",
    "revised": "调整",
    "version": "另一版本",
}

# Monitoring report status (what the scheduler watches) and warning kinds.
MONITORING_STATUS_LABELS: Mapping[str, str] = {
    "owed": "待报送",
    "filed": "已报送",
    "overdue": "已逾期",
}
WARNING_KIND_LABELS: Mapping[str, str] = {
    "execution_lag": "执行进度滞后",
    "target_miss": "目标预计偏差",
}

# The Chinese name of each event field a timeline shows (its details column).
DETAIL_LABELS: Mapping[str, str] = {
    "department_code": "部门",
    "unit_code": "单位",
    "fiscal_year": "年度",
    "title": "问题",
    "amount": "涉及金额",
    "due": "整改时限",
    "rectification_class": "整改类别",
    "issued_on": "下发日期",
    "re_review_on": "复核日期",
    "requirements": "整改要求",
    "measures": "整改措施",
    "person": "责任人",
    "text": "进展",
    "percent": "完成比例",
    "as_of": "截至",
    "evidence_id": "佐证材料",
    "evidence_ids": "佐证材料",
    "old_due": "原整改时限",
    "new_due": "新整改时限",
    "year": "结转至年度",
    "earlier_ref": "此前问题",
}


E = TypeVar("E", bound=Enum)


def by_value(labels: Mapping[E, str]) -> dict[str, str]:
    """A label table keyed by the stored names (read models hold enum values)."""
    return {member.value: label for member, label in labels.items()}


def event_label(topic: str) -> str:
    """The Chinese label of an event topic (`rectify/Finding.Issued` → 下发)."""
    return EVENT_LABELS[topic]


def event_title(topic: str) -> str:
    """An event as the log names it: its label, after the aggregate's word when the label
    does not already say it (`rectify/Finding.Issued` → 问题：下发, but 记录问题).
    A topic not in the vocabulary (an event of a later version) keeps its stored name."""
    label = EVENT_LABELS.get(topic)
    if label is None:
        return topic.removeprefix("rectify/")
    word = AGGREGATE_LABELS[topic.removeprefix("rectify/").split(".")[0]]
    return label if word in label else f"{word}：{label}"


def topics_named(text: str) -> list[str]:
    """The topics a person may mean by `text`: part of an event's Chinese title
    (问题：退回, 退回, 评价) or of its stored topic (Finding.Closed)."""
    needle = text.strip().casefold()
    return [
        topic
        for topic in EVENT_LABELS
        if needle in event_title(topic).casefold() or needle in topic.casefold()
    ]


def detail_label(field: str) -> str:
    """The Chinese name of an event field; an unknown field keeps its stored name."""
    return DETAIL_LABELS.get(field, field)
