"""The Open311 endpoint's rules: the loop seen as open/closed, W3C times, the token bucket."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from console.domain.enums import Status
from console.domain.errors import Invalid
from console.domain.open311 import (
    Bucket,
    Public,
    coordinates,
    public_status,
    public_statuses,
    query_window,
    reporter_name,
    w3c_time,
)


def test_a_case_is_closed_once_the_loop_has_ended_it() -> None:
    closed = {s for s in Status if public_status(s) is Public.CLOSED}
    assert closed == {Status.CLOSED, Status.INVALID, Status.DUPLICATE}
    assert public_statuses("open, closed") == frozenset(Status)
    with pytest.raises(Invalid):
        public_statuses("pending")


def test_times_are_w3c_with_their_offset() -> None:
    at = w3c_time("start_date", "2026-12-01T08:00:00+08:00")
    assert at == datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    assert w3c_time("end_date", "2026-12-01T00:00Z").utcoffset() == timedelta(0)
    for bad in ("2026-12-01", "2026-12-01T08:00:00", "2026-13-01T00:00:00Z", "yesterday"):
        with pytest.raises(Invalid):
            w3c_time("start_date", bad)


def test_the_default_window_is_the_last_90_days() -> None:
    now = datetime(2026, 12, 3, tzinfo=UTC)
    ago = now - timedelta(days=90)
    assert query_window(None, None, now) == (ago, now)
    assert query_window(None, now - timedelta(days=1), now) == (
        ago - timedelta(days=1),
        now - timedelta(days=1),
    )
    assert query_window(ago - timedelta(days=9), None, now) == (
        ago - timedelta(days=9),
        now - timedelta(days=9),
    )
    assert query_window(now - timedelta(days=2), None, now) == (now - timedelta(days=2), now)
    for start, end in ((now, now - timedelta(days=1)), (ago - timedelta(days=1), now)):
        with pytest.raises(Invalid):
            query_window(start, end, now)


def test_coordinates_are_degrees() -> None:
    assert coordinates("30.27", "120.19") == (30.27, 120.19)
    for lat, lon in (("91", "0"), ("0", "181"), ("nan", "0"), ("30.2N", "120")):
        with pytest.raises(Invalid):
            coordinates(lat, lon)


def test_names_keep_each_languages_order() -> None:
    assert reporter_name("芳", "王") == "王芳"
    assert reporter_name("Ann", "Smith") == "Ann Smith"
    assert reporter_name(" ", "") is None


def test_the_bucket_allows_a_minutes_worth_then_refills_evenly() -> None:
    bucket = Bucket.full(60, now=0.0)
    assert all(bucket.take(0.0) for _ in range(60))
    assert not bucket.take(0.5)
    assert bucket.take(1.0)  # one a second comes back
    assert not bucket.take(1.0)
    assert bucket.idle(61.0)
