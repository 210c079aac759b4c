"""The debrief's replay (培训复盘) as pages, one per action a trainee took: what was done and
with which key, the case as it stood right after (status, where it is held and by whom, the
step's light and deadline at that moment, its timeline up to then) and what the action earned.
Pure: the replay's screen draws these, `gridcall train replay --plain` prints them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from console.demo.training import Step
from console.domain.actions import Action
from console.domain.enums import Light
from console.domain.scenario import Judged, Verdict
from console.domain.sla import SlaClock
from console.i18n import label, t, when
from console.present import event_line, inert
from console.terminal import UNICODE


@dataclass(frozen=True)
class Page:
    step: str  # "step 3 of 7"
    at: str  # the training time of the action
    action: str  # "dispatch · key d"
    case: str  # its code and title, the scenario's name for it
    verdicts: tuple[tuple[str, bool], ...]  # what the action earned, and whether it scored
    facts: tuple[tuple[str, str], ...]  # status, where it is held, the lead unit
    light: Light
    deadline: str  # "on time · due 12-05 09:35"
    timeline: tuple[str, ...]  # oldest first, this action last

    def lines(self, lang: str) -> list[str]:
        """The page as plain text lines."""
        verdicts = [text for text, _ in self.verdicts] or [t("replay.no_verdict", lang)]
        return [
            f"{self.step}  {self.at}  {self.action}",
            self.case,
            *(f"  {UNICODE.arrow} {text}" for text in verdicts),
            *(f"  {name}: {value}" for name, value in self.facts),
            f"  {t('replay.light', lang)}: {self.deadline}",
            f"  {t('replay.timeline', lang)}",
            *(f"    {line}" for line in self.timeline),
        ]


def pages(
    steps: list[Step],
    lang: str,
    tz: ZoneInfo,
    clock: SlaClock,
    keys: Mapping[Action, str],
    unit_name: Callable[[str], str],
) -> list[Page]:
    """`keys`: the key the console binds to each action; `unit_name`: a unit's name by its
    code, in the reader's language."""
    total = len(steps)
    return [_page(n, total, s, lang, tz, clock, keys, unit_name) for n, s in enumerate(steps, 1)]


def _page(
    n: int,
    total: int,
    step: Step,
    lang: str,
    tz: ZoneInfo,
    clock: SlaClock,
    keys: Mapping[Action, str],
    unit_name: Callable[[str], str],
) -> Page:
    state, at = step.state, step.event.at
    key = keys.get(step.action)
    pressed = t("replay.key", lang, pressed=key) if key else t("replay.no_key", lang)
    case = f"{step.code}  {inert(step.title)}"
    if step.case is not None:
        case += f"  ({t('replay.scenario_case', lang, name=step.case)})"
    lead = state.lead_unit
    facts = [
        (t("replay.status", lang), label("status", state.status, lang)),
        (t("replay.holder", lang), label("level", state.level, lang)),
        (t("replay.lead", lang), f"{lead} {unit_name(lead)}" if lead else UNICODE.dash),
    ]
    light = clock.light(at, state.warn_at, state.deadline_at)
    deadline = label("light", light, lang)
    if state.deadline_at is not None:
        deadline += f" · {t('replay.deadline', lang, at=when(state.deadline_at, tz))}"
    return Page(
        step=t("replay.step", lang, n=n, total=total),
        at=when(at, tz, seconds=True),
        action=f"{label('action', step.action, lang)} · {pressed}",
        case=case,
        verdicts=tuple(_verdict(j, lang) for j in step.verdicts),
        facts=tuple(facts),
        light=light,
        deadline=deadline,
        timeline=tuple(event_line(e, tz, lang) for e in step.timeline),
    )


def _verdict(j: Judged, lang: str) -> tuple[str, bool]:
    x = j.expectation
    if j.verdict is Verdict.ON_TIME:
        return t("replay.on_time", lang, points=j.points), True
    if j.verdict is Verdict.LATE:
        return t("replay.late", lang, within=int(x.within.total_seconds() // 60)), False
    if x.action is Action.DUPLICATE:
        return t("replay.wrong_case", lang, case=x.target), False
    return t("replay.wrong_unit", lang, unit=x.target), False


def plain(title: str, shown: list[Page], lang: str) -> str:
    """Every page, one after the other: for the CI and a debrief sheet."""
    out = [title]
    for page in shown:
        out += ["", *page.lines(lang)]
    return "\n".join(out)
