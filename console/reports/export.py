"""`gridcall export cases`: the cases a queue's filter selects, as csv, xlsx, json or jsonl,
written row by row as the store gives them, so that a million of them pass in flat memory.

Every writer takes the same rows (`values`): codes, UTC times and text as the store holds
them, with the names of places, units and categories resolved from the in-memory reference.
A spreadsheet's cells (csv, xlsx) are labels in the reader's language, local times, and text
made inert: no control character, nothing a spreadsheet would run as a formula. JSON is for
scripts: codes, ISO times with the centre's offset, the text itself (JSON escapes it).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, tzinfo
from typing import IO, Any, TypeVar

from console.db import Store
from console.domain.enums import OPEN_STATUSES
from console.domain.policy import Actor
from console.domain.sla import SlaClock
from console.i18n import label, t, when
from console.queries import export as export_query
from console.queries.cases import QueueFilter
from console.queries.reference import Reference, name_in, reference
from console.reports import sheet_stream
from console.reports.cells import clean, formula_like

# What a column's cell shows: text in a csv, a fragment of the sheet's XML in a workbook.
C = TypeVar("C")

FORMATS = ("csv", "xlsx", "json", "jsonl")
FIELDS = (
    "code",
    "reported_at",
    "source",
    "category",
    "urgency",
    "status",
    "level",
    "street",
    "community",
    "grid",
    "address",
    "title",
    "description",
    "lead_unit",
    "deadline_at",
    "light",
    "due_at",
    "closed_at",
    "result",
    "rating",
)
# The fields that hold a code, by the kind of its label (console.i18n.label).
CODED = {f: f for f in ("source", "urgency", "status", "level", "light", "rating")}
TIMES = frozenset({"reported_at", "deadline_at", "due_at", "closed_at"})
# The names of the reference's places, units and categories: few, each on many rows.
NAMES = frozenset({"category", "street", "community", "grid", "lead_unit"})

Value = str | datetime | None
Row = tuple[Value, ...]
Told = Callable[[int], None]  # told how many rows more have been written

TOLD_EVERY = export_query.CHUNK
XLSX_DATE = "yyyy-mm-dd hh:mm:ss"
XLSX_ROWS = 1_048_576  # a worksheet's last row: more cases go on to the next sheet
_WIDTHS = {"code": 16, "address": 30, "title": 30, "description": 50, "result": 30}
_OPEN = frozenset(s.value for s in OPEN_STATUSES)


def values(
    store: Store, actor: Actor, f: QueueFilter, *, now: datetime, lang: str, clock: SlaClock
) -> Iterator[Row]:
    """The export's rows, one per case, in `FIELDS` order."""
    ref = reference(store)
    places = {a.id: name_in(a, lang) for a in ref.areas.values()}
    units = {u.id: name_in(u, lang) for u in ref.units.values()}
    paths: dict[int, str] = {}
    light = clock.light
    for (
        code,
        reported_at,
        source,
        category_id,
        urgency,
        status,
        level,
        street_id,
        community_id,
        grid_id,
        address,
        title,
        description,
        lead_unit_id,
        deadline_at,
        warn_at,
        due_at,
        closed_at,
        result,
        rating,
    ) in export_query.cases(store, actor, f, now=now):
        path = paths.get(category_id)
        if path is None:
            path = paths[category_id] = _category_path(ref, category_id, lang)
        yield (
            code,
            reported_at,
            source,
            path,
            urgency,
            status,
            level,
            places[street_id],
            places[community_id],
            places[grid_id],
            address,
            title,
            description,
            units[lead_unit_id] if lead_unit_id else None,
            deadline_at,
            light(now, warn_at, deadline_at).value
            if status in _OPEN and deadline_at is not None
            else None,
            due_at,
            closed_at,
            result,
            rating,
        )


def _category_path(ref: Reference, category_id: int, lang: str) -> str:
    """Module down to subcategory: "市容环境 / 街面秩序 / 占道经营"."""
    names: list[str] = []
    current: int | None = category_id
    while current is not None:
        info = ref.categories[current]
        names.append(name_in(info, lang))
        current = info.parent_id
    return " / ".join(reversed(names))


def headers(lang: str) -> list[str]:
    return [t(f"export.col.{name}", lang) for name in FIELDS]


def write(
    fmt: str, rows: Iterable[Row], out: IO[bytes], lang: str, tz: tzinfo, told: Told | None
) -> int:
    """`rows` written to `out` in `fmt`; how many there were."""
    writer = {"csv": _csv, "xlsx": _xlsx, "json": _json, "jsonl": _jsonl}[fmt]
    return writer(_telling(rows, told), out, lang, tz)


def _telling(rows: Iterable[Row], told: Told | None) -> Iterator[Row]:
    if told is None:
        yield from rows
        return
    n = 0
    for row in rows:
        yield row
        n += 1
        if n == TOLD_EVERY:
            told(n)
            n = 0
    told(n)


def inert(text: str) -> str:
    """Text as a spreadsheet cell shows it and never runs it: no control characters (line
    breaks and tabs kept), and a leading apostrophe where it would start a formula."""
    text = clean(text)
    return "'" + text if formula_like(text) else text


def _shown(lang: str, tz: tzinfo) -> Callable[[Row], list[str]]:
    """A row as a spreadsheet's text cells, in `lang` and the zone `tz`. A label or a name
    recurs on many rows: each is worked out once."""

    def once(make: Callable[[str], str]) -> Callable[[Any], str]:
        known: dict[str, str] = {}

        def show(v: Any) -> str:
            if not v:
                return ""
            shown = known.get(v)
            if shown is None:
                shown = known[v] = make(v)
            return shown

        return show

    def time(v: Any) -> str:
        return when(v, tz, seconds=True) if v else ""

    def text(v: Any) -> str:
        return inert(v) if v else ""

    def coded(kind: str) -> Callable[[Any], str]:
        return once(lambda v: label(kind, v, lang))

    shown = _by_column(coded, time, lambda: once(inert), text)
    return lambda row: [show(v) for show, v in zip(shown, row, strict=True)]


def _csv(rows: Iterable[Row], out: IO[bytes], lang: str, tz: tzinfo) -> int:
    # The BOM tells a spreadsheet the file is UTF-8 (Excel reads Chinese as mojibake without).
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(headers(lang))
    shown = _shown(lang, tz)
    n = 0
    for row in rows:
        writer.writerow(shown(row))
        n += 1
    text.flush()
    text.detach()
    return n


def _xlsx(rows: Iterable[Row], out: IO[bytes], lang: str, tz: tzinfo) -> int:
    """A workbook streamed as its XML (sheet_stream): each row goes into the sheet's entry of
    the zip as it comes, never kept. Times are date cells; everything else is text."""
    widths = [20 if name in TIMES else _WIDTHS.get(name, 14) for name in FIELDS]
    n = 0
    with sheet_stream.StreamedBook(out, headers(lang), widths, XLSX_DATE) as book:
        cell = _xlsx_cells(lang, tz)
        sheets = 1
        book.sheet(_sheet_title(lang, sheets))
        filled = 1
        for row in rows:
            if filled == XLSX_ROWS:
                sheets += 1
                book.sheet(_sheet_title(lang, sheets))
                filled = 1
            book.row([show(v) for show, v in zip(cell, row, strict=True)])
            filled += 1
            n += 1
    return n


def _xlsx_cells(lang: str, tz: tzinfo) -> list[Callable[[Any], str | None]]:
    """Each column's cell maker. A label or a name recurs on many rows: its cell is made once."""

    def once(make: Callable[[Any], str]) -> Callable[[Any], str | None]:
        known: dict[Any, str] = {}

        def cell(v: Any) -> str | None:
            if v is None:
                return None
            made = known.get(v)
            if made is None:
                made = known[v] = make(v)
            return made

        return cell

    local = sheet_stream.moments(tz)

    def moment(v: Any) -> str | None:
        return None if v is None else local(v)

    def text(v: Any) -> str | None:
        return None if v is None else _xlsx_text(v)

    def coded(kind: str) -> Callable[[Any], str | None]:
        return once(lambda v: sheet_stream.text(label(kind, str(v), lang)))

    return _by_column(coded, moment, lambda: once(_xlsx_text), text)


def _by_column(
    coded: Callable[[str], Callable[[Any], C]],
    time: Callable[[Any], C],
    named: Callable[[], Callable[[Any], C]],
    text: Callable[[Any], C],
) -> list[Callable[[Any], C]]:
    """Each field's maker of what it shows: its labels' (by the label kind it is coded in), the
    times', a name's (a maker of its own per column, for each remembers what it made) or
    plain text's."""
    return [
        coded(CODED[n]) if n in CODED else time if n in TIMES else named() if n in NAMES else text
        for n in FIELDS
    ]


def _xlsx_text(text: str) -> str:
    """A text cell that stays text: as the bulletins' cells, one that a spreadsheet would take
    for a formula is marked as text (Excel's typed apostrophe)."""
    text = clean(text)
    return sheet_stream.text(text, quoted=formula_like(text))


def _sheet_title(lang: str, number: int) -> str:
    return t("export.sheet", lang) + (f" ({number})" if number > 1 else "")


def _json_value(v: Value, tz: tzinfo) -> Value:
    if isinstance(v, datetime):
        return v.astimezone(tz).isoformat()
    return v


def _objects(rows: Iterable[Row], tz: tzinfo) -> Iterator[str]:
    for row in rows:
        data = {name: _json_value(v, tz) for name, v in zip(FIELDS, row, strict=True)}
        yield json.dumps(data, ensure_ascii=False)


def _json(rows: Iterable[Row], out: IO[bytes], lang: str, tz: tzinfo) -> int:
    """One array, written an object at a time: valid JSON once the last is written."""
    n = 0
    out.write(b"[")
    for text in _objects(rows, tz):
        out.write((",\n" if n else "\n").encode() + text.encode())
        n += 1
    out.write(b"\n]\n" if n else b"]\n")
    return n


def _jsonl(rows: Iterable[Row], out: IO[bytes], lang: str, tz: tzinfo) -> int:
    n = 0
    for text in _objects(rows, tz):
        out.write(text.encode() + b"\n")
        n += 1
    return n
