"""The reporter from the command line: `case show` as the reader may see them, `--reveal`
recorded in the trail, `case new --confidential`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from console.db import Store
from tests.conftest import StoreFactory
from tests.store.identity import Desk

OPERATOR = "op.jiangbin1"  # an operator of LJ01, where the case is
SUPERVISOR = "sup.district1"  # the district's: sees reporters masked
CASE = [
    "--title",
    "疑似聚众赌博",
    "--category",
    "030204",
    "--grid",
    "LJ010101",
    "--address",
    "江滨路12号",
    "--reporter",
    "李先生",
    "--phone",
    "13900001111",
]


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    factory = StoreFactory("sqlite", tmp_path_factory.mktemp("cli-personal"))
    yield factory.seeded(cases=10)
    factory.close()


def test_show_reveal_and_a_confidential_case(district: Store, tmp_path: Path) -> None:
    desk = Desk(district, tmp_path)
    code = str(desk.ok(OPERATOR, "case", "new", *CASE, "--confidential")["code"])

    masked = desk.ok(SUPERVISOR, "case", "show", code)
    assert (masked["reporter_name"], masked["reporter_phone"]) == ("李*", "139****1111")
    full = desk.ok(OPERATOR, "case", "show", code)
    assert (full["reporter_name"], full["reporter_phone"]) == ("李先生", "139****1111")
    revealed = desk.ok(OPERATOR, "case", "show", code, "--reveal")
    assert revealed["reporter_phone"] == "13900001111"
    timeline = revealed["timeline"]
    assert isinstance(timeline, list)
    assert (timeline[0]["action"], timeline[0]["actor"]) == ("reveal", OPERATOR)

    desk.refused(SUPERVISOR, "case", "show", code, "--reveal", says="lead unit only")
    text = desk(OPERATOR, "case", "show", code)
    assert "李先生  139****1111" in text.out
    assert desk(OPERATOR, "audit", "verify").code == 0
