"""The replies to the hotline as a file: csv, xlsx or json, under the mapping's headers.

Text stays text: a result starting with = + - @ is written so that no spreadsheet reads it
as a formula (reports.cells.formula_like).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from console.reports.cells import formula_like, line

Row = dict[str, str]


def _text(value: str) -> str:
    value = line(value)
    return "'" + value if formula_like(value) else value


def write_csv(out: IO[str], headers: list[str], rows: Iterable[Row]) -> int:
    writer = csv.writer(out)
    writer.writerow(headers)
    n = 0
    for row in rows:
        writer.writerow([_text(row[h]) for h in headers])
        n += 1
    return n


def write_json(out: IO[str], headers: list[str], rows: Iterable[Row]) -> int:
    """One JSON array, a record per reply, written as it comes."""
    out.write("[")
    n = 0
    for row in rows:
        out.write(
            ("," if n else "") + "\n" + json.dumps({h: row[h] for h in headers}, ensure_ascii=False)
        )
        n += 1
    out.write("\n]\n")
    return n


def write_xlsx(path: Path, headers: list[str], rows: Iterable[Row]) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(headers)
    n = 0
    for row in rows:
        cells = []
        for h in headers:
            cell = WriteOnlyCell(sheet, value=line(row[h]))
            cell.data_type = "s"  # never a formula, whatever it starts with
            cells.append(cell)
        sheet.append(cells)
        n += 1
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return n
