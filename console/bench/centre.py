"""The centre's figures timed: what the dashboard reads for its default 30 days (the day-by-day
figures of its six periods, the ranking, the red units, the trend), a drill-down from it into
the queue, and the monthly bulletin written in each format — for a district supervisor and a
street operator."""

from __future__ import annotations

import time

from console import wallclock
from console.bench.figures import BULLETIN, DASHBOARD, DASHBOARD_STREET, DRILL, Samples
from console.bench.stores import LOGIN
from console.config import Settings
from console.db import Store
from console.domain.enums import Light
from console.domain.figures import By, Weights
from console.queries import cases as q
from console.queries import figures as fq
from console.queries.reference import reference
from console.reports.bulletin import bulletin, month_of
from console.views.viewmodels.dashboard import (
    Period,
    areas_by,
    period_days,
    reach,
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
    every, chosen = fq.Span.days(*reach(spans), tz), fq.Span.days(spans[2].first, spans[2].last, tz)
    for login, figure in ((DISTRICT, DASHBOARD), (LOGIN, DASHBOARD_STREET)):
        actor = ref.actor(login)
        for _ in range(repeat):
            started = time.perf_counter()
            fq.tally_by(store, actor, every, now, By.DAY)
            fq.tally_by(store, actor, chosen, now, areas_by(actor))
            fq.red_units(store, actor, now)
            fq.trend(store, actor, chosen)
            samples.add(figure, (time.perf_counter() - started) * 1000)
    district = ref.actor(DISTRICT)
    worst = [unit for unit, _, _ in fq.red_units(store, district, now) if unit is not None][:repeat]
    for unit in worst:
        f = q.QueueFilter(unit=ref.units[unit].code, lights=frozenset({Light.RED}))
        started = time.perf_counter()
        q.page(store, district, f, q.Sort.DEADLINE, limit=50, now=now)
        q.count(store, district, f, now=now)
        samples.add(DRILL, (time.perf_counter() - started) * 1000)
    asked = month_of(None, today, tz)
    for fmt in ("md", "docx", "xlsx"):
        started = time.perf_counter()
        write(bulletin(store, district, asked, now, "zh", Weights()), fmt)
        samples.add(BULLETIN, (time.perf_counter() - started) * 1000)
