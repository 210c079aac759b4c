"""The centre's figures timed: what the dashboard reads for its default 30 days (its own reads,
`read_headline` and `read_tables`: the day-by-day figures of its six periods, yesterday by this
time, the ranking, the red units, the trend), a drill-down from it into
the queue, and the monthly bulletin written in each format — for a district supervisor and a
street operator."""

from __future__ import annotations

import time

from console import wallclock
from console.bench.figures import BULLETIN, DASHBOARD, DASHBOARD_STREET, DRILL, Samples
from console.bench.stores import LOGIN
from console.config import Settings
from console.db import Store
from console.domain.figures import Weights
from console.domain.sla import SlaClock
from console.queries import cases as q
from console.queries import figures as fq
from console.queries.reference import reference
from console.reports.bulletin import bulletin, month_of
from console.session import Session
from console.views.viewmodels.dashboard import (
    Period,
    period_days,
    read_headline,
    read_tables,
    red_drill,
    today_days,
    week_days,
)

DISTRICT = "sup.district1"


def query_centre(store: Store, samples: Samples, repeat: int) -> None:
    from console.reports.write import write

    ref = reference(store)
    now = wallclock.now()
    tz = Settings().tz
    today = now.astimezone(tz).date()
    spans = today_days(today), week_days(today), period_days(Period.DAYS_30, today)
    for login, figure in ((DISTRICT, DASHBOARD), (LOGIN, DASHBOARD_STREET)):
        session = Session(store, SlaClock(), login, "zh", tz)
        for _ in range(repeat):
            started = time.perf_counter()
            read_headline(session, spans)
            read_tables(session, spans[2], units=False)
            samples.add(figure, (time.perf_counter() - started) * 1000)
    district = ref.actor(DISTRICT)
    worst = [unit for unit, _, _ in fq.red_units(store, district, now) if unit is not None][:repeat]
    for unit in worst:
        f = red_drill(ref, unit)
        started = time.perf_counter()
        q.page(store, district, f, q.Sort.DEADLINE, limit=50, now=now)
        q.count(store, district, f, now=now)
        samples.add(DRILL, (time.perf_counter() - started) * 1000)
    asked = month_of(None, today, tz)
    for fmt in ("md", "docx", "xlsx"):
        started = time.perf_counter()
        write(bulletin(store, district, asked, now, "zh", Weights()), fmt)
        samples.add(BULLETIN, (time.perf_counter() - started) * 1000)
