"""Keyset paging walks the whole queue, down and up, in the sort's order, on both stores.

A queue is read a page at a time: from the top, after the last row seen, before the first,
from an offset, or from the bottom. Whatever way it is read, the pages together are the queue,
each case once, in the order the operator chose.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from console.db import Store
from console.domain.enums import Light, Status
from console.queries import cases as q
from tests.conftest import ANCHOR, StoreFactory

NOW = ANCHOR
FILTERS = {
    "open": q.QueueFilter(),
    "handled or verifying": q.QueueFilter(statuses=frozenset({Status.HANDLED, Status.VERIFYING})),
    "overdue": q.QueueFilter(lights=frozenset({Light.RED})),
    "every status": q.QueueFilter(statuses=frozenset(Status)),
}


@pytest.fixture(scope="module", params=["sqlite", "pg"])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    factory = StoreFactory(request.param, tmp_path_factory.mktemp("paging"))
    yield factory.seeded(cases=3000, seed=3)  # enough to hold a few pages of overdue cases
    factory.close()


def _order_key(sort: q.Sort) -> Any:
    """The queue's order, spelled in Python: most pressing (or newest) first."""
    far = datetime.max.replace(tzinfo=NOW.tzinfo)

    def deadline(r: q.CaseRow) -> tuple[bool, datetime, int]:
        return (r.deadline_at is None, r.deadline_at or far, r.id)

    if sort is q.Sort.DEADLINE:
        return deadline
    if sort is q.Sort.URGENCY:
        return lambda r: (r.urgency.value != "urgent", *deadline(r))
    if sort is q.Sort.REPORTED:
        return lambda r: (-r.created_at.timestamp(), -r.id)
    if sort is q.Sort.REVIEW:  # no review day first, then the oldest day
        return lambda r: (r.review_on is not None, r.review_on or date.min, r.id)
    return lambda r: (-r.updated_at.timestamp(), -r.id)


def _all(store: Store, f: q.QueueFilter, sort: q.Sort) -> list[q.CaseRow]:
    return q.page(store, q.DISTRICT_WIDE, f, sort, limit=100_000, now=NOW)


@pytest.mark.parametrize("sort", list(q.Sort))
@pytest.mark.parametrize("name", list(FILTERS))
def test_pages_down_and_up_are_the_queue_in_order(store: Store, name: str, sort: q.Sort) -> None:
    f = FILTERS[name]
    everything = _all(store, f, sort)
    assert len(everything) >= 8, f"too few cases to page through for {name}"
    size = len(everything) // 8 + 1  # about eight pages each way, the last one short
    assert everything == sorted(everything, key=_order_key(sort)), "not in the sort's order"
    assert q.count(store, q.DISTRICT_WIDE, f, now=NOW) == len(everything)

    down = q.page(store, q.DISTRICT_WIDE, f, sort, limit=size, now=NOW)
    while len(down) < len(everything):
        after = q.key_of(down[-1], sort)
        more = q.page(store, q.DISTRICT_WIDE, f, sort, limit=size, after=after, now=NOW)
        assert more, "paging down stopped before the end"
        down += more
    assert [r.id for r in down] == [r.id for r in everything]

    up = q.last_page(store, q.DISTRICT_WIDE, f, sort, limit=size, now=NOW)
    while len(up) < len(everything):
        before = q.key_of(up[0], sort)
        more = q.page(store, q.DISTRICT_WIDE, f, sort, limit=size, before=before, now=NOW)
        assert more, "paging up stopped before the top"
        up = more + up
    assert [r.id for r in up] == [r.id for r in everything]

    middle = q.page(store, q.DISTRICT_WIDE, f, sort, limit=size, offset=2 * size, now=NOW)
    assert [r.id for r in middle] == [r.id for r in everything[2 * size : 3 * size]]
