"""A bulletin as a street office prints and forwards it: A4, the title centred in large bold
type, the period and scope under it, numbered sections, ruled tables whose header row repeats
on every page, and the issuer's line at the foot, right-aligned.

Chinese type needs its own font slot: Word takes a CJK character's font from rFonts'
w:eastAsia, which python-docx's `font.name` does not set, so every style here sets it (宋体 for
the text, 黑体 for headings) beside the Latin fonts, and drops the theme fonts that would
otherwise win."""

from __future__ import annotations

import io
from copy import deepcopy

from docx import Document as new_docx
from docx.document import Document as Docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import Table as DocxTable
from lxml.etree import SubElement

from console.reports.cells import clean, heading, line, shown
from console.reports.document import Document, Kind, Table
from console.reports.zipped import FIXED, steady

SONG = ("Times New Roman", "宋体")  # (Latin, East Asian): the text
HEI = ("Arial", "黑体")  # headings

TITLE_SIZE = Pt(22)  # 二号
SUBTITLE_SIZE = Pt(14)  # 四号
HEADING_SIZE = Pt(16)  # 三号
BODY_SIZE = Pt(12)  # 小四
TABLE_SIZE = Pt(10.5)  # 五号
NOTE_SIZE = Pt(9)  # 小五
INDENT_ZH = BODY_SIZE * 2  # a Chinese paragraph opens two characters in (首行缩进两字)

A4 = (Mm(210), Mm(297))
# Top, bottom, left, right: near GB/T 9704's for official documents, a little narrower at the
# sides so that a ranking of eight columns fits the width.
MARGINS = (Mm(30), Mm(28), Mm(25), Mm(25))

_THEMES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _set_fonts(style: BaseStyle, fonts: tuple[str, str]) -> None:
    latin, east = fonts
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for theme in _THEMES:
        rfonts.attrib.pop(qn(theme), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east)


def _styles(docx: Docx, lang: str) -> None:
    normal = docx.styles["Normal"]
    _set_fonts(normal, SONG)
    normal.font.size = BODY_SIZE
    # Spelling and line breaking by the document's language; Chinese text as Chinese either way.
    for tag in docx.styles.element.iter(qn("w:lang")):
        tag.set(qn("w:val"), "zh-CN" if lang == "zh" else "en-US")
        tag.set(qn("w:eastAsia"), "zh-CN")
    head = docx.styles["Heading 1"]
    _set_fonts(head, HEI)
    head.font.size = HEADING_SIZE
    head.font.bold = False  # 黑体 is heavy already; bold smears it on a photocopy
    head.font.color.rgb = RGBColor(0, 0, 0)
    head.paragraph_format.space_before = Pt(12)
    head.paragraph_format.space_after = Pt(6)
    _set_fonts(docx.styles["Table Grid"], SONG)


def _page(docx: Docx) -> None:
    page = docx.sections[0]
    page.page_width, page.page_height = A4
    page.top_margin, page.bottom_margin, page.left_margin, page.right_margin = MARGINS


def _repeat_header(table: DocxTable) -> None:
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(mark)


def _table(docx: Docx, table: Table) -> None:
    caption = docx.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.keep_with_next = True
    caption.add_run(line(table.title)).bold = True
    grid = docx.add_table(rows=1, cols=len(table.columns))
    grid.style = docx.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(grid)
    for cell, column in zip(grid.rows[0].cells, table.columns, strict=True):
        text = cell.paragraphs[0]
        text.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = text.add_run(line(column.title))
        run.bold = True
        run.font.size = TABLE_SIZE
    _rows(grid, table)
    if table.note:
        note = docx.add_paragraph().add_run(line(table.note))
        note.italic = True
        note.font.size = NOTE_SIZE


def _rows(grid: DocxTable, table: Table) -> None:
    """The table's rows as python-docx itself would write them (each cell the header cell's
    width, numbers right-aligned, the table's type size), made with lxml directly: through
    python-docx's objects, a month's assessment of a district's grid workers (thousands of
    cells) took seconds."""
    widths = [cell._tc.tcPr for cell in grid.rows[0].cells]
    size = str(int(TABLE_SIZE.pt * 2))  # half-points
    tbl = grid._tbl
    for row in table.rows:
        tr = SubElement(tbl, qn("w:tr"))
        for width, column, value in zip(widths, table.columns, row, strict=True):
            tc = SubElement(tr, qn("w:tc"))
            if width is not None:
                tc.append(deepcopy(width))
            p = SubElement(tc, qn("w:p"))
            if column.kind is not Kind.TEXT:
                SubElement(SubElement(p, qn("w:pPr")), qn("w:jc")).set(qn("w:val"), "right")
            r = SubElement(p, qn("w:r"))
            SubElement(SubElement(r, qn("w:rPr")), qn("w:sz")).set(qn("w:val"), size)
            text = shown(value, column.kind)
            t = SubElement(r, qn("w:t"))
            t.text = text
            if text != text.strip():
                t.set(qn("xml:space"), "preserve")


def docx_bytes(doc: Document) -> bytes:
    docx = new_docx()
    _styles(docx, doc.lang)
    _page(docx)
    props = docx.core_properties
    props.title = line(doc.title)
    props.author = props.last_modified_by = props.comments = ""
    props.language = "zh-CN" if doc.lang == "zh" else "en-US"
    props.created = props.modified = FIXED

    title = docx.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(line(doc.title))
    run.bold = True
    run.font.size = TITLE_SIZE
    if doc.subtitle:
        subtitle = docx.add_paragraph()
        subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
        subtitle.add_run(line(doc.subtitle)).font.size = SUBTITLE_SIZE
    for n, section in enumerate(doc.sections, 1):
        docx.add_paragraph(heading(n, section.title, doc.lang), style="Heading 1")
        for paragraph in section.paragraphs:
            text = docx.add_paragraph(clean(paragraph))
            if doc.lang == "zh":
                text.paragraph_format.first_line_indent = INDENT_ZH
        for table in section.tables:
            _table(docx, table)
    if doc.issuer:
        issuer = docx.add_paragraph(line(doc.issuer))
        issuer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        issuer.paragraph_format.space_before = Pt(24)
    out = io.BytesIO()
    docx.save(out)
    return steady(out.getvalue())
