"""The district's whole open queue on SQLite walks its own indexes in the queue's order
(models.WALK_CONDITION) and counts through them, and a search's count goes through the search
index while that names fewer cases than a scan would read: the same rows and counts as the
plain plan, for every built-in view of the district, both clock orders and every kind of term.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import func, select, text

from console.db import Store
from console.domain.enums import OPEN_STATUSES, Level
from console.domain.policy import desk
from console.models import Case
from console.queries import cases as q
from console.queries import text_search
from console.queries.reference import reference
from console.queries.views import default_view
from tests.conftest import ANCHOR, StoreFactory

DISTRICT = "sup.district1"
STREET = "op.jiangbin1"
# A community's name, a road, a common character and pair, a rare address, nothing at all.
TERMS = ("", "社区", "路", "垃圾", "占道经营", "号", "不存在的词语")
VIEWS = range(1, 6)


@pytest.fixture(scope="module", params=["sqlite", "pg"])
def district(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    factory = StoreFactory(request.param, tmp_path_factory.mktemp("walk"))
    yield factory.seeded(cases=3000, seed=11)
    factory.close()


def _seen(store: Store, login: str, slot: int, sort: q.Sort, term: str) -> tuple[list[str], int]:
    actor = reference(store).actor(login)
    f = replace(default_view(slot, desk=desk(actor)).filter, text=term)
    rows = q.page(store, actor, f, sort, limit=60, now=ANCHOR)
    last = q.last_page(store, actor, f, sort, limit=20, now=ANCHOR)
    return [r.code for r in rows + last], q.count(store, actor, f, now=ANCHOR)


@pytest.mark.parametrize(
    ("common", "through_index"),
    [(text_search.COMMON, None), (50, None), (50, 0)],
    ids=["as-is", "common-terms", "counts-read-the-text"],
)
def test_the_walks_find_what_the_plain_plan_finds(
    district: Store, monkeypatch: pytest.MonkeyPatch, common: int, through_index: float | None
) -> None:
    """`common-terms`: every term but the rarest walks, as at a million cases;
    `counts-read-the-text`: and every search's count of the district reads the text walk."""
    monkeypatch.setattr(text_search, "COMMON", common)
    if through_index is not None:
        monkeypatch.setattr(text_search, "COUNT_THROUGH_INDEX_BESIDE_TEXT_WALK", through_index)
    asked = [
        (login, slot, sort, term)
        for login in (DISTRICT, STREET)
        for slot in VIEWS
        for sort in (q.Sort.DEADLINE, q.Sort.URGENCY)
        for term in TERMS
    ]
    walked = {one: _seen(district, *one) for one in asked}
    monkeypatch.setattr(q, "_walks", lambda s, actor, f: False)
    monkeypatch.setattr(q, "_reads_every_text", lambda s, actor, f: False)
    monkeypatch.setattr(text_search, "COUNT_THROUGH_INDEX", 0)  # counts scan, as before
    plain = {one: _seen(district, *one) for one in asked}
    assert walked == plain
    assert any(count > 0 for _, count in walked.values())
    assert walked[(DISTRICT, 1, q.Sort.DEADLINE, "不存在的词语")] == ([], 0)


def _plan(store: Store, login: str, slot: int, term: str, *, counting: bool) -> str:
    actor = reference(store).actor(login)
    ref = reference(store)
    f = replace(default_view(slot, desk=desk(actor)).filter, text=term)
    with store.read() as s:
        where = q.where_of(s, actor, f, ref, ANCHOR, sort=q.Sort.DEADLINE, counting=counting)
        if counting:
            stmt = select(func.count()).select_from(Case).where(*where)
        else:
            stmt = select(Case.__table__.c.id).where(*where).order_by(*q._order(q.Sort.DEADLINE))
        sql = str(stmt.compile(s.get_bind(), compile_kwargs={"literal_binds": True}))
        return " / ".join(str(r[-1]) for r in s.execute(text("EXPLAIN QUERY PLAN " + sql)))


@pytest.mark.parametrize("district", ["sqlite"], indirect=True)  # PostgreSQL: its statistics
def test_the_district_reads_its_open_queue_in_order_and_counts_it_in_the_index(
    district: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What keeps a district supervisor's views and common searches quick at a million cases
    (gridcall bench): the page walks the queue's order and stops, never sorting every open
    case; the count reads the walk index alone. A street keeps its own street's index."""
    for slot in VIEWS:
        if default_view(slot, desk=Level.DISTRICT).filter.statuses != OPEN_STATUSES:
            continue  # a view of some statuses reads them through the status index
        page = _plan(district, DISTRICT, slot, "", counting=False)
        assert "ix_cases_walk_deadline" in page and "TEMP B-TREE" not in page, (slot, page)
        counted = _plan(district, DISTRICT, slot, "", counting=True)
        assert "ix_cases_walk_deadline" in counted, (slot, counted)
    monkeypatch.setattr(text_search, "COMMON", 100)  # "路" is as common as in a million cases
    common = _plan(district, DISTRICT, 1, "路", counting=False)
    assert "ix_cases_walk_deadline" in common and "TEMP B-TREE" not in common
    # Its count tests the text of every open case, read from the text walk, not the table.
    monkeypatch.setattr(text_search, "COUNT_THROUGH_INDEX_BESIDE_TEXT_WALK", 0)
    for slot in VIEWS:
        if default_view(slot, desk=Level.DISTRICT).filter.statuses != OPEN_STATUSES:
            continue
        counted = _plan(district, DISTRICT, slot, "路", counting=True)
        assert "COVERING INDEX ix_cases_walk_text" in counted, (slot, counted)
    street = _plan(district, STREET, 1, "路", counting=False)
    assert "ix_cases_open_deadline" in street and "walk" not in street


@pytest.mark.parametrize("district", ["pg"], indirect=True)
def test_the_districts_count_on_postgresql_reads_every_text_not_the_gram_index(
    district: Store,
) -> None:
    """Given the gram test, PostgreSQL read the text walk and worked out each open case's grams
    (路 at a million cases: 1.3 s); the district's count of a term tests the text alone. A
    street's count, and every page, still narrow by the gram index."""
    ref = reference(district)

    def sql(login: str, *, counting: bool) -> str:
        actor = ref.actor(login)
        f = replace(default_view(1, desk=desk(actor)).filter, text="路")
        with district.read() as s:
            where = q.where_of(s, actor, f, ref, ANCHOR, sort=q.Sort.DEADLINE, counting=counting)
            stmt = select(func.count()).select_from(Case).where(*where)
            return str(stmt.compile(s.get_bind()))

    assert "gridcall_grams" not in sql(DISTRICT, counting=True)
    assert "gridcall_grams" in sql(DISTRICT, counting=False)
    assert "gridcall_grams" in sql(STREET, counting=True)
