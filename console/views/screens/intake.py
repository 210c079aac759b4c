"""The intake form (key n): a call taken into a new case while the caller is on the line.

Typing is the fast path. Category and grid are found as you type — names, codes, a community,
an address — and ↑↓ Enter takes a match; Enter moves to the next field and saves from the
last one; ctrl+s saves from anywhere. Before saving, the form shows the unit the case would go
to and the deadlines it would get, from the domain's clock. The service runs in a thread
worker; the screen returns the new case's queue row, or None when cancelled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TextArea

from console import wallclock
from console.domain.enums import Source, Urgency
from console.domain.errors import GridcallError, StoreError
from console.domain.intake import NewCase, confidential_by_default
from console.domain.limits import (
    ADDRESS_MAX,
    DESCRIPTION_MAX,
    PHONE_MAX,
    REPORTER_NAME_MAX,
    TITLE_MAX,
)
from console.domain.workflow import report_refusal
from console.i18n import label, say, t, when
from console.present import inert, road_segment
from console.queries import lookup
from console.queries.cases import CaseDetail, CaseRow
from console.queries.lookup import Hit
from console.queries.reference import GRID_LEVELS, AreaInfo, name_in
from console.session import Session
from console.terminal import UNICODE
from console.views.context import console_of, session_of
from console.views.messages import Recount
from console.views.viewmodels.intake import (
    REQUIRED,
    Draft,
    deadlines,
    problem_text,
    span_text,
)
from console.views.widgets.keybar import KeyBar
from console.views.widgets.keynames import localise
from console.views.widgets.picker import Picker
from console.views.widgets.text_limit import CappedInput, CappedTextArea

if TYPE_CHECKING:
    pass

# The hotline first: most calls come from it, so it is the default.
SOURCES = (
    Source.HOTLINE,
    Source.PATROL,
    Source.LINE_8890,
    Source.APP,
    Source.SENSOR,
    Source.LEADER,
    Source.REFERRAL,
)

# The form's row of each field that can be wrong; the phone shares the reporter's row.
FIELD_ROW = {name: name for name in REQUIRED} | {"phone": "reporter"}


def text_input(
    testing: bool, lang: str, *, placeholder: str = "", max_length: int, id: str
) -> Input:
    """A one-line input of the form's field `id`; its cursor does not blink under test, so
    snapshots are stable."""
    field = t(f"intake.field.{id}", lang)
    full = t("intake.too_long", lang, field=field, max=max_length)
    box = CappedInput(full, placeholder=placeholder, max_length=max_length, id=id)
    box.cursor_blink = not testing
    return box


class Stepper(Widget, can_focus=True):
    """One of a few values, stepped through with ← → or space: quicker than a drop-down when
    the default is nearly always right. Shows every option when they fit, else the current."""

    DEFAULT_CSS = """
    Stepper {
        height: 1;
        width: 1fr;
    }

    Stepper:focus {
        background: $boost;
    }

    Stepper > .stepper--selected {
        background: $primary 50%;
        text-style: bold;
    }

    Stepper:focus > .stepper--selected {
        background: $accent;
        color: $text;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"stepper--selected"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", "Previous", show=False, id="intake.choice_prev"),
        Binding("right,space", "step(1)", "Next", show=False, id="intake.choice_next"),
    ]

    index: reactive[int] = reactive(0, init=False)

    class Changed(Message):
        def __init__(self, stepper: Stepper) -> None:
            self.stepper = stepper
            super().__init__()

    def __init__(self, options: Sequence[tuple[str, str]], *, id: str) -> None:
        super().__init__(id=id)
        self.options = list(options)  # (value, what is shown)

    @property
    def value(self) -> str:
        return self.options[self.index][0]

    def action_step(self, delta: int) -> None:
        self.index = (self.index + delta) % len(self.options)

    def watch_index(self) -> None:
        self.post_message(self.Changed(self))

    def render(self) -> Text:
        selected = self.get_component_rich_style("stepper--selected", partial=True)
        row = Text(no_wrap=True)
        for i, (_, shown) in enumerate(self.options):
            if i:
                row.append(" ")
            row.append(f" {shown} ", selected if i == self.index else "")
        if row.cell_len <= self.size.width:
            return row
        shown = self.options[self.index][1]
        place = f"  {self.index + 1}/{len(self.options)}"
        return Text.assemble(
            UNICODE.previous, (f" {shown} ", selected), UNICODE.next, (place, "dim"), no_wrap=True
        )


class ConfirmDiscard(ModalScreen[bool]):
    """y discards what was typed, n or Esc goes back to the form. `question`: the catalogue's
    key of what is asked (which form's text is lost)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Discard", id="intake.discard_yes"),
        Binding("n,escape", "answer(False)", "Keep typing", id="intake.discard_no"),
    ]

    def __init__(self, question: str = "intake.discard") -> None:
        super().__init__()
        localise(self, session_of(self).lang)
        self.question = question

    def compose(self) -> ComposeResult:
        yield Static(t(self.question, session_of(self).lang), id="discard-box")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def category_line(hit: Hit, lang: str) -> Text:
    path = f" {UNICODE.path} ".join(name_in(c, lang) for c in hit.path)
    line = Text.assemble((hit.code, "bold"), " ", name_in(hit, lang), ("  " + path, "dim"))
    line.no_wrap, line.overflow = True, "ellipsis"
    return line


def grid_line(hit: Hit, lang: str) -> Text:
    # Nearest first: when the line is cut short, the community is what is left. A grid found
    # by the road an address names says which stretch of it lies there, before all that.
    above = f" {UNICODE.dot} ".join(a.name for a in reversed(hit.path))
    mark = f"{UNICODE.dedicated} " if hit.dedicated else ""
    road = f"  {road_segment(hit.segment, lang)}" if hit.segment else ""
    line = Text.assemble(
        (mark, "bold"),
        (hit.name, "bold"),
        " ",
        (hit.code, "dim"),
        (road, "italic"),
        ("  " + above, "dim"),
    )
    line.no_wrap, line.overflow = True, "ellipsis"
    return line


def _out_of_reach(hits: Sequence[Hit], lang: str) -> Text | None:
    """The grid a text finds that this user may not register a case in, and the street or
    community holding it: a call about another street's road is that centre's to take."""
    if not hits:
        return None
    said = Text.assemble((t("intake.grid_beyond", lang), "italic"), " ", grid_line(hits[0], lang))
    said.no_wrap, said.overflow = True, "ellipsis"
    return said


class IntakeScreen(Screen["CaseRow | None"]):
    """The form. Returns the new case's row once saved, None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="intake.save"),
        Binding("escape", "cancel", "Cancel", id="intake.cancel"),
        Binding("enter", "next", "Next field", show=False, id="intake.next"),
    ]
    AUTO_FOCUS = "#title"

    def __init__(self) -> None:
        super().__init__()
        localise(self, self.session.lang)
        self.saving = False
        # The fields a failed save named: each leaves the notice once it is filled in.
        self.flagged: set[str] = set()

    @property
    def session(self) -> Session:
        return session_of(self)

    def _row(self, name: str, *widgets: Widget) -> Horizontal:
        lang = self.session.lang
        caption = t(f"intake.field.{name}", lang) + (" *" if name in REQUIRED else "")
        return Horizontal(Label(caption, classes="caption"), *widgets, id=f"row-{name}")

    def compose(self) -> ComposeResult:
        session = self.session
        lang = session.lang
        testing = console_of(self).testing
        ref = session.reference
        actor = session.actor

        def allowed(grid: AreaInfo) -> bool:
            assert grid.street_id is not None
            street = ref.areas[grid.street_id].code
            return report_refusal(actor, street=street, grid=grid.code) is None

        yield Static(id="intake-heading")
        description = CappedTextArea(
            id="description", tab_behavior="focus", compact=True, max_length=DESCRIPTION_MAX
        )
        description.cursor_blink = not testing
        with VerticalScroll(id="intake-form"):
            yield self._row(
                "source",
                Stepper([(s.value, label("source", s.value, lang)) for s in SOURCES], id="source"),
            )
            yield self._row(
                "title",
                text_input(
                    testing,
                    lang,
                    placeholder=t("intake.hint.title", lang),
                    max_length=TITLE_MAX,
                    id="title",
                ),
            )
            yield self._row("description", description)
            yield self._row(
                "category",
                Picker(
                    lambda text: lookup.categories(ref, text),
                    line=lambda hit: category_line(hit, lang),
                    label=lambda hit: f"{hit.code} {name_in(hit, lang)}",
                    placeholder=t("intake.hint.category", lang),
                    dropdown=True,
                    blink=not testing,
                    id="category",
                ),
            )
            urgencies = [("", t("intake.urgency.auto", lang))] + [
                (u.value, label("urgency", u.value, lang)) for u in Urgency
            ]
            yield self._row("urgency", Stepper(urgencies, id="urgency"))
            yield self._row(
                "grid",
                Picker(
                    lambda text: lookup.areas(ref, text, GRID_LEVELS, allowed=allowed),
                    line=lambda hit: grid_line(hit, lang),
                    beyond=lambda text: _out_of_reach(lookup.areas(ref, text, GRID_LEVELS), lang),
                    label=lambda hit: f"{hit.name} {hit.code}",
                    placeholder=t("intake.hint.grid", lang),
                    dropdown=True,
                    blink=not testing,
                    id="grid",
                ),
            )
            yield self._row(
                "address",
                text_input(
                    testing,
                    lang,
                    placeholder=t("intake.hint.address", lang),
                    max_length=ADDRESS_MAX,
                    id="address",
                ),
            )
            yield self._row(
                "reporter",
                text_input(
                    testing,
                    lang,
                    placeholder=t("intake.hint.reporter", lang),
                    max_length=REPORTER_NAME_MAX,
                    id="reporter",
                ),
                Label(t("intake.field.phone", lang), classes="caption", id="phone-caption"),
                text_input(
                    testing,
                    lang,
                    placeholder=t("intake.hint.phone", lang),
                    max_length=PHONE_MAX,
                    id="phone",
                ),
            )
            yield self._row(
                "confidential",
                Stepper(
                    [(v, t(f"intake.confidential.{v}", lang)) for v in ("no", "yes")],
                    id="confidential",
                ),
            )
        yield Static(id="intake-preview")
        yield Static(id="intake-problems")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_heading()
        self.show_preview()
        # The deadlines count from now: keep them true while the call goes on.
        self.set_interval(30, self.tick)

    def tick(self) -> None:
        self.show_heading()
        self.show_preview()

    def show_heading(self) -> None:
        session = self.session
        lang = session.lang
        clock = when(wallclock.now(), session.tz)
        self.query_one("#intake-heading", Static).update(
            Text.assemble(
                (f" {t('intake.heading', lang)}", "bold"),
                f"  {UNICODE.bar}  {session.user.name}  {UNICODE.bar}  {clock}",
            )
        )

    # --- what the form holds ---------------------------------------------------------------

    def draft(self) -> Draft:
        category = self.query_one("#category", Picker)
        grid = self.query_one("#grid", Picker)
        urgency = self.query_one("#urgency", Stepper).value
        return Draft(
            source=Source(self.query_one("#source", Stepper).value),
            title=self.query_one("#title", Input).value,
            description=self.query_one("#description", TextArea).text,
            category=category.value,
            category_query=category.query_text,
            urgency=Urgency(urgency) if urgency else None,
            grid=grid.value,
            grid_query=grid.query_text,
            address=self.query_one("#address", Input).value,
            reporter_name=self.query_one("#reporter", Input).value,
            reporter_phone=self.query_one("#phone", Input).value,
            confidential=self.query_one("#confidential", Stepper).value == "yes",
        )

    def typed(self) -> bool:
        d = self.draft()
        texts = (d.title, d.description, d.category_query, d.grid_query, d.address)
        return any(s.strip() for s in (*texts, d.reporter_name, d.reporter_phone))

    def show_preview(self) -> None:
        """The default unit and the deadlines, for the category, urgency and grid chosen."""
        session = self.session
        lang = session.lang
        ref = session.reference
        d = self.draft()
        box = self.query_one("#intake-preview", Static)
        if d.category is None:
            box.update(Text(t("intake.pick_category", lang), style="dim"))
            return
        category = ref.category(d.category)
        tz = session.tz
        due = deadlines(session.clock, category, d.urgency, wallclock.now())
        per_day = session.clock.hours.minutes_per_day
        if d.grid is None:
            unit_name = t("intake.pick_grid", lang)
        else:
            unit = ref.default_unit(category, ref.grid(d.grid))
            unit_name = name_in(unit, lang) if unit else ""
            unit_name = unit_name or t("intake.unit_none", lang)
        urgency = label("urgency", due.urgency, lang)
        if d.urgency is None:
            urgency += t("intake.by_category", lang)
        accept = span_text(due.accept_minutes, due.working, per_day, lang)
        handle = span_text(due.handle_minutes, due.working, per_day, lang)
        style = "bold red" if due.urgency is Urgency.URGENT else "bold"
        box.update(
            Text.assemble(
                (f"{t('intake.unit', lang)}  ", "dim"),
                unit_name,
                "\n",
                (f"{t('intake.accept_by', lang)}  ", "dim"),
                (when(due.accept_by, tz), style),
                t("intake.span", lang, span=accept),
                (urgency, style),
                "\n",
                (f"{t('intake.handled_by', lang)}  ", "dim"),
                (when(due.handled_by, tz), "bold"),
                t("intake.handled_note", lang, span=handle),
            )
        )

    def show_problems(self, problems: dict[str, str]) -> None:
        self.flagged = set(problems)
        for name, row in FIELD_ROW.items():
            self.query_one(f"#row-{row}").set_class(name in problems, "-invalid")
        self.query_one("#intake-problems", Static).update(
            Text(problem_text(problems, self.session.lang), style="bold red")
        )

    def recheck(self) -> None:
        """After a failed save, the notice follows the fields as they are filled in: it names
        what still stops the save, never a field the operator has not reached yet."""
        if self.flagged and not self.saving:
            problems = self.draft().problems()
            self.show_problems({k: v for k, v in problems.items() if k in self.flagged})

    def on_input_changed(self) -> None:
        self.recheck()

    def on_picker_changed(self, message: Picker.Changed) -> None:
        picker = message.picker
        if picker.id == "category" and picker.value is not None:
            # A tip's reporter is confidential unless the operator says otherwise.
            category = self.session.reference.category_by_code[picker.value]
            tip = confidential_by_default(category.name)
            self.query_one("#confidential", Stepper).index = 1 if tip else 0
        address = self.query_one("#address", Input)
        if picker.taken is not None and picker.taken.in_address and not address.value.strip():
            # The grid was found from an address typed whole: that is the address, too.
            address.value = picker.searched.strip()
        self.show_preview()
        self.recheck()

    def on_picker_done(self) -> None:
        self.focus_next()

    def on_stepper_changed(self, message: Stepper.Changed) -> None:
        self.show_preview()

    # --- keys ----------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "phone":  # the last field: Enter saves
            self.action_save()
        else:
            self.focus_next()

    def action_next(self) -> None:
        self.focus_next()

    def action_save(self) -> None:
        if self.saving:
            return
        draft = self.draft()
        problems = draft.problems()
        self.show_problems(problems)
        if problems:
            first = next(iter(problems))
            self.query_one(f"#{first}").focus()
            return
        self.saving = True
        self.query_one("#intake-problems", Static).update(
            Text(t("intake.saving", self.session.lang), style="dim")
        )
        self.save(draft.new_case())

    @work(thread=True, exclusive=True, group="intake-save", exit_on_error=False)
    def save(self, new: NewCase) -> None:
        try:
            detail = self.session.report(new)
        except GridcallError as err:
            # Refused (not allowed here, a category gone) or the store is away: the operator
            # reads why, the form keeps what was typed, and Enter or ctrl+s tries again.
            lang = self.session.lang
            said = say(err, lang).splitlines()[0]
            if isinstance(err, StoreError):
                said = t("form.kept", lang, reason=said)
            self.app.call_from_thread(self.refused, said)
        else:
            self.app.call_from_thread(self.saved, detail)

    def saved(self, detail: CaseDetail) -> None:
        lang = self.session.lang
        self.app.notify(
            t("intake.saved", lang, code=detail.code, title=inert(detail.row.title)), markup=False
        )
        self.post_message(Recount())
        self.dismiss(detail.row)

    def refused(self, message: str) -> None:
        self.saving = False
        self.query_one("#intake-problems", Static).update(Text(message, style="bold red"))
        self.app.notify(message, severity="error", markup=False)

    def action_cancel(self) -> None:
        if self.saving:  # the case is being written: its result closes the form
            return
        if not self.typed():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDiscard(), answered)


def open_intake(screen: Screen[None], created: Callable[[CaseRow], None]) -> None:
    """Open the form over `screen`, unless this user may not register cases at all (a
    department liaison): then say why, in the domain's words, and stay where we are."""
    session = session_of(screen)
    refusal = report_refusal(session.actor)
    app = screen.app
    if refusal is not None:
        app.notify(say(refusal, session.lang), severity="error", markup=False)
        return

    def done(row: CaseRow | None) -> None:
        if row is not None:
            created(row)

    app.push_screen(IntakeScreen(), done)
