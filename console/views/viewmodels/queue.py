"""The queue's window onto the store: which rows are loaded, and what to fetch next.

The queue never holds the table. It holds one contiguous run of rows, `rows`, standing at
positions `base … base + len(rows)` of a queue `total` rows long, and knows the keyset keys at
both ends. Moving near an edge asks for the next page beyond it; jumping to the top or bottom
replaces the run; a jump into the middle (a dragged scrollbar) falls back to OFFSET.
This module only decides; the widget runs the fetches in a worker and hands results back.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from console.queries.cases import CaseRow, Key, QueueFilter, Sort, key_of

PAGE = 120  # rows per fetch: a few screens of the tallest terminal
MARGIN = 40  # fetch the next page when the cursor comes this close to an edge
KEEP = 600  # rows kept in memory at most


class Fetch(Enum):
    TOP = "top"
    BOTTOM = "bottom"
    AFTER = "after"
    BEFORE = "before"
    OFFSET = "offset"


@dataclass(frozen=True)
class Request:
    kind: Fetch
    generation: int  # results for an older filter or sort are dropped
    key: Key | None = None
    offset: int = 0
    limit: int = PAGE


@dataclass
class QueueModel:
    filter: QueueFilter
    sort: Sort
    total: int = 0
    base: int = 0
    rows: list[CaseRow] | None = None
    generation: int = 0
    pending: Request | None = None

    def reset(self, f: QueueFilter | None = None, sort: Sort | None = None) -> None:
        """A new filter or sort: forget every row, start again from the top."""
        if f is not None:
            self.filter = f
        if sort is not None:
            self.sort = sort
        self.generation += 1
        self.rows = None
        self.base = 0
        self.pending = None

    @property
    def loaded(self) -> range:
        return range(self.base, self.base + len(self.rows or ()))

    def row_at(self, position: int) -> CaseRow | None:
        if self.rows is None or position not in self.loaded:
            return None
        return self.rows[position - self.base]

    def position_of(self, case_id: int) -> int | None:
        for i, row in enumerate(self.rows or ()):
            if row.id == case_id:
                return self.base + i
        return None

    def need(self, first: int, last: int) -> Request | None:
        """What to fetch so that positions first…last (the screen) and a margin are loaded."""
        if self.pending is not None:
            return None
        gen = self.generation
        if self.rows is None or not self.rows:
            if self.rows is not None and self.total == 0:
                return None
            if first <= 0 or self.total == 0:
                return Request(Fetch.TOP, gen)
            if last >= self.total - 1:
                return Request(Fetch.BOTTOM, gen)
            return Request(Fetch.OFFSET, gen, offset=max(0, first - MARGIN))
        loaded = self.loaded
        end = loaded.stop
        if first >= end + PAGE or last < loaded.start - PAGE:
            # Far from what is loaded: jump rather than walk there page by page.
            if first <= MARGIN:
                return Request(Fetch.TOP, gen)
            if last >= self.total - MARGIN:
                return Request(Fetch.BOTTOM, gen)
            return Request(Fetch.OFFSET, gen, offset=max(0, first - MARGIN))
        if last + MARGIN >= end and end < self.total:
            return Request(Fetch.AFTER, gen, key=key_of(self.rows[-1], self.sort))
        if first - MARGIN < loaded.start and loaded.start > 0:
            return Request(Fetch.BEFORE, gen, key=key_of(self.rows[0], self.sort))
        return None

    def apply(self, request: Request, rows: list[CaseRow], total: int | None = None) -> bool:
        """Take fetched rows in; False if they answer a request that no longer matters."""
        if request.generation != self.generation:
            return False
        self.pending = None
        if total is not None:
            self.total = total
        short = len(rows) < request.limit  # the page reached an end of the queue
        if request.kind is Fetch.TOP:
            self.base, self.rows = 0, rows
            if short:
                # The whole queue: a search with few hits is known complete in one trip,
                # not after a second fetch past a count still standing from the last filter.
                self.total = len(rows)
        elif request.kind is Fetch.BOTTOM:
            if short:
                self.total = len(rows)
            self.base, self.rows = max(0, self.total - len(rows)), rows
        elif request.kind is Fetch.OFFSET:
            self.base, self.rows = request.offset, rows
            if short:
                self.total = request.offset + len(rows)
        elif request.kind is Fetch.AFTER:
            current = self.rows or []
            if short:
                # The end of the queue: trust what we saw over a stale count.
                self.total = self.base + len(current) + len(rows)
            self.rows = current + rows
            if len(self.rows) > KEEP:
                drop = len(self.rows) - KEEP
                self.rows = self.rows[drop:]
                self.base += drop
        else:
            self.rows = rows + (self.rows or [])
            self.base = max(0, self.base - len(rows))
            if short:
                self.base = 0  # the top of the queue
            if len(self.rows) > KEEP:
                self.rows = self.rows[:KEEP]
        if self.base + len(self.rows) > self.total:
            self.total = self.base + len(self.rows)
        return True
