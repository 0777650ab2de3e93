"""The `rectify` executable: `main()` as its own process, started without the cyclic
garbage collector rescanning what start-up imports.

A command's start-up creates a few hundred thousand long-lived objects (modules,
classes, SQLAlchemy's and psycopg's tables); the collector walked all of them again at
every full collection while they were being created, and once more at exit. Measured
(`findings list --limit 20` as a process, 20k-event PostgreSQL store, quiet machine):
about 80 ms of a ~420 ms start (docs/benchmarks.md). So the collector is paused while
the command's module is imported, and what was imported is then frozen (moved out of
the collector's sight for good: it lives as long as the process anyway) before the
collector is switched back on for the command's own work.

Tests call `main()` in-process and never freeze their own objects; only this entry
point, the console script, does.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from collections.abc import Sequence

from rectify.cli.main import COMMANDS, command_module, command_of, main


def prepare(argv: Sequence[str]) -> None:
    """Import the command's module with the collector paused, then freeze it all; with
    it the PostgreSQL driver, if RECTIFY_DB names PostgreSQL (imported when the store
    opens otherwise, with the collector on: ~70 ms of a query's start)."""
    gc.disable()
    try:
        command = command_of(argv)
        if command is not None:
            command_module(COMMANDS[command][0])
            _import_the_driver()
    finally:
        gc.freeze()
        gc.enable()


def _import_the_driver() -> None:
    """PostgreSQL's driver and dialect, if the command opens a store (its module
    imported the store's) and RECTIFY_DB names PostgreSQL."""
    store = sys.modules.get("rectify.projections.store")
    if store is not None and os.environ.get(store.ENV_VAR, "").startswith("postgresql"):
        importlib.import_module("sqlalchemy.dialects.postgresql.psycopg")
        importlib.import_module("psycopg")


def run() -> None:
    prepare(sys.argv[1:])
    sys.exit(main())
