"""A bulletin written in each format and read back as its reader would: Word, Excel, a chat
group's Markdown, a spreadsheet's CSV, a script's JSON — in Chinese and in English."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import zipfile
from typing import Any

import pytest
from docx import Document as read_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm
from openpyxl import load_workbook

from console.domain.errors import Invalid
from console.i18n import say
from console.reports.document import Column, Document, Kind, Section, Table
from console.reports.write import FORMATS, write

HYPERLINK = '=HYPERLINK("http://evil.example/","点我")'

WORDS = {
    "zh": {
        "title": "望潮街道综合指挥中心周通报（2026年第48周）",
        "subtitle": "2026年11月23日至29日 · 望潮街道全域",
        "issuer": "望潮街道综合指挥中心 2026年11月30日",
        "sections": ("总体情况", "社区排名", "需要关注"),
        "paragraph": "本周受理 1234 件，按期结案率 92.3%，比上周高 1.2 个百分点。",
        "headline": ("总体", "本周办件", ("指标", "件数", "按期结案率", "平均处置时长（分钟）")),
        "rows": ("全部", "紧急"),
        "ranking": ("社区排名", "社区综合评分排名", ("名次", "社区", "评分", "平均结案天数")),
        "communities": ("海潮社区", "东湖社区"),
        "note": "评分 = 按期结案率×60 + 满意率×40；同分按件数排序",
        "odd": ("需关注/案件?", "待核实案件", ("编号", "标题")),
        "pipe": "左|右",
        "sheets": ["概况", "总体", "社区排名", "需关注案件"],
        "numbered": ("一、总体情况", "二、社区排名", "三、需要关注"),
    },
    "en": {
        "title": "Wangchao Street Command Centre weekly bulletin (2026 week 48)",
        "subtitle": "23–29 November 2026 · all of Wangchao Street",
        "issuer": "Wangchao Street Command Centre, 30 November 2026",
        "sections": ("Overview", "Communities ranked", "To watch"),
        "paragraph": "1234 cases taken this week; 92.3% closed on time, 1.2 points up.",
        "headline": ("Overview", "Cases this week", ("Measure", "Cases", "On time", "Minutes")),
        "rows": ("All", "Urgent"),
        "ranking": ("Ranking", "Communities by score", ("Rank", "Community", "Score", "Days")),
        "communities": ("Haichao", "Donghu"),
        "note": "score = on-time share × 60 + satisfaction × 40; ties by cases",
        "odd": ("Watch/list?", "Cases to check", ("Code", "Title")),
        "pipe": "left|right",
        "sheets": ["Summary", "Overview", "Ranking", "Watchlist"],
        "numbered": ("1. Overview", "2. Communities ranked", "3. To watch"),
    },
}
LANGS = tuple(WORDS)


def bulletin(lang: str) -> Document:
    w: dict[str, Any] = WORDS[lang]
    name, title, heads = w["headline"]
    headline = Table(
        name,
        title,
        (
            Column(heads[0]),
            Column(heads[1], Kind.COUNT),
            Column(heads[2], Kind.SHARE),
            Column(heads[3], Kind.MINUTES),
        ),
        ((w["rows"][0], 1234, 12 / 13, 1530.4), (w["rows"][1], 0, None, None)),
    )
    name, title, heads = w["ranking"]
    ranking = Table(
        name,
        title,
        (
            Column(heads[0], Kind.COUNT),
            Column(heads[1]),
            Column(heads[2], Kind.SCORE),
            Column(heads[3], Kind.DAYS),
        ),
        ((1, w["communities"][0], 95.25, 1.5), (2, w["communities"][1], 88.0, 3.25)),
        note=w["note"],
    )
    name, title, heads = w["odd"]
    odd = Table(
        name,
        title,
        (Column(heads[0]), Column(heads[1])),
        (("WC-1", HYPERLINK), ("WC-2", w["pipe"])),
    )
    first, second, third = w["sections"]
    return Document(
        w["title"],
        w["subtitle"],
        w["issuer"],
        lang,
        (
            Section(first, (w["paragraph"],), (headline,)),
            Section(second, (), (ranking,)),
            Section(third, ("—",), (odd,)),
        ),
    )


# --- docx ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_docx_reads_as_a_printed_bulletin(lang: str) -> None:
    w = WORDS[lang]
    docx = read_docx(io.BytesIO(write(bulletin(lang), "docx")))
    paragraphs = docx.paragraphs
    title, subtitle = paragraphs[0], paragraphs[1]
    assert title.text == w["title"]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert all(run.bold for run in title.runs)
    assert title.runs[0].font.size.pt >= 18
    assert (subtitle.text, subtitle.alignment) == (w["subtitle"], WD_ALIGN_PARAGRAPH.CENTER)
    headings = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert headings == list(w["numbered"])
    body = next(p for p in paragraphs if p.text == w["paragraph"])
    indent = body.paragraph_format.first_line_indent
    assert (indent.pt if indent else 0) == (24 if lang == "zh" else 0)  # 首行缩进两字
    issuer = paragraphs[-1]
    assert (issuer.text, issuer.alignment) == (w["issuer"], WD_ALIGN_PARAGRAPH.RIGHT)
    note = next(p for p in paragraphs if p.text == w["note"])
    assert note.runs[0].italic

    headline, ranking, odd = docx.tables
    assert headline.style.name == "Table Grid"
    cells = [[c.text for c in row.cells] for row in headline.rows]
    assert cells == [
        list(w["headline"][2]),
        [w["rows"][0], "1,234", "92.3%", "1,530"],
        [w["rows"][1], "0", "—", "—"],
    ]
    header = headline.rows[0]
    assert all(run.bold for c in header.cells for run in c.paragraphs[0].runs)
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on a new page
    figures = headline.rows[1].cells
    assert figures[0].paragraphs[0].alignment != WD_ALIGN_PARAGRAPH.RIGHT
    assert {c.paragraphs[0].alignment for c in figures[1:]} == {WD_ALIGN_PARAGRAPH.RIGHT}
    assert [c.text for c in ranking.rows[1].cells] == ["1", w["communities"][0], "95.3", "1.5"]
    assert [c.text for c in odd.rows[2].cells] == ["WC-2", w["pipe"]]

    fonts = {
        name: docx.styles[name].element.rPr.rFonts.get(qn("w:eastAsia"))
        for name in ("Normal", "Heading 1")
    }
    assert fonts == {"Normal": "宋体", "Heading 1": "黑体"}
    page = docx.sections[0]
    assert (round(page.page_width.mm), round(page.page_height.mm)) == (210, 297)
    assert page.left_margin >= Mm(20)


# --- xlsx ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_xlsx_has_a_summary_and_a_sheet_of_real_numbers_per_table(lang: str) -> None:
    w = WORDS[lang]
    data = write(bulletin(lang), "xlsx")
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == w["sheets"]

    summary = [c.value for c in book[w["sheets"][0]]["A"] if c.value is not None]
    assert summary[:3] == [w["title"], w["subtitle"], w["issuer"]]
    assert w["numbered"][0] in summary
    assert w["paragraph"] in summary
    sees = [x for x in summary if w["headline"][1] in x]
    assert len(sees) == 1 and f"“{w['sheets'][1]}”" in sees[0]  # where the table went

    sheet = book[w["sheets"][1]]
    assert sheet["A1"].value == w["headline"][1]
    assert [c.value for c in sheet[2]] == list(w["headline"][2])
    assert all(c.font.b for c in sheet[2])
    assert sheet["A2"].fill.fgColor.rgb.endswith("D9D9D9")
    assert sheet.freeze_panes == "A3"
    assert [c.value for c in sheet[3]] == [w["rows"][0], 1234, 12 / 13, 1530.4]
    assert [c.value for c in sheet[4]] == [w["rows"][1], 0, None, None]
    assert (sheet["B3"].number_format, sheet["C3"].number_format) == ("#,##0", "0.0%")
    assert sheet["D3"].number_format == "#,##0"
    assert sheet.column_dimensions["A"].width >= 6

    ranking = book[w["sheets"][2]]
    assert [c.value for c in ranking[3]] == [1, w["communities"][0], 95.25, 1.5]
    assert (ranking["C3"].number_format, ranking["D3"].number_format) == ("0.0", "0.0")
    assert ranking["A6"].value == w["note"]

    odd = book[w["sheets"][3]]
    assert odd["B3"].value == HYPERLINK
    assert odd["B3"].data_type == "s"
    assert odd["B4"].value == w["pipe"]
    with zipfile.ZipFile(io.BytesIO(data)) as files:
        assert all(b"<f>" not in files.read(n) for n in files.namelist() if "worksheets" in n)


def test_xlsx_column_widths_count_chinese_characters_double() -> None:
    book = load_workbook(io.BytesIO(write(bulletin("zh"), "xlsx")))
    sheet = book["总体"]
    # "平均处置时长（分钟）": ten wide characters, twenty columns of width
    assert sheet.column_dimensions["D"].width >= 20
    assert sheet.column_dimensions["B"].width < 10


def test_sheet_names_are_made_valid_and_unique() -> None:
    long = "一" * 40
    tables = tuple(
        Table(name, name, (Column("x", Kind.COUNT),), ((1,),))
        for name in ("a:b", "A:B", long, long, "'quoted'", "History", "概况", "[?]")
    )
    doc = Document("t", "s", "i", "zh", (Section("s", (), tables),))
    names = load_workbook(io.BytesIO(write(doc, "xlsx"))).sheetnames
    assert names[:4] == ["概况", "ab", "AB (2)", "一" * 31]
    assert names[4] == "一" * 27 + " (2)"
    assert names[5:] == ["quoted", "History (2)", "概况 (2)", "表8"]


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_the_same_bulletin_gives_the_same_bytes(fmt: str) -> None:
    assert write(bulletin("zh"), fmt) == write(bulletin("zh"), fmt)


# --- md -----------------------------------------------------------------------------------


def test_markdown_for_a_chat_group_zh() -> None:
    text = write(bulletin("zh"), "md").decode()
    lines = text.splitlines()
    assert lines[:5] == [
        "# 望潮街道综合指挥中心周通报（2026年第48周）",
        "",
        "2026年11月23日至29日 · 望潮街道全域",
        "",
        "望潮街道综合指挥中心 2026年11月30日",
    ]
    assert [x for x in lines if x.startswith("## ")] == [
        "## 一、总体情况",
        "## 二、社区排名",
        "## 三、需要关注",
    ]
    start = lines.index("| 指标 | 件数 | 按期结案率 | 平均处置时长（分钟） |")
    assert lines[start - 2 : start + 4] == [
        "**本周办件**",
        "",
        "| 指标 | 件数 | 按期结案率 | 平均处置时长（分钟） |",
        "| --- | ---: | ---: | ---: |",
        "| 全部 | 1,234 | 92.3% | 1,530 |",
        "| 紧急 | 0 | — | — |",
    ]
    start = lines.index("| 名次 | 社区 | 评分 | 平均结案天数 |")
    assert lines[start + 1 : start + 6] == [
        "| ---: | --- | ---: | ---: |",
        "| 1 | 海潮社区 | 95.3 | 1.5 |",  # half up, as Excel shows 95.25 with '0.0'
        "| 2 | 东湖社区 | 88.0 | 3.3 |",
        "",
        "*评分 = 按期结案率×60 + 满意率×40；同分按件数排序*",
    ]
    assert "| WC-2 | 左\\|右 |" in lines
    assert f"| WC-1 | {HYPERLINK} |" in lines


def test_markdown_en_numbers_sections_with_digits() -> None:
    lines = write(bulletin("en"), "md").decode().splitlines()
    assert [x for x in lines if x.startswith("## ")] == [
        "## 1. Overview",
        "## 2. Communities ranked",
        "## 3. To watch",
    ]
    assert "| All | 1,234 | 92.3% | 1,530 |" in lines
    assert "| WC-2 | left\\|right |" in lines


# --- csv ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_csv_opens_in_excel_with_every_table_in_turn(lang: str) -> None:
    w = WORDS[lang]
    data = write(bulletin(lang), "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[:5] == [
        [w["headline"][1]],
        list(w["headline"][2]),
        [w["rows"][0], "1234", "0.9231", "1530.4"],
        [w["rows"][1], "0", "", ""],
        [],
    ]
    assert rows[5:10] == [
        [w["ranking"][1]],
        list(w["ranking"][2]),
        ["1", w["communities"][0], "95.25", "1.5"],
        ["2", w["communities"][1], "88.0", "3.25"],
        [],
    ]
    assert rows[10:] == [
        [w["odd"][1]],
        list(w["odd"][2]),
        ["WC-1", "'" + HYPERLINK],
        ["WC-2", w["pipe"]],
    ]


# --- json ---------------------------------------------------------------------------------


def content(doc: Document) -> dict[str, Any]:
    """The document as plain data: what its JSON should read back as — but a table's sheet
    name, which is the workbook's alone."""
    plain: dict[str, Any] = json.loads(json.dumps(dataclasses.asdict(doc)))
    for section in plain["sections"]:
        for table in section["tables"]:
            del table["sheet"]
    return plain


@pytest.mark.parametrize("lang", LANGS)
def test_json_reads_back_as_the_document(lang: str) -> None:
    doc = bulletin(lang)
    data = json.loads(write(doc, "json"))
    assert data == content(doc)
    assert list(data) == ["title", "subtitle", "issuer", "lang", "sections"]
    table = data["sections"][0]["tables"][0]
    assert list(table) == ["name", "title", "note", "columns", "rows"]
    assert table["columns"][2] == {"title": WORDS[lang]["headline"][2][2], "kind": "share"}
    assert table["rows"][1][2] is None
    if lang == "zh":
        assert "望潮街道".encode() in write(doc, "json")  # Chinese as itself, not \\u escapes


# --- every format -------------------------------------------------------------------------


def test_control_characters_never_reach_a_file() -> None:
    table = Table("t\x1b", "表\x07", (Column("列\x9b"),), (("红\x1b[31m字\u202e",),), "注\x00")
    section = Section("节\x7f", ("段\x1b",), (table,))
    doc = Document("标题\x1b]0;x\x07", "副\r标题", "发\x08文", "zh", (section,))
    for fmt in FORMATS:
        data = write(doc, fmt)
        texts = [data.decode("utf-8-sig")] if fmt in ("md", "csv", "json") else []
        if fmt == "docx":
            docx = read_docx(io.BytesIO(data))
            texts = [p.text for p in docx.paragraphs] + [c.text for c in docx.tables[0]._cells]
        if fmt == "xlsx":
            book = load_workbook(io.BytesIO(data))
            texts = [str(c.value) for s in book for row in s.iter_rows() for c in row]
        joined = "".join(texts)
        assert "红[31m字" in joined, fmt
        assert fmt == "csv" or "标题]0;x" in joined, fmt  # csv holds the tables alone
        for bad in ("\x1b", "\x07", "\x9b", "\x00", "\x08", "\x7f", "\u202e"):
            assert bad not in joined, (fmt, bad)
        if fmt == "json":
            assert "\\u001b" not in joined


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_format_is_refused_in_words(lang: str) -> None:
    with pytest.raises(Invalid) as refused:
        write(bulletin(lang), "pdf")
    message = say(refused.value, lang)
    assert "pdf" in message and "md, docx, xlsx, csv, json" in message
