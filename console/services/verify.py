"""Checking the trail end to end: its hash chain, the signed digests it must still match, and
every case against the state its events lead to (`gridcall audit verify`).

Everything is read in one snapshot of the store, so that actions taken meanwhile neither break
the chain's head nor set a case apart from its events. Rows stream in batches (server-side
cursors on PostgreSQL): the memory a check needs does not grow with the store. Timestamps are
read as the chain hashes them, text in UTC to the microsecond, so that a million cases' worth
of instants is not turned into datetimes and back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import groupby
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, text

from console.db import Store
from console.domain.audit import GENESIS, Finding, content_digest, link_hash, stamp
from console.domain.digests import Digest, Head
from console.domain.errors import GridcallError
from console.domain.replay import Recorded, rebuild, replay_case
from console.domain.sla import SlaClock
from console.domain.whistle import from_json
from console.domain.workflow import CaseState, Context, level_limits_of
from console.models import STEP_MIN_COLUMNS
from console.queries.figures import cells_zone
from console.queries.reference import Reference, reference
from console.services import cells

BATCH = 10_000
TOLD_EVERY = 20_000  # events or cases between two steps of the tally


class Tally(Protocol):
    """Told how far a long check has come: each stage's size, then its steps."""

    def stage(self, name: str, total: int) -> None: ...

    def advance(self, n: int) -> None: ...


@dataclass(frozen=True)
class TrailReport:
    events: int
    cases: int  # replayed against their events
    digests: int  # checked against the chain
    first_break: Finding | None  # the first broken link of the chain, or digest it fails
    cases_apart: int  # cases that differ from their trail, or whose trail the table refuses
    cells_apart: int = 0  # figure cells that differ from a fresh sum of the cases

    @property
    def ok(self) -> bool:
        return self.first_break is None and self.cases_apart == 0 and self.cells_apart == 0


def _instant_sql(store: Store, column: str) -> str:
    """A timestamp column as the chain hashes instants (`audit.stamp`): SQLite keeps that text
    already; PostgreSQL formats it."""
    if store.is_sqlite:
        return column
    return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"


def _instant(value: str | None) -> datetime | str | None:
    """A stored instant; text that is no instant stays as it is, to be shown as found."""
    if value is None:
        return None
    try:
        return _at(value)
    except ValueError:
        return value


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def _stream(conn: Connection, sql: str, name: str) -> Iterator[tuple[Any, ...]]:
    """The rows of a query, a batch at a time, straight from the driver: a million cases' rows
    through SQLAlchemy's result machinery cost more than their check. PostgreSQL's come from a
    server-side cursor (`name`), so the server holds what has not been read yet."""
    raw: Any = conn.connection.dbapi_connection
    cursor = raw.cursor() if conn.dialect.name == "sqlite" else raw.cursor(name=name)
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(BATCH):
            yield from rows
    finally:
        cursor.close()


def read_head(conn: Connection) -> tuple[int, str]:
    head = conn.execute(text("SELECT seq, hash FROM audit_head WHERE id = 1")).one()
    return int(head.seq), str(head.hash)


def link_at(conn: Connection, seq: int) -> str | None:
    """The stored link of event `seq` (GENESIS before the first); None when there is none."""
    if seq == 0:
        return GENESIS
    row = conn.execute(text("SELECT hash FROM audit_events WHERE seq = :s"), {"s": seq}).first()
    return None if row is None else str(row.hash)


def count_cases(conn: Connection) -> int:
    return int(conn.execute(text("SELECT count(*) FROM cases")).scalar_one())


@dataclass
class ChainEnd:
    """Where a walk of the chain ended: the last event's place, link and content digest."""

    seq: int
    hash: str
    content: str | None
    events: int


def walk_chain(
    store: Store,
    conn: Connection,
    start: Head,
    found: Callable[[Finding], None],
    *,
    digests: Sequence[Digest] = (),
    tally: Tally | None = None,
) -> ChainEnd:
    """Recompute every link after `start` (GENESIS at 0 for the whole trail), telling `found`
    the first that does not hold, then the first digest the chain no longer matches.

    The walk goes on past a broken link to the end, checking no more links: the digests are
    checked against each event's stored link, and each event's content digest is looked up
    among the digests' own, so that an event a digest signed is found again where it now
    stands — renumbered, when events before it were dropped or inserted and the chain
    re-linked."""
    signed = {d.head.seq for d in digests}
    wanted: dict[str, int | None] = {
        d.head.content: None for d in digests if d.head.content is not None
    }
    links: dict[int, str] = {}  # the stored link at each signed place
    sql = (
        f"SELECT seq, case_id, {_instant_sql(store, 'at')}, actor, action, from_status, "
        f"to_status, reason, payload, prev_hash, hash FROM audit_events WHERE seq > {start.seq:d} "
        "ORDER BY seq"
    )
    expected, prev, content = start.seq + 1, start.hash, start.content
    broken = False
    events = 0
    for seq, case_id, at, actor, action, before, after, reason, payload, prev_hash, link in _stream(
        conn, sql, "audit_chain"
    ):
        events += 1
        content = content_digest(case_id, at, actor, action, before, after, reason, payload)
        if not broken:
            problem = None
            if seq != expected:
                problem = Finding("audit.gap", {"seq": expected, "next": seq}, expected)
            elif prev_hash != prev:
                problem = Finding("audit.unlinked", {"seq": seq}, seq)
            elif link_hash(prev, seq, content) != link:
                restamped = _restamped(at)
                if restamped is not None:
                    content = content_digest(
                        case_id, restamped, actor, action, before, after, reason, payload
                    )
                if link_hash(prev, seq, content) != link:
                    problem = Finding("audit.altered", {"seq": seq}, seq)
            if problem is not None:
                found(problem)
                broken = True
        prev, expected = link, seq + 1
        if seq in signed:
            links[seq] = link
        if content in wanted and wanted[content] is None:
            wanted[content] = seq
        if tally is not None and events % TOLD_EVERY == 0:
            tally.advance(TOLD_EVERY)
    if tally is not None:
        tally.advance(events % TOLD_EVERY)
    last = expected - 1
    head_seq, head_hash = read_head(conn)
    if not broken and (head_seq != last or head_hash != prev):
        found(Finding("audit.head", {"head": head_seq, "last": last}, min(head_seq, last) + 1))
    _against_digests(digests, links, wanted, last, found)
    return ChainEnd(last, prev, content, events)


def _restamped(at: str) -> str | None:
    """An instant as the chain hashes instants, when the store spells it otherwise: a tool
    that rewrote SQLite's timestamps in another spelling changed no instant. None when it is
    spelt so already, or is no instant."""
    try:
        canonical = stamp(datetime.fromisoformat(at).replace(tzinfo=UTC))
    except ValueError:
        return None
    return canonical if canonical != at else None


def _against_digests(
    digests: Sequence[Digest],
    links: dict[int, str],
    wanted: dict[str, int | None],
    last: int,
    found: Callable[[Finding], None],
) -> None:
    """Name the first digest the chain no longer matches, and what became of its event."""
    holds: Digest | None = None
    for d in sorted(digests, key=lambda d: (d.head.seq, d.number)):
        seq = d.head.seq
        if seq == 0 or links.get(seq) == d.head.hash:
            holds = d
            continue
        now_at = wanted.get(d.head.content) if d.head.content is not None else None
        params = signed_params(d, last)
        params["since"] = holds.head.seq + 1 if holds is not None else 1
        if now_at is not None and now_at != seq:
            key = "audit.digest_dropped" if now_at < seq else "audit.digest_inserted"
            params |= {"now": now_at, "n": abs(seq - now_at)}
        elif now_at == seq:
            key = "audit.digest_relinked"
        elif seq > last:
            key = "audit.digest_truncated"
        else:
            key = "audit.digest_rewritten"
        found(Finding(key, params, min(seq, last + 1) if now_at is None else min(seq, now_at)))
        return


def signed_params(d: Digest, last: int) -> dict[str, object]:
    """What a finding against a digest names: the digest, what it signed and when, and where
    the trail now ends; `since` is the first event it may concern."""
    return {
        "seq": d.head.seq,
        "file": d.name,
        "at": d.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "since": 1,
        "last": last,
    }


def replay_cases(
    store: Store,
    conn: Connection,
    clock: SlaClock,
    found: Callable[[Finding], None],
    tally: Tally | None = None,
) -> tuple[int, int]:
    """Rebuild every case from its events and hold it against its row; tells `found` of each
    case apart from its trail, a case deleted from under its events among them. Returns how
    many cases were replayed and how many were apart."""
    ref = reference(store)
    context = replay_context(ref, clock)
    replayed = apart = 0

    def deleted(finding: Finding) -> None:
        nonlocal apart
        apart += 1
        found(finding)

    for row, events in cases_with_events(store, conn, deleted):
        trail = _trail(row, events)
        finding = (
            trail
            if isinstance(trail, Finding)
            else replay_case(_stored(row, ref), int(row[-1]), trail, context)
        )
        replayed += 1
        if finding is not None:
            apart += 1
            found(finding)
        if tally is not None and replayed % TOLD_EVERY == 0:
            tally.advance(TOLD_EVERY)
    if tally is not None:
        tally.advance(replayed % TOLD_EVERY)
    return replayed, apart


def replay_context(ref: Reference, clock: SlaClock) -> Context:
    return Context(
        now=datetime.now(UTC),  # each event's own instant, as it is replayed
        clock=clock,
        limits=ref.limits,
        unit_kind=ref.unit_kind,
        unit_street=ref.unit_street,
    )


def cases_with_events(
    store: Store, conn: Connection, deleted: Callable[[Finding], None]
) -> Iterator[tuple[Any, list[Any]]]:
    """Every case's row (`_stored`'s columns) beside its events, in id order; tells `deleted`
    of events whose case is no longer in the store.

    Cases stream in id order beside their events in (case, seq) order, one case's events in
    memory at a time."""

    def ts(column: str) -> str:
        return _instant_sql(store, column)

    cases = _stream(
        conn,
        "SELECT id, code, status, urgency, level, category_id, grid_id, community_id, "
        "street_id, lead_unit_id, co_units, returned_units, rework_count, urge_count, "
        f"{ts('step_started_at')}, {ts('deadline_at')}, {ts('warn_at')}, suspended_from, "
        f"paused_deadline_min, paused_warn_min, {ts('ext_until')}, rating, {ts('closed_at')}, "
        f"handled_by, handled_unit, late_steps, ext_count, {', '.join(STEP_MIN_COLUMNS)}, "
        f"{ts('timed_from')}, {ts('due_at')}, due_given, paused_due_min, tasks, "
        f"{ts('reply_by')}, {ts('reply_warn')}, urged_red, {ts('overseen_at')}, "
        "return_reason, review_on, level_limits, version "
        "FROM cases ORDER BY id",
        "audit_cases",
    )
    events = _stream(
        conn,
        f"SELECT case_id, seq, {ts('at')}, actor, action, from_status, to_status, reason, "
        "payload FROM audit_events WHERE case_id IS NOT NULL ORDER BY case_id, seq",
        "audit_case_events",
    )
    by_case = groupby(events, key=lambda e: int(e[0]))
    pending = next(by_case, None)

    def gone() -> None:
        nonlocal pending
        assert pending is not None
        seq = next(iter(pending[1]))[1]
        deleted(Finding("audit.case_deleted", {"id": pending[0], "seq": seq}, seq))
        pending = next(by_case, None)

    for row in cases:
        case_id = int(row[0])
        while pending is not None and pending[0] < case_id:
            gone()
        rows = []
        if pending is not None and pending[0] == case_id:
            rows = list(pending[1])
            pending = next(by_case, None)
        yield row, rows
    while pending is not None:
        gone()


def _trail(row: Any, events: list[Any]) -> list[Recorded] | Finding:
    trail = []
    for _, seq, at, actor, action, before, after, reason, payload in events:
        try:
            when = _at(at)
        except ValueError:
            why = GridcallError("audit.unreadable")
            return Finding(
                "audit.event_refused",
                {"code": row[1], "seq": seq, "action": action, "why": why},
                seq,
            )
        trail.append(Recorded(seq, when, actor, action, before, after, reason, payload))
    return trail


def rebuilt_case(row: Any, events: list[Any], ref: Reference, context: Context) -> CaseState | None:
    """The case a row's trail leads to; None when the trail cannot be replayed."""
    trail = _trail(row, events)
    if isinstance(trail, Finding):
        return None
    rebuilt = rebuild(_stored(row, ref), trail, context)
    return None if isinstance(rebuilt, Finding) else rebuilt[0]


def _code(table: dict[int, Any], key: int | None) -> str | None:
    """A row's reference by its code; one the store does not know, by its id."""
    if key is None:
        return None
    info = table.get(key)
    return info.code if info is not None else f"#{key}"


def _units(value: str | list[str] | None) -> tuple[str, ...]:
    """A JSON list of unit codes: text on SQLite, already a list on PostgreSQL."""
    if value is None:
        return ()
    return tuple(json.loads(value) if isinstance(value, str) else value)


def _stored(row: Any, ref: Reference) -> dict[str, object]:
    """A case as its row holds it, in the workflow's terms: codes for ids, instants for text."""
    (
        _id,
        code,
        status,
        urgency,
        level,
        category_id,
        grid_id,
        community_id,
        street_id,
        lead_unit_id,
        co_units,
        returned_units,
        rework_count,
        urge_count,
        step_started_at,
        deadline_at,
        warn_at,
        suspended_from,
        paused_deadline_min,
        paused_warn_min,
        ext_until,
        rating,
        closed_at,
        handled_by,
        handled_unit,
        late_steps,
        ext_count,
        *step_min,
        timed_from,
        due_at,
        due_given,
        paused_due_min,
        tasks,
        reply_by,
        reply_warn,
        urged_red,
        overseen_at,
        return_reason,
        review_on,
        level_limits,
        _version,
    ) = row
    return {
        "code": code,
        "street": _code(ref.areas, street_id),
        "community": _code(ref.areas, community_id),
        "grid": _code(ref.areas, grid_id),
        "category": _code(ref.categories, category_id),
        "status": status,
        "urgency": urgency,
        "level": level,
        "lead_unit": _code(ref.units, lead_unit_id),
        "co_units": _units(co_units),
        "returned_units": _units(returned_units),
        "rework_count": rework_count,
        "urge_count": urge_count,
        "step_started_at": _instant(step_started_at),
        "deadline_at": _instant(deadline_at),
        "warn_at": _instant(warn_at),
        "suspended_from": suspended_from,
        "paused_deadline_min": paused_deadline_min,
        "paused_warn_min": paused_warn_min,
        "ext_until": _instant(ext_until),
        "rating": rating,
        "closed_at": _instant(closed_at),
        "handled_by": handled_by,
        "handled_unit": handled_unit,
        "late_steps": late_steps,
        "ext_count": ext_count,
        "step_min": tuple(step_min),
        "timed_from": _instant(timed_from),
        "due_at": _instant(due_at),
        "due_given": bool(due_given),
        "paused_due_min": paused_due_min,
        "tasks": from_json(json.loads(tasks) if isinstance(tasks, str) else tasks),
        "reply_by": _instant(reply_by),
        "reply_warn": _instant(reply_warn),
        "urged_red": bool(urged_red),
        "overseen_at": _instant(overseen_at),
        "return_reason": return_reason,
        # A day: text on SQLite, a date on PostgreSQL.
        "review_on": date.fromisoformat(review_on) if isinstance(review_on, str) else review_on,
        # JSON: text on SQLite, decoded already on PostgreSQL.
        "level_limits": level_limits_of(
            json.loads(level_limits) if isinstance(level_limits, str) else level_limits
        ),
    }


def verify_trail(
    store: Store,
    clock: SlaClock,
    found: Callable[[Finding], None],
    *,
    digests: Sequence[Digest] = (),
    tally: Tally | None = None,
) -> TrailReport:
    """The whole check, in one snapshot: the chain and the digests, then every case."""
    first: list[Finding] = []

    def chain_found(finding: Finding) -> None:
        if not first or (finding.seq or 0) < (first[0].seq or 0):
            first[:] = [finding]
        found(finding)

    with store.scan() as conn:
        head_seq, _ = read_head(conn)
        if tally is not None:
            tally.stage("chain", head_seq)
        end = walk_chain(
            store, conn, Head(0, GENESIS, None), chain_found, digests=digests, tally=tally
        )
        if tally is not None:
            tally.stage("cases", count_cases(conn))
        replayed, apart = replay_cases(store, conn, clock, found, tally)
        cells_apart = _check_cells(store, conn, found, tally)
    return TrailReport(
        end.events, replayed, len(digests), first[0] if first else None, apart, cells_apart
    )


def _check_cells(
    store: Store, conn: Connection, found: Callable[[Finding], None], tally: Tally | None
) -> int:
    """The figure cells against a fresh sum of the cases, when the store keeps them: how many
    differ (the figures of their days would be wrong)."""
    zone = cells_zone(conn)
    if zone is None:
        return 0
    if tally is not None:
        tally.stage("cells", 1)
    areas = reference(store).areas
    differ = 0
    for a in cells.apart(conn, ZoneInfo(zone)):
        differ += a.cells
        community = areas.get(a.community_id)
        found(
            Finding(
                "audit.cells_apart",
                {
                    "table": a.table,
                    "cells": f"{a.cells:,}",
                    "day": a.day.isoformat(),
                    "community": community.name if community else a.community_id,
                },
            )
        )
    if tally is not None:
        tally.advance(1)
    return differ
