"""`gridcall case list --from --to`: cases reported within the centre's calendar days (#15).

On SQLite and PostgreSQL, through `gridcall`'s own entry point in this process, with the clock
stopped at each report so the case's reported time is known to the second. The centre's zone
is the default, Asia/Shanghai (UTC+8): a day there starts at 16:00 UTC the day before.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from console import wallclock
from console.db import Store
from tests.store.identity import Desk

OPERATOR = "op.jiangbin1"
SHANGHAI = timezone(timedelta(hours=8))
CASE = ["--category", "010203", "--grid", "LJ010101", "--address", "江滨路12号"]
# name → when it was reported, local time in Shanghai
REPORTED = {
    "late_on_the_30th": datetime(2026, 11, 30, 23, 59, tzinfo=SHANGHAI),
    "midnight_of_the_1st": datetime(2026, 12, 1, 0, 0, tzinfo=SHANGHAI),
    "late_on_the_1st": datetime(2026, 12, 1, 23, 30, tzinfo=SHANGHAI),
    "early_on_the_2nd": datetime(2026, 12, 2, 0, 10, tzinfo=SHANGHAI),
}


@pytest.fixture(scope="module")
def cases(district: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    codes = {}
    for name, at in REPORTED.items():
        wallclock.freeze(at)  # a sign-in lasts a shift: one for each report
        desk = Desk(district, tmp_path_factory.mktemp("period"))
        made = desk(OPERATOR, "case", "new", "--title", name, *CASE, "--json")
        assert made.code == 0, made.err
        codes[name] = json.loads(made.out)["code"]
    wallclock.freeze(max(REPORTED.values()) + timedelta(hours=1))
    desk = Desk(district, tmp_path_factory.mktemp("period"))
    desk.codes = codes  # type: ignore[attr-defined]
    yield desk
    wallclock.freeze(None)


def listed(desk: Desk, *flags: str) -> set[str]:
    ran = desk(OPERATOR, "case", "list", *flags, "--json")
    assert ran.code == 0, ran.err
    names = {code: name for name, code in desk.codes.items()}  # type: ignore[attr-defined]
    return {names[r["code"]] for r in json.loads(ran.out) if r["code"] in names}


def test_a_day_is_the_centres_calendar_day(cases: Desk) -> None:
    one_day = listed(cases, "--from", "2026-12-01", "--to", "2026-12-01")
    assert one_day == {"midnight_of_the_1st", "late_on_the_1st"}


def test_either_end_alone_leaves_the_other_open(cases: Desk) -> None:
    assert listed(cases, "--from", "2026-12-02") == {"early_on_the_2nd"}
    assert listed(cases, "--to", "2026-11-30") == {"late_on_the_30th"}
    assert listed(cases, "--from", "2026-12-01") == {
        "midnight_of_the_1st",
        "late_on_the_1st",
        "early_on_the_2nd",
    }


def test_a_moment_with_its_offset_bounds_to_the_minute(cases: Desk) -> None:
    # 15:30 UTC is 23:30 in Shanghai; `--to` a moment includes that moment.
    found = listed(cases, "--from", "2026-12-01T15:30:00+00:00", "--to", "2026-12-02T00:10+08:00")
    assert found == {"late_on_the_1st", "early_on_the_2nd"}
    assert listed(cases, "--from", "2026-12-01T23:31+08:00", "--to", "2026-12-02T00:09+08:00") == (
        set()
    )


@pytest.mark.parametrize(
    "flags, lang, says",
    [
        (["--from", "2026-13-01"], "en", "--from 2026-13-01: not a date (e.g. 2026-12-01"),
        (["--to", "yesterday"], "en", "--to yesterday: not a date"),
        (["--from", "20261201"], "en", "--from 20261201: not a date"),
        (["--to", "2026-12-1"], "zh", "--to 2026-12-1：无法识别的日期"),
        (
            ["--from", "2026-12-02", "--to", "2026-12-01"],
            "en",
            "--from 2026-12-02 is later than --to 2026-12-01",
        ),
        (
            ["--from", "2026-12-02", "--to", "2026-12-01"],
            "zh",
            "--from 2026-12-02 晚于 --to 2026-12-01",
        ),
    ],
)
def test_a_bad_date_is_one_line_naming_the_flag(
    cases: Desk, flags: list[str], lang: str, says: str
) -> None:
    ran = cases(OPERATOR, "--lang", lang, "case", "list", *flags)
    assert ran.code == 2
    assert ran.out == ""
    assert ran.err.strip() == ran.err.strip().splitlines()[0]
    assert says in ran.err, ran.err


def test_help_names_the_flags(tmp_path: Path, district: Store) -> None:
    ran = Desk(district, tmp_path)(OPERATOR, "case", "list", "--help")
    assert ran.code == 0
    assert "--from" in ran.out and "--to" in ran.out and "YYYY-MM-DD" in ran.out
