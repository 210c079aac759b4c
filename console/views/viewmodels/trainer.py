"""The trainer's console as text: the drill's heading, the scoreboard, the room's missed steps,
the timeline and each expected step's verdict so far — pure, tested without Textual."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING

from console.domain.scenario import Verdict
from console.i18n import label, t
from console.terminal import Glyphs

if TYPE_CHECKING:
    from console.demo.training import TrainerBoard

SCORE_COLUMNS = ("trainee", "points", "steps", "on_time", "late", "wrong_unit")


@dataclass(frozen=True)
class BoardText:
    heading: str  # the scenario's title · the training clock (time, paused or ×rate)
    scores_title: str
    score_head: tuple[str, ...]
    scores: list[tuple[str, ...]]  # one row a trainee, the best first
    missed: str  # the room's missed steps
    timeline_title: str
    # Training time, fired mark or "waiting", the event, and (for a wide screen) what it says.
    timeline: list[tuple[str, str, str, str]]
    steps_title: str
    # The step, who took it, the verdict, points of its points, and (wide) what is expected.
    steps: list[tuple[str, str, str, str, str]]


def clock_text(board: TrainerBoard, tz: tzinfo, lang: str) -> str:
    at = t("trainer.clock", lang, at=board.now.astimezone(tz).strftime("%H:%M:%S"))
    state = t("trainer.paused", lang) if board.clock.frozen else f"×{board.clock.rate:g}"
    return f"{at} {state}"


def board_text(board: TrainerBoard, tz: tzinfo, lang: str, glyphs: Glyphs) -> BoardText:
    play = board.play
    scenario = play.scenario
    total = scenario.total
    scores: list[tuple[str, ...]] = [
        (s.login, f"{s.points}/{total}", str(s.steps), str(s.on_time), str(s.late),
         str(s.wrong_unit))
        for s in board.scores
    ]  # fmt: skip
    timeline = [
        (
            (play.started + e.at).astimezone(tz).strftime("%H:%M"),
            glyphs.chosen if i in play.fired else t("trainer.waiting", lang),
            f"{t('trainer.event.' + e.kind.value, lang)} {e.case}",
            e.report.title if e.report is not None else e.text or "",
        )
        for i, e in enumerate(scenario.events)
    ]
    steps = []
    for v, late in zip(board.verdicts, board.overdue, strict=True):
        x = v.expectation
        if v.verdict is Verdict.MISSED and not late:
            verdict = t("trainer.verdict.waiting", lang)  # nobody yet, and still in time
        else:
            verdict = t("train.verdict." + v.verdict.value, lang)
        steps.append(
            (
                f"{x.case} {glyphs.dot} {label('action', x.action, lang)}",
                v.by or glyphs.dash,
                verdict,
                f"{v.points}/{x.points}",
                x.hint_in(lang),
            )
        )
    return BoardText(
        heading=f"{scenario.title_in(lang)} {glyphs.bar} {clock_text(board, tz, lang)}",
        scores_title=t("trainer.scores", lang, total=total),
        score_head=tuple(t("trainer.col." + c, lang) for c in SCORE_COLUMNS),
        scores=scores,
        missed=t("trainer.room_missed", lang, n=board.missed),
        timeline_title=t("trainer.timeline", lang),
        timeline=timeline,
        steps_title=t("trainer.steps", lang),
        steps=steps,
    )
