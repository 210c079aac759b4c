"""The figure cells (services.cells): the figures of whole days read from them equal the figures
summed from the cases, for every grouping they serve and every reader they can scope; every
write through the services keeps them equal to a fresh sum; a case's counts in Python
(domain.figures.counted) are the SQL's."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from console.db import Store
from console.domain.actions import Action
from console.domain.figures import KEPT, By, Tally, counted
from console.domain.policy import Actor, Reach
from console.domain.sla import SlaClock
from console.domain.workflow import Params
from console.models import CELL_COUNTS, AreaCell, Case, ClosedCell, FigureCell
from console.queries import figures as fq
from console.queries.cases import DISTRICT_WIDE, load_detail
from console.queries.reference import reference
from console.services import cells
from console.services.cases import act
from tests.conftest import ANCHOR, BACKENDS, StoreFactory
from tests.services.helpers import NOW as CASE_TIME
from tests.services.helpers import cast, new_case
from tests.store.week import LATER, SHANGHAI, Week

C = Case.__table__.c
SERVED = (None, By.STREET, By.COMMUNITY, By.UNIT, By.HANDLER, By.DAY, By.WEEK)
TODAY = ANCHOR.astimezone(SHANGHAI).date()
SPANS = (
    fq.Span.days(TODAY, TODAY, SHANGHAI),
    fq.Span.days(TODAY - timedelta(days=6), TODAY, SHANGHAI),
    fq.Span.days(TODAY - timedelta(days=29), TODAY, SHANGHAI),
    fq.Span.days(date(2026, 10, 1), date(2026, 10, 31), SHANGHAI),
    fq.Span.days(TODAY - timedelta(days=400), TODAY, SHANGHAI),
)
NOW = ANCHOR + timedelta(hours=3)


@pytest.fixture(scope="module", params=BACKENDS)
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    factory = StoreFactory(request.param, tmp_path_factory.mktemp("cells"))
    yield factory.seeded(cases=600)
    factory.close()


def readers(store: Store) -> list[Actor]:
    """A district reader, a street's operator, a community's staff."""
    ref = reference(store)
    found: dict[Reach, Actor] = {}
    for user in sorted(ref.users.values(), key=lambda u: u.login):
        actor = ref.actor(user.login)
        reach = actor.policy.reads
        if reach is Reach.STREET and actor.street is None:
            reach = Reach.DISTRICT
        found.setdefault(reach, actor)
    return [found[Reach.DISTRICT], found[Reach.STREET], found[Reach.COMMUNITY]]


def _without_cells(store: Store, read: Callable[[], Any]) -> Any:
    """What `read` finds when the store says it has no cells: summed from the cases."""
    with store.raw_write() as conn:
        zone = conn.execute(
            text("SELECT value FROM meta WHERE key = :k"), {"k": fq.CELLS_KEY}
        ).scalar()
        conn.execute(text("DELETE FROM meta WHERE key = :k"), {"k": fq.CELLS_KEY})
    try:
        return read()
    finally:
        with store.raw_write() as conn:
            conn.execute(
                text("INSERT INTO meta (key, value) VALUES (:k, :v)"),
                {"k": fq.CELLS_KEY, "v": zone},
            )


def test_the_cells_give_the_figures_the_cases_give(store: Store) -> None:
    def everything() -> list[Any]:
        found: list[Any] = []
        for actor in readers(store):
            for span in SPANS:
                for by in SERVED:
                    found.append(fq.tally_by(store, actor, span, NOW, by))
                found.append(fq.tally(store, actor, span, NOW))
                found.append(fq.trend(store, actor, span))
        return found

    rolled = everything()
    direct = _without_cells(store, everything)
    tallies = [t for t in rolled if isinstance(t, Tally)]
    assert any(
        t.reported > 100 and t.overdue_now and t.overdue_ever > t.overdue_now for t in tallies
    )
    assert rolled == direct


def test_whole_days_are_read_from_the_cells(store: Store) -> None:
    district = readers(store)[0]
    span = SPANS[1]
    shifted = fq.Span(span.start + timedelta(hours=1), span.end + timedelta(hours=1), SHANGHAI)
    before = fq.tally(store, district, span, NOW).reported
    before_shifted = fq.tally(store, district, shifted, NOW).reported
    units_before = fq.tally_by(store, district, span, NOW, By.UNIT)
    handlers_before = fq.tally_by(store, district, span, NOW, By.HANDLER)
    some = {"day": TODAY - timedelta(days=3), "community_id": 0, "street_id": 0}
    with store.raw_write() as conn:
        conn.execute(AreaCell.__table__.insert().values(**some, reported=5))
        conn.execute(FigureCell.__table__.insert().values(**some, unit_id=0, reported=7))
    try:
        assert fq.tally(store, district, span, NOW).reported == before + 5
        by_unit = fq.tally_by(store, district, span, NOW, By.UNIT)
        assert by_unit[None].reported == units_before[None].reported + 7
        by_handler = fq.tally_by(store, district, span, NOW, By.HANDLER)
        assert by_handler[None].reported == handlers_before[None].reported + 7
        # A span of other instants is summed from the cases.
        assert fq.tally(store, district, shifted, NOW).reported == before_shifted
    finally:
        with store.raw_write() as conn:
            for table in (AreaCell.__table__, FigureCell.__table__):
                conn.execute(table.delete().where(table.c.community_id == 0))


def test_a_case_counts_in_python_as_in_sql(store: Store) -> None:
    ref = reference(store)
    with store.read() as s:
        rows = s.execute(select(C.code, *fq.kept_columns().values()).group_by(C.id, C.code)).all()
        assert len(rows) == 600
        for code, *sums in rows:
            tally = counted(load_detail(s, ref, DISTRICT_WIDE, code, timeline=False).state())
            mine = [getattr(tally, name) for name in KEPT]
            assert mine == [int(v) for v in sums], code


def kept(store: Store) -> set[tuple[Any, ...]]:
    """The cells that count anything, as rows."""
    found: set[tuple[Any, ...]] = set()
    with store.read() as s:
        for table in (FigureCell.__table__, AreaCell.__table__, ClosedCell.__table__):
            counts = [c for c in table.c if c.name in (*CELL_COUNTS, "closed")]
            for row in s.execute(select(table)).mappings():
                if any(row[c.name] for c in counts):
                    found.add((table.name, *sorted(row.items())))
    return found


@pytest.fixture(params=BACKENDS)
def district(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Store]:
    factory = StoreFactory(request.param, tmp_path)
    yield factory.seeded(cases=0)
    factory.close()


def test_every_write_keeps_the_cells_equal_to_a_fresh_sum(district: Store) -> None:
    week = Week(district)  # accept, dispatch, return, sign, urge, extend, suspend, verify…
    c = week.c
    op, sup = c.operator, c.supervisor
    clock = SlaClock()
    at = LATER
    for name, action, params in [
        ("B", Action.REOPEN, Params(reason="不满意")),  # B was rated dissatisfied
        ("I", Action.SET_CATEGORY, Params(category="020202")),
        (
            "J",
            Action.SUSPEND,
            Params(reason="等待政策", review_on=LATER.date() + timedelta(days=7)),
        ),
        ("E", Action.RESUME, Params()),
        ("E", Action.DISPATCH, Params(unit=c.departments[1])),
    ]:
        at += timedelta(minutes=5)
        act(
            district,
            clock,
            sup if action in (Action.SUSPEND, Action.RESUME, Action.REOPEN) else op,
            week.codes[name],
            action,
            params,
            now=at,
        )
    late = new_case(district, c, at).code  # accepted days late, then rejected
    act(district, clock, op, late, Action.ACCEPT, now=at + timedelta(days=5))
    act(
        district,
        clock,
        op,
        late,
        Action.DISPATCH,
        Params(unit=c.section),
        now=at + timedelta(days=5),
    )
    kept_by_writes = kept(district)
    assert len(kept_by_writes) > 5
    cells.build(district, SHANGHAI)
    assert kept(district) == kept_by_writes


WRITERS = 4
EACH = 6


def _write(args: tuple[str, int]) -> None:
    url, worker = args
    store = Store(url)
    c = cast(store)
    for i in range(EACH):
        code = new_case(store, c, title=f"并发{worker}-{i}").code
        at = CASE_TIME + timedelta(minutes=1)
        act(store, SlaClock(), c.operator, code, Action.ACCEPT, now=at)
        act(store, SlaClock(), c.operator, code, Action.DISPATCH, Params(unit=c.section), now=at)
        act(store, SlaClock(), c.supervisor, code, Action.URGE, Params(text="请抓紧"), now=at)
    store.dispose()


def test_writers_at_once_lose_no_count(stores: StoreFactory) -> None:
    """Every case lands in the same cell, written by several processes at once."""
    store = stores.seeded(cases=0)
    with multiprocessing.get_context("spawn").Pool(WRITERS) as pool:
        pool.map(_write, [(store.url, w) for w in range(WRITERS)])
    by_writes = kept(store)
    cells.build(store, SHANGHAI)
    assert kept(store) == by_writes
    district = readers(store)[0]
    local = CASE_TIME.astimezone(SHANGHAI).date()
    t = fq.tally(store, district, fq.Span.days(local, local, SHANGHAI), CASE_TIME)
    assert (t.reported, t.accepted, t.dispatched, t.urges) == (WRITERS * EACH,) * 4
