"""The seeded demo reads true (issue #14): every generated element of a case belongs to what
the case is about, who reported it and how far it has come. Checked over every case of a
seeded store, on both stores."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import text

from console.db import Store
from console.demo.seedfiles import Seeds, load_seeds, resolve_unit
from console.domain.enums import Rating, Source, UnitKind
from console.domain.oversight import SYSTEM
from console.domain.policy import HOLDER_WORK
from console.models import WHISTLED
from tests.conftest import BACKENDS, StoreFactory

CASES = 20_000  # the figure (#14: "a seeded store of 20,000 cases")
# Who may rate a case at the follow-up call: a resident who reported it.
RESIDENT_SOURCES = {Source.HOTLINE.value, Source.LINE_8890.value, Source.APP.value}
# Things a person does on the spot; a camera only sees.
PERSON_ACTS = (
    "劝",
    "告知",
    "联系",
    "当场",
    "自办自结",
    "已拍照",
    "已贴",
    "已用",
    "已放置",
    "已通知",
)


@pytest.fixture(scope="module", params=BACKENDS)
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    factory = StoreFactory(request.param, tmp_path_factory.mktemp("demo"))
    yield factory.seeded(cases=CASES, seed=3)
    factory.close()


@pytest.fixture(scope="module")
def seeds() -> Seeds:
    return load_seeds()


def _rows(store: Store, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


CASE_SQL = (
    "SELECT c.code, k.code, c.status, c.source, c.description, c.result, c.rating, "
    "c.rating_comment, s.code FROM cases c JOIN categories k ON k.id = c.category_id "
    "JOIN areas s ON s.id = c.street_id"
)


def _events(store: Store, action: str) -> list[tuple[str, str, str, dict]]:  # type: ignore[type-arg]
    rows = _rows(
        store,
        "SELECT c.code, k.code, s.code, e.payload FROM audit_events e "
        "JOIN cases c ON c.id = e.case_id JOIN categories k ON k.id = c.category_id "
        f"JOIN areas s ON s.id = c.street_id WHERE e.action = '{action}'",
    )
    return [(code, sub, street, json.loads(payload or "{}")) for code, sub, street, payload in rows]


def test_every_result_is_one_of_its_subcategorys(demo: Store, seeds: Seeds) -> None:
    # A unit's results, or what a grid worker does on the spot (自办自结, checked below).
    h = seeds.handling
    results = {sub: [*listed, *h.spot_results.get(sub, ())] for sub, listed in h.results.items()}
    cases = _rows(demo, CASE_SQL)
    wrong = [(c[0], c[1], c[5]) for c in cases if c[5] is not None and c[5] not in results[c[1]]]
    assert wrong == []
    assert sum(c[5] is not None for c in cases) > CASES // 3


def test_a_result_only_after_the_case_was_handled(demo: Store) -> None:
    # Reported handled by its unit, or on the spot by the grid worker who found it (自办自结).
    early = _rows(
        demo,
        "SELECT code, status FROM cases WHERE result IS NOT NULL AND id NOT IN "
        "(SELECT case_id FROM audit_events WHERE action IN ('handled', 'self-close'))",
    )
    assert early == []


def test_ratings_only_where_a_resident_reported_it(demo: Store) -> None:
    sources = Counter(
        source for (source,) in _rows(demo, "SELECT source FROM cases WHERE rating IS NOT NULL")
    )
    assert set(sources) <= RESIDENT_SOURCES, sources
    assert sum(sources.values()) > 50


def test_every_comment_fits_its_subcategory_and_its_rating(demo: Store, seeds: Seeds) -> None:
    comments = seeds.handling.comments
    cases = [c for c in _rows(demo, CASE_SQL) if c[7] is not None]
    wrong = [(c[0], c[1], c[6], c[7]) for c in cases if c[7] not in comments[c[1]][Rating(c[6])]]
    assert wrong == []
    assert {Rating(c[6]) for c in cases} == set(Rating)


def test_dispatch_instructions_fit_the_subcategory(demo: Store, seeds: Seeds) -> None:
    instructions = seeds.handling.instructions
    events = _events(demo, "dispatch") + _events(demo, "whistle")
    given = [(code, sub, p["instruction"]) for code, sub, _s, p in events if "instruction" in p]
    assert len(given) > CASES // 3
    assert [g for g in given if g[2] not in instructions[g[1]]] == []


def test_whistled_departments_are_those_the_seed_names(demo: Store, seeds: Seeds) -> None:
    whistle = seeds.handling.whistle
    events = _events(demo, "whistle")
    assert events
    for code, sub, street, payload in events:
        assert sub in whistle, (code, sub)
        named = whistle[sub]
        assert payload["unit"] == resolve_unit(named.lead, street), (code, sub, payload)
        assert payload["co_units"] == [resolve_unit(u, street) for u in named.co], (code, payload)


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\\{\w+\\\}", ".+?", re.escape(template)) + "$")


def test_camera_cases_read_as_seen_by_a_camera(demo: Store, seeds: Seeds) -> None:
    cameras = {
        sub: [_pattern(camera) for _t, _d, camera in texts if camera]
        for sub, texts in seeds.texts.items()
    }
    seen = [c for c in _rows(demo, CASE_SQL) if c[3] == Source.SENSOR.value]
    assert len(seen) > 20
    for code, sub, _status, _source, description, *_ in seen:
        assert not any(act in description for act in PERSON_ACTS), (code, description)
        assert any(p.match(description) for p in cameras[sub]), (code, sub, description)


def test_the_category_mix_follows_a_real_centre(demo: Store) -> None:
    # Huzhou's city-management cases, August 2022 (seeds/handling.toml [mix]): exposed garbage
    # first, then illegal parking, piled materials, laundry, bikes — 70 % of its cases;
    # emergencies rare.
    subs = Counter(
        sub
        for (sub,) in _rows(
            demo, "SELECT k.code FROM cases c JOIN categories k ON k.id = c.category_id"
        )
    )
    total = sum(subs.values())
    assert subs.most_common(1)[0][0] == "010301"  # exposed garbage
    top = ("010301", "010207", "010204", "010209", "010208")
    assert 0.40 <= sum(subs[s] for s in top) / total <= 0.65
    city = sum(n for s, n in subs.items() if s.startswith("01")) / total
    assert 0.65 <= city <= 0.90
    assert (subs["020201"] + subs["020202"]) / total < 0.01  # gas leaks and fires
    assert subs["020201"] * 20 < subs["010301"] and subs["020202"] * 20 < subs["010301"]


def test_handling_seed_covers_every_subcategory(seeds: Seeds) -> None:
    subs = {c.code for c in seeds.categories if c.level == "sub"}
    h = seeds.handling
    assert set(h.results) == set(h.comments) == set(h.instructions) == set(h.mix) == subs
    assert set(h.spot_results) == _closable(seeds)
    assert all(len(h.spot_results[s]) >= 2 for s in h.spot_results)
    assert set(h.sections) == subs
    kinds = {u.code: u.kind for u in seeds.units}
    for street in seeds.streets:
        assert {kinds[resolve_unit(u, street.code)] for u in h.sections.values()} == {
            UnitKind.SECTION
        }
    assert all(len(h.results[s]) >= 2 for s in subs)
    units = {u.code for u in seeds.units}
    for sub, named in h.whistle.items():
        assert sub in subs and named.co and named.lead not in named.co
        for street in seeds.streets:
            assert {resolve_unit(u, street.code) for u in (named.lead, *named.co)} <= units


# --- the loop's mechanisms in the histories --------------------------------------------------

# A text that says its grid worker handled the case on the spot (自办自结).
SELF_HANDLED = "自办"
CASE_EVENTS_SQL = (
    "SELECT c.code, e.action, e.actor, e.payload FROM audit_events e "
    "JOIN cases c ON c.id = e.case_id ORDER BY e.seq"
)


def _trails(store: Store) -> dict[str, list[tuple[str, str, dict]]]:  # type: ignore[type-arg]
    """Each case's events in order: (action, actor, payload)."""
    trails: dict[str, list[tuple[str, str, dict]]] = {}  # type: ignore[type-arg]
    for code, action, actor, payload in _rows(store, CASE_EVENTS_SQL):
        trails.setdefault(code, []).append((action, actor, json.loads(payload or "{}")))
    return trails


def _closable(seeds: Seeds) -> set[str]:
    return {c.code for c in seeds.categories if c.level == "sub" and c.unit_kind is UnitKind.GRID}


def test_self_closed_cases_were_found_and_handled_on_the_spot(demo: Store, seeds: Seeds) -> None:
    trails = _trails(demo)
    cases = {c[0]: c for c in _rows(demo, CASE_SQL)}
    photos = dict(_rows(demo, "SELECT code, attachments FROM cases"))
    closed = [code for code, trail in trails.items() if any(a == "self-close" for a, *_ in trail)]
    assert len(closed) > 30
    spot_checked = 0
    for code in closed:
        _code, sub, _status, source, _d, result, rating, _c, street = cases[code]
        actions = [a for a, *_ in trails[code]]
        assert source == Source.PATROL.value and sub in _closable(seeds), (code, source, sub)
        # What a grid worker does on the spot, never a unit's work (a bureau's fine, a repair).
        assert result in seeds.handling.spot_results[sub] and rating is None, (code, result)
        assert "dispatch" not in actions and "whistle" not in actions, (code, actions)
        [(_a, worker, payload)] = [e for e in trails[code] if e[0] == "self-close"]
        assert worker == trails[code][0][1]  # the worker who reported it
        assert payload["photo"] in _json(photos[code]) and payload["result"], (code, payload)
        if payload["spot_check"]:
            spot_checked += 1
            # 抽查: checked by an operator of the case's street, never by its own worker.
            for _a, actor, _p in (e for e in trails[code] if e[0] == "verify"):
                assert actor.startswith("op.") and actor != worker, (code, actor)
                assert _street_of(demo, actor) == street, (code, actor, street)
    # The centre's share of them (the store's spot_check_share, 0.2) waits for its spot check.
    assert 0.05 * len(closed) < spot_checked < 0.4 * len(closed)


def _street_of(store: Store, login: str) -> str | None:
    [(street,)] = _rows(
        store,
        f"SELECT a.code FROM users u LEFT JOIN areas a ON a.id = u.street_id "
        f"WHERE u.login = '{login}'",
    )
    return street


def test_no_patrol_text_claims_self_handling_on_a_case_given_to_a_unit(demo: Store) -> None:
    trails = _trails(demo)
    claims = [c for c in _rows(demo, CASE_SQL) if SELF_HANDLED in c[4]]
    assert claims
    for code, *_ in claims:
        actions = [a for a, *_ in trails[code]]
        assert "self-close" in actions, (code, actions)
        assert "dispatch" not in actions and "whistle" not in actions, (code, actions)


def test_only_patrol_texts_of_self_closable_categories_claim_self_handling(seeds: Seeds) -> None:
    closable = _closable(seeds)
    for sub, texts in seeds.texts.items():
        for _title, description, camera in texts:
            if SELF_HANDLED in description:
                assert sub in closable and description.startswith("网格员"), (sub, description)
            assert camera is None or SELF_HANDLED not in camera, (sub, camera)


def test_district_cases_are_worked_by_the_district_alone(demo: Store) -> None:
    """An escalation to the district hands the case to its platform: from then until it is
    handed back down, the holder's work is the district's people's (or the system's automatic
    督办, whoever holds the case), never the street's."""
    district = {
        login
        for (login,) in _rows(
            demo,
            "SELECT login FROM users WHERE street_id IS NULL AND role IN "
            "('operator', 'supervisor')",
        )
    }
    assert district
    raised = handed_back = worked = 0
    for code, trail in _trails(demo).items():
        level = "grid"
        for action, actor, payload in trail:
            if level == "district" and action in HOLDER_WORK:
                assert actor in district or actor == SYSTEM, (code, action, actor)
                worked += 1
            if "level" in payload:
                old, level = payload["level"]
                raised += action == "escalate" and level == "district"
                handed_back += action == "deescalate" and old == "district"
    assert raised > 20 and 0 < handed_back < raised and worked > raised


def _tasks(store: Store) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    rows = _rows(store, f"SELECT code, tasks FROM cases WHERE {WHISTLED}")
    return [(code, task) for code, tasks in rows for task in _json(tasks)]


def _json(column: object) -> Any:
    """A JSON column as Python: SQLite gives its text, PostgreSQL the value."""
    return json.loads(column) if isinstance(column, str) else column


def _at(task: dict, name: str) -> datetime:  # type: ignore[type-arg]
    return datetime.fromisoformat(task[name])


def test_summoned_departments_report_late_are_waived_and_are_rated(demo: Store) -> None:
    """吹哨报到 in full: some departments check in late, some are released by the supervisor
    with a reason, and the street rates each department that answered, as late as it was."""
    tasks = _tasks(demo)
    late = [
        t
        for _c, t in tasks
        if "checked_in_at" in t and _at(t, "checked_in_at") > _at(t, "check_in_by")
    ]
    waived = [t for _c, t in tasks if "waived_at" in t]
    rated = [(c, t) for c, t in tasks if "rating" in t]
    assert late and waived and len(rated) > 20
    assert all(t["waive_reason"].strip() for t in waived)
    for code, t in rated:
        assert "fed_back_at" in t and "waived_at" not in t, (code, t)  # it answered
        on_time = (_at(t, "checked_in_at") <= _at(t, "check_in_by")) + (
            _at(t, "fed_back_at") <= _at(t, "feedback_by")
        )
        assert t["rating"] == ("poor", "adequate", "timely")[on_time], (code, t)
    assert {t["rating"] for _c, t in rated} >= {"timely", "adequate"}


def test_escalated_cases_go_to_the_section_their_category_names(demo: Store, seeds: Seeds) -> None:
    """Sent up to the street (from the community, or handed back down by the district), a case
    goes to the street's section whose kind its category names, not to any section."""
    trails = _trails(demo)
    cases = {c[0]: c for c in _rows(demo, CASE_SQL)}
    routed = 0
    for code, trail in trails.items():
        sub, street = cases[code][1], cases[code][8]
        section = resolve_unit(seeds.handling.sections[sub], street)
        for i, (action, _actor, payload) in enumerate(trail):
            to_street = (action, payload.get("level")) in (
                ("escalate", ["grid", "community"]),
                ("deescalate", ["district", "street"]),
            )
            if not to_street:
                continue
            given = next((e for e in trail[i + 1 :] if e[0] in ("dispatch", "whistle")), None)
            if given is not None and given[0] == "dispatch":
                routed += 1
                assert given[2]["unit"] == section, (code, sub, given[2]["unit"], section)
    assert routed > 20
