"""A queue filter survives being stored: QueueFilter → JSON text → QueueFilter."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from console.domain.enums import Level, Light, Source, Status, Urgency
from console.domain.period import bound_text, period
from console.present import view_title
from console.queries.cases import QueueFilter
from console.queries.views import SLOTS, default_view, filter_from_json, filter_to_json

codes = st.none() | st.text("LJ0123456789-", min_size=1, max_size=12)
instants = st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1), timezones=st.just(UTC))
filters = st.builds(
    QueueFilter,
    statuses=st.frozensets(st.sampled_from(Status)),
    lights=st.frozensets(st.sampled_from(Light)),
    urgency=st.none() | st.sampled_from(Urgency),
    category=codes,
    source=st.none() | st.sampled_from(Source),
    street=codes,
    community=codes,
    grid=codes,
    unit=codes,
    level=st.none() | st.sampled_from(Level),
    text=st.text(max_size=20),
    negate=st.booleans(),
    unrated=st.booleans(),
    reported_from=st.none() | instants,
    reported_until=st.none() | instants,
)


@given(filters)
def test_filter_round_trips_through_json_text(f: QueueFilter) -> None:
    stored = json.dumps(filter_to_json(f), ensure_ascii=False)
    assert filter_from_json(json.loads(stored)) == f


def test_equal_filters_store_equal_text() -> None:
    a = QueueFilter(statuses=frozenset({Status.CLOSED, Status.HANDLED}))
    b = QueueFilter(statuses=frozenset({Status.HANDLED, Status.CLOSED}))
    assert json.dumps(filter_to_json(a)) == json.dumps(filter_to_json(b))


def test_a_field_missing_from_older_json_takes_its_default() -> None:
    assert filter_from_json({"lights": ["red"]}) == QueueFilter(lights=frozenset({Light.RED}))


def test_every_default_view_round_trips() -> None:
    for slot in SLOTS:
        view = default_view(slot)
        assert filter_from_json(filter_to_json(view.filter)) == view.filter
        assert view_title(view, "zh") and not view.saved


@given(instants, instants, st.sampled_from([ZoneInfo("Asia/Shanghai"), UTC]))
def test_a_period_as_typed_back_reads_as_the_same_period(
    start: datetime, end: datetime, tz: ZoneInfo
) -> None:
    """The filter form shows a period's ends as text; applied again, it is the same period."""
    start, end = sorted((start, end))
    typed = bound_text(start, tz, end=False), bound_text(end, tz, end=True)
    if start < end:
        assert period(*typed, tz, ("from", "to")) == (start, end)
