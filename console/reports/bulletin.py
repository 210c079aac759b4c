"""The centre's bulletin (周通报, 月通报): a period's figures beside the period before, the
rankings with the rule used, the red-light list, repeat hotspots, satisfaction with what the
dissatisfied said, the urges issued, handling times and, for a month or a range, the
assessment of units and grid workers — as a `Document` every format writes."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from console.db import Store
from console.domain.enums import AreaLevel, Role, Step, UnitKind
from console.domain.errors import Invalid
from console.domain.figures import By, Tally, Weights, assess
from console.domain.policy import Actor, Reach
from console.domain.whistle import UnitRating
from console.i18n import t, when
from console.queries import figures as fq
from console.queries.reference import Reference, name_in, reference
from console.reports.cells import shown
from console.reports.document import Cell, Column, Document, Kind, Section, Table

RED_CASES = 30  # the red-light list's longest-overdue cases
UNITS_SHOWN = 10  # a ranking of units: the best and the last this many


class Period(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    RANGE = "range"


@dataclass(frozen=True)
class Asked:
    """The bulletin asked for: its kind, its days, its name ("2026-W48", "2026-11")."""

    period: Period
    span: fq.Span
    name: str


def week_of(text: str | None, today: date, tz: ZoneInfo) -> Asked:
    """`--week 2026-W48`; none: the last whole week before this one (Monday to Sunday)."""
    if text is None:
        monday = today - timedelta(days=today.weekday() + 7)
    else:
        found = re.fullmatch(r"(\d{4})-?W(\d{1,2})", text.strip(), re.IGNORECASE)
        try:
            if found is None:
                raise ValueError(text)
            monday = date.fromisocalendar(int(found[1]), int(found[2]), 1)
        except ValueError:
            raise Invalid("error.report_week", value=text) from None
    year, week, _ = monday.isocalendar()
    span = fq.Span.days(monday, monday + timedelta(days=6), tz)
    return Asked(Period.WEEKLY, span, f"{year}-W{week:02d}")


def month_of(text: str | None, today: date, tz: ZoneInfo) -> Asked:
    """`--month 2026-11`; none: the last whole month before this one."""
    if text is None:
        first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    else:
        try:
            first = datetime.strptime(text.strip(), "%Y-%m").date()
        except ValueError:
            raise Invalid("error.report_month", value=text) from None
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return Asked(Period.MONTHLY, fq.Span.days(first, last, tz), f"{first:%Y-%m}")


def range_of(first: date, last: date, tz: ZoneInfo) -> Asked:
    if first > last:
        raise Invalid("error.report_range", first=first.isoformat(), last=last.isoformat())
    return Asked(Period.RANGE, fq.Span.days(first, last, tz), f"{first}…{last}")


def narrowed(asked: Asked, street: int | None) -> Asked:
    if street is None:
        return asked
    span = fq.Span.days(asked.span.first, asked.span.last, asked.span.tz, street)
    return Asked(asked.period, span, asked.name)


@dataclass(frozen=True)
class _Reader:
    store: Store
    actor: Actor
    ref: Reference
    now: datetime
    lang: str

    def say(self, key: str, **params: object) -> str:
        return t(key, self.lang, **params)


def bulletin(
    store: Store, actor: Actor, asked: Asked, now: datetime, lang: str, weights: Weights
) -> Document:
    """The bulletin of `asked`'s period as `actor` may read it, the figures as they stand at
    `now`."""
    r = _Reader(store, actor, reference(store), now, lang)
    span = asked.span
    this = fq.tally(store, actor, span, now)
    before = fq.tally(store, actor, span.before(), now)
    sections = [
        _overview(r, span, this, before),
        _rankings(r, span, weights),
        _red_light(r, span),
        _hotspots(r, span),
        _satisfaction(r, span, this),
        _urges(r, span, this),
        _handling(r, span),
    ]
    if asked.period is not Period.WEEKLY:
        sections.append(_assessment(r, span, weights))
    place = _place(r, span)
    sections = [
        replace(
            s, tables=tuple(replace(x, sheet=r.say(f"report.sheet.{x.name}")) for x in s.tables)
        )
        for s in sections
    ]
    return Document(
        title=r.say(f"report.title.{asked.period.value}", place=place, name=_period_name(r, asked)),
        subtitle=r.say(
            "report.subtitle",
            first=span.first.isoformat(),
            last=span.last.isoformat(),
            at=when(now, span.tz),
        ),
        issuer=r.say("report.issuer", place=place, day=now.astimezone(span.tz).date().isoformat()),
        lang=lang,
        sections=tuple(sections),
    )


def _period_name(r: _Reader, asked: Asked) -> str:
    span = asked.span
    if asked.period is Period.WEEKLY:
        year, week, _ = span.first.isocalendar()
        return r.say("report.week_name", year=year, week=week)
    if asked.period is Period.MONTHLY:
        return r.say("report.month_name", year=span.first.year, month=span.first.month)
    return r.say("report.range_name", first=span.first.isoformat(), last=span.last.isoformat())


def _place(r: _Reader, span: fq.Span) -> str:
    """Whose bulletin: the street it is narrowed to, the reader's street, or the district."""
    street = span.street
    if street is None and r.actor.street is not None and r.actor.policy.reads is Reach.STREET:
        street = r.ref.area(r.actor.street).id
    if street is not None:
        return name_in(r.ref.areas[street], r.lang)
    district = next(a for a in r.ref.areas.values() if a.level is AreaLevel.DISTRICT)
    return name_in(district, r.lang)


# --- 一、总体情况 -------------------------------------------------------------------------------

COUNTED = (
    "reported",
    "accepted",
    "invalid",
    "duplicate",
    "dispatched",
    "closed",
    "closed_on_time",
    "suspended",
    "overdue_now",
    "overdue_ever",
    "urges",
)
RATES: tuple[tuple[str, Callable[[Tally], float | None]], ...] = (
    ("closure_rate", lambda x: x.closure_rate),
    ("on_time_rate", lambda x: x.on_time_rate),
    ("rework_rate", lambda x: x.rework_rate),
    ("return_rate", lambda x: x.return_rate),
    ("extension_rate", lambda x: x.extension_rate),
    ("satisfaction", lambda x: x.satisfaction),
)


def _change(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def _overview(r: _Reader, span: fq.Span, this: Tally, before: Tally) -> Section:
    figure = r.say("report.col.figure")
    now_, then, change = (r.say(f"report.col.{k}") for k in ("this", "before", "change"))
    counts = Table(
        "counts",
        r.say("report.table.counts"),
        (
            Column(figure),
            Column(now_, Kind.COUNT),
            Column(then, Kind.COUNT),
            Column(change, Kind.COUNT),
        ),
        tuple(
            (
                r.say(f"figure.{name}"),
                getattr(this, name),
                getattr(before, name),
                getattr(this, name) - getattr(before, name),
            )
            for name in COUNTED
        ),
        note=r.say("report.note.cohort"),
    )
    rates = Table(
        "rates",
        r.say("report.table.rates"),
        (
            Column(figure),
            Column(now_, Kind.SHARE),
            Column(then, Kind.SHARE),
            Column(change, Kind.SHARE),
        ),
        tuple(
            (r.say(f"figure.{name}"), rate(this), rate(before), _change(rate(this), rate(before)))
            for name, rate in RATES
        ),
        note=r.say("report.note.rates"),
    )
    summary = r.say(
        "report.summary",
        reported=shown(this.reported, Kind.COUNT),
        accepted=shown(this.accepted, Kind.COUNT),
        closed=shown(this.closed, Kind.COUNT),
        closure=shown(this.closure_rate, Kind.SHARE),
        on_time=shown(this.on_time_rate, Kind.SHARE),
        overdue=shown(this.overdue_now, Kind.COUNT),
        satisfaction=shown(this.satisfaction, Kind.SHARE),
        before=shown(before.reported, Kind.COUNT),
    )
    return Section(r.say("report.section.overview"), (summary,), (counts, rates))


# --- 二、排名 -----------------------------------------------------------------------------------


def _ranked(
    groups: dict[fq.Group, Tally], minimum: int
) -> tuple[list[tuple[int, Tally]], list[tuple[int, Tally]]]:
    """Groups by id: (ranked by on-time closure, then closure, then cases; those too few to
    rank, the most cases first)."""
    by_id = [(g, x) for g, x in groups.items() if isinstance(g, int)]
    enough = [(g, x) for g, x in by_id if x.accepted >= minimum]
    few = [(g, x) for g, x in by_id if x.accepted < minimum]
    enough.sort(
        key=lambda gx: (-(gx[1].on_time_rate or 0), -(gx[1].closure_rate or 0), -gx[1].reported)
    )
    few.sort(key=lambda gx: -gx[1].reported)
    return enough, few


def _rank_columns(r: _Reader, what: str) -> tuple[Column, ...]:
    return (
        Column(r.say("report.col.rank"), Kind.COUNT),
        Column(r.say(f"report.col.{what}")),
        Column(r.say("figure.reported"), Kind.COUNT),
        Column(r.say("figure.accepted"), Kind.COUNT),
        Column(r.say("figure.closed"), Kind.COUNT),
        Column(r.say("figure.closure_rate"), Kind.SHARE),
        Column(r.say("figure.on_time_rate"), Kind.SHARE),
        Column(r.say("figure.overdue_now"), Kind.COUNT),
        Column(r.say("figure.satisfaction"), Kind.SHARE),
    )


def _rank_row(rank: int | None, name: str, x: Tally) -> tuple[Cell, ...]:
    return (
        rank,
        name,
        x.reported,
        x.accepted,
        x.closed,
        x.closure_rate,
        x.on_time_rate,
        x.overdue_now,
        x.satisfaction,
    )


def _units(r: _Reader, span: fq.Span) -> dict[fq.Group, Tally]:
    """The period's figures of the units a bulletin ranks and scores: a grid's own unit (its
    grid worker, 自办自结) is ranked and scored as the grid worker, not again as a unit."""
    return {
        g: x
        for g, x in fq.tally_by(r.store, r.actor, span, r.now, By.UNIT).items()
        if isinstance(g, int) and r.ref.units[g].kind is not UnitKind.GRID
    }


def _rankings(r: _Reader, span: fq.Span, weights: Weights) -> Section:
    # A district's readers rank its streets; a street's, or a bulletin of one street, rank
    # its communities.
    wide = r.actor.policy.reads is Reach.DISTRICT or r.actor.street is None
    by, what, table = (
        (By.STREET, "street", "streets")
        if wide and span.street is None
        else (By.COMMUNITY, "community", "communities")
    )
    areas, few = _ranked(fq.tally_by(r.store, r.actor, span, r.now, by), weights.minimum)
    rows = [_rank_row(i, name_in(r.ref.areas[g], r.lang), x) for i, (g, x) in enumerate(areas, 1)]
    rows += [_rank_row(None, name_in(r.ref.areas[g], r.lang), x) for g, x in few]
    rule = r.say("report.note.ranking", minimum=weights.minimum)
    tables = [
        Table(
            table,
            r.say(f"report.table.{table}"),
            _rank_columns(r, what),
            tuple(rows),
            note=rule,
        )
    ]
    units, _ = _ranked(_units(r, span), weights.minimum)

    def unit_rows(part: list[tuple[int, Tally]], first: int) -> tuple[tuple[Cell, ...], ...]:
        return tuple(
            _rank_row(first + i, name_in(r.ref.units[g], r.lang), x)
            for i, (g, x) in enumerate(part)
        )

    shown_n = min(UNITS_SHOWN, len(units))
    tables.append(
        Table(
            "units_best",
            r.say("report.table.units_best", n=shown_n),
            _rank_columns(r, "unit"),
            unit_rows(units[:shown_n], 1),
            note=rule,
        )
    )
    if len(units) > shown_n:
        last = units[-shown_n:]
        tables.append(
            Table(
                "units_last",
                r.say("report.table.units_last", n=len(last)),
                _rank_columns(r, "unit"),
                unit_rows(last, len(units) - len(last) + 1),
                note=rule,
            )
        )
    return Section(r.say("report.section.rankings"), (), tuple(tables))


# --- 三、红灯督办 -------------------------------------------------------------------------------


def _unit_name(r: _Reader, unit: int | None) -> str:
    return name_in(r.ref.units[unit], r.lang) if unit is not None else r.say("report.no_unit")


def _days_since(r: _Reader, at: datetime) -> float:
    return (r.now - at).total_seconds() / 86400


def _red_light(r: _Reader, span: fq.Span) -> Section:
    units = fq.red_units(r.store, r.actor, r.now, street=span.street)
    cases = fq.red_cases(r.store, r.actor, r.now, limit=RED_CASES, street=span.street)
    total = sum(n for _, n, _ in units)
    by_unit = Table(
        "red_units",
        r.say("report.table.red_units"),
        (
            Column(r.say("report.col.unit")),
            Column(r.say("report.col.red"), Kind.COUNT),
            Column(r.say("report.col.oldest"), Kind.DAYS),
        ),
        tuple((_unit_name(r, u), n, _days_since(r, oldest)) for u, n, oldest in units),
        note=r.say("report.note.red"),
    )
    longest = Table(
        "red_cases",
        r.say("report.table.red_cases", n=len(cases)),
        (
            Column(r.say("report.col.unit")),
            Column(r.say("report.col.code")),
            Column(r.say("report.col.title")),
            Column(r.say("report.col.grid")),
            Column(r.say("report.col.overdue_days"), Kind.DAYS),
        ),
        tuple(
            (
                _unit_name(r, c.unit_id),
                c.code,
                c.title,
                name_in(r.ref.areas[c.grid_id], r.lang),
                _days_since(r, c.deadline_at),
            )
            for c in cases
        ),
    )
    said = r.say(
        "report.red_summary",
        n=shown(total, Kind.COUNT),
        units=len([u for u, _, _ in units if u is not None]),
    )
    return Section(r.say("report.section.red"), (said,), (by_unit, longest))


# --- 四、高发问题 -------------------------------------------------------------------------------


def _hotspots(r: _Reader, span: fq.Span) -> Section:
    found = fq.hotspots(r.store, r.actor, span)
    table = Table(
        "hotspots",
        r.say("report.table.hotspots"),
        (
            Column(r.say("report.col.grid")),
            Column(r.say("report.col.category")),
            Column(r.say("report.col.cases"), Kind.COUNT),
        ),
        tuple(
            (name_in(r.ref.areas[g], r.lang), name_in(r.ref.categories[c], r.lang), n)
            for g, c, n in found
        ),
        note=r.say("report.note.hotspots"),
    )
    return Section(r.say("report.section.hotspots"), (), (table,))


# --- 五、群众满意度 -----------------------------------------------------------------------------


def _satisfaction(r: _Reader, span: fq.Span, this: Tally) -> Section:
    said = r.say(
        "report.satisfaction_summary",
        rated=shown(this.rated, Kind.COUNT),
        satisfied=shown(this.satisfied, Kind.COUNT),
        basic=shown(this.basic, Kind.COUNT),
        dissatisfied=shown(this.dissatisfied, Kind.COUNT),
        rate=shown(this.satisfaction, Kind.SHARE),
    )
    comments = Table(
        "dissatisfied",
        r.say("report.table.dissatisfied"),
        (
            Column(r.say("report.col.code")),
            Column(r.say("report.col.title")),
            Column(r.say("report.col.unit")),
            Column(r.say("report.col.comment")),
        ),
        tuple(
            (code, title, _unit_name(r, unit), comment or "")
            for code, title, comment, unit in fq.dissatisfied(r.store, r.actor, span)
        ),
    )
    return Section(r.say("report.section.satisfaction"), (said,), (comments,))


# --- 六、督办 -----------------------------------------------------------------------------------


def _urges(r: _Reader, span: fq.Span, this: Tally) -> Section:
    by_unit = fq.tally_by(r.store, r.actor, span, r.now, By.UNIT)
    urged = sorted(((g, x) for g, x in by_unit.items() if x.urges), key=lambda gx: -gx[1].urges)
    table = Table(
        "urges",
        r.say("report.table.urges"),
        (
            Column(r.say("report.col.unit")),
            Column(r.say("figure.urges"), Kind.COUNT),
            Column(r.say("figure.dispatched"), Kind.COUNT),
        ),
        tuple(
            (_unit_name(r, g if isinstance(g, int) else None), x.urges, x.dispatched)
            for g, x in urged
        ),
    )
    said = r.say("report.urges_summary", n=shown(this.urges, Kind.COUNT), units=len(urged))
    return Section(r.say("report.section.urges"), (said,), (table,))


# --- 七、处置用时 -------------------------------------------------------------------------------


def _handling(r: _Reader, span: fq.Span) -> Section:
    times = fq.step_times(r.store, r.actor, span)
    names = [*(s.value for s in Step), "total"]
    table = Table(
        "handling",
        r.say("report.table.handling"),
        (
            Column(r.say("report.col.step")),
            Column(r.say("report.col.cases"), Kind.COUNT),
            Column(r.say("report.col.mean_min"), Kind.MINUTES),
            Column(r.say("report.col.p90_min"), Kind.MINUTES),
        ),
        tuple(
            (r.say(f"report.step.{n}"), times[n].cases, times[n].mean, times[n].p90) for n in names
        ),
        note=r.say("report.note.handling"),
    )
    return Section(r.say("report.section.handling"), (), (table,))


# --- 八、考核 -----------------------------------------------------------------------------------


def _assessment(r: _Reader, span: fq.Span, w: Weights) -> Section:
    rule = r.say(
        "report.note.assessment",
        on_time=w.on_time,
        satisfaction=w.satisfaction,
        rework=w.rework,
        returns=w.returns,
        urges=w.urges,
        minimum=w.minimum,
    )
    columns = (
        Column(r.say("report.col.rank"), Kind.COUNT),
        Column(r.say("report.col.who")),
        Column(r.say("report.col.score"), Kind.SCORE),
        Column(r.say("figure.accepted"), Kind.COUNT),
        Column(r.say("figure.on_time_rate"), Kind.SHARE),
        Column(r.say("figure.satisfaction"), Kind.SHARE),
        Column(r.say("figure.rework_rate"), Kind.SHARE),
        Column(r.say("figure.return_rate"), Kind.SHARE),
        Column(r.say("figure.urges"), Kind.COUNT),
    )

    def scored(
        groups: dict[fq.Group, Tally], name: Callable[[fq.Group], str | None]
    ) -> tuple[tuple[Cell, ...], ...]:
        rows = []
        for g, x in groups.items():
            score, who = assess(x, w), name(g)
            if score is not None and who is not None:
                rows.append((who, score, x))
        rows.sort(key=lambda row: -row[1])
        return tuple(
            (
                i,
                who,
                score,
                x.accepted,
                x.on_time_rate,
                x.satisfaction,
                x.rework_rate,
                x.return_rate,
                x.urges,
            )
            for i, (who, score, x) in enumerate(rows, 1)
        )

    def unit(g: fq.Group) -> str | None:
        return name_in(r.ref.units[g], r.lang) if isinstance(g, int) else None

    def grid_worker(g: fq.Group) -> str | None:
        user = r.ref.user_by_login.get(g) if isinstance(g, str) else None
        return user.name if user is not None and user.role is Role.GRID_WORKER else None

    units = Table(
        "assess_units",
        r.say("report.table.assess_units"),
        columns,
        scored(_units(r, span), unit),
        note=rule,
    )
    workers = Table(
        "assess_workers",
        r.say("report.table.assess_workers"),
        columns,
        scored(fq.tally_by(r.store, r.actor, span, r.now, By.HANDLER), grid_worker),
        note=rule,
    )
    return Section(
        r.say("report.section.assessment"), (), (units, workers, _summoned_table(r, span))
    )


def _summoned_table(r: _Reader, span: fq.Span) -> Table:
    """吹哨报到: how each department answered the whistles that summoned it, the most
    summoned first."""
    columns = (
        Column(r.say("report.col.who")),
        Column(r.say("figure.summoned"), Kind.COUNT),
        Column(r.say("figure.summoned_waived"), Kind.COUNT),
        Column(r.say("figure.check_in_rate"), Kind.SHARE),
        Column(r.say("figure.feedback_rate"), Kind.SHARE),
        *(Column(r.say(f"unit_rating.{u.value}"), Kind.COUNT) for u in UnitRating),
    )
    rows = tuple(
        (
            name_in(r.ref.unit_by_code[code], r.lang) if code in r.ref.unit_by_code else code,
            x.summoned,
            x.waived,
            x.check_in_rate,
            x.feedback_rate,
            x.timely,
            x.adequate,
            x.poor,
        )
        for code, x in fq.summoned(r.store, r.actor, span).items()
    )
    return Table(
        "assess_summoned",
        r.say("report.table.assess_summoned"),
        columns,
        rows,
        note=r.say("report.note.summoned"),
    )
