"""The index of one- and two-character grams that text search looks terms up in.

Part of the store: a migration makes it, the demo's bulk load fills it, every new case is
written into it (`index_cases`), and `queries.text_search` reads it. Each case's code, title
and address are indexed as their characters and character pairs: SQLite keeps them in a
contentless FTS5 table (`case_search`), PostgreSQL in a GIN index over `gridcall_grams(…)`, a
SQL function the database evaluates itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.orm import Session

FTS = "case_search"
SQLITE_TABLE = f"CREATE VIRTUAL TABLE {FTS} USING fts5(grams, content='', detail=none)"
# The same grams as `grams(document(…), tokens=False)`: every character and every pair.
PG_FUNCTION = """
CREATE OR REPLACE FUNCTION gridcall_grams(code text, title text, address text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    d text := lower(code || ' ' || title || ' ' || address);
    found text[] := string_to_array(d, NULL);
BEGIN
    FOR i IN 1 .. char_length(d) - 1 LOOP
        found := found || substr(d, i, 2);
    END LOOP;
    RETURN found;
END
$$
"""
PG_INDEX_NAME = "ix_cases_grams"
PG_INDEX = f"CREATE INDEX {PG_INDEX_NAME} ON cases USING gin (gridcall_grams(code, title, address))"


def document(code: str, title: str, address: str) -> str:
    """The text of a case that search looks into, as one string (both backends)."""
    return f"{code} {title} {address}".lower()


def grams(text: str, *, tokens: bool) -> list[str]:
    """The distinct characters and pairs of characters of `text`, in order of first use.

    With `tokens` (SQLite's FTS5, whose tokenizer splits at anything but letters and digits),
    only pairs of letters and digits are kept, so that each is one token.
    """
    seen: dict[str, None] = {}
    for i, ch in enumerate(text):
        if not tokens or ch.isalnum():
            seen.setdefault(ch, None)
        pair = text[i : i + 2]
        if len(pair) == 2 and (not tokens or pair.isalnum()):
            seen.setdefault(pair, None)
    return list(seen)


def fts_rows(rows: Iterable[tuple[int, str, str, str]]) -> list[tuple[int, str]]:
    """(case id, indexed tokens) for SQLite's `case_search`, from (id, code, title, address)."""
    return [
        (case_id, " ".join(grams(document(code, title, address), tokens=True)))
        for case_id, code, title, address in rows
    ]


def index_cases(s: Session, rows: Iterable[tuple[int, str, str, str]]) -> None:
    """Index new cases, (id, code, title, address) each, in one statement (SQLite;
    PostgreSQL's index follows the rows by itself)."""
    if s.get_bind().dialect.name == "sqlite":
        found = fts_rows(rows)
        if found:
            s.execute(
                text(f"INSERT INTO {FTS} (rowid, grams) VALUES (:id, :grams)"),
                [{"id": i, "grams": g} for i, g in found],
            )
