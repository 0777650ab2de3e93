"""`rectify findings list --limit 20` as a process: two builds, alternately, same minutes.

    python bench/query_process.py --db URL [--before RECTIFY --before-db URL] [--runs N]

Runs the query (login by RECTIFY_USER/RECTIFY_PASSWORD, the generator's bureau user)
with this checkout's `rectify` on --db and, when given, another build's `rectify`
(e.g. main's) on --before-db (a copy of the same store at that build's schema),
alternating, beside `python -c pass`; prints min and median of wall and CPU time
(user + system of the child) and the load average at start and end.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rectify.bootstrap.generator import PASSWORD

QUERY = ["findings", "list", "--limit", "20"]


def once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
    wall = (time.perf_counter() - began) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000
    return wall, cpu


def summary(name: str, samples: list[tuple[float, float]]) -> str:
    walls, cpus = [s[0] for s in samples], [s[1] for s in samples]
    return (
        f"{name:<28} wall min {min(walls):6.1f} median {statistics.median(walls):6.1f} ms | "
        f"cpu min {min(cpus):6.1f} median {statistics.median(cpus):6.1f} ms"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--before", help="another build's rectify executable")
    parser.add_argument("--before-db")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)
    env = {**os.environ, "RECTIFY_USER": "bureau", "RECTIFY_PASSWORD": PASSWORD}
    this = str(Path(sys.executable).with_name("rectify"))
    runs: dict[str, list[tuple[float, float]]] = {"python -c pass": [], "this build": []}
    if args.before:
        runs["before"] = []
    print(f"load average at start: {os.getloadavg()}")
    for _ in range(args.runs):
        runs["python -c pass"].append(once([sys.executable, "-c", "pass"], env))
        runs["this build"].append(once([this, *QUERY], {**env, "RECTIFY_DB": args.db}))
        if args.before:
            before_env = {**env, "RECTIFY_DB": args.before_db or args.db}
            runs["before"].append(once([args.before, *QUERY], before_env))
    for name, samples in runs.items():
        print(summary(name, samples))
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
