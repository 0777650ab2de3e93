"""Sorting the problem list by a column, paged by keyset: pages of two, walked to the
end, give the same order as sorting all rows at once (empty values last, ref breaks ties)."""

from __future__ import annotations

from typing import Any

import pytest

from rectify.bootstrap import House
from rectify.projections import queries
from rectify.projections.finding_sort import SORTABLE, cursor_of
from tests.projections.test_problem_list import BUREAU, TODAY, setup


def expected(rows: list[Any], sort: str, descending: bool) -> list[str]:
    attr = SORTABLE[sort][1]
    present = [r for r in rows if getattr(r, attr) is not None]
    empty = sorted(
        (r for r in rows if getattr(r, attr) is None), key=lambda r: r.ref, reverse=descending
    )
    present.sort(key=lambda r: (getattr(r, attr), r.ref), reverse=descending)
    return [r.ref for r in present + empty]


@pytest.mark.parametrize("sort", sorted(SORTABLE))
def test_every_sort_pages_without_gaps_or_repeats(
    house: House, tmp_path: object, sort: str
) -> None:
    setup(house, tmp_path)
    with house.store.engine.connect() as conn:
        everything = queries.list_findings(conn, principal=BUREAU, today=TODAY)
        for descending in (False, True):
            walked: list[str] = []
            cursor = None
            while True:
                page = queries.list_findings(
                    conn,
                    principal=BUREAU,
                    today=TODAY,
                    sort=sort,
                    descending=descending,
                    sort_after=cursor,
                    limit=2,
                )
                walked += [f.ref for f in page]
                if len(page) < 2:
                    break
                cursor = cursor_of(page[-1], sort)
            assert walked == expected(everything, sort, descending), (sort, descending)


def test_amount_sorts_by_value_not_text(house: House, tmp_path: object) -> None:
    setup(house, tmp_path)  # amounts 100.50, 300, 7, 50 and one empty
    with house.store.engine.connect() as conn:
        refs = [
            f.ref for f in queries.list_findings(conn, principal=BUREAU, sort="amount", today=TODAY)
        ]
    assert refs == ["D1/2024/04", "D2/2024/01", "D1/2024/01", "D1/2024/02", "D1/2024/03"]


def test_an_unknown_sort_is_refused_in_chinese(house: House) -> None:
    with (
        house.store.engine.connect() as conn,
        pytest.raises(ValueError, match="不能按 colour 排序"),
    ):
        queries.list_findings(conn, principal=BUREAU, sort="colour", today=TODAY)
