"""The figure cells (models.FigureCell, AreaCell, ClosedCell): each case's counts
(domain.figures.counted) summed per the centre's day it was reported, its community, its
lead unit and its handler, and again per day and community alone; and its closing per the day
it closed. Kept in step with every write of a case, in that write's transaction, by adding the
difference its change makes (an upsert whose update adds: concurrent writers never lose a
count); built in one statement per table over the cases for a store that has none.

The meta key `figure_cells` names the zone the cells' days are counted in: the figures read
the cells only for periods of whole days in that zone (queries.figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Connection,
    Insert,
    Select,
    Table,
    delete,
    except_,
    func,
    insert,
    or_,
    select,
    union,
)
from sqlalchemy.orm import Session

from console import wallclock
from console.db import Store
from console.domain.enums import Status
from console.domain.figures import KEPT, counted
from console.domain.workflow import CaseState
from console.models import CELL_COUNTS, AreaCell, Case, ClosedCell, FigureCell, Meta
from console.queries.figures import CELLS_KEY, cells_zone, day_in, kept_columns

if TYPE_CHECKING:
    from sqlalchemy.dialects.postgresql import Insert as PgInsert
    from sqlalchemy.dialects.sqlite import Insert as SqliteInsert

C = Case.__table__.c
M = Meta.__table__.c
CELLS: Table = FigureCell.__table__
AREAS: Table = AreaCell.__table__
CLOSED: Table = ClosedCell.__table__
TABLES = {"area_cells": AREAS, "closed_cells": CLOSED, "figure_cells": CELLS}


@dataclass(frozen=True)
class Placed:
    """A case as the cells place it: its state, its lead unit's id, and what of its row
    never changes (when it was reported, where)."""

    state: CaseState
    unit_id: int | None
    created_at: datetime
    street_id: int
    community_id: int


# table, day, community, unit and handler (0 and '' in the tables without them)
Key = tuple[str, date, int, int, str]


def _counts(placed: Placed, tz: ZoneInfo) -> dict[Key, dict[str, int]]:
    state = placed.state
    tally = counted(state)
    day = placed.created_at.astimezone(tz).date()
    counts = {column: getattr(tally, name) for name, column in zip(KEPT, CELL_COUNTS, strict=True)}
    found = {
        ("figure_cells", day, placed.community_id, placed.unit_id or 0, state.handled_by or ""): (
            counts
        ),
        ("area_cells", day, placed.community_id, 0, ""): counts,
    }
    if state.status is Status.CLOSED and state.closed_at is not None:
        closed_day = state.closed_at.astimezone(tz).date()
        found[("closed_cells", closed_day, placed.community_id, 0, "")] = {"closed": 1}
    return found


def keep(s: Session, tz: ZoneInfo, old: Placed | None, new: Placed) -> None:
    """Add to the cells what the case's change from `old` (None: a new case) to `new` makes.
    The cells are touched in one order, so two writers never wait on each other's."""
    changes = Changes()
    changes.add(tz, old, new)
    changes.write(s)


class Changes:
    """What many cases' changes make to the cells, summed per cell, written at once: a batch
    of cases (an import) touches each of its cells once instead of once per case."""

    def __init__(self) -> None:
        self.deltas: dict[Key, dict[str, int]] = {}
        self.streets: dict[Key, int] = {}

    def add(self, tz: ZoneInfo, old: Placed | None, new: Placed) -> None:
        before = _counts(old, tz) if old is not None else {}
        after = _counts(new, tz)
        for key in before.keys() | after.keys():
            added = after.get(key, {})
            taken = before.get(key, {})
            delta = self.deltas.setdefault(key, {})
            for column in added.keys() | taken.keys():
                delta[column] = delta.get(column, 0) + added.get(column, 0) - taken.get(column, 0)
            # A case keeps its place: the street is the community's, old or new.
            self.streets[key] = new.street_id

    def write(self, s: Session) -> None:
        """Each table's changed cells in one statement, the tables and their cells in key
        order. Every count of a cell is written, those it does not change as 0 (the count a
        new cell starts at; added to an old one, it changes nothing)."""
        dialect = s.get_bind().dialect.name
        rows: dict[str, list[dict[str, Any]]] = {}
        for key in sorted(self.deltas):
            if not any(self.deltas[key].values()):
                continue
            table, day, community, unit, handler = key
            row = {"day": day, "community_id": community, "street_id": self.streets[key]}
            if TABLES[table] is CELLS:
                row["unit_id"] = unit
                row["handler"] = handler
            rows.setdefault(table, []).append(
                row | {c: self.deltas[key].get(c, 0) for c in _COUNTED[table]}
            )
        for table, changed in rows.items():
            s.execute(_adding(dialect, table), changed)
        self.deltas.clear()
        self.streets.clear()


_COUNTED = {"area_cells": CELL_COUNTS, "closed_cells": ("closed",), "figure_cells": CELL_COUNTS}


@cache
def _adding(dialect: str, table: str) -> Insert:
    """A table's upsert that adds the counts given to the cell's own."""
    # Each store's dialect, imported here: a console loads only its own store's (the other's
    # took ~28 ms of every start).
    target = TABLES[table]
    statement: PgInsert | SqliteInsert
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement = pg_insert(target)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(target)
    return statement.on_conflict_do_update(
        index_elements=[c.name for c in target.primary_key],
        set_={c: target.c[c] + statement.excluded[c] for c in _COUNTED[table]},
    )


def is_built(store: Store, tz: ZoneInfo) -> bool:
    with store.read() as s:
        return cells_zone(s) == tz.key


def build(store: Store, tz: ZoneInfo) -> None:
    """Sum the cells afresh from the cases, in one transaction."""
    with store.raw_write() as conn:
        build_on(conn, tz)


def build_on(conn: Connection, tz: ZoneInfo) -> None:
    """Sum the cells afresh from the cases: one INSERT … SELECT … GROUP BY per table (the
    cells per community from those per unit), the cases never leaving the store."""
    for table in TABLES.values():
        conn.execute(delete(table))
    for table, (columns, summed) in _sums(conn.dialect.name, tz).items():
        conn.execute(insert(table).from_select(columns, summed))
    conn.execute(delete(Meta.__table__).where(M.key == CELLS_KEY))
    conn.execute(insert(Meta.__table__).values(key=CELLS_KEY, value=tz.key))


def _sums(dialect: str, tz: ZoneInfo) -> dict[Table, tuple[list[str], Select[Any]]]:
    """Each table's cells as a fresh sum makes them, with the columns they fill: those per
    unit and handler from the cases, those per community from the cells per unit (fifteen
    times fewer rows to read), the closings from the cases."""
    at = wallclock.now()
    day = day_in(dialect, C.created_at, tz, at)
    unit = func.coalesce(C.lead_unit_id, 0)
    handler = func.coalesce(C.handled_by, "")
    per_unit = CELLS.c
    closed_day = day_in(dialect, C.closed_at, tz, at)
    return {
        CELLS: _summed(
            {
                "day": day,
                "community_id": C.community_id,
                "unit_id": unit,
                "handler": handler,
                "street_id": C.street_id,
            },
            kept_columns(),
        ),
        AREAS: _summed(
            {
                "day": per_unit.day,
                "community_id": per_unit.community_id,
                "street_id": per_unit.street_id,
            },
            {name: func.sum(per_unit[name]) for name in CELL_COUNTS},
        ),
        CLOSED: _summed(
            {"day": closed_day, "community_id": C.community_id, "street_id": C.street_id},
            {"closed": func.count()},
            C.status == Status.CLOSED.value,
            C.closed_at.is_not(None),
        ),
    }


def _summed(
    keys: dict[str, Any], sums: dict[str, Any], *where: ColumnElement[bool]
) -> tuple[list[str], Select[Any]]:
    """The columns a table's cells fill, and the sum that fills them, each column named."""
    named = {**keys, **sums}
    summed = select(*(c.label(n) for n, c in named.items())).where(*where)
    return list(named), summed.group_by(*keys.values())


@dataclass(frozen=True)
class Apart:
    """Cells of one table that a fresh sum would not make: how many (cells missing, extra or
    with other counts), and the day and community of the first."""

    table: str
    cells: int
    day: date
    community_id: int


def apart(conn: Connection, tz: ZoneInfo) -> list[Apart]:
    """The tables whose cells differ from a fresh sum (`audit verify`): the cells that count
    anything, compared both ways with what the sum makes, in the store. The cells per
    community are held to the cells per unit, themselves held to the cases."""
    found = []
    for table, (columns, summed) in _sums(conn.dialect.name, tz).items():
        counts = [table.c[name] for name in columns if name in (*CELL_COUNTS, "closed")]
        kept = select(*(table.c[name] for name in columns)).where(or_(*(c != 0 for c in counts)))
        # A cell apart is missing one way and extra the other: its key counts once. Each way
        # in a subquery of its own: SQLite takes no compound of compounds.
        keys = [name for name in columns if name not in (*CELL_COUNTS, "closed")]
        ways = [except_(summed, kept).subquery(), except_(kept, summed).subquery()]
        differ = union(*(select(*(w.c[k] for k in keys)) for w in ways)).subquery()
        cells = conn.execute(select(func.count()).select_from(differ)).scalar_one()
        if cells:
            day, community = conn.execute(
                select(differ.c.day, differ.c.community_id)
                .order_by(differ.c.day, differ.c.community_id)
                .limit(1)
            ).one()
            found.append(Apart(table.name, cells, _day(day), community))
    return found


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)
