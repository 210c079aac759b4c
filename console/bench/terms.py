"""The words the bench searches for, found in the store rather than fixed: the demo district's
most common community, road and estate names, a rare word, and the most common one- and
two-character terms of the titles."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import col

from console.db import Store
from console.demo.seedfiles import load_seeds
from console.domain.enums import OPEN_STATUSES
from console.models import Area, Case, User

SAMPLE = 20_000  # cases read to count names and characters in: enough for the common ones
HAN = re.compile(r"[\u4e00-\u9fff]")
HOUSE = re.compile(r"\d+号")


@dataclass(frozen=True)
class Term:
    kind: str  # community, road, estate, rare, 1 character, 2 characters
    text: str


def search_terms(store: Store, login: str) -> list[Term]:
    """One term of each kind. The rare one is a road and house number from an open case of
    the street of `login` (an operator), so that they find the case as well as the district
    does."""
    seeds = load_seeds()
    with store.read() as s:
        community = s.execute(
            select(col(Area.name))
            .join(Case, col(Case.community_id) == col(Area.id))
            .group_by(col(Area.name))
            .order_by(func.count().desc(), col(Area.name))
            .limit(1)
        ).scalar_one()
        sample = s.execute(
            select(col(Case.title), col(Case.address)).order_by(col(Case.id)).limit(SAMPLE)
        ).all()
        street_id = s.execute(
            select(col(User.street_id)).where(col(User.login) == login)
        ).scalar_one()
        open_cases = s.execute(
            select(col(Case.title), col(Case.address))
            .where(col(Case.street_id) == street_id, col(Case.status).in_(OPEN_STATUSES))
            .order_by(col(Case.id))
            .limit(SAMPLE)
        ).all()
    # Titles first; in a small store no open title of the street may name a house number,
    # and then an address does.
    texts = [title for title, _ in open_cases] + [address for _, address in open_cases]
    rare = next(
        (
            road + number.group()
            for text in texts
            for road in seeds.names.roads
            if road in text and (number := HOUSE.match(text, text.index(road) + len(road)))
        ),
        None,
    )
    addresses = [address for _, address in sample]
    titles = [title for title, _ in sample]
    terms = [
        Term("community", community),
        Term("road", _most_common(seeds.names.roads, addresses)),
        Term("estate", _most_common(seeds.names.estates, addresses)),
    ]
    if rare is not None:
        terms.append(Term("rare", rare))
    characters = Counter(c for title in titles for c in HAN.findall(title))
    pairs = Counter(
        pair
        for title in titles
        for pair in (title[i : i + 2] for i in range(len(title) - 1))
        if all(HAN.match(c) for c in pair)
    )
    if characters:
        terms.append(Term("1 character", characters.most_common(1)[0][0]))
    if pairs:
        terms.append(Term("2 characters", pairs.most_common(1)[0][0]))
    return terms


def _most_common(names: list[str], texts: list[str]) -> str:
    """The name found in the most texts (ties to the first named)."""
    found = Counter({name: sum(name in text for text in texts) for name in names})
    return found.most_common(1)[0][0]
