"""The training debrief as a document (培训复盘): the scoreboard, each expectation's verdict and
the scenario's timeline, as the trail judged them — for `gridcall train report --format xlsx`,
written by the bulletins' own writers."""

from __future__ import annotations

from datetime import tzinfo

from console.demo.training import Playing
from console.domain.actions import Action
from console.domain.scenario import Judged, Score
from console.i18n import label, t, when
from console.reports.document import Column, Document, Kind, Section, Table


def debrief(
    play: Playing, verdicts: list[Judged], board: list[Score], lang: str, tz: tzinfo
) -> Document:
    scenario = play.scenario

    def col(name: str, kind: Kind = Kind.TEXT) -> Column:
        return Column(t(f"debrief.col.{name}", lang), kind)

    count = Kind.COUNT
    scores = Table(
        "scoreboard",
        t("debrief.board", lang),
        (col("trainee"), col("points", count), col("total", count), col("steps", count),
         col("on_time", count), col("late", count), col("wrong_unit", count)),
        tuple(
            (s.login, s.points, scenario.total, s.steps, s.on_time, s.late, s.wrong_unit)
            for s in board
        ),
        sheet=t("debrief.board", lang),
    )  # fmt: skip
    judged = Table(
        "verdicts",
        t("debrief.verdicts", lang),
        (col("case"), col("code"), col("action"), col("expected"), col("within", count),
         col("verdict"), col("by"), col("at"), col("points", count), col("total", count)),
        tuple(
            (
                v.expectation.case,
                play.cases.get(v.expectation.case),
                label("action", v.expectation.action, lang),
                v.expectation.target if v.expectation.action is not Action.DUPLICATE else None,
                int(v.expectation.within.total_seconds() // 60),
                t(f"train.verdict.{v.verdict.value}", lang),
                v.by,
                when(v.at, tz, seconds=True) if v.at else None,
                v.points,
                v.expectation.points,
            )
            for v in verdicts
        ),
        sheet=t("debrief.verdicts", lang),
    )  # fmt: skip
    timeline = Table(
        "timeline",
        t("debrief.timeline", lang),
        (col("n", count), col("when"), col("event"), col("case"), col("code"), col("fired")),
        tuple(
            (
                n,
                when(play.started + e.at, tz, seconds=True),
                t(f"train.event.{e.kind.value}", lang),
                e.case,
                play.cases.get(e.case),
                t("debrief.yes" if n - 1 in play.fired else "debrief.no", lang),
            )
            for n, e in enumerate(scenario.events, 1)
        ),
        sheet=t("debrief.timeline", lang),
    )
    return Document(
        t("debrief.title", lang, title=scenario.title_in(lang), name=scenario.name),
        t("debrief.subtitle", lang, at=when(play.started, tz, seconds=True)),
        t("debrief.issuer", lang, total=scenario.total),
        lang,
        (
            Section(scores.title, tables=(scores,)),
            Section(judged.title, tables=(judged,)),
            Section(timeline.title, tables=(timeline,)),
        ),
    )
