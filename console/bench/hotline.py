"""A hotline's work orders timed: `gridcall import` of a file of generated 12345 orders into a
demo district of its own (no case yet), every order new. The same rows make the tests' files
(tests/hotline)."""

from __future__ import annotations

import csv
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from console.config import Settings
from console.db import Store
from console.domain.hotline import FIELDS, Mapping
from console.domain.sla import SlaClock
from console.queries.reference import reference

ROWS = 100_000
HEADERS = [names[0] for names in FIELDS.values()]
# Subcategories the contents name; the bench acts as a district supervisor, who may report
# anywhere.
SAID = ["井盖缺失", "路灯不亮", "垃圾桶满溢", "占道经营", "暴露垃圾"]
ACTING = "sup.district1"


def orders(store: Store, n: int, *, start: int = 0, prefix: str = "GD") -> list[list[str]]:
    """n well-formed work orders, each matched with confidence: a subcategory said in the
    content, an address on a road with a house number lying in one grid."""
    ref = reference(store)
    roads = sorted(
        (road, seg.first) for road, segs in ref.roads.items() for seg in segs if seg.first > 0
    )
    rows = []
    for i in range(start, start + n):
        road, first = roads[i % len(roads)]
        rows.append(
            [
                f"{prefix}{i:08d}",
                f"2026-12-0{1 + i % 3} 09:{i % 60:02d}:00",
                f"来电人{i % 97}",
                f"1380000{i % 10000:04d}",
                f"{road}{first}号",
                f"市民反映{road}附近{SAID[i % len(SAID)]}，请尽快处理。",
                "城市管理",
                "紧急" if i % 10 == 0 else "一般",
                "2026-12-09 17:00",
            ]
        )
    return rows


def write(path: Path, rows: list[list[str]], *, encoding: str = "utf-8") -> Path:
    """The rows under the default headers, in the format the suffix names."""
    if path.suffix == ".csv":
        with path.open("w", encoding=encoding, newline="") as f:
            writer = csv.writer(f)
            writer.writerow(HEADERS)
            writer.writerows(rows)
    elif path.suffix == ".json":
        records = [dict(zip(HEADERS, r, strict=True)) for r in rows]
        path.write_text(json.dumps(records, ensure_ascii=False), encoding=encoding)
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(HEADERS)
        for row in rows:
            sheet.append(row)
        book.save(path)
    return path


def import_seconds(url: str, say: Callable[[str], None], rows: int = ROWS) -> float:
    """Seconds to import `rows` orders from a CSV into the store at `url`, made afresh: the
    demo district and no case."""
    from console.demo.generate import seed_demo
    from console.services import hotline

    store = Store(url)
    store.migrate()
    seed_demo(store, SlaClock(), cases=0, seed=1, replace=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp) / "orders.csv", orders(store, rows))
        say(f"importing {rows:,} work orders …")
        started = time.perf_counter()
        sheet = hotline.open_sheet(path, "csv")
        summary = hotline.import_orders(
            store, SlaClock(), ACTING, sheet, Mapping(), Settings().tz, lambda *_: None
        )
        took = time.perf_counter() - started
    if summary.added != rows:
        say(f"  only {summary.added:,} of {rows:,} added")
    store.dispose()
    return took
