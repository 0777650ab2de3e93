"""A session check of a user with many logins: from the latest snapshot vs replaying.

    python bench/bench_sessions.py [--sessions 1000 10000] [--backend sqlite|postgresql] [--expired]

For each count N, a fresh store gets one user with N logins (N - 50 in one save, then
50 one by one, so the latest snapshot lies some events behind the head, as in use).
Then, in the same minutes and on the same store, alternately: the check every command
makes (`PeopleService.principal_for_session`) as main did it, replaying every event
of the user (the store's `snapshots` off), and with the snapshot. Median of the runs.
With --expired the N - 50 older sessions have expired (as a user's logins do after
12 hours): a snapshot leaves them out (User.trim_snapshot_state); without it they
are all still open and every one stays in the snapshot.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from rectify.bootstrap import House, open_house
from rectify.domain.identity import acting_as
from rectify.domain.services.people import token_digest

PG_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432"
FAR = 2_000_000_000
NOW = 1_800_000_000


@contextmanager
def database(backend: str, tmp: Path, name: str) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp / name}.db"
        return
    admin = create_engine(f"{PG_BASE}/postgres", isolation_level="AUTOCOMMIT")
    db = f"snapshots_bench_{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{db}"'))
    try:
        yield f"{PG_BASE}/{db}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        admin.dispose()


def user_with_logins(house: House, count: int, expired: bool) -> str:
    people = house.people
    people.password_cost_n = 2
    me = people.bootstrap_first_user("chief", "Correct-Horse-9", "科长")
    user = people.get_user("chief")
    with acting_as(me):
        for n in range(count - 50):
            user.open_session(token_digest(f"old-{n}"), 1_000_000_000 if expired else FAR)
    house.store.app.save_all(user)
    token = ""
    for _ in range(50):
        token = people.open_session(me, FAR)
    return token


def check_ms(house: House, token: str, snapshots: bool) -> float:
    house.store.snapshots = snapshots
    began = time.perf_counter()
    principal = house.people.principal_for_session("chief", token, NOW)
    elapsed = (time.perf_counter() - began) * 1000
    assert principal is not None
    return elapsed


def measure(backend: str, count: int, runs: int, expired: bool) -> dict[str, float]:
    with (
        tempfile.TemporaryDirectory() as tmp_name,
        database(backend, Path(tmp_name), f"n{count}") as url,
    ):
        house = open_house(url, create=True, blob_dir=Path(tmp_name) / "blobs")
        with house:
            token = user_with_logins(house, count, expired)
            replay, snapshot = [], []
            for _ in range(runs):
                replay.append(check_ms(house, token, snapshots=False))
                snapshot.append(check_ms(house, token, snapshots=True))
    before = statistics.median(replay)
    after = statistics.median(snapshot)
    return {"replay_ms": before, "snapshot_ms": after, "ratio": before / after}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--expired", action="store_true", help="the older sessions expired")
    args = parser.parse_args(argv)
    print(f"load average at start: {os.getloadavg()}", file=sys.stderr)
    for count in args.sessions:
        r = measure(args.backend, count, args.runs, args.expired)
        kind = "expired" if args.expired else "open"
        print(
            f"{args.backend} {count:>6} logins ({kind}): session check replaying {r['replay_ms']:.2f} ms, "
            f"from the snapshot {r['snapshot_ms']:.2f} ms, ratio {r['ratio']:.1f}"
        )
    print(f"load average at end: {os.getloadavg()}", file=sys.stderr)


if __name__ == "__main__":
    main()
