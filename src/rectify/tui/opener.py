"""Opening an evidence file with the system's own program, when there is one.

Over SSH, or on a server without a desktop, there is nothing to open a file with:
the TUI then says where the file was written instead. A program is used only when
a desktop session is there (DISPLAY/WAYLAND_DISPLAY on Linux; always on macOS and
Windows), and it runs detached so it can never hold up or break the TUI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path


def system_opener(env: Mapping[str, str], platform: str = sys.platform) -> list[str] | None:
    """The command that opens a file here, or None (no desktop, no opener)."""
    if platform == "darwin":
        return ["open"]
    if platform.startswith("win"):
        return ["explorer"]
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        return None
    found = shutil.which("xdg-open")
    return [found] if found else None


def private_copy(name: str, content: bytes) -> Path:
    """`content` under its own name in a new directory only this user can read."""
    folder = Path(tempfile.mkdtemp(prefix="rectify-evidence-"))  # mode 0700
    target = folder / (Path(name).name or "evidence")
    target.write_bytes(content)
    return target


def open_file(path: Path, env: Mapping[str, str] | None = None) -> bool:
    """Start the system's program on `path`; False when there is none."""
    command = system_opener(os.environ if env is None else env)
    if command is None:
        return False
    try:
        subprocess.Popen(  # noqa: S603 - a fixed program and a file path we wrote
            [*command, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return False
    return True
