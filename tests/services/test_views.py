"""Saved queue views and the find queries, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text, update

from console.domain.enums import AreaLevel, Light, Status
from console.domain.errors import Invalid, NotFound, StoreError
from console.domain.limits import VIEW_NAME_MAX
from console.domain.period import period
from console.models import SavedView
from console.queries import cases as q
from console.queries import lookup
from console.queries.reference import GRID_LEVELS, reference
from console.queries.views import SLOTS, default_view, filter_to_json, saved_views, views
from console.services.views import delete_view, save_view
from tests.services.helpers import NOW, Cast, cast, new_case, walk

RED_URGENT = q.QueueFilter(lights=frozenset({Light.RED}), text="漏水", negate=True)


@pytest.fixture(scope="module")
def c(seeded) -> Cast:  # type: ignore[no-untyped-def]
    return cast(seeded)


def test_a_user_without_saved_views_sees_the_defaults(seeded, c: Cast) -> None:
    shown = views(seeded, c.other_operator)
    assert list(shown) == list(SLOTS)
    assert all(not v.saved for v in shown.values())
    assert shown[3].filter.lights == {Light.RED}
    assert saved_views(seeded, c.other_operator) == []


def test_save_lists_replaces_and_delete_restores_the_default(seeded, c: Cast) -> None:
    saved = save_view(seeded, c.operator, 4, "  红灯  不含漏水 ", RED_URGENT, q.Sort.UPDATED)
    assert saved.name == "红灯 不含漏水"  # runs of spaces are one space
    [listed] = saved_views(seeded, c.operator)
    assert (listed.slot, listed.filter, listed.sort, listed.saved) == (
        4,
        RED_URGENT,
        q.Sort.UPDATED,
        True,
    )
    save_view(seeded, c.operator, 4, "红灯", RED_URGENT, q.Sort.REPORTED)
    [listed] = saved_views(seeded, c.operator)
    assert (listed.name, listed.sort) == ("红灯", q.Sort.REPORTED)
    assert views(seeded, c.operator)[4] == listed
    # Another user's keys are their own.
    assert views(seeded, c.supervisor)[4] == default_view(4)

    restored = delete_view(seeded, c.operator, 4)
    assert restored == default_view(4)
    assert saved_views(seeded, c.operator) == []
    with pytest.raises(NotFound):
        delete_view(seeded, c.operator, 4)


@pytest.mark.parametrize(
    ("slot", "name", "f", "error"),
    [
        (0, "x", q.QueueFilter(), Invalid),
        (10, "x", q.QueueFilter(), Invalid),
        (1, "   ", q.QueueFilter(), Invalid),
        (1, "长" * (VIEW_NAME_MAX + 1), q.QueueFilter(), Invalid),
        (1, "视图\x1b[2J", q.QueueFilter(), Invalid),
        (1, "视图\x00", q.QueueFilter(), Invalid),
        (1, "\u202e视图", q.QueueFilter(), Invalid),
        (1, "x", q.QueueFilter(text="\x00"), Invalid),
        (1, "x", q.QueueFilter(street="NOWHERE"), NotFound),
        (1, "x", q.QueueFilter(category="99"), NotFound),
        (1, "x", q.QueueFilter(unit="U-NONE"), Invalid),
    ],
)
def test_bad_views_are_refused_and_nothing_is_written(
    seeded, c: Cast, slot: int, name: str, f: q.QueueFilter, error: type[Exception]
) -> None:
    with pytest.raises(error):
        save_view(seeded, c.supervisor, slot, name, f, q.Sort.DEADLINE)
    assert saved_views(seeded, c.supervisor) == []


def test_the_store_itself_refuses_a_slot_outside_1_to_9(seeded, c: Cast) -> None:
    user = reference(seeded).user(c.supervisor)
    with pytest.raises(StoreError, match="ck_saved_views_slot"), seeded.raw_write() as conn:
        conn.execute(
            text(
                "INSERT INTO saved_views (user_id, slot, name, filters, sort) "
                "VALUES (:u, 10, 'x', '{}', 'deadline')"
            ),
            {"u": user.id},
        )


def test_negated_text_is_the_complement(seeded, c: Cast) -> None:
    new_case(seeded, c, title="楼上卫生间漏水渗到楼下")
    new_case(seeded, c, title="路口井盖缺失")
    actor = reference(seeded).actor(c.operator)
    everything = q.count(seeded, actor, q.QueueFilter(), now=NOW)
    leaks = q.QueueFilter(text="漏水")
    found = q.count(seeded, actor, leaks, now=NOW)
    others = q.QueueFilter(text="漏水", negate=True)
    assert found >= 1
    assert q.count(seeded, actor, others, now=NOW) == everything - found
    rows = q.page(seeded, actor, others, q.Sort.DEADLINE, limit=500, now=NOW)
    assert rows and all("漏水" not in r.title for r in rows)


def test_unrated_keeps_closed_cases_awaiting_follow_up(seeded, c: Cast) -> None:
    first = new_case(seeded, c).code
    walk(seeded, c, Status.CLOSED, first_code=first)
    actor = reference(seeded).actor(c.operator)
    view = default_view(8)
    rows = q.page(seeded, actor, view.filter, view.sort, limit=500, now=NOW)
    assert rows
    for row in rows:
        detail = q.detail(seeded, q.DISTRICT_WIDE, row.code, timeline=False)
        assert detail.row.status is Status.CLOSED and detail.rating is None


def test_filters_find_by_code_or_name_and_keep_inside_a_place(seeded, c: Cast) -> None:
    ref = reference(seeded)
    by_name = lookup.categories(ref, "占道", groups=True, browse=True)
    assert [x.code for x in by_name] == ["010203"]
    subtree = lookup.categories(ref, "0102", groups=True, browse=True)
    assert subtree[0].code == "0102" and all(x.code.startswith("0102") for x in subtree)
    grids = lookup.areas(ref, "", GRID_LEVELS, within=c.street, browse=True)
    street_id = ref.area(c.street).id
    assert grids and all(ref.area(g.code).street_id == street_id for g in grids)
    streets = lookup.areas(ref, "", frozenset({AreaLevel.STREET}), within=c.street, browse=True)
    assert [s.code for s in streets] == [c.street]
    units = lookup.units(ref, "", street=c.street, browse=True)
    assert c.section in {u.code for u in units}
    assert all(ref.unit(u.code).street_id in (None, street_id) for u in units)


def test_a_view_keeps_its_period_and_views_saved_before_it_still_load(seeded, c: Cast) -> None:
    days = period("2026-12-01", "2026-12-01", ZoneInfo("Asia/Shanghai"), ("--from", "--to"))
    dated = q.QueueFilter(
        lights=frozenset({Light.RED}), reported_from=days[0], reported_until=days[1]
    )
    save_view(seeded, c.operator, 6, "十二月一日", dated, q.Sort.REPORTED)
    [listed] = saved_views(seeded, c.operator)
    assert listed.filter == dated
    assert listed.filter.reported_from == datetime(2026, 11, 30, 16, tzinfo=UTC)
    # A row written before the period existed: its JSON has no such keys.
    old = {k: v for k, v in filter_to_json(dated).items() if not k.startswith("reported_")}
    table = SavedView.__table__
    seeded.write(lambda s: s.execute(update(table).where(table.c.slot == 6).values(filters=old)))
    [listed] = saved_views(seeded, c.operator)
    assert listed.filter == q.QueueFilter(lights=frozenset({Light.RED}))
    delete_view(seeded, c.operator, 6)
