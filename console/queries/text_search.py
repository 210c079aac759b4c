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
COMMON_SEEN_MAX = 512  # queries whose answer is kept (a search typed letter by letter is several)
_COMMON_SEEN: dict[tuple[str, str], bool] = {}


def term_grams(term: str, *, tokens: bool) -> list[str]:
    """What to look up for a search term: its pairs, or its characters if it has no pair."""
    text = term.lower()
    pairs = [g for g in grams(text, tokens=tokens) if len(g) == 2]
    return pairs or [g for g in grams(text, tokens=tokens) if len(g) == 1]


def _fts_query(wanted: list[str]) -> str:
    return " AND ".join(f'"{g}"' for g in wanted)


def _common(s: Session, query: str) -> bool:
    """Whether the index names more than COMMON cases for this query. Asked once per store and
    query, not for every page and count of the same search: the answer only steers the plan
    (the LIKE decides either way), so one that ages as cases come in costs speed, not results."""
    key = (str(s.get_bind().engine.url), query)
    if key not in _COMMON_SEEN:
        found = s.execute(
            text(f"SELECT count(*) FROM (SELECT 1 FROM {FTS} WHERE {FTS} MATCH :q LIMIT :n)"),
            {"q": query, "n": COMMON + 1},
        ).scalar_one()
        if len(_COMMON_SEEN) >= COMMON_SEEN_MAX:
            _COMMON_SEEN.pop(next(iter(_COMMON_SEEN)))
        _COMMON_SEEN[key] = found > COMMON
    return _COMMON_SEEN[key]


def narrowing(s: Session, term: str) -> ColumnElement[bool] | None:
    """A condition that keeps every case containing `term` and few others, or None when the
    index would not help (no gram to look up, or the term is common)."""
    dialect = s.get_bind().dialect.name
    if dialect == "sqlite":
        wanted = term_grams(term, tokens=True)
        if not wanted:
            return None
        query = _fts_query(wanted)
        if _common(s, query):
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
