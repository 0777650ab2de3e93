"""问题详情: every field, the timeline (who, when, what, why), the evidence with its
hashes, and one key per action the role may take now (the lifecycle table decides)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Static

from rectify.domain.vocabulary import Action
from rectify.projections.queries import FindingDetail
from rectify.tui.actions import FORMS, forms_for
from rectify.tui.footer import footer
from rectify.tui.labels import FOOTER_ACTIONS, KEYS, class_label, day, number, status_label, when
from rectify.tui.loading import Loaded, LoadingScreen
from rectify.tui.screens.action_form import ActionFormScreen


def detail_lines(d: FindingDetail) -> str:
    f = d.finding
    carried = f"（结转至 {'、'.join(map(str, f.carried_years))}）" if f.carried_years else ""
    due = day(f.due) + ("  [b red]逾期[/]" if f.overdue else "")
    if f.extension_count:
        due += f"，延期 {f.extension_count} 次"
    rows = [
        ("状态", f"[b]{status_label(f.status)}[/]"),
        (
            "部门",
            (f.department_name or f.department_code) + (f" / {f.unit_code}" if f.unit_code else ""),
        ),
        ("年度", f"{f.fiscal_year}{carried}"),
        ("类别", f.category),
        ("描述", f.description),
        ("涉及金额", number(f.amount, f.amount_unit)),
        ("整改类别", class_label(f.rectification_class)),
        ("整改要求", f.requirements or "—"),
        ("责任人", f.responsible_person or "—"),
        ("整改时限", due),
        ("复核日期", day(f.re_review_on)),
        ("完成比例", f"{f.progress_percent}%" if f.progress_percent is not None else "—"),
        ("屡查屡犯", "、".join(f.repeat_of) + "  [dim](j 打开)[/]" if f.repeat_of else "—"),
        ("被再次发现", "、".join(d.repeated_by) + "  [dim](J 打开)[/]" if d.repeated_by else "—"),
        ("所属评价", f.evaluation_key or "—"),
    ]
    return "\n".join(f"[dim]{label}[/]  {value}" for label, value in rows)


class FindingScreen(LoadingScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", KEYS["back"], show=False),
        Binding("s", "save_evidence", KEYS["save"], show=False),
        Binding("v", "open_evidence", KEYS["open_file"], show=False),
        # Priority: run as the app reads the key, so that the keys behind it in a burst
        # (tmux `send-keys i 细化测算`) reach the form it opens, not this screen.
        *[
            Binding(
                form.key,
                f"form('{action.value}')",
                FOOTER_ACTIONS[action],
                tooltip=form.title,
                priority=True,
            )
            for action, form in FORMS.items()
        ],
        # After the actions: at 80 columns the footer cuts off from the right.
        Binding("j", "linked('earlier')", KEYS["earlier"]),
        Binding("J", "linked('later')", KEYS["later"]),
    ]

    def __init__(self, ref: str) -> None:
        super().__init__()
        self.ref = ref
        self.detail: FindingDetail | None = None
        self.evidence: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="finding"):
            yield Static(f"问题 {self.ref}", id="finding-title", classes="title")
            yield Static("加载中…", id="finding-fields")
            yield Static("整改过程", classes="section")
            timeline: DataTable[str] = DataTable(id="timeline", cursor_type="row")
            yield timeline
            yield Static("佐证材料（s 保存选中的文件）", classes="section")
            evidence: DataTable[str] = DataTable(id="evidence", cursor_type="row")
            yield evidence
        yield footer()

    def on_mount(self) -> None:
        self.title = f"问题 {self.ref}"
        self.query_one("#timeline", DataTable).add_columns("时间", "操作人", "操作", "理由")
        self.query_one("#evidence", DataTable).add_columns(
            "文件", "字节", "sha256", "提交人", "所属日期"
        )
        self.reload()

    def reload(self) -> None:
        backend = self.app.backend  # type: ignore[attr-defined]
        ref = self.ref
        self.load("detail", lambda: (backend.finding(ref), backend.evidence_of(ref)))

    def on_loaded(self, message: Loaded) -> None:
        if message.tag == "saved":
            self.notify(f"已保存到 {message.value}")
            return
        if message.tag == "opened":
            path, started = message.value
            said = (
                "已用系统程序打开"
                if started
                else "没有可用的系统打开程序（如通过 SSH 使用），文件在"
            )
            self.notify(f"{said} {path}", timeout=15)
            return
        self.detail, self.evidence = message.value
        d = self.detail
        assert d is not None
        self.query_one("#finding-title", Static).update(f"[b]{d.finding.ref}[/]  {d.finding.title}")
        self.query_one("#finding-fields", Static).update(detail_lines(d))
        timeline = self.query_one("#timeline", DataTable)
        timeline.clear()
        for e in d.timeline:
            # A clock occurrence names the day it is for (the scan may have run later).
            label = f"{e.label} {e.details['for_date']}" if "for_date" in e.details else e.label
            timeline.add_row(when(e.at), e.actor, label, e.reason or "")
        evidence = self.query_one("#evidence", DataTable)
        evidence.clear()
        for ev in self.evidence:
            evidence.add_row(
                ev.original_name,
                str(ev.size),
                ev.sha256[:16] + "…",
                ev.submitted_by,
                day(ev.effective_date),
                key=str(ev.id),
            )
        self.refresh_bindings()

    def show_refusal(self, tag: str, text: str) -> None:
        self.query_one("#finding-fields", Static).update(f"[b red]{text}[/]")
        self.notify(text, severity="error", timeout=8)

    # -- actions -----------------------------------------------------------------------

    def _allowed(self) -> set[str]:
        principal = self.app.backend.principal  # type: ignore[attr-defined]
        if self.detail is None or principal is None:
            return set()
        return {f.action.value for f in forms_for(self.detail.finding.status, principal.role)}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "form":
            return parameters[0] in self._allowed()
        if action in ("save_evidence", "open_evidence"):
            return bool(self.evidence)
        if action == "linked":
            return bool(self._linked(str(parameters[0])))
        return True

    def _linked(self, which: str) -> tuple[str, ...]:
        if self.detail is None:
            return ()
        return self.detail.finding.repeat_of if which == "earlier" else self.detail.repeated_by

    def action_linked(self, which: str) -> None:
        """Open the earlier finding this one repeats, or the later one repeating it (the
        first, when several); Esc comes back."""
        linked = self._linked(which)
        if linked:
            self.app.push_screen(FindingScreen(linked[0]))

    def action_form(self, action: str) -> None:
        if action not in self._allowed():
            return
        form = FORMS[Action(action)]

        def done(recorded: bool | None) -> None:
            if recorded:
                self.notify(f"问题 {self.ref}：已{form.title}")
                self.reload()

        self.app.push_screen(ActionFormScreen(form, self.ref), callback=done)

    def action_open_evidence(self) -> None:
        table = self.query_one("#evidence", DataTable)
        if not self.evidence or table.row_count == 0:
            return
        chosen = self.evidence[min(table.cursor_row, len(self.evidence) - 1)]
        backend = self.app.backend  # type: ignore[attr-defined]
        self.load("opened", lambda: backend.open_evidence(chosen.id, chosen.original_name))

    def action_save_evidence(self) -> None:
        table = self.query_one("#evidence", DataTable)
        if not self.evidence or table.row_count == 0:
            return
        row = min(table.cursor_row, len(self.evidence) - 1)
        chosen = self.evidence[row]
        target = Path.cwd() / chosen.original_name
        backend = self.app.backend  # type: ignore[attr-defined]
        self.load("saved", lambda: backend.save_evidence(chosen.id, target))
