"""A real process that rebuilds every read model, again and again, while writers write.

Usage: python rebuilder.py URL ROUNDS [STOP_FILE] — with STOP_FILE, keeps rebuilding
after ROUNDS until that file exists; prints how many rebuilds it ran."""

from __future__ import annotations

import sys
from pathlib import Path

from rectify.bootstrap import open_house


def main() -> int:
    url, rounds = sys.argv[1], int(sys.argv[2])
    stop = Path(sys.argv[3]) if len(sys.argv) > 3 else None
    done = 0
    while done < rounds or (stop is not None and not stop.exists()):
        with open_house(url) as house:
            house.store.runner.rebuild(batch_size=50)
        done += 1
    print(done)
    return 0


if __name__ == "__main__":
    sys.exit(main())
