"""The clock: deadline scans run by APScheduler (only this package imports apscheduler)."""
