"""`gridcall export replies`: the hotline's closed cases, back to it in its own layout."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import update

from console.models import Case
from tests.hotline.conftest import Hotline, orders, write

C = Case.__table__.c
CLOSED = datetime(2026, 12, 2, 7, 30, tzinfo=UTC)  # 15:30 in the centre's zone


def closed(hotline: Hotline, order_no: str, result: str, at: datetime = CLOSED) -> None:
    """Set straight in the row: what the loop leaves on a closed case (tests of the loop
    itself are elsewhere)."""
    hotline.store.write(
        lambda s: s.execute(
            update(Case.__table__)
            .where(C.order_no == order_no)
            .values(status="closed", result=result, closed_at=at, handled_unit="U-CG",
                    rating="satisfied")
        )
    )  # fmt: skip


def test_replies_since_a_time_in_the_default_layout(hotline: Hotline, tmp_path: Path) -> None:
    rows = orders(hotline.store, 3, prefix="REP")
    assert hotline("import", str(write(tmp_path / "rep.csv", rows))).code == 0
    closed(hotline, rows[0][0], "已修复井盖")
    closed(hotline, rows[1][0], '=HYPERLINK("http://evil.example","ok")')
    closed(hotline, rows[2][0], "早已办结", datetime(2026, 11, 1, tzinfo=UTC))
    ran = hotline("--lang", "zh", "export", "replies", "--since", "2026-12-01")
    assert ran.code == 0, ran.err
    got = list(csv.reader(io.StringIO(ran.out)))
    assert got[0] == ["工单编号", "办理结果", "办结时间", "承办单位", "满意度"]
    mine = [r for r in got[1:] if r[0].startswith("REP")]
    assert [r[0] for r in mine] == [rows[0][0], rows[1][0]]
    assert mine[0][1:3] == ["已修复井盖", "2026-12-02 15:30:00"]
    assert mine[1][1] == '\'=HYPERLINK("http://evil.example","ok")'
    as_json = hotline("export", "replies", "--since", "2026-12-01", "--format", "json")
    assert rows[0][0] in {r["工单编号"] for r in json.loads(as_json.out)}
    sheet = tmp_path / "replies.xlsx"
    made = hotline(
        "export", "replies", "--since", "2026-12-01", "--format", "xlsx", "-o", str(sheet)
    )
    assert made.code == 0, made.err
    values = [[c.value for c in r] for r in load_workbook(sheet).worksheets[0].iter_rows()]
    assert ['=HYPERLINK("http://evil.example","ok")' in v for v in values].count(True) == 1
    cell = next(
        c for r in load_workbook(sheet).worksheets[0].iter_rows() for c in r
        if str(c.value).startswith("=HYPERLINK")
    )  # fmt: skip
    assert cell.data_type == "s"


def test_a_mapping_names_the_replies_columns(hotline: Hotline, tmp_path: Path) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text('[replies]\norder_no = "单号"\nresult = "结果"\n', encoding="utf-8")
    ran = hotline("export", "replies", "--since", "2026-12-01", "--mapping", str(mapping))
    assert ran.code == 0, ran.err
    assert ran.out, ran
    assert ran.out.splitlines()[0] == "单号,结果,办结时间,承办单位,满意度"
    assert hotline("export", "replies", "--since", "yesterday-ish").code == 2
    assert hotline("export", "replies", "--since", "2026-12-01", "--format", "xlsx").code == 2
