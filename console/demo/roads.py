"""The demo district's roads: which grid each stretch of a road's house numbers lies in.

Every road of the seed names runs through a few adjacent grids (by code) of one street — across
a community's edge now and then, as roads do — its numbers counting up from 1 grid by grid
(1–60, 61–140…). A street's grids are shared out among its roads in runs, and each road goes on
into the first grid of the next road's run, so every grid has one segment and some have two.
The same seed files give the same roads: the map is the district's, not a seed's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from console.demo.seedfiles import GridRow, Seeds

# Numbers per segment: a grid holds some tens of doorways along a road.
SPAN = (30, 90)


@dataclass(frozen=True)
class SegmentRow:
    road: str
    first: int  # both ends included
    last: int
    grid: str  # the grid's code


def _shares(total: int, weights: list[int]) -> list[int]:
    """`total` split in proportion to `weights`, at least 1 each (largest remainders)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    out = [max(1, int(x)) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: out[i] - exact[i])
    for i in order[: max(0, total - sum(out))]:
        out[i] += 1
    return out


def _runs(grids: list[GridRow], n: int) -> list[list[GridRow]]:
    """The grids in `n` runs of adjacent ones, as even as they go."""
    size, extra = divmod(len(grids), n)
    out, start = [], 0
    for i in range(n):
        end = start + size + (1 if i < extra else 0)
        out.append(grids[start:end])
        start = end
    return out


def road_segments(seeds: Seeds) -> list[SegmentRow]:
    rng = random.Random("gridcall-demo-roads")
    street_of = {c.code: c.street for c in seeds.communities}
    by_street = {
        s.code: sorted(
            (g for g in seeds.grids if street_of[g.community] == s.code), key=lambda g: g.code
        )
        for s in seeds.streets
    }
    streets = [s for s, grids in by_street.items() if grids]
    roads = iter(seeds.names.roads)
    counts = _shares(len(seeds.names.roads), [len(by_street[s]) for s in streets])
    out: list[SegmentRow] = []
    for street, count in zip(streets, counts, strict=True):
        runs = _runs(by_street[street], min(count, len(by_street[street])))
        for i, run in enumerate(runs):
            road = next(roads)
            through = run + runs[i + 1][:1] if i + 1 < len(runs) else run
            number = 1
            for grid in through:
                last = number + rng.randint(*SPAN) - 1
                out.append(SegmentRow(road, number, last, grid.code))
                number = last + 1
    return out
