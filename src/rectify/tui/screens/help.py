"""`?`: the keys and the main actions, in Chinese, over whatever screen is open —
with every finding action's key, its full name and the roles that may take it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from rectify.domain.identity import Role
from rectify.domain.lifecycle import allowed_actions
from rectify.domain.vocabulary import FindingStatus
from rectify.tui.actions import FORMS
from rectify.tui.labels import FOOTER_ACTIONS, HELP_TEXT, KEYS, role_label


def action_keys() -> str:
    """One table row per finding action: key, footer word and full name, who may take it."""
    lines = [
        "## 问题详情的操作键",
        "",
        "底栏只显示当前角色此时可做的。",
        "",
        "| 键 | 作用（可做的角色） |",
        "|---|---|",
    ]
    for action, form in FORMS.items():
        roles = [
            role_label(role)
            for role in Role
            if any(action in allowed_actions(status, role) for status in FindingStatus)
        ]
        name = FOOTER_ACTIONS[action]
        what = name if name == form.title else f"{name}：{form.title}"
        lines.append(f"| `{form.key}` | {what}（{'、'.join(roles)}） |")
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", KEYS["back"]),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(HELP_TEXT + "\n" + action_keys())
