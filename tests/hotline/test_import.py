"""`gridcall import`: a hotline's work orders become cases, once each, through the real CLI."""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from console.models import Case, Category
from tests.conftest import trail_findings
from tests.hotline.conftest import HEADERS, Hotline, orders, write

C = Case.__table__.c
ROOT = Path(__file__).resolve().parents[2]


def summary(out: str) -> dict[str, int]:
    found = re.search(
        r"added ([\d,]+), to triage ([\d,]+), rejected ([\d,]+), already there ([\d,]+)", out
    )
    assert found, out
    names = ("added", "triage", "rejected", "already")
    return {n: int(v.replace(",", "")) for n, v in zip(names, found.groups(), strict=True)}


def count(hotline: Hotline, *where: object) -> int:
    with hotline.store.read() as s:
        return int(
            s.execute(select(func.count()).select_from(Case.__table__).where(*where)).scalar_one()
        )


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "json"])
def test_ten_thousand_orders_once_each(hotline: Hotline, suffix: str, tmp_path: Path) -> None:
    prefix = f"T{suffix}"
    path = write(tmp_path / f"orders.{suffix}", orders(hotline.store, 10_000, prefix=prefix))
    first = hotline("import", str(path))
    assert first.code == 0, first.err
    told = summary(first.out)
    assert told["added"] == 10_000 and told["rejected"] == 0 and told["already"] == 0
    assert count(hotline, C.order_no.like(f"{prefix}%"), C.source == "hotline_12345") == 10_000
    again = hotline("import", str(path))
    assert again.code == 0, again.err
    assert summary(again.out) == {"added": 0, "triage": 0, "rejected": 0, "already": 10_000}
    assert count(hotline, C.order_no.like(f"{prefix}%")) == 10_000


def test_dry_run_writes_nothing_and_says_the_same(hotline: Hotline, tmp_path: Path) -> None:
    path = write(tmp_path / "dry.csv", orders(hotline.store, 50, prefix="DRY"))
    dry = hotline("import", str(path), "--dry-run")
    assert dry.code == 0, dry.err
    assert summary(dry.out)["added"] == 50
    assert count(hotline, C.order_no.like("DRY%")) == 0
    assert not (tmp_path / "dry.csv.rejects.csv").exists()


def test_broken_rows_are_rejected_with_their_reason_and_nothing_else_lost(
    hotline: Hotline, tmp_path: Path
) -> None:
    good = orders(hotline.store, 20, prefix="BRK")
    no_content = [*good[0][:5], "", *good[0][6:]]
    no_content[0] = "BRK-NOCONTENT"
    bad_time = ["BRK-BADTIME", "昨天下午", *good[1][2:]]
    nowhere = ["BRK-NOWHERE", *good[2][1:4], "火星基地", *good[2][5:]]
    twice = list(good[3])  # the same order number again, further down the file
    rows = [*good, no_content, bad_time, nowhere, twice]
    path = write(tmp_path / "broken.csv", rows)
    ran = hotline("--lang", "en", "import", str(path))
    assert ran.code == 0, ran.err
    assert summary(ran.out) == {"added": 20, "triage": summary(ran.out)["triage"],
                                "rejected": 4, "already": 0}  # fmt: skip
    with (tmp_path / "broken.csv.rejects.csv").open(encoding="utf-8-sig") as f:
        rejected = list(csv.reader(f))
    assert rejected[0] == ["row", *HEADERS, "reason"]
    reasons = {row[1]: (row[0], row[-1]) for row in rejected[1:]}
    assert reasons["BRK-NOCONTENT"] == ("22", "no 诉求内容")
    assert reasons["BRK-BADTIME"] == ("23", "受理时间 is not a time: 昨天下午")
    assert reasons["BRK-NOWHERE"][1].startswith("the address names no grid")
    assert reasons[good[3][0]] == ("25", f"order number {good[3][0]} is in the file twice")
    assert count(hotline, C.order_no.like("BRK%")) == 20


def test_rejects_are_said_in_chinese(hotline: Hotline, tmp_path: Path) -> None:
    row = orders(hotline.store, 1, prefix="ZH")[0]
    row[1] = "不是时间"
    path = write(tmp_path / "zh.csv", [row])
    ran = hotline("--lang", "zh", "import", str(path))
    assert ran.code == 0, ran.err
    assert "拒收 1" in ran.out
    with (tmp_path / "zh.csv.rejects.csv").open(encoding="utf-8-sig") as f:
        rejected = list(csv.reader(f))
    assert rejected[0][0] == "行号" and rejected[1][-1] == "受理时间 不是时间：不是时间"


def test_an_unsure_match_is_added_to_triage(hotline: Hotline, tmp_path: Path) -> None:
    sure, unsure = orders(hotline.store, 2, prefix="TRI")
    unsure[5] = "楼下一直有噪音，希望有人管一管"  # names no subcategory
    unsure[6] = "其他"
    path = write(tmp_path / "triage.csv", [sure, unsure])
    ran = hotline("import", str(path))
    assert ran.code == 0, ran.err
    assert summary(ran.out)["added"] == 2 and summary(ran.out)["triage"] == 1
    assert count(hotline, C.order_no == unsure[0], C.to_triage.is_(True)) == 1
    assert count(hotline, C.order_no == sure[0], C.to_triage.is_(False)) == 1


def test_an_order_no_category_fits_waits_under_a_neutral_one(
    hotline: Hotline, tmp_path: Path
) -> None:
    """Not under the first subcategory: a noise complaint filed as an urgent missing manhole
    cover had nine minutes to be accepted."""
    row = orders(hotline.store, 1, prefix="NEUTRAL")[0]
    row[5], row[6], row[7] = "楼下很吵", "", ""
    ran = hotline("import", str(write(tmp_path / "neutral.csv", [row])))
    assert ran.code == 0, ran.err
    with hotline.store.read() as s:
        category, urgency, triage = s.execute(
            select(Category.code, C.urgency, C.to_triage)
            .join(Category, Category.id == C.category_id)
            .where(C.order_no == row[0])
        ).one()
    assert (category, urgency, triage) == ("070301", "normal", True)


def test_the_mapping_names_the_triage_category(hotline: Hotline, tmp_path: Path) -> None:
    row = orders(hotline.store, 1, prefix="UNSORTED")[0]
    row[5], row[6], row[7] = "路边有人乱扔东西", "", ""
    path = write(tmp_path / "unsorted.csv", [row])
    wrong = tmp_path / "wrong.toml"
    wrong.write_text('[triage]\ncategory = "0101"\n', encoding="utf-8")
    refused = hotline("--lang", "en", "import", str(path), "--mapping", str(wrong))
    assert refused.code == 2
    assert "triage.category 0101 is no subcategory" in refused.err
    assert count(hotline, C.order_no == row[0]) == 0
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[triage]\ncategory = "010301"\n', encoding="utf-8")
    ran = hotline("import", str(path), "--mapping", str(mapping))
    assert ran.code == 0, ran.err
    with hotline.store.read() as s:
        code = s.execute(
            select(Category.code)
            .join(Case, Category.id == Case.category_id)
            .where(C.order_no == row[0])
        ).scalar_one()
    assert code == "010301"


def test_gbk_and_bom_csv_are_read(hotline: Hotline, tmp_path: Path) -> None:
    gbk = write(tmp_path / "gbk.csv", orders(hotline.store, 5, prefix="GBK"), encoding="gbk")
    bom = write(tmp_path / "bom.csv", orders(hotline.store, 5, prefix="BOM"), encoding="utf-8-sig")
    for path in (gbk, bom):
        ran = hotline("import", str(path))
        assert ran.code == 0, ran.err
        assert summary(ran.out)["added"] == 5, ran.out
    assert count(hotline, C.order_no.like("GBK%"), C.description.like("市民反映%")) == 5


def test_a_file_mixing_encodings_is_named_by_its_line(hotline: Hotline, tmp_path: Path) -> None:
    rows = orders(hotline.store, 6, prefix="MIXED")
    path = write(tmp_path / "mixed.csv", rows, encoding="gbk")
    lines = path.read_bytes().splitlines(keepends=True)
    lines[4] = "\t".join(rows[3]).replace("\t", ",").encode("utf-8") + b"\r\n"
    path.write_bytes(b"".join(lines))
    ran = hotline("--lang", "en", "import", str(path))
    assert ran.code == 2
    assert "line 5 of" in ran.err and "as gb18030" in ran.err and "--encoding" in ran.err
    assert len(ran.err.strip().splitlines()) == 1
    assert count(hotline, C.order_no.like("MIXED%")) == 0


def test_a_mapping_file_names_other_columns(hotline: Hotline, tmp_path: Path) -> None:
    rows = orders(hotline.store, 3, prefix="MAP")
    for row in rows:
        row[1] = row[1].replace("2026-12-0", "2026年12月0").replace(" ", "日 ")[:-3]
    path = write(tmp_path / "other.csv", rows)
    text = path.read_text(encoding="utf-8").replace("工单编号", "单号", 1)
    path.write_text(text, encoding="utf-8")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        '[columns]\norder_no = "单号"\n[times]\nformat = "%Y年%m月%d日 %H:%M"\n', encoding="utf-8"
    )
    plain = hotline("import", str(path))
    assert plain.code == 2 and "no column for: 工单编号" in plain.err
    ran = hotline("import", str(path), "--mapping", str(mapping))
    assert ran.code == 0, ran.err
    assert summary(ran.out)["added"] == 3


def test_bad_usage_is_one_line_and_exit_2(hotline: Hotline, tmp_path: Path) -> None:
    missing = hotline("import", str(tmp_path / "none.csv"))
    assert missing.code == 2 and "cannot read" in missing.err
    odd = tmp_path / "orders.txt"
    odd.write_text("x", encoding="utf-8")
    assert hotline("import", str(odd)).code == 2
    path = write(tmp_path / "f.csv", orders(hotline.store, 1, prefix="USAGE"))
    assert hotline("import", str(path), "--format", "pdf").code == 2
    assert count(hotline, C.order_no.like("USAGE%")) == 0


def test_killed_halfway_it_keeps_whole_batches_and_a_second_run_adds_the_rest(
    hotline: Hotline, tmp_path: Path
) -> None:
    path = write(tmp_path / "killed.csv", orders(hotline.store, 2_500, prefix="KILL"))
    state = tmp_path / "state"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRIDCALL_")} | {
        "GRIDCALL_TOKEN": hotline.token,
        "GRIDCALL_STATE_DIR": str(state),
        "GRIDCALL_CONFIG": str(tmp_path / "config.toml"),
        "GRIDCALL_DATA_DIR": str(tmp_path / "data"),
        "LANG": "en_US.UTF-8",
    }
    command = [
        sys.executable,
        str(ROOT / "main.py"),
        "import",
        str(path),
        "--db",
        hotline.store.url,
    ]
    running = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    while count(hotline, C.order_no.like("KILL%")) == 0:
        assert running.poll() is None, running.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    running.send_signal(signal.SIGKILL)
    running.wait()
    kept = count(hotline, C.order_no.like("KILL%"))
    assert kept in (1_000, 2_000), kept  # whole batches of 1,000, nothing of the next
    again = hotline("import", str(path))
    assert again.code == 0, again.err
    assert summary(again.out)["added"] == 2_500 - kept
    assert summary(again.out)["already"] == kept
    assert count(hotline, C.order_no.like("KILL%")) == 2_500
    verified = hotline("audit", "verify")
    assert verified.code == 0, verified.out + verified.err


def test_to_triage_until_an_operator_sets_the_category(hotline: Hotline, tmp_path: Path) -> None:
    row = orders(hotline.store, 1, prefix="SEE")[0]
    row[5], row[6] = "楼下一直有人吵闹", "其他"
    ran = hotline("import", str(write(tmp_path / "see.csv", [row])))
    assert ran.code == 0, ran.err
    listed = hotline("case", "list", "--triage", "--text", "楼下一直有人吵闹", "--json")
    assert listed.code == 0, listed.err
    (code,) = [case["code"] for case in json.loads(listed.out)]
    assert json.loads(hotline("case", "show", code, "--json").out)["to_triage"] is True
    assert "(to triage)" in hotline("--lang", "en", "case", "show", code).out
    assert hotline("case", "set-category", code, "--category", "010303").code == 0
    assert "(to triage)" not in hotline("--lang", "en", "case", "show", code).out
    again = hotline("case", "list", "--triage", "--text", "楼下一直有人吵闹", "--json")
    assert json.loads(again.out) == []
    assert count(hotline, C.code == code, C.to_triage.is_(False)) == 1


def test_a_hostile_file_is_stored_as_text(hotline: Hotline, tmp_path: Path) -> None:
    rows = orders(hotline.store, 3, prefix="HOST")
    rows[0][5] = "[bold red]井盖缺失[/] <script>alert(1)</script> \x1b[2J\x1b]0;owned\x07清屏"
    rows[1][5] = "路灯不亮" + "长" * 1_000_000
    rows[2][5] = '=HYPERLINK("http://evil.example","井盖缺失")'
    ran = hotline("--lang", "en", "import", str(write(tmp_path / "hostile.csv", rows)))
    assert ran.code == 0, ran.err
    assert summary(ran.out)["added"] == 2 and summary(ran.out)["rejected"] == 1
    with hotline.store.read() as s:
        kept = dict(
            s.execute(select(C.order_no, C.description).where(C.order_no.like("HOST%"))).all()
        )
    assert kept[rows[0][0]] == "[bold red]井盖缺失[/] <script>alert(1)</script> 清屏"
    assert kept[rows[2][0]] == rows[2][5]
    with (tmp_path / "hostile.csv.rejects.csv").open(encoding="utf-8-sig") as f:
        (_, rejected) = list(csv.reader(f))
    assert rejected[0] == "3" and rejected[-1].startswith("a cell holds more than 4000")
    shown = hotline("case", "show", hotline_code(hotline, rows[0][0]))
    assert shown.code == 0, shown.err
    assert "[bold red]井盖缺失[/] <script>alert(1)</script>" in shown.out
    assert "\x1b" not in shown.out


def hotline_code(hotline: Hotline, order_no: str) -> str:
    with hotline.store.read() as s:
        return str(s.execute(select(C.code).where(C.order_no == order_no)).scalar_one())


def test_the_orders_deadline_becomes_the_cases_overall_deadline(
    hotline: Hotline, tmp_path: Path
) -> None:
    """The order's 办理时限 is the case's 办结时限, given from outside; an order without one
    takes its category's; one due before it was received is refused with its reason."""
    given, plain, backwards = orders(hotline.store, 3, prefix="DUE")
    plain[8] = ""
    backwards[8] = "2026-11-30 17:00"  # received on 2026-12-03
    path = write(tmp_path / "due.csv", [given, plain, backwards])
    ran = hotline("--lang", "en", "import", str(path))
    assert ran.code == 0, ran.err
    assert summary(ran.out)["added"] == 2 and summary(ran.out)["rejected"] == 1
    with hotline.store.read() as s:
        found = {
            r.order_no: (r.due_at, r.due_given)
            for r in s.execute(
                select(C.order_no, C.due_at, C.due_given).where(C.order_no.like("DUE%"))
            )
        }
    assert found[given[0]] == (datetime(2026, 12, 9, 9, 0, tzinfo=UTC), True)  # 17:00 Shanghai
    due, was_given = found[plain[0]]
    assert due is not None and not was_given
    with (tmp_path / "due.csv.rejects.csv").open(encoding="utf-8-sig") as f:
        (_, rejected) = list(csv.reader(f))
    assert rejected[1] == backwards[0] and rejected[-1] == "办理时限 is before 受理时间"
    assert trail_findings(hotline.store) == []  # the register event carries the given deadline
