"""The case beside the queue (or full screen on a narrow terminal): the case, its timeline,
and the card of its grid. All text is assembled as rich Text from plain strings."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar
from zoneinfo import ZoneInfo

from rich.console import Group, RenderableType
from rich.segment import Segment
from rich.text import Text
from rich.theme import Theme
from textual import work
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from console import wallclock
from console.domain.enums import Light
from console.domain.errors import GridcallError, NotFound
from console.domain.limits import DESCRIPTION_MAX
from console.domain.policy import ReporterView, reads_only
from console.domain.sla import SlaClock
from console.i18n import label, say, t, when
from console.present import (
    event_line,
    inert,
    overall_due,
    overseen,
    reply_due,
    reporter_text,
    review_due,
    status_text,
    step_due,
    task_parts,
    time_left,
)
from console.queries.cases import CaseDetail
from console.queries.grids import GridCard
from console.queries.reference import Reference, name_in
from console.terminal import UNICODE
from console.views.context import session_of
from console.views.messages import StoreAway
from console.views.widgets.kept_styles import KeptStyles
from console.views.widgets.lights import light_classes, light_css

# The light's words are styled by name; the pane gives each name its component's style when
# it draws, so the heading's light is the queue's.
LIGHT_STYLE = {light: f"light.{light.value}" for light in Light}

# The most of a description the pane draws: as long as the longest the intake takes, whatever
# an older or imported case holds (wrapping a megabyte held the pane for seconds).
DESCRIPTION_SHOWN = DESCRIPTION_MAX


def _pair(name: str, value: str) -> Text:
    return Text.assemble((f"{name}  ", "dim"), value)


def case_text(
    d: CaseDetail,
    ref: Reference,
    clock: SlaClock,
    tz: ZoneInfo,
    lang: str,
    view: ReporterView,
    revealed: str | None = None,
    *,
    read_only: bool = False,
) -> RenderableType:
    """The case as this reader may see it: the reporter per `view`, the phone in full once
    revealed (`revealed`); `read_only` when a centre above the reader's holds it."""
    now = wallclock.now()
    row = d.row
    light = row.light(now)
    unit = ref.units.get(row.lead_unit_id) if row.lead_unit_id else None
    category = ref.categories[row.category_id]
    head = Text.assemble(
        (row.code, "bold"),
        "  ",
        (status_text(row, lang), "bold"),
        "  ",
        (f"{label('light', light, lang)} {time_left(row, now, lang)}", LIGHT_STYLE[light]),
        "  ",
        (label("urgency", row.urgency, lang), "bold red" if row.urgency.value == "urgent" else ""),
    )
    lines: list[RenderableType] = [head, Text(inert(row.title), style="bold")]
    kind = Text(f"{category.code} {name_in(category, lang)}")
    if d.to_triage:  # filed where it waits: the category is the operator's to set
        kind.append(f"  {t('find.triage', lang)}", "bold reverse")
    lines.append(Text.assemble((f"{t('ui.category', lang)}  ", "dim"), kind))
    lines.append(
        _pair(
            t("ui.source", lang),
            label("source", row.source, lang) + "  " + when(row.created_at, tz),
        )
    )
    lines.append(_pair(t("ui.address", lang), inert(d.address)))
    reporter = reporter_text(d, view, lang, revealed)
    if reporter is not None:
        lines.append(_pair(t("ui.reporter", lang), reporter))
    handling = (
        f"{label('level', row.level, lang)} {UNICODE.dot} {unit.name if unit else UNICODE.dash}"
    )
    if d.co_units:
        co = [ref.unit_by_code[c].name if c in ref.unit_by_code else c for c in d.co_units]
        handling += "  +" + "、".join(co)
    lines.append(_pair(t("ui.handling", lang), handling))
    if read_only:
        level = label("level", row.level, lang)
        lines.append(Text(t("ui.held_above", lang, level=level), style="bold"))
    if d.tasks:  # 吹哨报到: each summoned department's task, with a light of its own
        lines.append(Text(t("task.heading", lang), style="dim"))
    for task in d.tasks:
        name, state, left = task_parts(task, ref, now, lang)
        lit = task.light(now)
        # A task owing nothing has no clock: its rating (or a dash) says enough.
        timed = left if lit is Light.NONE else f"{label('light', lit, lang)} {left}"
        lines.append(
            Text.assemble(
                "  ",
                (timed, LIGHT_STYLE[lit]),
                f"  {inert(name)}  ",
                (state, "bold" if task.owes else ""),
            )
        )
    step_deadline = step_due(d, tz, lang)
    if step_deadline is not None:
        lines.append(_pair(t("ui.deadline", lang), step_deadline))
    due = overall_due(d, clock, now, tz, lang)
    if due is not None:  # beside the step's, with a light of its own
        due_light, shown = due
        lines.append(
            Text.assemble((f"{t('ui.due', lang)}  ", "dim"), (shown, LIGHT_STYLE[due_light]))
        )
    reply = reply_due(d, clock, now, tz, lang)
    if reply is not None:  # 督办: the reply the urge asked of the lead unit, with its light
        reply_lit, shown = reply
        lines.append(
            Text.assemble((f"{t('ui.reply_by', lang)}  ", "dim"), (shown, LIGHT_STYLE[reply_lit]))
        )
    if d.overseen_at is not None:  # a 督办件: raised to the supervisor
        lines.append(Text(overseen(d, tz, lang) or "", style="bold"))
    if row.return_reason is not None:  # 退回待批: the unit's reason, for the centre to weigh
        lines.append(_pair(t("ui.return_reason", lang), inert(row.return_reason)))
    review = review_due(d, clock, now, lang)
    if review is not None:
        review_light, shown = review
        lines.append(
            Text.assemble(
                (f"{t('ui.review_on', lang)}  ", "dim"), (shown, LIGHT_STYLE[review_light])
            )
        )
    if d.ext_until:
        lines.append(
            _pair(t("ui.extension", lang), f"{when(d.ext_until, tz)} {inert(d.ext_reason)}")
        )
    counters = []
    if d.rework_count:
        counters.append(f"{t('ui.rework', lang)} {d.rework_count}")
    if d.urge_count:
        counters.append(f"{t('ui.urged', lang)} {d.urge_count}")
    if d.duplicate_of:
        counters.append(f"{t('ui.duplicate_of', lang)} {d.duplicate_of}")
    if d.rating:
        counters.append(f"{label('rating', d.rating, lang)} {inert(d.rating_comment)}")
    if counters:
        lines.append(Text("  ".join(counters)))
    if d.description:
        lines.append(Text(""))
        lines.append(Text(inert(d.description[:DESCRIPTION_SHOWN])))
        more = len(d.description) - DESCRIPTION_SHOWN
        if more > 0:
            said = t("ui.description_more", lang, n=f"{more:,}", code=d.code)
            lines.append(Text(f"{UNICODE.ellipsis} {said}", style="dim"))
    if d.result:
        lines.append(_pair(t("ui.result", lang), inert(d.result)))
    for path in d.attachments:
        lines.append(_pair(t("ui.attachment", lang), inert(path)))
    lines.append(Text(""))
    lines.append(Text(t("ui.timeline", lang), style="bold underline"))
    for e in d.timeline:
        lines.append(Text(event_line(e, tz, lang)))
    return Group(*lines)


def grid_text(card: GridCard, lang: str) -> RenderableType:
    a = card.area
    path = f" {UNICODE.path} ".join(p.name for p in card.path)
    lines: list[RenderableType] = [
        Text(t("ui.grid_card", lang), style="bold underline"),
        Text(path, style="bold"),
        _pair(t("ui.grade", lang), label("grade", a.grade, lang) if a.grade else UNICODE.dash),
        _pair(
            t("ui.households", lang),
            f"{a.households:,} {UNICODE.dot} {t('ui.population', lang)} {a.population:,}",
        ),
    ]
    for who, key in ((card.worker, "ui.worker"), (card.leader, "ui.leader")):
        if who is not None:
            lines.append(_pair(t(key, lang), f"{who.name}  {who.phone or UNICODE.dash}"))
    lines.append(
        _pair(
            t("ui.open_cases", lang),
            f"{card.open_cases} {UNICODE.dot} {t('ui.overdue', lang)} {card.overdue}",
        )
    )
    if card.recent:
        # One flowing paragraph, not a line per category: at 80×24 the card shares a column
        # with the grid's queue, and every category must still show.
        recent = Text(t("ui.last_30_days", lang) + "  ", style="dim")
        for i, (category, n) in enumerate(card.recent):
            if i:
                recent.append(f" {UNICODE.dot} ", style="dim")
            recent.append(f"{n}\u00a0")
            recent.append(name_in(category, lang).replace(" ", "\u00a0"))
        lines.append(recent)
    return Group(*lines)


class CasePane(ScrollView):
    """Shows one case and its grid; empty until a case is highlighted.

    The text is rendered to lines once per case and width, and the pane draws those lines
    itself (Textual's line API): a new case repaints the pane without laying out any widget,
    which a pair of Statics cost twice per case, 5–15 ms each, while the next key waited.

    Beside the queue it waits for the cursor to rest (`rest` seconds without a newer case)
    before it redraws: a case passed over while j is held need not be drawn at all.
    """

    class Gone(Message):
        """The case asked for is not (or no longer) one this user may read."""

        def __init__(self, code: str) -> None:
            self.code = code
            super().__init__()

    COMPONENT_CLASSES: ClassVar[set[str]] = light_classes("case-pane")
    DEFAULT_CSS = """
    CasePane {
        overflow-x: hidden;
    }
    """ + light_css("CasePane", "case-pane")

    def __init__(self, *, rest: float = 0.0, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rest = rest  # seconds the cursor rests on a case before it is drawn
        self._pending: tuple[RenderableType | None, RenderableType | None] = (None, None)
        self._timer: Timer | None = None
        self._content: RenderableType = ""
        self._lines: list[Strip] = []
        self._room = Size(0, 0)  # the room the lines were rendered for
        self._style = KeptStyles(self)

    # Exclusive: a case passed over while j is held need not be shown once it is read.
    @work(thread=True, exclusive=True, group="case", exit_on_error=False)
    def load(self, code: str, then: Callable[[CaseDetail], None] | None = None) -> None:
        """Show the case and its grid; `then` gets the case as read, so a screen that also
        needs it (for its action keys) does not read it a second time."""
        session = session_of(self)
        try:
            detail = session.case(code)
            card = session.grid_card(detail.row.grid_id)
        except NotFound as exc:
            # Gone from the user's scope (a unit returned it, say): no case, not a lost store.
            self.app.call_from_thread(self.show, Text(say(exc, session.lang)), None)
            self.post_message(self.Gone(code))
            return
        except GridcallError as exc:
            self.post_message(StoreAway(exc))
            return
        lang = session.lang
        case = case_text(
            detail,
            session.reference,
            session.clock,
            session.tz,
            lang,
            detail.reporter_view(session.actor),
            session.revealed(code),
            read_only=reads_only(session.actor, detail.row.level),
        )
        self.app.call_from_thread(self.show, case, grid_text(card, lang))
        if then is not None:
            self.app.call_from_thread(then, detail)

    def show(self, case: RenderableType | None, grid: RenderableType | None) -> None:
        if not self.rest:
            self._draw(case, grid)
            return
        self._pending = (case, grid)
        if self._timer is None:
            self._timer = self.set_timer(self.rest, self._rested)
        else:
            self._timer.reset()

    @property
    def waiting(self) -> bool:
        """A case has arrived that the pane has not drawn yet."""
        return self._timer is not None

    @property
    def text(self) -> str:
        """What the pane shows, as plain lines."""
        return "\n".join(line.text.rstrip() for line in self._lines).strip("\n")

    def _rested(self) -> None:
        self._timer = None
        self._draw(*self._pending)

    def _draw(self, case: RenderableType | None, grid: RenderableType | None) -> None:
        if case is not None and grid is not None:
            self._content = Group(case, Text(""), grid)
        else:
            self._content = case or grid or ""
        self._room = Size(0, 0)
        self._render_lines()

    def on_resize(self) -> None:
        self._render_lines()

    def _render_lines(self) -> None:
        room = self.content_region.size
        if not room.area or room == self._room:
            return
        self._room = room
        lines = self._render_at(room.width)
        if len(lines) > room.height:
            # Taller than the pane: the scrollbar takes its columns, so wrap within the rest.
            lines = self._render_at(room.width - self.styles.scrollbar_size_vertical)
        before, self._lines = self._lines, lines
        self.virtual_size = Size(self.scrollable_content_region.width, len(lines))
        if len(before) != len(lines):
            self.refresh()
            return
        # The same case read again (by the minute, or after a change elsewhere): only the
        # lines that differ are sent, its time left, say, not the whole pane.
        for index, (old, new) in enumerate(zip(before, lines, strict=True)):
            if old != new:
                self.refresh_lines(index)

    def _render_at(self, width: int) -> list[Strip]:
        if not self._content:
            return []
        console = self.app.console
        lights = Theme(
            {
                name: self.get_component_rich_style(f"case-pane--{light.value}", partial=True)
                for light, name in LIGHT_STYLE.items()
            }
        )
        with console.use_theme(lights):
            lines = console.render_lines(self._content, console.options.update_width(width))
        # Neighbours of one style joined: each segment is sent with its own escape codes.
        return [Strip(Segment.simplify(line), width) for line in lines]

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style.clear()
        # The lights' styles come from the sheet: another theme draws the case anew.
        self._room = Size(0, 0)
        self.call_after_refresh(self._render_lines)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        style = self._style()
        if index >= len(self._lines):
            return Strip.blank(width, style)
        return self._lines[index].crop_extend(scroll_x, scroll_x + width, style).apply_style(style)
