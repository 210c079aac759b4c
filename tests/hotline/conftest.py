"""A store with the demo district and a hotline service account, and work-order files made
on the spot: the rows of a 12345 export, in csv, xlsx or json."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from console.db import Store
from console.domain.enums import Role, UserKind
from console.domain.hotline import FIELDS
from console.queries.reference import reference
from console.services import users
from tests.conftest import BACKENDS, StoreFactory
from tests.store.identity import ADMIN, Ran, gridcall_here

HEADERS = [names[0] for names in FIELDS.values()]
SERVICE = "hotline12345"
# Subcategories the content names, and roads of the district with a number on them.
SAID = ["井盖缺失", "路灯不亮", "垃圾桶满溢", "占道经营", "暴露垃圾"]


@dataclass
class Hotline:
    store: Store
    token: str
    home: Path

    def __call__(self, *args: str) -> Ran:
        return gridcall_here(
            *args, "--db", self.store.url, state=self.home / "state", token=self.token
        )


@pytest.fixture(scope="module", params=BACKENDS)
def hotline(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Hotline]:
    tmp = tmp_path_factory.mktemp("hotline")
    factory = StoreFactory(request.param, tmp)
    store = factory.seeded(cases=0)
    users.add_user(store, ADMIN, SERVICE, "12345热线", Role.SUPERVISOR, kind=UserKind.SERVICE)
    token = users.new_api_token(store, ADMIN, SERVICE)
    yield Hotline(store, token, tmp)
    factory.close()


def orders(store: Store, n: int, *, start: int = 0, prefix: str = "GD") -> list[list[str]]:
    """n well-formed work orders, each matched with confidence: a subcategory said in the
    content, an address on a road with a number lying in one grid."""
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
        path.write_text(
            json.dumps([dict(zip(HEADERS, r, strict=True)) for r in rows], ensure_ascii=False),
            encoding=encoding,
        )
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(HEADERS)
        for row in rows:
            sheet.append(row)
        book.save(path)
    return path
