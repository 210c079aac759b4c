"""The Open311 GeoReport v2 endpoint's rules: what residents' apps may send, and what the loop
looks like from outside.

GeoReport v2 (wiki.open311.org/GeoReport_v2) knows two statuses, open and closed, with a free
text of notes: a case is closed once the loop has ended it (closed, invalid, duplicate), and its
notes are the loop's own status. Times are W3C date-times with their offset. A query of
requests spans at most 90 days (the last 90 unless it says otherwise), and returns at most
1,000.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from console.domain.enums import FINAL_STATUSES, Source, Status
from console.domain.errors import Invalid

QUERY_SPAN = timedelta(days=90)  # GET requests without dates: the last 90 days
MOST_REQUESTS = 1000  # GET requests returns at most this many
# A POST is a form of short fields (the description at most 4,000 characters, up to three
# bytes each in UTF-8, percent-encoded): anything far larger is no service request.
BODY_MAX = 64 * 1024
# A point farther than this from every grid's centre is outside the district.
NEAREST_GRID_M = 2000
NAME_MAX = 31  # first_name, last_name: with a space between, within the reporter name's 64

# W3C date-time (www.w3.org/TR/NOTE-datetime) to the second, with its offset: "Z" or ±hh:mm.
_W3C = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})", re.ASCII)


class Public(StrEnum):
    """A request's status as GeoReport v2 says it."""

    OPEN = "open"
    CLOSED = "closed"


def public_status(status: Status) -> Public:
    """Closed once the loop has ended the case; suspended or under way, still open."""
    return Public.CLOSED if status in FINAL_STATUSES else Public.OPEN


def statuses_of(public: Public) -> frozenset[Status]:
    return frozenset(s for s in Status if public_status(s) is public)


def public_statuses(value: str) -> frozenset[Status]:
    """The loop's statuses a `status` parameter ("open", "closed", "open,closed") selects."""
    chosen: set[Status] = set()
    for word in value.split(","):
        try:
            chosen |= statuses_of(Public(word.strip()))
        except ValueError:
            raise Invalid("open311.bad_status", value=word.strip()) from None
    return frozenset(chosen)


def w3c_time(name: str, value: str) -> datetime:
    """A W3C date-time with its offset; Invalid naming the parameter otherwise."""
    text = value.strip()
    if not _W3C.fullmatch(text):
        raise Invalid("open311.bad_time", name=name, value=text[:40])
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise Invalid("open311.bad_time", name=name, value=text[:40]) from None


def query_window(
    start: datetime | None, end: datetime | None, now: datetime
) -> tuple[datetime, datetime]:
    """The span a GET requests covers: at most 90 days, the last 90 unless it says otherwise
    (from `start` on: its 90 days, up to now)."""
    if start is not None and end is not None:
        since, until = start, end
    elif start is not None:
        since, until = start, min(now, start + QUERY_SPAN)
    else:
        until = end or now
        since = until - QUERY_SPAN
    if since > until:
        raise Invalid("open311.bad_window")
    if until - since > QUERY_SPAN:
        raise Invalid("open311.long_window", days=QUERY_SPAN.days)
    return since, until


def coordinates(lat: str, lon: str) -> tuple[float, float]:
    """Latitude and longitude in WGS84 decimal degrees; Invalid for anything else."""
    try:
        found = float(lat), float(lon)
    except ValueError:
        raise Invalid("open311.bad_location", lat=lat[:40], lon=lon[:40]) from None
    if not all(math.isfinite(v) for v in found) or abs(found[0]) > 90 or abs(found[1]) > 180:
        raise Invalid("open311.bad_location", lat=lat[:40], lon=lon[:40])
    return found


def own_words(source: Source) -> bool:
    """Whether a request is shown to the public as it came in (its description, address, point
    and photo): only what a resident sent through an app for that purpose. A call taken down by
    an operator may hold the caller's home and words: it shows its grid alone."""
    return source is Source.APP


def case_title(description: str, service_name: str) -> str:
    """A case's title from what the resident wrote: its first line, else the service's name."""
    lines = description.strip().splitlines()
    return lines[0].strip()[:60] if lines else service_name


def reporter_name(first: str, last: str) -> str | None:
    """The reporter's name as the centre writes it: a Chinese one family name first (last_name
    王, first_name 芳: 王芳), a Latin one in its own order (Ann Smith)."""
    first, last = first.strip()[:NAME_MAX], last.strip()[:NAME_MAX]
    if not (first or last):
        return None
    if (first + last).isascii():
        return " ".join(p for p in (first, last) if p)
    return last + first


@dataclass(frozen=True)
class Open311Rules:
    """What the endpoint allows each client: `per_minute` requests, refilled evenly."""

    per_minute: int = 60


@dataclass
class Bucket:
    """A token bucket: `size` requests at once, refilled at `size` a minute."""

    size: int
    tokens: float
    at: float  # monotonic seconds of the last refill

    @classmethod
    def full(cls, size: int, now: float) -> Bucket:
        return cls(size, float(size), now)

    def take(self, now: float) -> bool:
        """Spend one request if one is left; refill for the time passed first."""
        self.tokens = min(self.size, self.tokens + (now - self.at) * self.size / 60)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    def idle(self, now: float) -> bool:
        """Full again: forgetting it changes nothing."""
        return self.tokens + (now - self.at) * self.size / 60 >= self.size
