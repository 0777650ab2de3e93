"""The catch-up after a command: it must never turn a recorded command into a failure.

The command's events are committed before the read models catch up. If the catch-up
meets a lock (SQLite busy, a PostgreSQL deadlock or lock timeout) it is retried a few
times; if it still cannot run, the command says it was recorded and that the views
will catch up (the next command, `rectify rebuild` or the scheduler does it), instead
of a traceback that invites a retry which would then fail as a duplicate.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

RETRIES = 4
FIRST_PAUSE = 0.2  # seconds, doubled after each attempt
# PostgreSQL: deadlock_detected, serialization_failure, lock_not_available.
TRANSIENT_SQLSTATES = frozenset({"40P01", "40001", "55P03"})
LAGGING = "已记录；读模型暂时无法更新（数据库繁忙），稍后运行任意命令或 `rectify rebuild` 即会追上"


def is_transient(exc: BaseException) -> bool:
    """A lock or deadlock that waiting can resolve (never a bug or a bad schema)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if getattr(current, "sqlstate", None) in TRANSIENT_SQLSTATES:
            return True
        text = str(current).lower()
        if "database is locked" in text or "database is busy" in text or "deadlock" in text:
            return True
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return False


def catch_up_after_save(
    catch_up: Callable[[], int], pause: Callable[[float], None] = time.sleep
) -> bool:
    """Run the catch-up, retrying transient lock errors; False (and a notice) if it lags."""
    for attempt in range(RETRIES):
        try:
            catch_up()
            return True
        except Exception as exc:  # driver errors arrive wrapped by SQLAlchemy or eventsourcing
            if not is_transient(exc):
                raise
            if attempt < RETRIES - 1:
                pause(FIRST_PAUSE * 2**attempt)
    print(LAGGING, file=sys.stderr)
    return False
