"""The queue's window: which rows it asks for, and when a page says where the queue ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from console.domain.enums import Level, Source, Status, Urgency
from console.queries.cases import CaseRow, QueueFilter, Sort
from console.views.viewmodels.queue import PAGE, Fetch, QueueModel, Request

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
SCREEN = 48  # rows on a 160×48 terminal's queue, about


def rows(first: int, n: int) -> list[CaseRow]:
    return [
        CaseRow(
            id=i,
            code=f"E2026-{i:07d}",
            title="占道经营",
            status=Status.DISPATCHED,
            urgency=Urgency.NORMAL,
            category_id=1,
            grid_id=1,
            street_id=1,
            lead_unit_id=None,
            level=Level.GRID,
            source=Source.PATROL,
            deadline_at=T0 + timedelta(minutes=i),
            warn_at=None,
            created_at=T0,
            updated_at=T0,
            version=1,
        )
        for i in range(first, first + n)
    ]


def after_a_reload(total_before: int) -> QueueModel:
    """A queue that showed `total_before` cases, just given a new filter."""
    model = QueueModel(QueueFilter(), Sort.DEADLINE, total=total_before)
    model.apply(Request(Fetch.TOP, model.generation), rows(0, PAGE))
    model.reset(QueueFilter(text="噪音"))
    return model


def test_a_search_with_few_hits_is_complete_in_one_page() -> None:
    model = after_a_reload(total_before=35_000)
    request = model.need(0, SCREEN)
    assert request == Request(Fetch.TOP, model.generation)
    model.pending = request
    model.apply(request, rows(0, 67))
    assert model.total == 67
    assert model.need(0, SCREEN) is None, "asked again past the end it had just seen"


def test_a_full_first_page_leaves_the_rest_to_fetch() -> None:
    model = after_a_reload(total_before=35_000)
    model.apply(Request(Fetch.TOP, model.generation), rows(0, PAGE))
    assert model.total == 35_000  # until the count comes: the page may not be the end
    nearer_the_end = model.need(PAGE - 30, PAGE - 30 + SCREEN)
    assert nearer_the_end is not None and nearer_the_end.kind is Fetch.AFTER


def test_a_short_page_from_the_middle_ends_the_queue_there() -> None:
    model = QueueModel(QueueFilter(), Sort.DEADLINE, total=10_000)
    model.apply(Request(Fetch.OFFSET, model.generation, offset=5_000), rows(5_000, 30))
    assert model.total == 5_030
    assert model.loaded == range(5_000, 5_030)


def test_a_short_last_page_is_the_whole_queue() -> None:
    model = QueueModel(QueueFilter(), Sort.DEADLINE, total=10_000)
    model.apply(Request(Fetch.BOTTOM, model.generation), rows(0, 12))
    assert (model.total, model.loaded) == (12, range(0, 12))


def test_an_answer_to_an_older_filter_is_dropped() -> None:
    model = after_a_reload(total_before=35_000)
    stale = Request(Fetch.TOP, model.generation - 1)
    assert not model.apply(stale, rows(0, 5))
    assert model.rows is None and model.total == 35_000
