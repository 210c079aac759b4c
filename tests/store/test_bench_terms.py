"""The words `gridcall bench` searches for are found in the store, one of each kind."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import col, or_

from console.bench.stores import LOGIN
from console.bench.terms import search_terms
from console.db import Store
from console.domain.enums import OPEN_STATUSES
from console.models import Area, Case, User
from tests.conftest import StoreFactory


def _matching(store: Store, text: str, *, street_of: str | None = None) -> int:
    """Cases whose title or address holds `text` (open ones of this user's street)."""
    found = or_(col(Case.title).contains(text), col(Case.address).contains(text))
    query = select(func.count()).select_from(Case).where(found)
    if street_of is not None:
        street = select(col(User.street_id)).where(col(User.login) == street_of)
        query = query.where(
            col(Case.street_id) == street.scalar_subquery(),
            col(Case.status).in_(OPEN_STATUSES),
        )
    with store.read() as s:
        return int(s.execute(query).scalar_one())


def test_the_bench_finds_a_term_of_each_kind_in_the_store(stores: StoreFactory) -> None:
    store = stores.seeded(cases=600)
    terms = {term.kind: term.text for term in search_terms(store, LOGIN)}
    assert list(terms) == ["community", "road", "estate", "rare", "1 character", "2 characters"]
    for kind, text in terms.items():
        assert _matching(store, text) > 0, (kind, text)
    with store.read() as s:
        by_cases = dict(
            s.execute(
                select(col(Area.name), func.count())
                .join(Case, col(Case.community_id) == col(Area.id))
                .group_by(col(Area.name))
            ).all()
        )
    assert by_cases[terms["community"]] == max(by_cases.values())
    # The rare term is the street operator's to find too, and rarer than the common ones.
    assert _matching(store, terms["rare"], street_of=LOGIN) > 0
    common = min(_matching(store, terms[kind]) for kind in ("road", "1 character", "2 characters"))
    assert _matching(store, terms["rare"]) < common
    assert len(terms["1 character"]) == 1 and len(terms["2 characters"]) == 2
