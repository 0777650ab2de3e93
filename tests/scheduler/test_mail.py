"""The SMTP sink against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import email
import email.policy
import logging
import socket
from collections.abc import Iterator
from datetime import date
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import func, select

from rectify.bootstrap import House
from rectify.projections.inbox import inbox_items
from rectify.scheduler.mail import SmtpSettings, send_pending
from rectify.scheduler.scan import scan
from tests.scheduler.scenario import fiscal_year

PASSWORD = "smtp-pass-Zq81"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 OK"


def _authenticate(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    port = free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=_authenticate,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def settings(port: int) -> SmtpSettings:
    found = SmtpSettings.from_env(
        {
            "RECTIFY_SMTP_HOST": "127.0.0.1",
            "RECTIFY_SMTP_PORT": str(port),
            "RECTIFY_SMTP_USER": "rectify",
            "RECTIFY_SMTP_PASSWORD": PASSWORD,
            "RECTIFY_SMTP_TO": "bureau@example.cn",
            "RECTIFY_SMTP_FROM": "rectify@example.cn",
        }
    )
    assert found is not None and PASSWORD not in repr(found)
    return found


def test_each_item_mailed_once_and_a_failed_send_is_retried(
    house: House, tmp_path: Path, smtp_server: tuple[Inbox, int], caplog: pytest.LogCaptureFixture
) -> None:
    server, port = smtp_server
    caplog.set_level(logging.DEBUG)
    fiscal_year(house, tmp_path)
    # The server is not there yet: recording goes on, nothing is marked sent.
    recorded = scan(house, date(2025, 2, 6))
    assert recorded
    assert send_pending(house, settings(free_port())) == 0
    assert server.messages == []
    with house.store.engine.connect() as conn:
        items = conn.execute(select(func.count()).select_from(inbox_items)).scalar_one()
    # Now it is: every item once; a second run sends nothing more.
    assert send_pending(house, settings(port)) == items
    assert send_pending(house, settings(port)) == 0
    scan(house, date(2025, 2, 6))
    assert send_pending(house, settings(port)) == 0
    assert len(server.messages) == items
    subjects = [m["Subject"] for m in server.messages]
    assert len(subjects) == len(
        set(zip(subjects, [m.get_content() for m in server.messages], strict=True))
    )
    overdue = [
        m for m in server.messages if "整改逾期" in m["Subject"] and "IMM-OPEN" in m["Subject"]
    ]
    assert len(overdue) == 2  # one for the department, one for the bureau
    body = overdue[0].get_content()
    assert (
        "问题编号：IMM-OPEN" in body
        and "责任部门：D01 / D01-01" in body
        and "日期：2025-02-06" in body
    )
    assert PASSWORD not in caplog.text
    assert "下次扫描重试" in caplog.text
    events = house.store.events
    with house.store.engine.connect() as conn:
        states = conn.execute(select(events.c.state)).scalars().all()
    assert not any(PASSWORD.encode() in bytes(s) for s in states)


def test_smtp_settings_need_a_recipient_and_a_valid_port() -> None:
    from rectify.domain.errors import InvalidInput

    assert SmtpSettings.from_env({}) is None
    with pytest.raises(InvalidInput, match="RECTIFY_SMTP_TO"):
        SmtpSettings.from_env({"RECTIFY_SMTP_HOST": "mail"})
    with pytest.raises(InvalidInput, match="RECTIFY_SMTP_PORT"):
        SmtpSettings.from_env(
            {"RECTIFY_SMTP_HOST": "mail", "RECTIFY_SMTP_PORT": "x", "RECTIFY_SMTP_TO": "a@b"}
        )
