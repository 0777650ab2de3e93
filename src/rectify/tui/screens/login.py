"""Login: the same users, roles and scrypt check as `rectify login`."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Header, Input, Label

from rectify.tui.footer import footer
from rectify.tui.inputs import TermInput
from rectify.tui.loading import Loaded, LoadingScreen


class LoginScreen(LoadingScreen):
    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="login"):
            yield Label("登录 rectify", classes="title")
            yield TermInput(placeholder="用户名", id="user")
            yield TermInput(placeholder="密码", password=True, id="password")
            yield Label("", id="login-error", classes="error")
            yield Button("登录", id="login-button", variant="primary")
        yield footer()

    @on(Input.Submitted, "#user")
    def next_field(self) -> None:
        self.query_one("#password", Input).focus()

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#login-button")
    def submit(self) -> None:
        name = self.query_one("#user", Input).value
        password = self.query_one("#password", Input).value
        if not name.strip() or not password:
            self.show_refusal("login", "请输入用户名和密码")
            return
        backend = self.app.backend  # type: ignore[attr-defined]
        self.load("login", lambda: backend.login(name, password))

    def show_refusal(self, tag: str, text: str) -> None:
        self.query_one("#login-error", Label).update(text)
        self.query_one("#password", Input).value = ""

    def on_loaded(self, message: Loaded) -> None:
        self.dismiss(True)
