"""`gridcall export cases` through the real entry point, on both stores: every format read back
as its reader would (csv, openpyxl, json), the reader's scope, the filters `case list` takes,
hostile text made inert, and bad requests that exit 2 and leave no file behind."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import update

from console import wallclock
from console.db import Store
from console.domain.enums import Source
from console.domain.intake import NewCase
from console.domain.sla import SlaClock
from console.models import Case
from console.queries.reference import reference
from console.services.cases import create_case
from tests.services.helpers import NOW
from tests.store.identity import Desk
from tests.store.week import LATER, Week

HYPERLINK = '=HYPERLINK("http://x","y")'


class Cases:
    """The hand-written week of one street, a hostile case among them, and a case of another
    street that the first street's operator may not read."""

    def __init__(self, store: Store) -> None:
        self.week = Week(store)
        self.store = store
        c = self.week.c
        ref = reference(store)
        self.operator, self.other = c.operator, c.other_operator
        hostile = create_case(
            store,
            SlaClock(),
            c.operator,
            NewCase(
                title="@SUM(1+1)",
                category=c.category,
                grid=c.grid,
                address="-江滨路12号",
                source=Source.HOTLINE,
                description=HYPERLINK,
            ),
            now=NOW,
        )
        self.hostile = hostile.code
        # A store written by another tool may hold what typing refuses: escape sequences.
        store.write(
            lambda s: s.execute(
                update(Case.__table__)
                .where(Case.__table__.c.code == self.hostile)
                .values(result="已处理\x1b[2J\x07完毕\t")
            )
        )
        other_street = ref.areas[ref.user(c.other_operator).street_id or 0]
        grid = min(
            (
                a
                for a in ref.areas.values()
                if a.level.value == "grid" and a.street_id == other_street.id
            ),
            key=lambda a: a.code,
        )
        self.elsewhere = create_case(
            store,
            SlaClock(),
            c.other_operator,
            NewCase(
                title="另一街道的案件",
                category=c.category,
                grid=grid.code,
                address="某路1号",
                source=Source.PATROL,
            ),
            now=NOW,
        ).code
        self.mine = {*self.week.codes.values(), self.hostile}


@pytest.fixture(scope="module")
def cases(district: Store) -> Iterator[Cases]:
    wallclock.freeze(LATER)
    yield Cases(district)
    wallclock.freeze(None)


@pytest.fixture
def desk(cases: Cases, tmp_path: Path) -> Iterator[Desk]:
    wallclock.freeze(LATER)
    yield Desk(cases.store, tmp_path / "home")
    wallclock.freeze(None)


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def listed(desk: Desk, login: str, *filters: str) -> set[str]:
    """The codes `gridcall case list` shows for the same filters."""
    ran = desk(login, "case", "list", "--json", "--limit", "10000", *filters)
    assert ran.code == 0, ran.err
    return {row["code"] for row in json.loads(ran.out)}


def test_csv_to_stdout_reads_back_in_english(cases: Cases, desk: Desk) -> None:
    ran = desk(cases.operator, "export", "cases", "--all", "--lang", "en")
    assert ran.code == 0, ran.err
    assert ran.out.startswith("\ufeff")  # so that a spreadsheet opens it as UTF-8
    rows = csv_rows(ran.out)
    head = rows[0]
    assert head[:4] == ["code", "reported at", "source", "category"]
    for name in (
        "status",
        "street",
        "community",
        "grid",
        "lead unit",
        "deadline",
        "overall deadline",
        "rating",
    ):
        assert name in head
    by_code = {r[0]: dict(zip(head, r, strict=True)) for r in rows[1:]}
    assert set(by_code) == cases.mine  # the operator's street, nothing of the other's
    a = by_code[cases.week.codes["A"]]
    assert a["reported at"] == "2026-11-18 10:00:00"  # Shanghai time, not UTC
    assert a["status"] == "closed" and a["rating"] == "satisfied"
    assert a["result"] == "已劝离摊贩" and a["closed at"].startswith("2026-11-18 10:")
    assert " / " in a["category"]  # the whole path, module down to the subcategory
    hostile = by_code[cases.hostile]
    assert hostile["description"] == "'" + HYPERLINK
    assert hostile["title"] == "'@SUM(1+1)" and hostile["address"] == "'-江滨路12号"
    assert hostile["result"] == "已处理[2J完毕\t"
    assert "\x1b" not in ran.out and "\x07" not in ran.out


def test_headers_and_labels_in_chinese(cases: Cases, desk: Desk) -> None:
    ran = desk(cases.operator, "export", "cases", "--all", "--lang", "zh")
    assert ran.code == 0, ran.err
    rows = csv_rows(ran.out)
    assert rows[0][:2] == ["案件编号", "上报时间"]
    status = rows[0].index("状态")
    a = next(r for r in rows if r[0] == cases.week.codes["A"])
    assert a[status] == "已结案"


def test_xlsx_has_chinese_headers_dates_and_inert_formulas(
    cases: Cases, desk: Desk, tmp_path: Path
) -> None:
    out = tmp_path / "案件.xlsx"
    ran = desk(
        cases.operator,
        "--lang",
        "zh",
        "export",
        "cases",
        "--all",
        "--format",
        "xlsx",
        "-o",
        str(out),
    )
    assert ran.code == 0, ran.err
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    rows = list(sheet.iter_rows())
    head = [c.value for c in rows[0]]
    assert head[:2] == ["案件编号", "上报时间"]
    by_code = {r[0].value: r for r in rows[1:]}
    assert set(by_code) == cases.mine
    reported = by_code[cases.week.codes["A"]][1]
    assert reported.value == datetime(2026, 11, 18, 10, 0)  # local time, as a date cell
    assert reported.is_date and "yyyy" in reported.number_format
    hostile = {head[i]: c for i, c in enumerate(by_code[cases.hostile])}
    for name in ("描述", "标题", "地址"):
        cell = hostile[name]
        assert cell.data_type == "s" and cell.quotePrefix, name  # shown as text, never run
    assert hostile["描述"].value == HYPERLINK  # the text itself, marked as text
    assert hostile["处置结果"].value == "已处理[2J完毕\t"
    assert sorted(tmp_path.iterdir()) == [tmp_path / "home", out]  # no temporary file beside


def test_json_is_one_array_of_objects(cases: Cases, desk: Desk, tmp_path: Path) -> None:
    out = tmp_path / "cases.json"
    ran = desk(cases.operator, "export", "cases", "--all", "--format", "json", "-o", str(out))
    assert ran.code == 0, ran.err
    data = json.loads(out.read_text(encoding="utf-8"))
    by_code = {row["code"]: row for row in data}
    assert set(by_code) == cases.mine
    a = by_code[cases.week.codes["A"]]
    assert a["status"] == "closed" and a["reported_at"] == "2026-11-18T10:00:00+08:00"
    shown = desk.ok(cases.operator, "case", "show", cases.week.codes["A"])
    due = datetime.fromisoformat(str(shown["due_at"]))  # the overall deadline, the same instant
    assert datetime.fromisoformat(a["due_at"]) == due and a["due_at"].endswith("+08:00")
    assert by_code[cases.hostile]["description"] == HYPERLINK  # JSON holds the text itself
    jsonl = desk(cases.operator, "export", "cases", "--all", "--format", "jsonl")
    assert jsonl.code == 0, jsonl.err
    assert {json.loads(line)["code"] for line in jsonl.out.splitlines()} == cases.mine


def test_an_empty_export_is_still_valid(cases: Cases, desk: Desk) -> None:
    ran = desk(cases.operator, "export", "cases", "--format", "json", "--from", "2020-01-01",
               "--to", "2020-01-02")  # fmt: skip
    assert ran.code == 0, ran.err
    assert json.loads(ran.out) == []


def test_the_other_street_reads_only_its_own(cases: Cases, desk: Desk) -> None:
    ran = desk(cases.other, "export", "cases", "--all", "--lang", "en")
    assert ran.code == 0, ran.err
    codes = {r[0] for r in csv_rows(ran.out)[1:]}
    assert cases.elsewhere in codes and not codes & cases.mine


@pytest.mark.parametrize(
    "filters",
    [
        ("--status", "closed"),
        ("--all", "--from", "2026-11-19", "--to", "2026-11-20"),
        ("--all", "--to", "2026-11-12"),
        ("--all", "--source", "hotline_12345", "--text", "案件"),
        ("--late-overall",),
        (),
    ],
)
def test_the_same_filters_as_case_list(cases: Cases, desk: Desk, filters: tuple[str, ...]) -> None:
    ran = desk(cases.operator, "export", "cases", "--lang", "en", *filters)
    assert ran.code == 0, ran.err
    exported = {r[0] for r in csv_rows(ran.out)[1:]}
    assert exported == listed(desk, cases.operator, *filters)
    assert exported  # each filter selects something, so the comparison can fail


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--format", "pdf"), "--format"),
        (("--format", "xlsx"), "-o"),
        (("--street", "NOPE"), "NOPE"),
        (("--grid", "NOPE"), "NOPE"),
        (("--unit", "NOPE"), "NOPE"),
        (("--category", "NOPE"), "NOPE"),
        (("--from", "2026-13-01"), "--from"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    cases: Cases, desk: Desk, tmp_path: Path, args: tuple[str, ...], says: str
) -> None:
    target = tmp_path / "out"
    target.mkdir()
    written = () if args == ("--format", "xlsx") else ("-o", str(target / "x.csv"))
    ran = desk(cases.operator, "export", "cases", "--lang", "en", *args, *written)
    assert ran.code == 2, (ran.out, ran.err)
    assert len(ran.err.strip().splitlines()) == 1 and says in ran.err, ran.err
    assert list(target.iterdir()) == []


def test_into_a_missing_directory(cases: Cases, desk: Desk, tmp_path: Path) -> None:
    out = tmp_path / "missing" / "cases.csv"
    ran = desk(cases.operator, "export", "cases", "--lang", "en", "-o", str(out))
    assert ran.code == 2, ran.err
    assert len(ran.err.strip().splitlines()) == 1 and "missing" in ran.err
    assert not out.parent.exists()


def test_an_export_that_fails_halfway_leaves_no_file(
    cases: Cases, desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from console.reports import export

    def broken(*args: object, **kw: object) -> Iterator[object]:
        yield from ()
        raise OSError(28, "No space left on device")

    out = tmp_path / "cases.csv"
    desk.sign_in(cases.operator)
    monkeypatch.setattr(export, "values", broken)
    ran = desk(cases.operator, "export", "cases", "--all", "--lang", "en", "-o", str(out))
    assert ran.code == 2, ran.err
    assert "No space left" in ran.err
    assert list(tmp_path.iterdir()) == [tmp_path / "home"]


def test_xlsx_goes_on_to_another_sheet_when_one_is_full(
    cases: Cases, desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from console.reports import export

    monkeypatch.setattr(export, "XLSX_ROWS", 5)  # a header and four cases a sheet
    out = tmp_path / "cases.xlsx"
    ran = desk(cases.operator, "export", "cases", "--all", "--format", "xlsx", "-o", str(out))
    assert ran.code == 0, ran.err
    book = openpyxl.load_workbook(out, read_only=True)
    sheets = [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]
    assert len(sheets) == -(-len(cases.mine) // 4)
    assert all(rows[0] == sheets[0][0] and len(rows) <= 5 for rows in sheets)
    assert {row[0] for rows in sheets for row in rows[1:]} == cases.mine


def test_xlsx_holds_markup_and_spaces_as_text_and_cuts_what_excel_refuses(
    cases: Cases, desk: Desk, tmp_path: Path
) -> None:
    markup = "  <b>\"甲\" & '乙'</b> ]]> &amp;  "
    longest = 32_767  # the most characters Excel takes in a cell
    table = Case.__table__
    hostile = table.c.code == cases.hostile

    def hostile_text(description: str, result: str) -> None:
        cases.store.write(
            lambda s: s.execute(
                update(table).where(hostile).values(description=description, result=result)
            )
        )

    hostile_text("长" * (longest + 1000), markup + "\x0b\ufffe")
    try:
        out = tmp_path / "cases.xlsx"
        ran = desk(
            cases.operator, "--lang", "en", "export", "cases", "--all", "--format", "xlsx",
            "-o", str(out),
        )  # fmt: skip
    finally:
        hostile_text(HYPERLINK, "已处理\x1b[2J\x07完毕\t")
    assert ran.code == 0, ran.err
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["cases"]
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    head = rows[0]
    # A read-only sheet's row ends at its last cell that holds something.
    row = dict(zip(head, next(r for r in rows if r[0] == cases.hostile), strict=False))
    assert row["result"] == markup  # the markup as text, the spaces at either end kept
    assert row["description"] == "长" * longest


def test_xlsx_names_each_further_sheet_by_its_number(
    cases: Cases, desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from console.reports import export

    monkeypatch.setattr(export, "XLSX_ROWS", 5)
    out = tmp_path / "cases.xlsx"
    ran = desk(
        cases.operator, "--lang", "zh", "export", "cases", "--all", "--format", "xlsx",
        "-o", str(out),
    )  # fmt: skip
    assert ran.code == 0, ran.err
    names = openpyxl.load_workbook(out, read_only=True).sheetnames
    assert names[:3] == ["案件", "案件 (2)", "案件 (3)"]
