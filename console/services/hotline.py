"""Importing a hotline's work orders (12345 工单) as cases, a batch per transaction.

Each row is read (domain.hotline), matched to a subcategory and a grid (queries.lookup: its
rank is the confidence; an unsure match is created but flagged to triage), and registered by
services.cases.create_cases, the batch twin of create_case. A row that cannot be read is
handed to `reject` with its reason; an order number already in the store is counted, not
added again. Stopped halfway, the store holds whole batches: a second run adds the rest.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from console.db import Store
from console.domain.enums import Source
from console.domain.errors import GridcallError, Invalid
from console.domain.hotline import Mapping, WorkOrder, columns_of, read_order, title_of
from console.domain.intake import NewCase, check_new_case
from console.domain.policy import Actor
from console.domain.sla import SlaClock
from console.domain.workflow import report_refusal
from console.queries.lookup import CategoryFinder, GridFinder
from console.queries.reference import Reference, reference
from console.services.cases import create_cases
from console.services.verify import Tally

BATCH = 1_000
FORMATS = ("csv", "xlsx", "json")
TITLE_LENGTH = 40
# Larger than any cell a row may hold (domain.limits.IMPORT_CELL_MAX): a 1 MB cell is read,
# then refused for its row, instead of stopping the whole file.
csv.field_size_limit(16 * 1024 * 1024)

Reject = Callable[[int, list[Any], GridcallError], None]


@dataclass
class Summary:
    added: int = 0
    to_triage: int = 0
    rejected: int = 0
    already: int = 0


@dataclass(frozen=True)
class Sheet:
    """A file's headers, how many rows it has, and its rows (numbered as a spreadsheet shows
    them: the header is row 1)."""

    headers: list[str]
    total: int
    rows: Callable[[], Iterator[tuple[int, list[Any]]]]


def format_of(path: Path, chosen: str | None) -> str:
    kind = chosen or path.suffix.lstrip(".").lower()
    if kind not in FORMATS:
        raise Invalid("error.hotline_format", path=str(path))
    return kind


def open_sheet(path: Path, kind: str, encoding: str | None = None) -> Sheet:
    """The file as a sheet; Invalid (one line) for one that cannot be read at all."""
    try:
        if kind == "csv":
            return _csv(path, encoding)
        if kind == "json":
            return _json(path, encoding)
        return _xlsx(path)
    except UnicodeDecodeError as exc:
        raise Invalid(
            "error.hotline_encoding",
            path=str(path),
            line=_undecodable_line(path, exc.encoding),
            encoding=exc.encoding,
        ) from exc
    except (OSError, ValueError, KeyError) as exc:
        raise Invalid("error.hotline_unreadable", path=str(path), detail=str(exc)[:200]) from exc


def _encoding_of(path: Path, chosen: str | None) -> str:
    """UTF-8 (with its BOM dropped) unless the file is not UTF-8: then GBK (GB18030), which
    hotline platforms export."""
    if chosen:
        try:
            codecs.lookup(chosen)
        except LookupError:
            raise Invalid("error.hotline_unknown_encoding", encoding=chosen) from None
        return chosen
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    with path.open("rb") as f:
        try:
            while chunk := f.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8-sig"


def _undecodable_line(path: Path, encoding: str) -> int:
    """The first line of the file the encoding cannot read (a file that mixes UTF-8 into GBK
    fails somewhere in its middle, and the codec's byte offset tells an operator nothing)."""
    with path.open("rb") as f:
        for number, line in enumerate(f, start=1):
            try:
                line.decode(encoding)
            except UnicodeDecodeError:
                return number
    return 1


def _csv(path: Path, encoding: str | None) -> Sheet:
    chosen = _encoding_of(path, encoding)
    with path.open(encoding=chosen, newline="") as f:
        reader = csv.reader(f)
        headers = next(reader, [])
        total = sum(1 for _ in reader)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        with path.open(encoding=chosen, newline="") as f:
            reader = csv.reader(f)
            next(reader, None)
            for number, row in enumerate(reader, start=2):
                if any(cell.strip() for cell in row):
                    yield number, list(row)

    return Sheet(headers, total, rows)


def _json(path: Path, encoding: str | None) -> Sheet:
    data = json.loads(path.read_text(encoding=_encoding_of(path, encoding)))
    if isinstance(data, dict):
        data = next((v for v in data.values() if isinstance(v, list)), [])
    records = [r for r in data if isinstance(r, dict)] if isinstance(data, list) else []
    headers = list(dict.fromkeys(k for r in records for k in r))

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, record in enumerate(records, start=2):
            yield number, [_plain(record.get(h)) for h in headers]

    return Sheet(headers, len(records), rows)


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, str) else str(value)


def _xlsx(path: Path) -> Sheet:
    from openpyxl import load_workbook

    def sheet_rows() -> Iterator[list[Any]]:
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            for row in book.worksheets[0].iter_rows(values_only=True):
                yield [_cell(v) for v in row]
        finally:
            book.close()

    first = next(sheet_rows(), [])
    headers = [str(h or "") for h in first]
    book = load_workbook(path, read_only=True)
    total = max(book.worksheets[0].max_row or 1, 1) - 1
    book.close()

    def rows() -> Iterator[tuple[int, list[Any]]]:
        found = sheet_rows()
        next(found, None)
        for number, row in enumerate(found, start=2):
            if any(cell not in (None, "") for cell in row):
                yield number, row

    return Sheet(headers, total, rows)


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, (str, datetime)):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def import_orders(
    store: Store,
    clock: SlaClock,
    login: str,
    sheet: Sheet,
    mapping: Mapping,
    tz: tzinfo,
    reject: Reject,
    *,
    dry_run: bool = False,
    tally: Tally | None = None,
    batch: int = BATCH,
) -> Summary:
    """Import the sheet's work orders as cases acting as `login`, one transaction per batch."""
    columns = columns_of(mapping, sheet.headers)
    ref = reference(store)
    grids = GridFinder(ref)
    kinds = CategoryFinder(ref)
    actor = ref.actor(login)
    unsorted = ref.category_by_code.get(mapping.unsorted)
    if unsorted is None or not unsorted.is_leaf:
        raise Invalid("error.hotline_unsorted", code=mapping.unsorted)
    summary = Summary()
    seen: set[str] = set()
    pending: list[NewCase] = []
    if tally is not None:
        tally.stage("import", sheet.total)

    def flush() -> None:
        if not pending:
            return
        codes, already = create_cases(store, clock, login, pending, dry_run=dry_run)
        summary.added += len(codes)
        summary.already += len(already)
        there = set(already)
        summary.to_triage += sum(
            1 for new in pending if new.to_triage and new.order_no not in there
        )
        if tally is not None:
            tally.advance(len(pending))
        pending.clear()

    for number, cells in sheet.rows():
        try:
            order = read_order(cells, columns, mapping, tz)
            if order.order_no in seen:
                raise Invalid("error.hotline_duplicate", order_no=order.order_no)
            new = _new_case(order, ref, grids, kinds, actor, mapping.unsorted)
        except GridcallError as exc:
            summary.rejected += 1
            reject(number, cells, exc)
            if tally is not None:
                tally.advance(1)
            continue
        seen.add(order.order_no)
        pending.append(new)
        if len(pending) >= batch:
            flush()
    flush()
    return summary


def _new_case(
    order: WorkOrder,
    ref: Reference,
    grids: GridFinder,
    kinds: CategoryFinder,
    actor: Actor,
    unsorted: str,
) -> NewCase:
    grid = grids.find(order.address)
    if grid is None:
        raise Invalid("error.hotline_no_place", address=order.address[:60])
    place = ref.grid(grid.code)
    assert place.street_id is not None and place.community_id is not None
    refused = report_refusal(
        actor,
        street=ref.areas[place.street_id].code,
        community=ref.areas[place.community_id].code,
        grid=grid.code,
    )
    if refused is not None:  # out of this account's reach: that row alone
        raise refused
    category = kinds.find(order.category, order.content)
    sure = grid.sure and category is not None and category.sure
    new = NewCase(
        title=title_of(order.content, TITLE_LENGTH),
        category=category.code if category is not None else unsorted,
        grid=grid.code,
        address=order.address,
        source=Source.HOTLINE,
        description=order.content,
        urgency=order.urgency,
        reporter_name=order.caller_name,
        reporter_phone=order.caller_phone,
        order_no=order.order_no,
        to_triage=not sure,
        due_at=order.deadline,
    )
    return check_new_case(new)  # a field too long or a bad phone refuses its row alone
