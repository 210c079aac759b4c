"""The intake form's decisions, apart from its widgets: what is missing, what the phone number
is, and the deadlines the new case will get — pure functions the tests call directly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from console.domain.enums import Source, Step, Urgency
from console.domain.intake import NewCase
from console.domain.limits import phone_number
from console.domain.sla import SlaClock
from console.i18n import t
from console.queries.reference import CategoryInfo
from console.terminal import UNICODE

REQUIRED = ("title", "category", "grid", "address")
# Steps a case passes through before it is handled: each may use its full limit.
_UP_TO_HANDLED = (Step.ACCEPT, Step.DISPATCH, Step.SIGN, Step.HANDLE)


@dataclass(frozen=True)
class Draft:
    """What the form holds. `category`/`grid` are the codes picked; the *_query fields are what
    was typed into their search boxes, to tell "nothing typed" from "typed but not picked"."""

    source: Source
    title: str
    description: str
    category: str | None
    category_query: str
    urgency: Urgency | None  # None: the category's
    grid: str | None
    grid_query: str
    address: str
    reporter_name: str
    reporter_phone: str
    confidential: bool = False  # 保密: units never see who reported it

    def problems(self) -> dict[str, str]:
        """Field → catalogue key of what is wrong with it, in the form's order."""
        out: dict[str, str] = {}
        if not self.title.strip():  # its length is capped by the input itself (TITLE_MAX)
            out["title"] = "intake.required"
        for name, picked, typed in (
            ("category", self.category, self.category_query),
            ("grid", self.grid, self.grid_query),
        ):
            if picked is None:
                out[name] = "intake.choose" if typed.strip() else "intake.required"
        if not self.address.strip():
            out["address"] = "intake.required"
        if phone_number(self.reporter_phone) is None:
            out["phone"] = "intake.bad_phone"
        return out

    def new_case(self) -> NewCase:
        """The service's input; call only when `problems()` is empty."""
        assert self.category is not None and self.grid is not None
        return NewCase(
            title=self.title.strip(),
            category=self.category,
            grid=self.grid,
            address=self.address.strip(),
            source=self.source,
            description=self.description.strip(),
            urgency=self.urgency,
            reporter_name=self.reporter_name.strip() or None,
            reporter_phone=phone_number(self.reporter_phone) or None,
            confidential=self.confidential,
        )


def problem_text(problems: dict[str, str], lang: str) -> str:
    """One line naming every field that stops the save: "标题：必填 · 地址：必填"."""
    return f" {UNICODE.dot} ".join(
        t("intake.problem", lang, field=t(f"intake.field.{name}", lang), what=t(key, lang))
        for name, key in problems.items()
    )


@dataclass(frozen=True)
class Deadlines:
    """The clocks a case registered now would run, before it is saved."""

    urgency: Urgency
    working: bool  # counted in working time (normal) or wall-clock time (urgent)
    accept_minutes: int
    accept_by: datetime  # the acceptance step's deadline: what the case is stored with
    handle_minutes: int
    handled_by: datetime  # the latest it should be handled, every step using its full limit


def deadlines(
    clock: SlaClock, category: CategoryInfo, urgency: Urgency | None, now: datetime
) -> Deadlines:
    """The acceptance deadline the service will store (same clock, limits and instant) and the
    handling deadline at the end of the loop's steps, for the operator to tell the caller."""
    effective = urgency or category.urgency or Urgency.NORMAL
    assert category.limits is not None
    spans = [category.limits.for_step(step, effective) for step in _UP_TO_HANDLED]
    working = spans[0][1]
    accept = spans[0][0]
    total = sum(minutes for minutes, _ in spans)
    return Deadlines(
        urgency=effective,
        working=working,
        accept_minutes=accept,
        accept_by=clock.add(now, accept, working=working),
        handle_minutes=spans[-1][0],
        handled_by=clock.add(now, total, working=working),
    )


def span_text(minutes: int, working: bool, per_day: int, lang: str) -> str:
    """A limit as an operator says it: 3 working days, 1 working hour; 4 h, 30 min."""
    kind = "work" if working else "wall"
    day = per_day if working else 1440
    for unit, size in (("day", day), ("hour", 60)):
        if minutes >= size and minutes % size == 0:
            return t(f"intake.span.{kind}.{unit}", lang, n=minutes // size)
    return t(f"intake.span.{kind}.min", lang, n=minutes)
