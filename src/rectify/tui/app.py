"""The Textual application: modes per task, global keys, login first when needed.

`make_app(...)` is the one factory (tests, snapshots and `rectify tui` all use it).
Each task is a mode with its own screen stack (首页, 问题清单, 评价, 预算, 日志), so
switching with 1–5 keeps where you were in each; a finding opens on top of its mode.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from rectify.scheduler.background import BackgroundScan
from rectify.tui.backend import Backend
from rectify.tui.labels import APP_TITLE, KEYS, role_label
from rectify.tui.palette import JumpProvider
from rectify.tui.problem_filter import ProblemFilter
from rectify.tui.screens.budget import BudgetScreen
from rectify.tui.screens.cycle import CycleScreen
from rectify.tui.screens.evaluations import EvaluationsScreen
from rectify.tui.screens.finding import FindingScreen
from rectify.tui.screens.help import HelpScreen
from rectify.tui.screens.home import HomeScreen
from rectify.tui.screens.inbox import InboxScreen
from rectify.tui.screens.log import LogScreen
from rectify.tui.screens.login import LoginScreen
from rectify.tui.screens.problems import ProblemsScreen

SCREENS_BY_NAME = ("home", "problems", "evaluations", "budget", "log", "inbox", "cycle")
UNREAD_EVERY = 60.0  # seconds between looks at the inbox (the scheduler may add items)
DARK, LIGHT = "textual-dark", "textual-light"


class RectifyTui(App[None]):
    CSS_PATH = "rectify.tcss"
    TITLE = APP_TITLE
    MODES: ClassVar[dict[str, Any]] = {
        "home": HomeScreen,
        "problems": ProblemsScreen,
        "evaluations": EvaluationsScreen,
        "budget": BudgetScreen,
        "log": LogScreen,
        "inbox": InboxScreen,
        "cycle": CycleScreen,
    }
    COMMANDS = App.COMMANDS | {JumpProvider}
    BINDINGS: ClassVar[list[BindingType]] = [
        # Declared here so that the footer says it in Chinese (Textual adds its own,
        # described "palette", only when the app has none); shown in the keys' row,
        # not docked (tui/footer.py).
        Binding("ctrl+p", "command_palette", KEYS["palette"], priority=True),
        Binding("1", "go('home')", KEYS["home"]),
        Binding("2", "go('problems')", KEYS["problems"]),
        Binding("3", "go('evaluations')", KEYS["evaluations"]),
        Binding("4", "go('budget')", KEYS["budget"], show=False),
        Binding("5", "go('log')", KEYS["log"], show=False),
        Binding("6", "go('inbox')", KEYS["inbox"]),
        Binding("7", "go('cycle')", KEYS["cycle"], show=False),
        Binding("question_mark", "help", KEYS["help"]),
        Binding("ctrl+t", "toggle_theme", KEYS["theme"], show=False),
        Binding("ctrl+q", "quit", KEYS["quit"], priority=True),
    ]

    def __init__(
        self,
        backend: Backend,
        *,
        screen: str = "home",
        finding: str | None = None,
        light: bool = False,
        background: BackgroundScan | None = None,
    ) -> None:
        start_screen = screen if screen in SCREENS_BY_NAME else "home"
        if backend.principal is not None:
            # Logged in already: the first screen is the start mode itself, so the
            # default screen is never built only to be switched away from (speed).
            self.DEFAULT_MODE = "problems" if finding else start_screen  # type: ignore[misc]
        super().__init__()
        self.backend = backend
        self.start_screen = start_screen
        self.start_finding = finding
        self.theme = LIGHT if light else DARK
        self.background = background  # the clock's scan, run by the app (single-user store)

    def on_mount(self) -> None:
        if self.backend.principal is None:
            self.push_screen(LoginScreen(), callback=lambda _ok: self.start())
        else:
            self.start()

    def start(self) -> None:
        principal = self.backend.principal
        assert principal is not None
        self.who = f"{principal.name}（{role_label(principal.role)}）"
        self.sub_title = self.who
        if self.background is not None:
            self.who += " · 提醒扫描运行中"
            # Each finished scan refreshes the unread count (the scan runs in its own thread).
            self.background.start(self._scanned)
        self.call_after_refresh(self.refresh_unread)  # after the first screen is drawn
        self.set_interval(UNREAD_EVERY, self.refresh_unread)
        mode = "problems" if self.start_finding else self.start_screen
        self.switch_mode(mode)
        if self.start_finding:
            self.push_screen(FindingScreen(self.start_finding))

    def _scanned(self, _items: object) -> None:
        """Called in the scan's thread after each scan."""
        with suppress(RuntimeError):  # the app is closing; the count no longer matters
            self.call_from_thread(self.refresh_unread)

    def on_unmount(self) -> None:
        if self.background is not None:
            self.background.stop()  # a running scan finishes before the store closes

    def refresh_unread(self) -> None:
        """The unread count in the header, read in a thread worker."""
        backend = self.backend

        def look() -> None:
            try:
                count = backend.unread_count()
            except Exception:  # noqa: BLE001 - the header must never crash the app
                return
            suffix = f" · 未读提醒 {count}" if count else ""
            self.call_from_thread(setattr, self, "sub_title", self.who + suffix)

        self.run_worker(look, thread=True, group="unread", exclusive=True)

    def action_go(self, mode: str) -> None:
        if self.backend.principal is None:
            return
        if mode == self.current_mode:
            # Already there (a finding open on top of it): the key means the screen
            # itself, as its label says — without this, `1` on a finding did nothing.
            while len(self.screen_stack) > 1:
                self.pop_screen()
            return
        self.switch_mode(mode)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    def open_finding(self, ref: str) -> None:
        self.push_screen(FindingScreen(ref))

    async def open_evaluation(self, key: str) -> None:
        await self.switch_mode("evaluations")
        screen = self.screen
        if isinstance(screen, EvaluationsScreen):
            screen.key = key
            screen.show(key)

    async def open_cycle(self, department: str, year: int, key: str | None) -> None:
        await self.switch_mode("cycle")
        screen = self.screen
        if isinstance(screen, CycleScreen):
            screen.show_year(department, year, key)

    async def open_department(self, code: str) -> None:
        await self.switch_mode("problems")
        screen = self.screen
        if isinstance(screen, ProblemsScreen):
            screen.apply_filter(ProblemFilter(department=code))


def make_app(
    backend: Backend,
    *,
    screen: str = "home",
    finding: str | None = None,
    light: bool = False,
    background: BackgroundScan | None = None,
) -> RectifyTui:
    """The app on `backend`; logs in on a login screen when no principal is given.
    With `background`, the clock's scan runs inside the app once someone is logged in."""
    return RectifyTui(backend, screen=screen, finding=finding, light=light, background=background)
