"""Training scenarios (培训情景) as data: a timeline of events on the training clock, the trainee
actions each calls for, and the score those actions earn, judged from the trail alone.

A scenario file (`console/seeds/scenarios/NAME.toml`) has a `[scenario]` table (its titles, the
time of day it starts at), `[[event]]` tables (at `at` after the start: a case reported, a unit
returning a case, a resident calling back) and `[[expect]]` tables (on a case of the scenario,
an action by a trainee within a time of the case's report, worth points; for a dispatch or a
whistle, the unit expected to lead; for a duplicate, the case it repeats). `parse` reads one
and says, for a file that does not hold together, the line and the field at fault.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Any

from console.domain.actions import Action
from console.domain.enums import Source, Urgency
from console.domain.errors import Invalid
from console.domain.intake import NewCase
from console.domain.policy import TRIAGE

DURATION = re.compile(r"(?:(\d+)h)?\s*(?:(\d+)m)?")
# The actions a trainee is judged on: the centre's triage, not a unit's work.
JUDGED = TRIAGE


class EventKind(StrEnum):
    REPORT = "report"  # a case comes in (a call, a patrol, a camera)
    RETURN = "return"  # the unit leading a case sends it back
    CALLBACK = "callback"  # the resident calls again (a note on the case)


@dataclass(frozen=True)
class Event:
    at: timedelta  # after the scenario's start, on the training clock
    kind: EventKind
    case: str  # the scenario's own name for the case
    report: NewCase | None = None
    text: str | None = None  # a return's reason, a callback's words


@dataclass(frozen=True)
class Expectation:
    case: str
    action: Action
    within: timedelta  # of the case's report
    points: int
    # What the action should name: the lead unit of a dispatch or a whistle, the case a
    # duplicate repeats (the scenario's name for it).
    target: str | None = None
    hint: tuple[str, str] = ("", "")  # zh, en: the guided mode's next step

    def hint_in(self, lang: str) -> str:
        return self.hint[0] if lang == "zh" else self.hint[1]


@dataclass(frozen=True)
class Scenario:
    name: str
    title: tuple[str, str]  # zh, en
    starts: time  # the time of day on the training clock it starts at
    events: tuple[Event, ...]
    expects: tuple[Expectation, ...]

    @property
    def total(self) -> int:
        return sum(e.points for e in self.expects)

    def title_in(self, lang: str) -> str:
        return self.title[0] if lang == "zh" else self.title[1]


class ScenarioInvalid(Invalid):
    """A scenario file that does not hold together, with the line and field at fault."""

    def __init__(self, file: str, line: int, field_name: str, why: str) -> None:
        super().__init__("error.scenario_invalid", file=file, line=line, field=field_name, why=why)


def parse(text: str, file: str) -> Scenario:
    """The scenario a file holds; ScenarioInvalid naming the line and field it cannot take."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # The message ends "(at line N, column M)"; Python 3.11's error keeps no line of its own.
        at = re.search(r"line (\d+)", str(exc))
        why = re.sub(r"\s*\(at line.*\)$", "", str(exc))
        raise ScenarioInvalid(file, int(at.group(1)) if at else 1, "toml", why) from None
    where = _Lines(text, file)
    head = raw.get("scenario")
    if not isinstance(head, dict):
        raise where.invalid("scenario", None, "scenario", "a [scenario] table is needed")
    title = (
        where.text(head, "scenario", None, "title_zh"),
        where.text(head, "scenario", None, "title_en"),
    )
    starts = where.clock_time(head, "scenario", None, "starts")
    events = tuple(_event(where, n, e) for n, e in enumerate(where.tables(raw, "event")))
    if not events:
        raise where.invalid("scenario", None, "event", "at least one [[event]] is needed")
    known = {e.case for e in events}
    reported = {e.case for e in events if e.kind is EventKind.REPORT}
    for n, e in enumerate(events):
        if e.kind is not EventKind.REPORT and e.case not in reported:
            raise where.invalid("event", n, "case", f"no [[event]] reports a case '{e.case}'")
    expects = tuple(_expect(where, n, x, known) for n, x in enumerate(where.tables(raw, "expect")))
    return Scenario(file.removesuffix(".toml"), title, starts, events, expects)


def _event(where: _Lines, n: int, raw: Mapping[str, Any]) -> Event:
    kind_text = where.text(raw, "event", n, "kind")
    try:
        kind = EventKind(kind_text)
    except ValueError:
        kinds = ", ".join(k.value for k in EventKind)
        raise where.invalid("event", n, "kind", f"'{kind_text}' is none of {kinds}") from None
    at = where.duration(raw, "event", n, "at", zero=True)
    case = where.text(raw, "event", n, "case")
    if kind is not EventKind.REPORT:
        return Event(at, kind, case, text=where.text(raw, "event", n, "text"))
    source_text = where.text(raw, "event", n, "source")
    try:
        source = Source(source_text)
    except ValueError:
        raise where.invalid("event", n, "source", f"'{source_text}' is no source") from None
    urgency_text = raw.get("urgency")
    urgency = None
    if urgency_text is not None:
        try:
            urgency = Urgency(urgency_text)
        except ValueError:
            raise where.invalid("event", n, "urgency", "normal or urgent") from None
    report = NewCase(
        title=where.text(raw, "event", n, "title"),
        category=where.text(raw, "event", n, "category"),
        grid=where.text(raw, "event", n, "grid"),
        address=where.text(raw, "event", n, "address"),
        source=source,
        description=str(raw.get("description", "")),
        urgency=urgency,
    )
    return Event(at, kind, case, report=report)


def _expect(where: _Lines, n: int, raw: Mapping[str, Any], known: set[str]) -> Expectation:
    case = where.text(raw, "expect", n, "case")
    if case not in known:
        raise where.invalid("expect", n, "case", f"no [[event]] names a case '{case}'")
    action_text = where.text(raw, "expect", n, "action")
    try:
        action = Action(action_text)
    except ValueError:
        action = None
    if action not in JUDGED:
        judged = ", ".join(sorted(a.value for a in JUDGED))
        raise where.invalid("expect", n, "action", f"'{action_text}' is none of {judged}")
    assert action is not None
    points = raw.get("points")
    if not isinstance(points, int) or isinstance(points, bool) or not 1 <= points <= 100:
        raise where.invalid("expect", n, "points", "a whole number from 1 to 100")
    target = raw.get("unit")
    if target is not None and action not in (Action.DISPATCH, Action.WHISTLE):
        raise where.invalid("expect", n, "unit", "only a dispatch or a whistle names a unit")
    if action is Action.DUPLICATE:
        target = where.text(raw, "expect", n, "of")
        if target not in known or target == case:
            raise where.invalid("expect", n, "of", f"'{target}' is no other case of the scenario")
    hint = (str(raw.get("hint_zh", "")), str(raw.get("hint_en", "")))
    within = where.duration(raw, "expect", n, "within")
    return Expectation(case, action, within, points, target, hint)


@dataclass
class _Lines:
    """Where each table and field of the file stands, to name the line of a fault."""

    content: str
    file: str
    lines: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = self.content.splitlines()

    def tables(self, raw: Mapping[str, Any], name: str) -> list[dict[str, Any]]:
        found = raw.get(name, [])
        if not isinstance(found, list) or not all(isinstance(t, dict) for t in found):
            raise self.invalid("scenario", None, name, f"[[{name}]] tables are needed")
        return found

    def line_of(self, table: str, n: int | None, name: str) -> int:
        """The line of `name` in the n-th `[[table]]` (or the `[table]`), else of the table."""
        header = f"[[{table}]]" if n is not None else f"[{table}]"
        seen, start = -1, 0
        for i, line in enumerate(self.lines):
            if line.strip() == header:
                seen += 1
                if n is None or seen == n:
                    start = i
                    break
        for i in range(start + 1, len(self.lines)):
            stripped = self.lines[i].strip()
            if stripped.startswith("["):
                break
            if re.match(rf"{re.escape(name)}\s*=", stripped):
                return i + 1
        return start + 1

    def invalid(self, table: str, n: int | None, name: str, why: str) -> ScenarioInvalid:
        return ScenarioInvalid(self.file, self.line_of(table, n, name), name, why)

    def text(self, raw: Mapping[str, Any], table: str, n: int | None, name: str) -> str:
        value = raw.get(name)
        if not isinstance(value, str) or not value.strip():
            raise self.invalid(table, n, name, "a text is needed")
        return value.strip()

    def duration(
        self, raw: Mapping[str, Any], table: str, n: int | None, name: str, *, zero: bool = False
    ) -> timedelta:
        value = self.text(raw, table, n, name)
        parts = DURATION.fullmatch(value)
        if parts is None or not any(parts.groups()):
            raise self.invalid(table, n, name, f"'{value}' is no length of time: write 2m, 1h30m")
        hours, minutes = (int(g) if g else 0 for g in parts.groups())
        length = timedelta(hours=hours, minutes=minutes)
        if not zero and length <= timedelta(0):
            raise self.invalid(table, n, name, "a length of time above zero")
        return length

    def clock_time(self, raw: Mapping[str, Any], table: str, n: int | None, name: str) -> time:
        value = self.text(raw, table, n, name)
        try:
            return time.fromisoformat(value)
        except ValueError:
            raise self.invalid(
                table, n, name, f"'{value}' is no time of day: write 08:30"
            ) from None


# --- judging ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Done:
    """A trainee's action on a case of the scenario, as the trail keeps it."""

    case: str  # the scenario's name for the case
    action: Action
    login: str
    at: datetime
    target: str | None = None  # the unit a dispatch or whistle named, the case a duplicate did


class Verdict(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    WRONG_UNIT = "wrong_unit"
    MISSED = "missed"


@dataclass(frozen=True)
class Judged:
    expectation: Expectation
    verdict: Verdict
    by: str | None  # who took the action (none: nobody did)
    points: int
    at: datetime | None = None  # when it was taken (none: it was not)


@dataclass
class Score:
    """One trainee's line of the scoreboard."""

    login: str
    points: int = 0
    steps: int = 0
    on_time: int = 0
    late: int = 0
    wrong_unit: int = 0


def judge(
    scenario: Scenario, reported: Mapping[str, datetime], done: Iterable[Done]
) -> list[Judged]:
    """Each expectation of the scenario against what was done: the first action of its kind
    on its case decides — on time and at the right unit it earns the points, late or at the
    wrong unit (or case) nothing; none at all, missed. `reported`: when each case came in."""
    first = deciding(done)
    out = []
    for x in scenario.expects:
        d = first.get((x.case, x.action))
        came = reported.get(x.case)
        if d is None or came is None:
            out.append(Judged(x, Verdict.MISSED, None, 0))
        elif x.target is not None and d.target != x.target:
            out.append(Judged(x, Verdict.WRONG_UNIT, d.login, 0, d.at))
        elif d.at - came > x.within:
            out.append(Judged(x, Verdict.LATE, d.login, 0, d.at))
        else:
            out.append(Judged(x, Verdict.ON_TIME, d.login, x.points, d.at))
    return out


def deciding(done: Iterable[Done]) -> dict[tuple[str, Action], Done]:
    """The action that decides each (case, kind of action): the first taken, whoever took it."""
    first: dict[tuple[str, Action], Done] = {}
    for one in sorted(done, key=lambda d: d.at):
        first.setdefault((one.case, one.action), one)
    return first


def overdue(j: Judged, reported: Mapping[str, datetime], now: datetime) -> bool:
    """A step the room missed: nobody took it, and its time (from its case's report) is up.
    Missed but not overdue, it is still waiting for someone."""
    came = reported.get(j.expectation.case)
    return j.verdict is Verdict.MISSED and came is not None and came + j.expectation.within <= now


def next_step(
    scenario: Scenario, reported: Mapping[str, datetime], done: Iterable[Done]
) -> Expectation | None:
    """The step the guided mode hints at: of the expected steps on cases already in, not yet
    taken by anyone, the one due first."""
    taken = {(d.case, d.action) for d in done}
    waiting = [
        (reported[x.case] + x.within, n, x)
        for n, x in enumerate(scenario.expects)
        if x.case in reported and (x.case, x.action) not in taken
    ]
    return min(waiting)[2] if waiting else None


def scoreboard(judged: Iterable[Judged], trainees: Iterable[str]) -> list[Score]:
    """Every trainee's line, the best first: what each did of what was expected."""
    scores = {login: Score(login) for login in trainees}
    for j in judged:
        if j.by is None:
            continue
        s = scores.setdefault(j.by, Score(j.by))
        s.steps += 1
        s.points += j.points
        s.on_time += j.verdict is Verdict.ON_TIME
        s.late += j.verdict is Verdict.LATE
        s.wrong_unit += j.verdict is Verdict.WRONG_UNIT
    return sorted(scores.values(), key=lambda s: (-s.points, s.login))
