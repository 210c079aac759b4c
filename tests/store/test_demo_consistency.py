"""The seeded demo reads true (issue #14): every generated element of a case belongs to what
the case is about, who reported it and how far it has come. Checked over every case of a
seeded store, on both stores."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from console.db import Store
from console.demo.seedfiles import Seeds, load_seeds, resolve_unit
from console.domain.enums import Rating, Source
from tests.conftest import BACKENDS, StoreFactory

CASES = 6000
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
    results = seeds.handling.results
    cases = _rows(demo, CASE_SQL)
    wrong = [(c[0], c[1], c[5]) for c in cases if c[5] is not None and c[5] not in results[c[1]]]
    assert wrong == []
    assert sum(c[5] is not None for c in cases) > CASES // 3


def test_a_result_only_after_the_case_was_handled(demo: Store) -> None:
    early = _rows(
        demo,
        "SELECT code, status FROM cases WHERE result IS NOT NULL AND id NOT IN "
        "(SELECT case_id FROM audit_events WHERE action = 'handled')",
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
    assert all(len(h.results[s]) >= 2 for s in subs)
    units = {u.code for u in seeds.units}
    for sub, named in h.whistle.items():
        assert sub in subs and named.co and named.lead not in named.co
        for street in seeds.streets:
            assert {resolve_unit(u, street.code) for u in (named.lead, *named.co)} <= units
