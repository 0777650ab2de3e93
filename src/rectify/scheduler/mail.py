"""The optional SMTP sink: each inbox item mailed once, in Chinese.

Settings come from the environment (RECTIFY_SMTP_HOST, _PORT, _USER, _PASSWORD, _FROM,
_TO comma-separated, _STARTTLS=1). The password is read from the environment only and
is never logged or recorded. Sending happens after recording; a failure is logged,
its claim released, and the item retried on the next scan.
"""

from __future__ import annotations

import logging
import os
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from rectify.bootstrap import House
from rectify.domain.errors import InvalidInput
from rectify.domain.vocabulary import OCCURRENCE_LABELS
from rectify.projections.inbox import BUREAU, REPORT_KINDS
from rectify.projections.inbox_queries import claim_for_mail, release_claim, unsent

log = logging.getLogger("rectify.scheduler.mail")


def kind_label(kind: str) -> str:
    return OCCURRENCE_LABELS.get(kind, kind)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    to: tuple[str, ...]
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SmtpSettings | None:
        env = os.environ if env is None else env
        host = env.get("RECTIFY_SMTP_HOST", "").strip()
        if not host:
            return None
        port_text = env.get("RECTIFY_SMTP_PORT", "25").strip()
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise InvalidInput(f"RECTIFY_SMTP_PORT {port_text!r} 不是有效端口")
        to = tuple(a.strip() for a in env.get("RECTIFY_SMTP_TO", "").split(",") if a.strip())
        if not to:
            raise InvalidInput("设置了 RECTIFY_SMTP_HOST 但没有收件人：请设置 RECTIFY_SMTP_TO")
        return cls(
            host=host,
            port=int(port_text),
            sender=env.get("RECTIFY_SMTP_FROM", "rectify@localhost").strip(),
            to=to,
            user=env.get("RECTIFY_SMTP_USER") or None,
            password=env.get("RECTIFY_SMTP_PASSWORD") or None,
            starttls=env.get("RECTIFY_SMTP_STARTTLS", "") == "1",
        )


def message_for(item: Any, settings: SmtpSettings) -> EmailMessage:
    audience = (
        "财政局" if item.audience == BUREAU else f"单位 {item.unit_code or item.department_code}"
    )
    label = kind_label(item.kind)
    day = item.for_date.isoformat() if item.for_date else ""
    msg = EmailMessage()
    msg["Subject"] = f"【rectify】{label}：{item.ref} {item.title}"
    msg["From"] = settings.sender
    msg["To"] = ", ".join(settings.to)
    # A monitoring/self-evaluation report's items name the plan's period, not a finding.
    about_report = item.kind in REPORT_KINDS
    lines = [
        f"事项：{label}",
        f"{'报告期' if about_report else '问题编号'}：{item.ref}",
        f"{'报告' if about_report else '问题'}：{item.title}",
        f"责任部门：{item.department_code}" + (f" / {item.unit_code}" if item.unit_code else ""),
        f"日期：{day}",
    ]
    if item.about:
        lines.append(f"相关时限：{item.about.isoformat()}")
    if item.detail:
        lines.append(f"说明：{item.detail}")
    lines.append(f"收件：{audience}")
    msg.set_content("\n".join(lines) + "\n", charset="utf-8")
    return msg


def send_pending(house: House, settings: SmtpSettings) -> int:
    store = house.store
    """Mail every inbox item not yet mailed; returns how many were sent."""
    with store.engine.connect() as conn:
        items = unsent(conn)
    sent = 0
    for item in items:
        if not claim_for_mail(store.engine, item.key, now=house.clock.now()):
            continue
        try:
            with smtplib.SMTP(settings.host, settings.port, timeout=10) as smtp:
                if settings.starttls:
                    smtp.starttls()
                if settings.user:
                    smtp.login(settings.user, settings.password or "")
                smtp.send_message(message_for(item, settings))
        except (OSError, smtplib.SMTPException) as exc:
            release_claim(store.engine, item.key)
            log.warning(
                "邮件发送失败（%s:%d），下次扫描重试：%s",
                settings.host,
                settings.port,
                type(exc).__name__,
            )
            return sent  # the server is likely down; the rest wait for the next scan
        sent += 1
    if sent:
        log.info("已发送 %d 封提醒邮件", sent)
    return sent
