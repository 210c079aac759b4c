"""The reporter from the command line: `case show` as the reader may see them, `--reveal`
recorded in the trail, `case new --confidential`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.store.test_cli_store import gridcall

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
def db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    tmp = tmp_path_factory.mktemp("cli-personal")
    url = f"sqlite:///{tmp / 'cli.db'}"
    assert gridcall("init", "--db", url, tmp=tmp).returncode == 0
    seeded = gridcall("seed", "--db", url, "--cases", "10", tmp=tmp)
    assert seeded.returncode == 0, seeded.stderr
    return url, tmp


def test_show_reveal_and_a_confidential_case(db: tuple[str, Path]) -> None:
    url, tmp = db
    made = gridcall(
        "case", "new", "--db", url, "--as", OPERATOR, *CASE, "--confidential", "--json", tmp=tmp
    )
    assert made.returncode == 0, made.stderr
    code = json.loads(made.stdout)["code"]

    def show(*args: str) -> dict[str, object]:
        shown = gridcall("case", "show", code, "--db", url, *args, "--json", tmp=tmp)
        assert shown.returncode == 0, shown.stderr
        return json.loads(shown.stdout)  # type: ignore[no-any-return]

    masked = show("--as", SUPERVISOR)
    assert (masked["reporter_name"], masked["reporter_phone"]) == ("李*", "139****1111")
    full = show("--as", OPERATOR)
    assert (full["reporter_name"], full["reporter_phone"]) == ("李先生", "139****1111")
    revealed = show("--as", OPERATOR, "--reveal")
    assert revealed["reporter_phone"] == "13900001111"
    timeline = revealed["timeline"]
    assert isinstance(timeline, list)
    assert (timeline[0]["action"], timeline[0]["actor"]) == ("reveal", OPERATOR)

    refused = gridcall("case", "show", code, "--db", url, "--as", SUPERVISOR, "--reveal", tmp=tmp)
    assert refused.returncode == 1
    assert "lead unit only" in refused.stderr and "Traceback" not in refused.stderr
    text = gridcall("case", "show", code, "--db", url, "--as", OPERATOR, tmp=tmp)
    assert "李先生  139****1111" in text.stdout
    assert gridcall("audit", "verify", "--db", url, tmp=tmp).returncode == 0
