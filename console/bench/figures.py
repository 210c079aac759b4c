"""What the bench measures, each figure's target, the samples of a run and the printed table
of medians, 95th percentiles and ratios to the targets."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from rich.table import Table

from console.views.widgets.find import DEBOUNCE

SEED = "gridcall seed (the whole store)"
DASHBOARD = "dashboard's reads, 30 days (district supervisor)"
DASHBOARD_STREET = "dashboard's reads, 30 days (street operator)"
DRILL = "drill-down → queue page (a unit's red cases)"
BULLETIN = "monthly bulletin, district (md / docx / xlsx)"
AUDIT = "gridcall audit verify with replay (the whole store)"
IMPORT = "gridcall import of 100,000 hotline work orders (CSV)"
SSH_STREET = "SSH connect → first frame (street operator)"
SSH_DISTRICT = "SSH connect → first frame (district supervisor)"
SSH_MEMORY = "memory per SSH session (PSS)"
MOVE_BYTES = "bytes per cursor move (↓, 80×24)"
IDLE_BYTES = "bytes per idle minute (80×24)"
EXPORT_CSV = "gridcall export cases, csv (the whole store)"
EXPORT_XLSX = "gridcall export cases, xlsx (the whole store)"
EXPORT_MEMORY = "gridcall export cases: peak memory (csv, xlsx)"
# Issue #19: search timed on a real terminal's screen from the term's last keystroke; the
# console's typing pause is inside, since the operator waits it too.
PAUSE = round(DEBOUNCE * 1000)
SEARCH_ROWS_STREET = f"search on a terminal → rows, street ({PAUSE} ms pause in)"
SEARCH_ROWS_DISTRICT = f"search on a terminal → rows, district ({PAUSE} ms pause in)"
SEARCH_COUNT = f"search on a terminal → count ({PAUSE} ms pause in)"


@dataclass(frozen=True)
class Target:
    name: str
    limit: float | None = None  # every store's: ms, or a ratio for start-up, or MB for memory
    unit: str = "ms"
    # Instead, where the stores' targets differ: each store's; a store left out has none.
    stores: tuple[tuple[str, float], ...] = ()

    def limit_for(self, backend: str) -> float | None:
        return dict(self.stores).get(backend) if self.stores else self.limit

    @property
    def shown(self) -> str:
        if self.limit is None and not self.stores:
            return "—"
        if not self.stores:
            return f"{self.limit:g} {self.unit}"
        return ", ".join(f"{backend} {limit:g}" for backend, limit in self.stores) + f" {self.unit}"


TARGETS = (
    Target("start → first frame with cases", 1.5, "× floor"),
    Target("key → repaint (↓ PgDn g G)", 15),
    Target("filter / view / sort → repaint", 20),
    Target("text search → repaint", 50),
    # The same as the operator sees it (bench/search): the rows within the pause and 50 ms,
    # the count within 300 ms.
    Target(SEARCH_ROWS_STREET, PAUSE + 50),
    Target(SEARCH_ROWS_DISTRICT, PAUSE + 50),
    Target(SEARCH_COUNT, 300),
    Target("header and per-unit overdue counts", 50),
    # The centre's figures (issue #15): the dashboard's queries for a month, a drill-down into
    # the queue, the monthly bulletin in each format.
    Target(DASHBOARD, 300),
    Target(DASHBOARD_STREET, 300),
    Target(DRILL, 50),
    Target(BULLETIN, 5000),
    Target("action → queue shows it", stores=(("sqlite", 30), ("pg", 50))),
    Target("another console's change visible", 1000),
    Target("resident memory", 150, "MB"),
    # A session over SSH starts from a warm parent: within 1.5 × an empty app started locally.
    Target(SSH_STREET, 1.5, "× floor"),
    Target(SSH_DISTRICT, 1.5, "× floor"),
    Target(SSH_MEMORY, 150, "MB"),
    # What a remote terminal's link carries (80×24, 256 colours): see bench/startup.traffic.
    Target(MOVE_BYTES, unit="bytes"),
    Target(IDLE_BYTES, 2048, "bytes"),
    # 90 s for a million cases on SQLite; smaller stores are held to their share of it.
    # PostgreSQL's seed is measured too, against no target.
    Target(SEED, unit="s per 1M", stores=(("sqlite", 90),)),
    # The nightly check of issue #21: the chain, and every case replayed from its events, in
    # 5 minutes per million cases on SQLite and 10 on PostgreSQL.
    Target(AUDIT, unit="s per 1M", stores=(("sqlite", 300), ("pg", 600))),
    # Issue #18: an export streams, so its process stays as small at a million cases as at ten
    # thousand; its time is measured against no target.
    Target(EXPORT_CSV, unit="s per 1M"),
    Target(EXPORT_XLSX, unit="s per 1M"),
    Target(EXPORT_MEMORY, 150, "MB"),
    # Issue #18: a day's hotline export and more, in a minute on SQLite; PostgreSQL measured.
    Target(IMPORT, unit="s", stores=(("sqlite", 60),)),
)


@dataclass
class Samples:
    values: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, value: float) -> None:
        self.values.setdefault(name, []).append(value)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


@dataclass
class Run:
    floor: list[float] = field(default_factory=list)
    results: dict[tuple[str, int], Samples] = field(default_factory=dict)


def table(result: Run) -> Table:
    floor = statistics.median(result.floor)
    t = Table(
        title=f"Gridcall benchmark — floor (empty Textual app to first frame): "
        f"{floor:.0f} ms median",
        header_style="bold",
    )
    t.add_column("figure")
    t.add_column("target")
    for backend, size in result.results:
        t.add_column(f"{backend} {size:,}\nmedian / p95", justify="right")
        t.add_column("ratio", justify="right")
    for target in TARGETS:
        cells = [target.name, target.shown]
        for (backend, size), samples in result.results.items():
            values = samples.values.get(target.name, [])
            if not values:
                cells += ["—", "—"]
                continue
            med, p95 = statistics.median(values), _p95(values)
            if target.unit in ("s per 1M", "s"):  # one build per store: a single figure
                cells.append(f"{med:.1f} s")
            elif target.unit == "bytes":
                cells.append(f"{med:,.0f} / {p95:,.0f} B")
            else:
                if target.unit == "bytes":
                    cells.append(f"{med:,.0f} / {p95:,.0f} B")
                else:
                    unit = "MB" if target.unit == "MB" else "ms"
                    cells.append(f"{med:.1f} / {p95:.1f} {unit}")
            limit = target.limit_for(backend)
            if limit is None:
                cells.append("—")
                continue
            if target.unit == "× floor":
                ratio = med / floor / limit
            elif target.unit == "s per 1M":
                ratio = med / (limit * size / 1_000_000)
            elif target.unit == "s":
                ratio = med / limit
            else:
                ratio = p95 / limit
            cells.append(_ratio(ratio))
        t.add_row(*cells)
    return t


def _ratio(ratio: float) -> str:
    """Two decimals, or two significant digits for a figure far under its target: a ratio
    printed as 0.00 would read as no measurement at all."""
    return f"{ratio:.2f}" if ratio >= 0.01 or ratio == 0 else f"{ratio:.2g}"
