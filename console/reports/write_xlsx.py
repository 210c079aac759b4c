"""A bulletin as a workbook: a first sheet with what the bulletin says (title, period, issuer,
each section's paragraphs), then one sheet per table whose cells are real numbers with
formats, so that a street office can sort, sum and chart them."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.child import INVALID_TITLE_REGEX
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from console.i18n import t
from console.present import cell_width
from console.reports.cells import clean, formula_like, heading, is_number, line, shown
from console.reports.document import Document, Kind, Table
from console.reports.zipped import FIXED, steady

SHEET_NAME_MAX = 31  # Excel's own limit
FORMATS = {
    Kind.COUNT: "#,##0",
    Kind.SHARE: "0.0%",
    Kind.MINUTES: "#,##0",
    Kind.DAYS: "0.0",
    Kind.SCORE: "0.0",
}
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=16)
NOTE_FONT = Font(italic=True, size=9)
SUMMARY_WIDTH = 100  # characters: the first sheet's one column of text, wrapped
WIDEST = 60  # a table column no wider than this however long a cell


def _sheet_name(wanted: str, fallback: str, taken: set[str]) -> str:
    """`wanted` as Excel takes a sheet's name: no []:*?/\\, no apostrophe at either end, at most
    31 characters, unlike every name `taken` (Excel compares them ignoring case); `fallback`
    when nothing of it is left."""
    base = INVALID_TITLE_REGEX.sub("", line(wanted)).strip().strip("'")[:SHEET_NAME_MAX]
    base = base or fallback
    name, n = base, 1
    while name.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
    taken.add(name.casefold())
    return name


def _put(sheet: Worksheet, row: int, column: int, text: str) -> Cell | MergedCell:
    """A text cell that stays text: openpyxl writes a string starting with "=" as a formula,
    and Excel makes one of any of = + - @ when the cell is edited; such a cell is marked as
    text, as Excel marks what is typed after an apostrophe."""
    cell = sheet.cell(row, column)
    cell.value = text
    if formula_like(text):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _summary(sheet: Worksheet, doc: Document, names: list[str]) -> None:
    """`names`: each table's sheet, in the document's order."""
    sheet_of = iter(names)
    sheet.column_dimensions["A"].width = SUMMARY_WIDTH
    _put(sheet, 1, 1, line(doc.title)).font = TITLE_FONT
    row = 1
    for text in (doc.subtitle, doc.issuer):
        if text:
            row += 1
            _put(sheet, row, 1, line(text))
    for n, section in enumerate(doc.sections, 1):
        row += 2
        _put(sheet, row, 1, heading(n, section.title, doc.lang)).font = BOLD
        for paragraph in section.paragraphs:
            row += 1
            cell = _put(sheet, row, 1, clean(paragraph))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for table in section.tables:
            row += 1
            see = t("report.see_sheet", doc.lang, title=line(table.title), sheet=next(sheet_of))
            _put(sheet, row, 1, see)


def _table(sheet: Worksheet, table: Table) -> None:
    _put(sheet, 1, 1, line(table.title)).font = BOLD
    widths = [cell_width(line(c.title)) for c in table.columns]
    for c, column in enumerate(table.columns, 1):
        cell = _put(sheet, 2, c, line(column.title))
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(table.rows, 3):
        for c, (column, value) in enumerate(zip(table.columns, row, strict=True), 1):
            widths[c - 1] = max(widths[c - 1], cell_width(shown(value, column.kind)))
            if value is None:
                continue
            if is_number(value):
                cell = sheet.cell(r, c, value)
                cell.number_format = FORMATS.get(column.kind, "General")
            else:
                _put(sheet, r, c, line(str(value)))
    sheet.freeze_panes = "A3"
    last = 2 + len(table.rows)
    if table.rows:
        sheet.auto_filter.ref = f"A2:{get_column_letter(len(table.columns))}{last}"
    if table.note:
        _put(sheet, last + 2, 1, line(table.note)).font = NOTE_FONT
    for c, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(c)].width = min(width + 2, WIDEST)


def xlsx_bytes(doc: Document) -> bytes:
    book = Workbook()
    book.properties.creator = ""
    book.properties.title = line(doc.title)
    book.properties.created = book.properties.modified = FIXED
    summary = book.active
    assert summary is not None
    summary.title = t("report.summary_sheet", doc.lang)
    taken = {summary.title.casefold(), "history"}  # Excel keeps "History" for itself
    names: list[str] = []
    for n, table in enumerate(doc.tables(), 1):
        name = _sheet_name(table.sheet or table.name, t("report.table_sheet", doc.lang, n=n), taken)
        _table(book.create_sheet(name), table)
        names.append(name)
    _summary(summary, doc, names)
    out = io.BytesIO()
    # ExcelWriter rather than Workbook.save, which stamps the file with the time of saving.
    ExcelWriter(book, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)).save()
    return steady(out.getvalue())
