"""A real process that rebuilds every read model, again and again, while writers write."""

from __future__ import annotations

import sys

from rectify.bootstrap import open_house


def main() -> int:
    url, rounds = sys.argv[1], int(sys.argv[2])
    for _ in range(rounds):
        with open_house(url) as house:
            house.store.runner.rebuild(batch_size=50)
    return 0


if __name__ == "__main__":
    sys.exit(main())
