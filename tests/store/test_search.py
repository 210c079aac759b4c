"""Text search through the character-pair index: it finds exactly what a scan finds, on both
backends, for seeded cases and for cases registered afterwards."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from sqlalchemy import select, text

from console import search_index
from console.db import Store
from console.models import Case
from console.queries import cases as q
from console.queries import text_search
from console.queries.reference import reference
from tests.conftest import ANCHOR, StoreFactory
from tests.services.helpers import cast, new_case

# Typed by operators, and the awkward ones: one character, Latin in both cases, digits and
# punctuation, LIKE's wildcards, a space inside, a code fragment, a term nothing contains.
TRICKY = (
    "路",
    "号",
    "占道",
    "噪音",
    "小区",
    "Lane",
    "lane",
    "LANE",
    "191",
    "(东)",
    "（东）",
    "%",
    "_",
    "a_b",
    "-00",
    "E2026-000",
    "e2026",
    "文一路 菜场",
    "文一路菜场门口",
    "不存在的词语",
    "1",
)


def _every_text(store: Store) -> list[str]:
    c = Case.__table__.c
    with store.read() as s:
        return [
            f"{r.code} {r.title} {r.address}" for r in s.execute(select(c.code, c.title, c.address))
        ]


def _count(store: Store, term: str, *, negate: bool = False) -> int:
    f = q.QueueFilter(statuses=frozenset(), text=term, negate=negate)
    return q.count(store, q.DISTRICT_WIDE, f, now=ANCHOR)


@pytest.fixture(scope="module")
def searched(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    backend = request.param
    factory = StoreFactory(backend, tmp_path_factory.mktemp(f"search-{backend}"))
    store = factory.seeded(cases=800, seed=3)
    c = cast(store)
    new_case(store, c, title="文一路菜场门口占道经营 Elm LANE", address="梅花碑（东）191号 a_b")
    new_case(store, c, title="噪音扰民", address="Lane 7, 100% sure")
    yield store
    factory.close()


@pytest.mark.parametrize("searched", ["sqlite", "pg"], indirect=True)
def test_search_finds_what_a_scan_finds(searched: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _every_text(searched)
    rng = random.Random(5)
    terms = list(TRICKY)
    for doc in rng.sample(texts, 40):
        title_and_address = doc.split(" ", 1)[1]
        for length in (1, 2, 3, 5):
            start = rng.randrange(max(1, len(title_and_address) - length))
            terms.append(title_and_address[start : start + length])
    with_index = {term: _count(searched, term) for term in terms}
    monkeypatch.setattr(text_search, "narrowing", lambda s, term, common=0: None)
    scanned = {term: _count(searched, term) for term in terms}
    assert with_index == scanned
    assert scanned["文一路菜场门口"] == 1 and scanned["不存在的词语"] == 0
    assert scanned["占道"] >= 1 and scanned["号"] > 10


@pytest.mark.parametrize("searched", ["sqlite", "pg"], indirect=True)
def test_search_finds_the_cases_whose_code_title_or_address_holds_the_term(
    searched: Store,
) -> None:
    c = Case.__table__.c
    with searched.read() as s:
        fields = [tuple(r) for r in s.execute(select(c.code, c.title, c.address))]
    for term in TRICKY:
        held = sum(any(term.lower() in field.lower() for field in f) for f in fields)
        assert _count(searched, term) == held, term


@pytest.mark.parametrize("searched", ["sqlite", "pg"], indirect=True)
@pytest.mark.parametrize(("term", "folded"), [("占道", False), ("191", False), ("Lane", True)])
def test_only_a_term_with_letters_of_two_cases_folds_case(
    searched: Store, term: str, folded: bool
) -> None:
    """Folding every text tested is most of a district's count at a million cases (gridcall
    bench); a Chinese word or a number matches the same without it."""
    with searched.read() as s:
        f = q.QueueFilter(text=term)
        where = q.where_of(s, q.DISTRICT_WIDE, f, reference(searched), ANCHOR, counting=True)
        sql = str(select(Case.id).where(*where).compile(s.get_bind())).lower()
    assert ("ilike" in sql or "lower(" in sql) is folded, sql


@pytest.mark.parametrize("searched", ["sqlite", "pg"], indirect=True)
def test_the_index_narrows_rare_terms_and_leaves_common_ones(searched: Store) -> None:
    with searched.read() as s:
        assert text_search.narrowing(s, "菜场") is not None
        assert text_search.narrowing(s, "%") is None or searched.backend == "postgresql"
    if searched.is_sqlite:
        # Every case is in the index, the ones registered after the seed too.
        with searched.engine.connect() as conn:
            indexed = conn.execute(text(f"SELECT count(*) FROM {search_index.FTS}")).scalar_one()
            cases = conn.execute(text("SELECT count(*) FROM cases")).scalar_one()
        assert indexed == cases


@pytest.mark.parametrize("searched", ["sqlite", "pg"], indirect=True)
@pytest.mark.parametrize(("lower", "upper"), [("c2026-000", "C2026-000"), ("lane", "LANE")])
def test_search_ignores_ascii_case_on_both_stores(searched: Store, lower: str, upper: str) -> None:
    assert _count(searched, lower) == _count(searched, upper) == _count(searched, upper.title())
    assert _count(searched, lower) > 0


@pytest.mark.parametrize("searched", ["sqlite", "pg"], indirect=True)
def test_negated_search_is_the_rest(searched: Store) -> None:
    total = _count(searched, "")
    assert _count(searched, "占道") + _count(searched, "占道", negate=True) == total


def test_grams_are_characters_and_pairs() -> None:
    assert search_index.grams("占道a", tokens=False) == ["占", "占道", "道", "道a", "a"]
    # FTS5 splits at punctuation and spaces: only letters and digits make a token.
    assert search_index.grams("a-b", tokens=True) == ["a", "b"]
    assert text_search.term_grams("占道经营", tokens=True) == ["占道", "道经", "经营"]
    assert text_search.term_grams("路", tokens=True) == ["路"]
    assert text_search.term_grams("-", tokens=True) == []
