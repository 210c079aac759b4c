"""Queue views on the number keys 1–9: a user's saved ones over the built-in defaults.

A view is a QueueFilter and a Sort under a name. Defaults are not stored: a slot has a row in
`saved_views` only once its user saves over it, and deleting the row brings the default back.
Filters are stored as JSON (`filter_to_json`), readable back into the same QueueFilter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from console.db import Store
from console.domain.enums import OPEN_STATUSES, Level, Light, Source, Status, Urgency
from console.domain.errors import NotFound
from console.domain.limits import SEARCH_MAX, check_text
from console.domain.policy import desk
from console.models import SavedView
from console.queries.cases import QueueFilter, Sort
from console.queries.reference import Reference, reference

V = SavedView.__table__.c
SLOTS = range(1, 10)


@dataclass(frozen=True)
class View:
    slot: int
    name: str  # the user's name for a saved view; "" for a default, named in the UI's language
    filter: QueueFilter
    sort: Sort
    saved: bool  # False: the built-in default of this slot
    title_key: str | None = None  # a default's name when it is not its slot's usual one


# The built-in views: what a street centre's operators reach for most during a shift.
_DEFAULTS: dict[int, tuple[QueueFilter, Sort]] = {
    1: (QueueFilter(), Sort.DEADLINE),  # everything open in the user's scope
    2: (
        QueueFilter(statuses=frozenset({Status.REPORTED}), source=Source.HOTLINE),
        Sort.DEADLINE,
    ),
    3: (QueueFilter(lights=frozenset({Light.RED})), Sort.DEADLINE),
    # Yellow rather than "red in my street": scope already limits a street operator to
    # their street, so that would repeat 3; what turns red next is what to act on now.
    4: (QueueFilter(lights=frozenset({Light.YELLOW})), Sort.DEADLINE),
    5: (QueueFilter(statuses=frozenset({Status.HANDLED, Status.VERIFYING})), Sort.DEADLINE),
    6: (QueueFilter(urgency=Urgency.URGENT), Sort.DEADLINE),
    7: (QueueFilter(statuses=frozenset({Status.SUSPENDED})), Sort.UPDATED),
    8: (QueueFilter(statuses=frozenset({Status.CLOSED}), unrated=True), Sort.UPDATED),
    9: (QueueFilter(statuses=frozenset()), Sort.REPORTED),  # any case, to look one up
}


# A centre above the street's receives no 12345 orders of its own (the streets take them in):
# what reaches the district platform, or a community's workstation, is what was escalated to
# it, so its key 2 holds that.
_DESK_DEFAULTS: dict[Level, dict[int, tuple[QueueFilter, Sort, str]]] = {
    Level.DISTRICT: {
        2: (QueueFilter(level=Level.DISTRICT), Sort.DEADLINE, "view.default.escalated"),
    },
    Level.COMMUNITY: {
        2: (
            QueueFilter(level=Level.COMMUNITY),
            Sort.DEADLINE,
            "view.default.escalated_community",
        ),
    },
}


def default_view(slot: int, *, desk: Level = Level.STREET) -> View:
    """The built-in view of a slot, as the centre at `desk` has it (policy.desk)."""
    special = _DESK_DEFAULTS.get(desk, {})
    if slot in special:
        f, sort, key = special[slot]
        return View(slot, "", f, sort, saved=False, title_key=key)
    f, sort = _DEFAULTS[slot]
    return View(slot, "", f, sort, saved=False)


def filter_to_json(f: QueueFilter) -> dict[str, Any]:
    """A filter as JSON values; sets as sorted lists, so equal filters store equal text."""
    return {
        "statuses": sorted(s.value for s in f.statuses),
        "lights": sorted(light.value for light in f.lights),
        "urgency": f.urgency.value if f.urgency else None,
        "category": f.category,
        "source": f.source.value if f.source else None,
        "street": f.street,
        "community": f.community,
        "grid": f.grid,
        "unit": f.unit,
        "level": f.level.value if f.level else None,
        "text": f.text,
        "negate": f.negate,
        "unrated": f.unrated,
        "triage": f.triage,
        "late_overall": f.late_overall,
        "urged": f.urged,
        "reply_late": f.reply_late,
        "overseen": f.overseen,
        "return_requested": f.return_requested,
        # Due for review "by today": the day is the reader's, not the one it was saved on.
        "review_due": f.review_due_by is not None,
        "reported_from": _instant(f.reported_from),
        "reported_until": _instant(f.reported_until),
    }


def _instant(at: datetime | None) -> str | None:
    return at.astimezone(UTC).isoformat() if at is not None else None


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text).astimezone(UTC) if text else None


def filter_from_json(data: dict[str, Any], today: date | None = None) -> QueueFilter:
    """The filter `filter_to_json` wrote. A key missing (saved before the field existed)
    takes the field's default; a value no longer known raises ValueError. `today`: the
    centre's day, which a view of the cases due for review reads by (None: the UTC day)."""

    def enum(kind: Any, key: str) -> Any:
        value = data.get(key)
        return kind(value) if value else None

    return QueueFilter(
        statuses=frozenset(Status(s) for s in data.get("statuses", sorted(OPEN_STATUSES))),
        lights=frozenset(Light(v) for v in data.get("lights", ())),
        urgency=enum(Urgency, "urgency"),
        category=data.get("category"),
        source=enum(Source, "source"),
        street=data.get("street"),
        community=data.get("community"),
        grid=data.get("grid"),
        unit=data.get("unit"),
        level=enum(Level, "level"),
        text=data.get("text", ""),
        negate=bool(data.get("negate", False)),
        unrated=bool(data.get("unrated", False)),
        triage=bool(data.get("triage", False)),
        late_overall=bool(data.get("late_overall", False)),
        urged=bool(data.get("urged", False)),
        reply_late=bool(data.get("reply_late", False)),
        overseen=bool(data.get("overseen", False)),
        return_requested=bool(data.get("return_requested", False)),
        review_due_by=(today or datetime.now(UTC).date()) if data.get("review_due") else None,
        reported_from=_moment(data.get("reported_from")),
        reported_until=_moment(data.get("reported_until")),
    )


def check_filter(f: QueueFilter, ref: Reference) -> None:
    """Raise NotFound/Invalid if the filter names a place, unit or category the store lacks,
    e.g. a view saved before the district was loaded afresh."""
    for code in (f.street, f.community, f.grid):
        if code:
            ref.area(code)
    if f.unit:
        ref.unit(f.unit)
    if f.category and f.category not in ref.category_by_code:
        raise NotFound("error.no_category", code=f.category)
    check_text("search", f.text.strip(), SEARCH_MAX)


def saved_views(store: Store, login: str, today: date | None = None) -> list[View]:
    """The views this user saved, by slot (`today`: as `filter_from_json` reads it)."""
    user = reference(store).user(login)
    with store.read() as s:
        rows = s.execute(
            select(V.slot, V.name, V.filters, V.sort).where(V.user_id == user.id).order_by(V.slot)
        ).all()
    return [
        View(r.slot, r.name, filter_from_json(r.filters, today), Sort(r.sort), True) for r in rows
    ]


def views(store: Store, login: str, today: date | None = None) -> dict[int, View]:
    """Slot → the view on that key: the user's own where saved, else the default."""
    at = desk(reference(store).actor(login))
    out = {slot: default_view(slot, desk=at) for slot in SLOTS}
    out.update({v.slot: v for v in saved_views(store, login, today)})
    return out
