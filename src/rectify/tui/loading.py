"""Database work off the UI thread: a worker runs one backend call and posts the
result (or the refusal) back as a message, so the screen never freezes.

A user's mistake (`RectifyError`) comes back as its Chinese message. Anything else
(a lost database connection, a server restart) is shown as a message too, and the
call is retried after a pause instead of killing the app with a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from rectify.domain.errors import RectifyError

RETRY_SECONDS = 5.0


class Loaded(Message):
    def __init__(self, tag: str, value: Any) -> None:
        super().__init__()
        self.tag = tag
        self.value = value


class Failed(Message):
    def __init__(self, tag: str, message: str, user_error: bool) -> None:
        super().__init__()
        self.tag = tag
        self.message = message
        self.user_error = user_error


class Part(Message):
    """One batch of a streamed load (LoadingScreen.stream); `last` (no value) ends it."""

    def __init__(self, tag: str, value: Any, last: bool) -> None:
        super().__init__()
        self.tag = tag
        self.value = value
        self.last = last


def _failure(tag: str, exc: Exception) -> Failed:
    if isinstance(exc, RectifyError):
        return Failed(tag, exc.message, True)
    # The driver's own words (a store file gone says so in Chinese), without the
    # "(sqlite3.OperationalError)" prefix SQLAlchemy's wrapper adds.
    said = str(getattr(exc, "orig", None) or exc).strip()
    first = said.splitlines()[0] if said else type(exc).__name__
    return Failed(tag, f"数据库暂不可用：{first}", False)


def run_call(target: Any, tag: str, call: Callable[[], Any]) -> None:
    """The body of a thread worker: call, then post Loaded/Failed to `target`."""
    try:
        value = call()
    except Exception as exc:  # noqa: BLE001 - a broken connection must not kill the app
        target.post_message(_failure(tag, exc))
        return
    target.post_message(Loaded(tag, value))


def run_stream(target: Any, tag: str, batches: Callable[[], Iterable[Any]]) -> None:
    """The body of a thread worker whose result comes in batches: each is posted as a
    Part as soon as it is made, so the screen shows it while the next is made."""
    worker = get_current_worker()
    try:
        for value in batches():
            if worker.is_cancelled:  # the screen reloaded or went away
                return
            target.post_message(Part(tag, value, False))
    except Exception as exc:  # noqa: BLE001 - as in run_call
        target.post_message(_failure(tag, exc))
        return
    target.post_message(Part(tag, None, True))


class LoadingScreen(Screen[Any]):
    """A screen whose data comes from backend calls made in thread workers."""

    def load(self, tag: str, call: Callable[[], Any]) -> None:
        self._last_calls = getattr(self, "_last_calls", {})
        self._last_calls[tag] = lambda: self.load(tag, call)
        self.run_worker(lambda: run_call(self, tag, call), thread=True, group=tag, exclusive=True)

    def stream(self, tag: str, batches: Callable[[], Iterable[Any]]) -> None:
        """As `load`, for a result made in batches: a Part message per batch."""
        self._last_calls = getattr(self, "_last_calls", {})
        self._last_calls[tag] = lambda: self.stream(tag, batches)
        self.run_worker(
            lambda: run_stream(self, tag, batches), thread=True, group=tag, exclusive=True
        )

    def on_failed(self, message: Failed) -> None:
        if message.user_error:
            self.show_refusal(message.tag, message.message)
            return
        self.notify(f"{message.message}；{RETRY_SECONDS:.0f} 秒后重试", severity="error")
        again = getattr(self, "_last_calls", {}).get(message.tag)
        if again is not None:
            self.set_timer(RETRY_SECONDS, again)

    def show_refusal(self, tag: str, text: str) -> None:
        self.notify(text, severity="error", timeout=8)
