"""吹哨报到: the task of each department a whistle summons.

A whistle names a lead unit and co-units; each co-unit is given a task with two deadlines of
its own — to report for duty (报到) and to file its feedback (反馈) — counted from the whistle
in the case's time (working time unless the case is urgent). The lead unit's result waits for
every task's feedback, filed or waived by a supervisor; the street then rates each
department's response. Tasks travel on the case as a tuple of frozen `Task`s, and as JSON in
its row (`to_json` / `from_json`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from console.domain.enums import Light

CHECK_IN_HOURS = 2
FEEDBACK_HOURS = 24


@dataclass(frozen=True)
class WhistleRules:
    """The config file's `[whistle]`: hours a summoned department has to check in and to file
    its feedback, from the whistle."""

    check_in_hours: int = CHECK_IN_HOURS
    feedback_hours: int = FEEDBACK_HOURS


DEFAULT_RULES = WhistleRules()


class UnitRating(StrEnum):
    """The street's rating of a summoned department's response."""

    TIMELY = "timely"
    ADEQUATE = "adequate"
    POOR = "poor"


class TaskState(StrEnum):
    TO_CHECK_IN = "to_check_in"
    CHECKED_IN = "checked_in"
    FED_BACK = "fed_back"
    WAIVED = "waived"


@dataclass(frozen=True)
class Task:
    """One summoned department's task on a case."""

    unit: str
    check_in_by: datetime
    check_in_warn: datetime
    feedback_by: datetime
    feedback_warn: datetime
    checked_in_at: datetime | None = None
    fed_back_at: datetime | None = None
    feedback: str | None = None
    waived_at: datetime | None = None
    waive_reason: str | None = None
    rating: UnitRating | None = None
    # The deadlines (oversight.Missed's values) the system has urged the department for.
    urged: tuple[str, ...] = ()

    @property
    def state(self) -> TaskState:
        if self.waived_at is not None:
            return TaskState.WAIVED
        if self.fed_back_at is not None:
            return TaskState.FED_BACK
        if self.checked_in_at is not None:
            return TaskState.CHECKED_IN
        return TaskState.TO_CHECK_IN

    @property
    def owes(self) -> bool:
        """Whether the department still owes its feedback (neither filed nor waived)."""
        return self.state in (TaskState.TO_CHECK_IN, TaskState.CHECKED_IN)

    def light(self, now: datetime) -> Light:
        """Green until the deadline it owes next nears, yellow near it, red past it; none
        once it owes nothing."""
        state = self.state
        if state is TaskState.TO_CHECK_IN:
            warn, deadline = self.check_in_warn, self.check_in_by
        elif state is TaskState.CHECKED_IN:
            warn, deadline = self.feedback_warn, self.feedback_by
        else:
            return Light.NONE
        if now > deadline:
            return Light.RED
        if now >= warn:
            return Light.YELLOW
        return Light.GREEN

    @property
    def checked_in_on_time(self) -> bool:
        return self.checked_in_at is not None and self.checked_in_at <= self.check_in_by

    @property
    def fed_back_on_time(self) -> bool:
        return self.fed_back_at is not None and self.fed_back_at <= self.feedback_by


def owing(tasks: tuple[Task, ...]) -> tuple[str, ...]:
    """The units that still owe their feedback, in the whistle's order."""
    return tuple(t.unit for t in tasks if t.owes)


def to_rate(tasks: tuple[Task, ...]) -> tuple[str, ...]:
    """The units whose response the street may rate: answered, and not rated yet."""
    return tuple(t.unit for t in tasks if not t.owes and t.rating is None)


def task_of(tasks: tuple[Task, ...], unit: str | None) -> Task | None:
    return next((t for t in tasks if t.unit == unit), None)


def with_task(tasks: tuple[Task, ...], task: Task) -> tuple[Task, ...]:
    """The tasks with `task` in place of its unit's."""
    return tuple(task if t.unit == task.unit else t for t in tasks)


_TIMES = ("check_in_by", "check_in_warn", "feedback_by", "feedback_warn")
_MAYBE_TIMES = ("checked_in_at", "fed_back_at", "waived_at")


def to_json(tasks: tuple[Task, ...]) -> list[dict[str, Any]]:
    """The tasks as the case's row keeps them: instants in ISO form, absent fields left out."""
    out = []
    for t in tasks:
        item: dict[str, Any] = {"unit": t.unit}
        for name in (*_TIMES, *_MAYBE_TIMES):
            value = getattr(t, name)
            if value is not None:
                item[name] = value.isoformat()
        for name in ("feedback", "waive_reason"):
            if getattr(t, name) is not None:
                item[name] = getattr(t, name)
        if t.rating is not None:
            item["rating"] = t.rating.value
        if t.urged:
            item["urged"] = list(t.urged)
        out.append(item)
    return out


def from_json(items: list[dict[str, Any]] | None) -> tuple[Task, ...]:
    def instant(item: dict[str, Any], name: str) -> datetime | None:
        value = item.get(name)
        return datetime.fromisoformat(value) if value else None

    tasks = []
    for item in items or ():
        rating = item.get("rating")
        tasks.append(
            Task(
                unit=str(item["unit"]),
                check_in_by=datetime.fromisoformat(item["check_in_by"]),
                check_in_warn=datetime.fromisoformat(item["check_in_warn"]),
                feedback_by=datetime.fromisoformat(item["feedback_by"]),
                feedback_warn=datetime.fromisoformat(item["feedback_warn"]),
                checked_in_at=instant(item, "checked_in_at"),
                fed_back_at=instant(item, "fed_back_at"),
                waived_at=instant(item, "waived_at"),
                feedback=item.get("feedback"),
                waive_reason=item.get("waive_reason"),
                rating=UnitRating(rating) if rating else None,
                urged=tuple(item.get("urged") or ()),
            )
        )
    return tuple(tasks)
