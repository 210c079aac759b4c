"""Finding cases by the words an operator types: an index of one- and two-character grams.

Operators search for two-character Chinese words (占道, 噪音, 漏水) and single characters, which
trigram indexes cannot serve. So each case's code, title and address are indexed as their
characters and character pairs: SQLite keeps them in a contentless FTS5 table (`case_search`,
written beside every new case), PostgreSQL in a GIN index over `gridcall_grams(…)`, a SQL
function the database evaluates itself. A term is looked up by its pairs (a single character
by itself); the index only narrows the cases down, and the LIKE test in the query decides.

A very common term (one character of a frequent street name, say) matches a large share of
the store: walking the queue's own order and testing each case finds a page of them sooner
than fetching every match from the index, so such terms skip it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Select,
    Text,
    bindparam,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session

from console.models import Case
from console.search_index import FTS, grams

C = Case.__table__.c
# Matches beyond this many: the term is common, and the queue's order finds a page sooner.
COMMON = 20_000
# A count tests each case the index names (a look-up by id, then the status and the LIKE), or
# each case of the scope in turn: measured at a million cases, the first costs about a third
# of the second per case, so the index counts a term found in fewer than three times the
# scope's cases.
COUNT_THROUGH_INDEX = 3.0
# The district's whole open queue on SQLite is counted from the text walk (models.WALK_TEXT),
# which reads a case's text from an index, no row: measured at a million cases, the index then
# pays only for a term found in fewer cases than the scope holds.
COUNT_THROUGH_INDEX_BESIDE_TEXT_WALK = 0.75
SEEN_MAX = 512  # queries whose match count is kept (a search typed letter by letter is several)
# (store, query) → (matches found, the cap they were counted up to)
_SEEN: dict[tuple[str, str], tuple[int, int]] = {}


def term_grams(term: str, *, tokens: bool) -> list[str]:
    """What to look up for a search term: its pairs, or its characters if it has no pair."""
    text = term.lower()
    pairs = [g for g in grams(text, tokens=tokens) if len(g) == 2]
    return pairs or [g for g in grams(text, tokens=tokens) if len(g) == 1]


def _fts_query(wanted: list[str]) -> str:
    return " AND ".join(f'"{g}"' for g in wanted)


def _matches(s: Session, query: str, cap: int) -> int:
    """How many cases the index names for this query, counted up to `cap` (a count of `cap`
    means at least that many). Asked once per store, query and cap, not for every page and
    count of the same search: the answer only steers the plan (the LIKE decides either way),
    so one that ages as cases come in costs speed, not results."""
    key = (str(s.get_bind().engine.url), query)
    found, counted_to = _SEEN.get(key, (0, 0))
    if found < counted_to or counted_to >= cap:  # exact, or counted at least as far
        return min(found, cap)
    found = s.execute(
        text(f"SELECT count(*) FROM (SELECT 1 FROM {FTS} WHERE {FTS} MATCH :q LIMIT :n)"),
        {"q": query, "n": cap},
    ).scalar_one()
    if len(_SEEN) >= SEEN_MAX:
        _SEEN.pop(next(iter(_SEEN)))
    _SEEN[key] = (found, cap)
    return int(found)


def narrowing(s: Session, term: str, common: int = COMMON) -> ColumnElement[bool] | None:
    """A condition that keeps every case containing `term` and few others, or None when the
    index would not help (no gram to look up, or the term is common: found in more than
    `common` cases). PostgreSQL's planner weighs its index itself."""
    dialect = s.get_bind().dialect.name
    if dialect == "sqlite":
        wanted = term_grams(term, tokens=True)
        if not wanted:
            return None
        query = _fts_query(wanted)
        if _matches(s, query, common + 1) > common:
            return None
        ids: Select[Any] = (
            select(literal_column("rowid"))
            .select_from(table(FTS))
            .where(literal_column(FTS).op("MATCH")(bindparam("fts_q", query)))
        )
        return C.id.in_(ids)
    wanted = term_grams(term, tokens=False)
    if not wanted:
        return None
    indexed = func.gridcall_grams(C.code, C.title, C.address)  # as PG_INDEX holds it
    return indexed.op("@>")(bindparam("grams", wanted, type_=ARRAY(Text)))
