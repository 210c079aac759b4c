"""A hotline's work orders (12345 / 8890 工单) as the centre reads them: which column holds
which field (a mapping), and one row read into a work order or refused with its reason.

The default mapping names the columns a 12345 platform exports, in Chinese, each with English
alternatives; a mapping file (TOML) names other layouts:

    [columns]
    order_no = "工单号"
    received_at = "来电时间"
    content = "反映内容"
    [times]
    format = "%Y年%m月%d日 %H:%M"
    [triage]
    category = "070301"
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping as Map
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from console.domain.enums import Urgency
from console.domain.errors import Invalid
from console.domain.limits import CONTROLS, IMPORT_CELL_MAX

# Field: (the default header, the other headers it is known by). Replies use the first.
FIELDS: dict[str, tuple[str, ...]] = {
    "order_no": ("工单编号", "工单号", "order_no", "order number"),
    "received_at": ("受理时间", "来电时间", "received_at", "received at"),
    "caller_name": ("来电人", "来电人姓名", "caller_name", "caller"),
    "caller_phone": ("联系电话", "来电号码", "caller_phone", "phone"),
    "address": ("事发地址", "地址", "address"),
    "content": ("诉求内容", "反映内容", "content"),
    "category": ("诉求分类", "分类", "category"),
    "urgency": ("紧急程度", "urgency"),
    "deadline": ("办理时限", "deadline"),
}
REQUIRED = ("order_no", "received_at", "address", "content")
# The replies' columns (`gridcall export replies`), with their default headers.
REPLY_FIELDS: dict[str, str] = {
    "order_no": "工单编号",
    "result": "办理结果",
    "closed_at": "办结时间",
    "unit": "承办单位",
    "rating": "满意度",
}
# Where a work order whose category nothing names waits for an operator: residents' enquiries,
# a community's, at the normal clock — not the first subcategory (an urgent missing manhole
# cover, nine minutes to accept).
UNSORTED = "070301"
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")
URGENT_WORDS = frozenset({"紧急", "特急", "加急", "urgent", "high"})
# A terminal's escape sequences (CSI, OSC, …) and any other control but tab and newline: a
# hotline's export is no place for them, and the console would refuse them as typed text.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.?")
_CONTROLS = re.compile(f"[{CONTROLS}]")


@dataclass(frozen=True)
class Mapping:
    """Which header holds each field (the default's alternatives too), the times' format
    (None: the usual ones and ISO 8601), and the subcategory an order no category fits waits
    under, to triage."""

    columns: Map[str, tuple[str, ...]] = field(default_factory=lambda: dict(FIELDS))
    time_format: str | None = None
    replies: Map[str, str] = field(default_factory=lambda: dict(REPLY_FIELDS))
    unsorted: str = UNSORTED


def load_mapping(text: str) -> Mapping:
    """A mapping file's text; Invalid (one line) for one that is not TOML or names an unknown
    field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise Invalid("error.hotline_mapping", detail=str(exc)) from exc
    columns = dict(FIELDS)
    for name, header in dict(data.get("columns", {})).items():
        if name not in FIELDS or not isinstance(header, str):
            raise Invalid("error.hotline_mapping", detail=f"columns.{name}")
        columns[name] = (header,)
    replies = dict(REPLY_FIELDS)
    for name, header in dict(data.get("replies", {})).items():
        if name not in REPLY_FIELDS or not isinstance(header, str):
            raise Invalid("error.hotline_mapping", detail=f"replies.{name}")
        replies[name] = header
    time_format = dict(data.get("times", {})).get("format")
    if time_format is not None and not isinstance(time_format, str):
        raise Invalid("error.hotline_mapping", detail="times.format")
    unsorted = dict(data.get("triage", {})).get("category", UNSORTED)
    if not isinstance(unsorted, str):
        raise Invalid("error.hotline_mapping", detail="triage.category")
    return Mapping(columns, time_format, replies, unsorted)


def columns_of(mapping: Mapping, headers: list[str]) -> dict[str, int]:
    """Each field's column in a file with these headers; Invalid naming a required field the
    file has no column for."""
    at = {h.strip().lstrip("\ufeff").casefold(): i for i, h in enumerate(headers)}
    found: dict[str, int] = {}
    for name, names in mapping.columns.items():
        for header in names:
            if header.casefold() in at:
                found[name] = at[header.casefold()]
                break
    missing = [mapping.columns[name][0] for name in REQUIRED if name not in found]
    if missing:
        raise Invalid("error.hotline_columns", columns="、".join(missing))
    return found


@dataclass(frozen=True)
class WorkOrder:
    order_no: str
    received_at: datetime
    address: str
    content: str
    category: str
    caller_name: str | None
    caller_phone: str | None
    urgency: Urgency | None
    deadline: datetime | None


def clean(value: str) -> str:
    """A cell as text a case may hold: escape sequences and other controls dropped."""
    return _CONTROLS.sub("", _ESCAPES.sub("", value)).strip()


def read_order(
    cells: list[Any], columns: dict[str, int], mapping: Mapping, tz: tzinfo
) -> WorkOrder:
    """One row as a work order, or Invalid with the reason it cannot be read."""
    for cell in cells:
        if isinstance(cell, str) and len(cell) > IMPORT_CELL_MAX:
            raise Invalid("error.hotline_cell_too_big", max=IMPORT_CELL_MAX)

    def get(name: str) -> Any:
        at = columns.get(name)
        value = cells[at] if at is not None and at < len(cells) else None
        return clean(value) if isinstance(value, str) else value

    def text(name: str) -> str:
        value = get(name)
        return "" if value is None else str(value).strip()

    for name in REQUIRED:
        if not text(name):
            raise Invalid("error.hotline_missing", field=mapping.columns[name][0])
    deadline = get("deadline")
    due = _time(deadline, mapping, tz, "deadline") if deadline not in (None, "") else None
    received = _time(get("received_at"), mapping, tz, "received_at")
    if due is not None and due < received:
        raise Invalid(
            "error.hotline_due_before_received",
            field=mapping.columns["deadline"][0],
            received=mapping.columns["received_at"][0],
        )
    urgency = text("urgency").casefold()
    return WorkOrder(
        order_no=text("order_no"),
        received_at=received,
        address=text("address"),
        content=text("content"),
        category=text("category"),
        caller_name=text("caller_name") or None,
        caller_phone=text("caller_phone") or None,
        urgency=Urgency.URGENT if urgency in URGENT_WORDS else None,
        deadline=due,
    )


def _time(value: Any, mapping: Mapping, tz: tzinfo, name: str) -> datetime:
    if isinstance(value, datetime):  # a spreadsheet's own date cell
        parsed = value
    else:
        shown = str(value).strip()
        formats = (mapping.time_format,) if mapping.time_format else TIME_FORMATS
        for form in formats:
            try:
                parsed = datetime.strptime(shown, form)
                break
            except ValueError:
                continue
        else:
            try:
                parsed = datetime.fromisoformat(shown)
            except ValueError as exc:
                raise Invalid(
                    "error.hotline_bad_time", field=mapping.columns[name][0], value=shown[:40]
                ) from exc
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=tz)


def title_of(content: str, most: int) -> str:
    """A case's title from the content: its first line, cut to `most` characters."""
    first = content.strip().splitlines()[0] if content.strip() else ""
    return first if len(first) <= most else first[: most - 1] + "…"
