"""Training mode's clock: the time a training store lives in, driven by the trainer.

A training store keeps one clock for every console and command that opens it: the training
time it read (`at`) at a wall-clock instant (`since`), and how fast it runs from there
(`rate` training seconds per wall second; 0 while frozen). Lights, deadlines and the trail's
times follow it, never the wall clock, so a trainer can hold a scene still while explaining it,
or send the afternoon by in a minute. It only ever moves forward: the trail's times must too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from console.domain.errors import Invalid

RATES = (1, 60)  # ×1 to ×60: a minute of the room is at most an hour of the centre's
ADVANCE_MAX = timedelta(days=7)  # one step of the trainer's: a week at most


@dataclass(frozen=True)
class TrainingClock:
    since: datetime  # the wall-clock instant the clock was last set (aware)
    at: datetime  # the training time it read then (aware)
    rate: float = 1.0  # training seconds per wall second; 0: frozen

    @property
    def frozen(self) -> bool:
        return self.rate == 0

    def now(self, wall: datetime) -> datetime:
        """The training time at this wall-clock instant."""
        return self.at + (wall - self.since) * self.rate

    def freeze(self, wall: datetime) -> TrainingClock:
        return TrainingClock(wall, self.now(wall), 0.0)

    def run(self, wall: datetime, rate: float = 1.0) -> TrainingClock:
        """Running from where it stands, at `rate` (×1 to ×60)."""
        low, high = RATES
        if not low <= rate <= high:
            raise Invalid("error.training_rate", rate=f"{rate:g}", low=low, high=high)
        return TrainingClock(wall, self.now(wall), float(rate))

    def advance(self, wall: datetime, by: timedelta) -> TrainingClock:
        """Moved on by `by`, running (or frozen) as it was."""
        if not timedelta(0) < by <= ADVANCE_MAX:
            raise Invalid("error.training_advance", days=ADVANCE_MAX.days)
        return TrainingClock(wall, self.now(wall) + by, self.rate)

    def to_json(self) -> str:
        return json.dumps(
            {"since": self.since.isoformat(), "at": self.at.isoformat(), "rate": self.rate}
        )

    @classmethod
    def from_json(cls, text: str) -> TrainingClock:
        raw = json.loads(text)
        return cls(
            datetime.fromisoformat(raw["since"]),
            datetime.fromisoformat(raw["at"]),
            float(raw["rate"]),
        )
