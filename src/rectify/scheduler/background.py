"""The clock's scan inside another program (the TUI on a single-user store).

The same scan `rectify scheduler run` makes, on the same triggers (an interval from
now, and daily at the policy's hour, Beijing time), but on APScheduler's background
scheduler: it runs in its own thread and the host stays responsive. The host passes
`on_recorded` to hear what each scan recorded (the TUI refreshes its unread count).
`stop()` lets a running scan finish before the store is closed. Recording is
idempotent, so a `rectify scheduler run` service on the same store does no harm.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from rectify.bootstrap import House
from rectify.domain.clock import BEIJING
from rectify.scheduler.scan import RecordedItem, scan

log = logging.getLogger("rectify.scheduler")

OnRecorded = Callable[[list[RecordedItem]], object]


class BackgroundScan:
    def __init__(
        self, house: House, *, interval_minutes: int | None = None, hour: int | None = None
    ) -> None:
        policy = house.schedule.policy()
        self.house = house
        self.interval = interval_minutes or policy.scan_interval_minutes
        self.hour = policy.scan_hour if hour is None else hour
        self.on_recorded: OnRecorded | None = None
        self.scans = 0  # finished scans (the host may show it)
        self.last_error: str | None = None
        self.scheduler: BackgroundScheduler | None = None

    def _run(self) -> None:
        try:
            recorded = scan(self.house, self.house.clock.today())
        except Exception as exc:  # one failed scan must not stop the host; the next retries
            log.exception("扫描失败，下次重试")
            self.last_error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            return
        self.scans += 1
        self.last_error = None
        if self.on_recorded is not None:
            self.on_recorded(recorded)

    def start(self, on_recorded: OnRecorded | None = None) -> None:
        """Scan now, then on the interval and daily at the policy's hour."""
        self.on_recorded = on_recorded
        scheduler = BackgroundScheduler(
            jobstores={"default": MemoryJobStore()},
            executors={"default": ThreadPoolExecutor(1)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
            timezone=BEIJING,
        )
        scheduler.add_job(
            self._run,
            IntervalTrigger(minutes=self.interval, timezone=BEIJING),
            id="interval-scan",
            next_run_time=datetime.now(BEIJING),
        )
        scheduler.add_job(
            self._run, CronTrigger(hour=self.hour, minute=0, timezone=BEIJING), id="daily-scan"
        )
        scheduler.start()
        self.scheduler = scheduler

    def stop(self) -> None:
        """Stop the triggers; a scan already running finishes first."""
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        self.scheduler = None

    @property
    def running(self) -> bool:
        return self.scheduler is not None and self.scheduler.running
