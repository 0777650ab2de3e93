"""`rectify scheduler run`: APScheduler drives the scan (memory job store, one process).

Two triggers share one job: an interval (every N minutes, so a scan missed while the
machine slept is soon made up) and a daily cron at the policy's hour, Beijing time.
`max_instances=1` and `coalesce=True` keep one scan at a time in this process; other
processes are harmless because recording is idempotent. SIGTERM/SIGINT stop the
scheduler; a scan already running finishes first (and a scan cut short by a harder
kill is completed by the next one, since recording is idempotent).

For tests and demos, `run_days` drives the same job over simulated days instead of
the wall clock, so nothing ever waits on real time.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from datetime import date, datetime, timedelta
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from rectify.domain.clock import BEIJING, SystemClock

log = logging.getLogger("rectify.scheduler")

ScanJob = Callable[[date], object]


class Daemon:
    def __init__(self, job: ScanJob, today: Callable[[], date] | None = None) -> None:
        self.job = job
        self.today = today or SystemClock().today
        self.stopping = False
        self.scheduler: BlockingScheduler | None = None

    def _run_job(self) -> None:
        try:
            self.job(self.today())
        except Exception:  # one failed scan must not stop the daemon; the next retries
            log.exception("扫描失败，下次重试")

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        log.info("收到信号 %s，停止调度", signal.Signals(signum).name)
        self.stopping = True
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def _install_signals(self) -> None:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)

    def run_forever(self, hour: int, interval_minutes: int) -> None:
        self._install_signals()
        executor = ThreadPoolExecutor(1)
        scheduler = BlockingScheduler(
            jobstores={"default": MemoryJobStore()},
            executors={"default": executor},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
            timezone=BEIJING,
        )
        scheduler.add_job(
            self._run_job,
            IntervalTrigger(minutes=interval_minutes, timezone=BEIJING),
            id="interval-scan",
            next_run_time=datetime.now(BEIJING),
        )
        scheduler.add_job(
            self._run_job, CronTrigger(hour=hour, minute=0, timezone=BEIJING), id="daily-scan"
        )
        self.scheduler = scheduler
        log.info(
            "调度已启动：每 %d 分钟扫描一次，另每日 %02d:00（北京时间）", interval_minutes, hour
        )
        scheduler.start()  # blocks until _stop shuts it down
        executor.shutdown(wait=True)  # let a running scan finish before the store closes
        log.info("调度已停止")

    def run_days(self, start: date, until: date) -> None:
        """Run the scan once per simulated day from `start` to `until` inclusive."""
        self._install_signals()
        day = start
        while day <= until and not self.stopping:
            self.job(day)
            day += timedelta(days=1)
        log.info(
            "模拟运行结束（%s 至 %s）",
            start.isoformat(),
            min(day - timedelta(days=1), until).isoformat(),
        )
