"""Automatic 督办: the centre's rules for urging by the system, and what an urge fired.

The config file's `[oversight]` switches each rule and gives its figures:

- `urge_when_red`: a case whose step turns red while a unit holds it is urged once for that
  step, the lead unit given `reply_hours` to reply (counted like the case's clock);
- `supervisor_after`: a case red for this multiple of its step's limit is raised to the
  supervisor (督办件). The reading: the step has run (multiple − 1) × its limit past its
  deadline — with no extension, the multiple × the limit since the step began. 0 = off;
- `urge_late_departments`: a department a whistle summoned that is past its check-in or its
  feedback deadline is urged, once per deadline.

The workflow decides which are due for a case (`workflow.due_oversight`); the events are the
table's urge, written by `SYSTEM`, their payload naming the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# The login the system's own events are written by: no user has it (services.users refuses it).
SYSTEM = "system"
REPLY_HOURS = 4
SUPERVISOR_AFTER = 2.0


class Rule(StrEnum):
    URGE_WHEN_RED = "urge_when_red"
    SUPERVISOR_AFTER = "supervisor_after"
    URGE_LATE_DEPARTMENTS = "urge_late_departments"


class Missed(StrEnum):
    """The deadline of a summoned department's task it was urged for."""

    CHECK_IN = "check_in"
    FEEDBACK = "feedback"


@dataclass(frozen=True)
class OversightRules:
    """The config file's `[oversight]`."""

    urge_when_red: bool = True
    reply_hours: int = REPLY_HOURS
    supervisor_after: float = SUPERVISOR_AFTER
    urge_late_departments: bool = True


DEFAULT_OVERSIGHT = OversightRules()


@dataclass(frozen=True)
class Due:
    """An automatic urge due on a case: the rule, and for a late department its unit and the
    deadline it missed."""

    rule: Rule
    unit: str | None = None
    missed: Missed | None = None
