"""The text formats of a bulletin: Markdown for a chat group, CSV for a spreadsheet, JSON for a
script.

CSV is one UTF-8 file with a byte-order mark (so that Excel on a Chinese Windows reads the
Chinese as such), every table in turn: a line with the table's title, its header row, its
rows, and a blank line before the next table. Numbers are written as numbers, unformatted;
a share is written as a fraction rounded to 4 decimals (按期结案率 0.9231, not "92.3%"), so
that it can be summed and charted; a missing value (a share whose denominator is 0) is an
empty field. A text field that a spreadsheet would read as a formula (one starting with = + -
or @) is written with a leading apostrophe, as Excel itself marks text.

JSON is the document itself: numbers as numbers (shares as the fractions they are), null for
nothing, keys in the document's own order."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from console.reports.cells import clean, formula_like, heading, is_number, line, shown
from console.reports.document import Cell, Document, Kind, Table

SHARE_DECIMALS = 4


def _md_cell(text: str) -> str:
    return line(text).replace("\\", "\\\\").replace("|", "\\|")


def _md_table(table: Table) -> list[str]:
    out = [f"**{_md_cell(table.title)}**", ""]
    out.append("| " + " | ".join(_md_cell(c.title) for c in table.columns) + " |")
    out.append(
        "| " + " | ".join("---" if c.kind is Kind.TEXT else "---:" for c in table.columns) + " |"
    )
    for row in table.rows:
        cells = (_md_cell(shown(v, c.kind)) for c, v in zip(table.columns, row, strict=True))
        out.append("| " + " | ".join(cells) + " |")
    if table.note:
        out += ["", "*" + line(table.note).replace("*", "\\*") + "*"]
    return out


def markdown(doc: Document) -> bytes:
    out = [f"# {line(doc.title)}"]
    for text in (doc.subtitle, doc.issuer):
        if text:
            out += ["", line(text)]
    for n, section in enumerate(doc.sections, 1):
        out += ["", f"## {heading(n, section.title, doc.lang)}"]
        for paragraph in section.paragraphs:
            out += ["", clean(paragraph)]
        for table in section.tables:
            out += ["", *_md_table(table)]
    return ("\n".join(out) + "\n").encode()


def _csv_text(text: str) -> str:
    text = line(text)
    return "'" + text if formula_like(text) else text


def _csv_value(value: Cell, kind: Kind) -> str | int | float:
    if value is None:
        return ""
    if is_number(value):
        return round(value, SHARE_DECIMALS) if kind is Kind.SHARE else value
    return _csv_text(str(value))


def comma_separated(doc: Document) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for n, table in enumerate(doc.tables()):
        if n:
            writer.writerow([])
        writer.writerow([_csv_text(table.title)])
        writer.writerow([_csv_text(c.title) for c in table.columns])
        for row in table.rows:
            writer.writerow(
                [_csv_value(v, c.kind) for c, v in zip(table.columns, row, strict=True)]
            )
    return out.getvalue().encode("utf-8-sig")


def _json_cell(value: Cell) -> Cell:
    return clean(value) if isinstance(value, str) else value


def _json_table(table: Table) -> dict[str, Any]:
    return {
        "name": clean(table.name),
        "title": clean(table.title),
        "note": clean(table.note),
        "columns": [{"title": clean(c.title), "kind": c.kind.value} for c in table.columns],
        "rows": [[_json_cell(v) for v in row] for row in table.rows],
    }


def as_json(doc: Document) -> bytes:
    data = {
        "title": clean(doc.title),
        "subtitle": clean(doc.subtitle),
        "issuer": clean(doc.issuer),
        "lang": doc.lang,
        "sections": [
            {
                "title": clean(s.title),
                "paragraphs": [clean(p) for p in s.paragraphs],
                "tables": [_json_table(table) for table in s.tables],
            }
            for s in doc.sections
        ],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()
