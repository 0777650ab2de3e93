"""One lifecycle action as a modal form: fields, checks beside each field, and the
domain's refusal shown as it comes. Dismisses True only when the action was recorded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from rectify.tui.actions import CLASS_CHOICES, ActionForm, PlainForm, validate
from rectify.tui.inputs import TermInput
from rectify.tui.labels import KEYS
from rectify.tui.loading import Failed, Loaded, run_call


class ActionFormScreen(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", KEYS["back"])]
    # The first text field, which keeps a burst of keys in order (inputs.py): the issue
    # form opened on its class choice, where tmux's keys were lost (as in score_form).
    AUTO_FOCUS = "TermInput"

    def __init__(
        self,
        form: ActionForm | PlainForm,
        ref: str,
        *,
        heading: str | None = None,
        call: Callable[[dict[str, Any]], object] | None = None,
        values: dict[str, str] | None = None,
    ) -> None:
        """A finding action on `ref`; or, with `call`, any form whose checked values
        go to `call` (in a worker) — `values` fill fields in advance."""
        super().__init__()
        self.form = form
        self.ref = ref
        self.heading = heading or f"{form.title}：问题 {ref}"
        self.call = call
        self.values = values or {}

    def compose(self) -> ComposeResult:
        with Vertical(id="action-form"):
            yield Label(self.heading, classes="title")
            for field in self.form.fields:
                yield Label(field.label + ("" if field.required else "（可选）"))
                if field.kind == "class":
                    yield Select(
                        [(label, value) for value, label in CLASS_CHOICES],
                        prompt="请选择",
                        id=f"in-{field.name}",
                        compact=True,
                    )
                else:
                    today = self.app.backend.today().isoformat() if field.today else ""  # type: ignore[attr-defined]
                    yield TermInput(
                        self.values.get(field.name, today),
                        placeholder=field.placeholder,
                        id=f"in-{field.name}",
                        compact=True,
                    )
                yield Label("", id=f"err-{field.name}", classes="error")
            yield Label("", id="form-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("确定", id="ok", variant="primary", compact=True)
                yield Button("取消", id="cancel", compact=True)

    def on_mount(self) -> None:
        for field in self.form.fields:
            self.query_one(f"#err-{field.name}").display = False

    def _raw(self) -> dict[str, str]:
        raw: dict[str, str] = {}
        for field in self.form.fields:
            widget = self.query_one(f"#in-{field.name}")
            if isinstance(widget, Select):
                value = widget.value
                raw[field.name] = value if isinstance(value, str) else ""
            elif isinstance(widget, Input):
                raw[field.name] = widget.value
        return raw

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def submit(self) -> None:
        backend = self.app.backend  # type: ignore[attr-defined]
        values, errors = validate(
            self.form, self._raw(), backend.today(), backend.evidence_max_size
        )
        for field in self.form.fields:
            message = self.query_one(f"#err-{field.name}", Label)
            message.update(errors.get(field.name, ""))
            message.display = field.name in errors  # no empty rows: the form fits 80×24
            self.query_one(f"#in-{field.name}").set_class(field.name in errors, "-invalid")
        self.query_one("#form-error", Label).update("")
        if errors:
            return
        call = self.call
        if call is None:
            assert isinstance(self.form, ActionForm)
            method, ref = self.form.method, self.ref
            call = lambda checked: backend.act(method, ref, **checked)  # noqa: E731
        self.run_worker(
            lambda: run_call(self, "act", lambda: call(values)),
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
