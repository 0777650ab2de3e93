"""The real command in a real (pseudo) terminal: `rectify demo` ends in the TUI, and
`rectify tui --finding REF` opens on that finding; Ctrl+Q leaves with exit 0."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

RECTIFY = str(Path(sys.executable).with_name("rectify"))


def run_in_terminal(
    args: list[str], env: dict[str, str], wait_for: str, timeout: float = 90
) -> tuple[int, str]:
    """Start `rectify ARGS` on an 80×24 pty, wait until `wait_for` is drawn, press Ctrl+Q."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    proc = subprocess.Popen(
        [RECTIFY, *args], stdin=follower, stdout=follower, stderr=follower, env=env, close_fds=True
    )
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + timeout
    quit_sent = False
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                seen += chunk
            if not quit_sent and wait_for.encode() in seen:
                time.sleep(0.5)
                os.write(leader, b"\x11")  # Ctrl+Q
                quit_sent = True
            if proc.poll() is not None:
                break
        code = proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    return code, seen.decode("utf-8", errors="replace")


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECTIFY_")}
    env.update(
        RECTIFY_DB=f"sqlite:///{tmp_path / 'rectify.db'}",
        RECTIFY_SESSION_FILE=str(tmp_path / "session.json"),
        RECTIFY_USER="admin",
        RECTIFY_PASSWORD="demo-secret-1",
        TERM="xterm-256color",
    )
    return env


def test_demo_ends_in_the_tui_and_tui_opens_a_finding(tmp_path: Path) -> None:
    env = _env(tmp_path)
    code, screen = run_in_terminal(["demo"], env, wait_for="未销号")
    assert code == 0, screen[-2000:]
    assert "问题清单" in screen and "Traceback" not in screen
    code, screen = run_in_terminal(["tui", "--finding", "WB-GXJ/2024/01"], env, wait_for="整改过程")
    assert code == 0, screen[-2000:]
    assert "Traceback" not in screen


def test_login_option_ignores_the_accounts_own_session(tmp_path: Path) -> None:
    """A shared entry point (SSH forced command, textual-serve) runs `rectify tui --login`:
    whoever connects gets the login screen, never the serving account's identity."""
    env = _env(tmp_path)
    assert (
        subprocess.run([RECTIFY, "demo", "--no-tui"], env=env, capture_output=True).returncode == 0
    )
    code, screen = run_in_terminal(["tui", "--login"], env, wait_for="登录 rectify")
    assert code == 0, screen[-2000:]
    assert "登录 rectify" in screen and "未销号" not in screen and "Traceback" not in screen
