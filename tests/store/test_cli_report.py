"""`gridcall report weekly | monthly | range` through the real entry point: the hand-written
week's figures in every format, read back as a reader of each would (python-docx, openpyxl,
csv, json, the Markdown's lines), in Chinese and English; bad requests write nothing."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import docx
import openpyxl
import pytest

from console import wallclock
from console.db import Store
from console.queries.reference import name_in, reference
from tests.store.identity import Desk
from tests.store.week import LATER, Week

W47 = ("--week", "2026-W47")  # Monday 16 to Sunday 22 November 2026: the hand-written week


@pytest.fixture(scope="module")
def week(district: Store) -> Iterator[Week]:
    wallclock.freeze(LATER)  # the figures as they stand two months on
    yield Week(district)
    wallclock.freeze(None)


@pytest.fixture
def desk(week: Week, tmp_path: Path) -> Iterator[Desk]:
    wallclock.freeze(LATER)
    yield Desk(week.store, tmp_path)
    wallclock.freeze(None)


def street_name(week: Week, lang: str) -> str:
    ref = reference(week.store)
    return name_in(ref.area(week.c.street), lang)


def test_the_weekly_bulletin_in_markdown(week: Week, desk: Desk) -> None:
    ran = desk(week.c.operator, "report", "weekly", *W47)
    assert ran.code == 0, ran.err
    lines = ran.out.splitlines()
    assert lines[0] == f"# {street_name(week, 'en')} weekly bulletin (2026, week 47)"
    assert "| reported | 9 | 1 | 8 |" in lines  # H, the week before, was its only case
    assert "| closure rate | 75.0% | — | — |" in lines  # nothing accepted the week before
    assert "| on-time closure rate | 50.0% | — | — |" in lines
    assert "| satisfaction | 66.7% | — | — |" in lines
    assert "## 3. Red-light supervision" in lines
    assert any(week.codes["F"] in line for line in lines)  # overdue with its department
    assert any("摊贩第二天又来了" in line for line in lines)  # the dissatisfied resident
    assert not any("Assessment" in line for line in lines)  # a month's, not a week's

    zh = desk(week.c.operator, "--lang", "zh", "report", "weekly", *W47).out.splitlines()
    assert zh[0] == f"# {street_name(week, 'zh')}网格化服务管理周通报（2026年第47周）"
    assert "| 上报 | 9 | 1 | 8 |" in zh and "| 结案率 | 75.0% | — | — |" in zh
    assert "## 一、总体情况" in zh


def test_the_docx_reads_as_a_bulletin(week: Week, desk: Desk, tmp_path: Path) -> None:
    out = tmp_path / "周通报.docx"
    ran = desk(
        week.c.operator,
        "--lang",
        "zh",
        "report",
        "weekly",
        *W47,
        "--format",
        "docx",
        "-o",
        str(out),
    )
    assert ran.code == 0, ran.err
    doc = docx.Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == f"{street_name(week, 'zh')}网格化服务管理周通报（2026年第47周）"
    assert "一、总体情况" in texts and "三、红灯督办" in texts
    assert any(
        t.startswith("本期共上报案件 9 件（上期 1 件），受理 5 件，结案 3 件") for t in texts
    )
    counts = doc.tables[0]
    assert [c.text for c in counts.rows[0].cells] == ["指标", "本期", "上期", "变化"]
    assert [c.text for c in counts.rows[1].cells] == ["上报", "9", "1", "8"]
    rates = doc.tables[1]
    assert [c.text for c in rates.rows[1].cells] == ["结案率", "75.0%", "—", "—"]


def test_the_xlsx_has_a_sheet_per_table_with_numbers(
    week: Week, desk: Desk, tmp_path: Path
) -> None:
    out = tmp_path / "week.xlsx"
    ran = desk(
        week.c.operator,
        "--lang",
        "zh",
        "report",
        "weekly",
        *W47,
        "--format",
        "xlsx",
        "-o",
        str(out),
    )
    assert ran.code == 0, ran.err
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:3] == ["概况", "办件数量", "办件质量"]
    counts = book["办件数量"]
    header = next(r for r in counts.iter_rows(values_only=True) if r[0] == "指标")
    assert header == ("指标", "本期", "上期", "变化")
    reported = next(r for r in counts.iter_rows() if r[0].value == "上报")
    assert [c.value for c in reported] == ["上报", 9, 1, 8]
    closure = next(r for r in book["办件质量"].iter_rows() if r[0].value == "结案率")
    assert closure[1].value == 0.75 and closure[1].number_format == "0.0%"


def test_csv_and_json_for_scripts(week: Week, desk: Desk) -> None:
    as_json = json.loads(desk(week.c.operator, "report", "weekly", *W47, "--format", "json").out)
    counts = as_json["sections"][0]["tables"][0]
    assert counts["name"] == "counts" and counts["rows"][0] == ["reported", 9, 1, 8]
    rates = as_json["sections"][0]["tables"][1]
    assert rates["rows"][0] == ["closure rate", 0.75, None, None]
    text = desk(week.c.operator, "report", "weekly", *W47, "--format", "csv").out
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert ["reported", "9", "1", "8"] in rows


def test_a_month_adds_the_assessment(week: Week, desk: Desk) -> None:
    ran = desk(week.c.operator, "report", "monthly", "--month", "2026-11")
    assert ran.code == 0, ran.err
    lines = ran.out.splitlines()
    assert "## 8. Assessment" in lines
    section = name_in(reference(week.store).unit(week.c.section), "en")
    # The section, the one unit with three accepted cases (A, B, G), the fewest scored.
    scored = lines[lines.index("**Units**") :]
    assert any(line.startswith(f"| 1 | {section} | ") for line in scored)


def test_a_street_reader_sees_only_their_street(week: Week, desk: Desk) -> None:
    ran = desk(week.c.other_operator, "report", "weekly", *W47, "--format", "json")
    counts = json.loads(ran.out)["sections"][0]["tables"][0]
    assert counts["rows"][0] == ["reported", 0, 0, 0]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("weekly", "--week", "2026-W60"), "not a week: 2026-W60"),
        (("monthly", "--month", "2026-13"), "not a month: 2026-13"),
        (("range", "--from", "2026-11-30", "--to", "2026-11-01"), "is after the last day"),
        (
            ("range", "--from", "30/11/2026", "--to", "2026-12-01"),
            "--from 30/11/2026: must be a day",
        ),
        (("weekly", "--format", "pdf"), "--format pdf: must be one of md, docx, xlsx, csv, json"),
        (("weekly", "--street", "火星街道"), "no such street: 火星街道"),
    ],
)
def test_a_bad_request_writes_nothing(
    week: Week, desk: Desk, tmp_path: Path, args: tuple[str, ...], says: str
) -> None:
    out = tmp_path / "bulletin.md"
    ran = desk(week.c.operator, "report", *args, "-o", str(out))
    assert ran.code == 2
    assert ran.err.strip().splitlines() == [ran.err.strip()] and says in ran.err
    assert not out.exists() and list(tmp_path.glob("bulletin*")) == []
