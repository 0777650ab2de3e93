"""Revise (or enter) a leaf's score at a stage, with the reason a revision needs."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from rectify.domain.vocabulary import STAGE_LABELS, ScoreStage
from rectify.tui.inputs import TermInput
from rectify.tui.labels import KEYS
from rectify.tui.loading import Failed, Loaded, run_call


class ScoreFormScreen(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", KEYS["back"])]
    # The cursor starts on the score, a text field that keeps a burst of keys in order
    # (inputs.py); on the stage choice the burst's keys fell into the choice and were lost.
    AUTO_FOCUS = "#in-value"

    def __init__(self, key: str, node: Any) -> None:
        super().__init__()
        self.key = key
        self.node = node

    def compose(self) -> ComposeResult:
        n = self.node
        stage = n.stage.value if n.stage else ScoreStage.THIRD_PARTY.value
        with Vertical(id="action-form"):
            yield Label(
                f"修订得分：{n.printed_code or n.code} {n.name}（满分 {n.weight:f}）",
                classes="title",
            )
            yield Label("阶段")
            yield Select(
                [(label, s.value) for s, label in STAGE_LABELS.items()],
                value=stage,
                id="in-stage",
                compact=True,
                allow_blank=False,
            )
            yield Label("得分")
            yield TermInput(
                value=f"{n.score:f}" if n.score is not None else "", id="in-value", compact=True
            )
            yield Label("", id="err-value", classes="error")
            yield Label("理由")
            yield TermInput(placeholder="修改已有得分必须说明理由", id="in-reason", compact=True)
            yield Label("", id="err-reason", classes="error")
            yield Label("", id="form-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("确定", id="ok", variant="primary", compact=True)
                yield Button("取消", id="cancel", compact=True)

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def submit(self) -> None:
        text = self.query_one("#in-value", Input).value.strip()
        reason = self.query_one("#in-reason", Input).value.strip()
        errors = {}
        value = Decimal(0)
        try:
            value = Decimal(text)
            if not value.is_finite() or value < 0 or value > self.node.weight:
                errors["value"] = f"得分应在 0～{self.node.weight:f} 之间（{text}）"
        except InvalidOperation:
            errors["value"] = f"得分 {text!r} 不是数字"
        if not reason:
            errors["reason"] = "理由不能为空"
        for name in ("value", "reason"):
            self.query_one(f"#err-{name}", Label).update(errors.get(name, ""))
            self.query_one(f"#in-{name}").set_class(name in errors, "-invalid")
        if errors:
            return
        stage = ScoreStage(str(self.query_one("#in-stage", Select).value))
        backend = self.app.backend  # type: ignore[attr-defined]
        key, code = self.key, self.node.code
        self.run_worker(
            lambda: run_call(
                self, "set", lambda: backend.set_score(key, code, value, stage, reason)
            ),
            thread=True,
            exclusive=True,
        )

    def on_failed(self, message: Failed) -> None:
        self.query_one("#form-error", Label).update(message.message)

    def on_loaded(self, message: Loaded) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
