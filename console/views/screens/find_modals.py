"""The find modals: `f` structured filters (their search fields open the search picker in a
modal) and `S` saving a view.

Everything is keyboard-first: ↑↓ go from field to field, ←→ and space pick among choices,
typing on a category, place or unit field opens a search over the reference data, Enter
applies, Esc backs out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from console.domain.enums import OPEN_STATUSES, AreaLevel, Level, Light, Source, Status, Urgency
from console.domain.errors import Invalid
from console.domain.errors import Label as Named
from console.domain.limits import DATE_MAX, VIEW_NAME_MAX
from console.domain.period import bound_text, period
from console.domain.policy import Actor
from console.i18n import label, say, t
from console.present import road_segment, view_title
from console.queries import lookup
from console.queries.cases import URGE_FILTERS, QueueFilter
from console.queries.lookup import Hit
from console.queries.reference import GRID_LEVELS, Reference, name_in
from console.queries.views import View
from console.terminal import UNICODE
from console.views.context import session_of
from console.views.widgets.picker import Picker, PickerScreen

GAP = 2  # cells between two choices
# The period's two ends, as its errors name them.
ENDS = (Named("filter", "from"), Named("filter", "to"))
LIGHTS = (Light.GREEN, Light.YELLOW, Light.RED)  # "no clock" is a status matter, not a light
PLACES = ("street", "community", "grid")


class Chips(Widget, can_focus=True):
    """A row of choices, wrapped when narrow: ←→ move, space picks.

    `multi`: any number may be picked (none picked: no condition). Otherwise exactly one is,
    and the first choice, `None`, stands for "any".
    """

    DEFAULT_CSS = """
    Chips {
        width: 1fr;
        height: auto;
    }

    Chips:focus {
        background: $accent 20%;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "move(-1)", "Left", show=False, id="chips.left"),
        Binding("right,l", "move(1)", "Right", show=False, id="chips.right"),
        Binding("space", "pick", "Pick", show=False, id="chips.toggle"),
    ]

    cursor: reactive[int] = reactive(0)

    def __init__(
        self,
        options: Sequence[tuple[object, str]],
        chosen: Iterable[object],
        *,
        multi: bool,
        id: str,
    ) -> None:
        super().__init__(id=id)
        self.options = options
        self.multi = multi
        self.chosen: set[object] = set(chosen)
        first = next((i for i, (v, _) in enumerate(options) if v in self.chosen), 0)
        self.set_reactive(Chips.cursor, first)  # start on what is picked

    def set_chosen(self, chosen: Iterable[object]) -> None:
        self.chosen = set(chosen)
        self.refresh()

    @property
    def single(self) -> object:
        """The one value picked (single choice)."""
        return next(iter(self.chosen), None)

    def action_move(self, step: int) -> None:
        self.cursor = (self.cursor + step) % len(self.options)

    def action_pick(self) -> None:
        value = self.options[self.cursor][0]
        if self.multi:
            self.chosen ^= {value}
        else:
            self.chosen = {value}
        self.refresh()

    def _chip(self, i: int) -> str:
        value, text = self.options[i]
        on_ = value in self.chosen
        mark = ("[x]" if on_ else "[ ]") if self.multi else ("(*)" if on_ else "( )")
        return mark + text

    def _lines(self, width: int) -> list[list[int]]:
        """Choices per line: wrapped between choices, never inside one."""
        lines: list[list[int]] = [[]]
        used = 0
        for i in range(len(self.options)):
            size = cell_len(self._chip(i))
            if lines[-1] and used + GAP + size > width:
                lines.append([])
                used = 0
            used += size + (GAP if lines[-1] else 0)
            lines[-1].append(i)
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Content:
        parts: list[str | tuple[str, str]] = []
        for n, line in enumerate(self._lines(self.size.width)):
            if n:
                parts.append("\n")
            for i in line:
                if i != line[0]:
                    parts.append(" " * GAP)
                cursor = self.has_focus and i == self.cursor
                chosen = self.options[i][0] in self.chosen
                parts.append((self._chip(i), "reverse" if cursor else "bold" if chosen else ""))
        return Content.assemble(*parts)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


class RefField(Widget, can_focus=True):
    """A category, place or unit: shows the one picked; typing or space searches for another."""

    DEFAULT_CSS = """
    RefField {
        width: 1fr;
        height: 1;
    }

    RefField:focus {
        background: $accent 20%;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "pick", "Search", show=False, id="ref.pick"),
        Binding("backspace,delete", "clear", "Clear", show=False, id="ref.clear"),
    ]

    class Pick(Message):
        """Search for a value starting from `term`; None: clear the field."""

        def __init__(self, field: RefField, term: str | None) -> None:
            self.field = field
            self.term = term
            super().__init__()

    def __init__(self, kind: str, code: str | None, shown: str, *, id: str) -> None:
        super().__init__(id=id)
        self.kind = kind
        self.code = code
        self.shown = shown
        # Characters typed after the first one opened a search, before its screen was up.
        self.typed_ahead: str | None = None

    def set(self, code: str | None, shown: str) -> None:
        self.code, self.shown = code, shown
        self.refresh()

    def render(self) -> Content:
        if self.code is None:
            return Content(t("filter.any", session_of(self).lang)).stylize("dim")
        return Content(self.shown)

    def action_pick(self) -> None:
        self.post_message(self.Pick(self, ""))

    def action_clear(self) -> None:
        self.post_message(self.Pick(self, None))

    def on_key(self, event: events.Key) -> None:
        if not (event.is_printable and event.character and not event.character.isspace()):
            return
        event.stop()
        # Fast typing (a paste, an input method committing 凤栖 at once) delivers the next
        # keys here while the search is still opening: they belong to its search box.
        screen = self.app.screen
        if isinstance(screen, PickerScreen):
            screen.type(event.character)
        elif self.typed_ahead is not None:
            self.typed_ahead += event.character
        else:
            self.typed_ahead = ""
            self.post_message(self.Pick(self, event.character))

    def take_typed_ahead(self) -> str:
        typed, self.typed_ahead = self.typed_ahead or "", None
        return typed


class FilterScreen(ModalScreen[QueueFilter | None]):
    """`f`: every structured filter on one screen. The search words are left as they are."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "apply", "Apply", id="filter.apply"),
        Binding("escape", "dismiss(None)", "Cancel", id="filter.cancel"),
        Binding("ctrl+r", "reset", "Clear all", id="filter.reset"),
        Binding("down", "app.focus_next", "Next field", show=False, id="filter.next"),
        Binding("up", "app.focus_previous", "Previous field", show=False, id="filter.previous"),
    ]

    def __init__(self, f: QueueFilter, ref: Reference, actor: Actor) -> None:
        super().__init__()
        self.base = f
        self.ref = ref
        self.actor = actor

    # --- building ------------------------------------------------------------------------------

    def _row(self, name: str, field: Widget) -> Horizontal:
        return Horizontal(
            Label(t(f"filter.{name}", session_of(self).lang), classes="filter-label"), field
        )

    def compose(self) -> ComposeResult:
        f, lang = self.base, session_of(self).lang
        anyone = (None, t("filter.any", session_of(self).lang))

        def single(kind: str, values: Iterable[object], value: object) -> Chips:
            options = [anyone, *((v, label(kind, str(v), lang)) for v in values)]
            return Chips(options, {value}, multi=False, id=f"f-{kind}")

        statuses = [(s, label("status", s, lang)) for s in Status]
        lights = [(v, label("light", v, lang)) for v in LIGHTS]
        with Vertical(id="filter-box") as box:
            box.border_title = t("filter.title", session_of(self).lang)
            yield self._row("status", Chips(statuses, f.statuses, multi=True, id="f-status"))
            yield self._row("light", Chips(lights, f.lights, multi=True, id="f-light"))
            yield self._row("urgency", single("urgency", Urgency, f.urgency))
            yield self._row("source", single("source", Source, f.source))
            yield self._row("level", single("level", Level, f.level))
            for kind in ("category", "street", "community", "grid", "unit"):
                code = getattr(f, kind)
                yield self._row(kind, RefField(kind, code, self._shown(kind, code), id=f"f-{kind}"))
            # Cases an operator still has to see to: not followed up, imported to triage, or
            # past their overall deadline.
            followup = [
                (name, t(f"find.{name}", lang))
                for name in ("unrated", "triage", "late_overall", "return_requested", "review_due")
            ]
            chosen = {name for name, _ in followup if getattr(f, name, None)}
            if f.review_due_by is not None:
                chosen.add("review_due")
            yield self._row("followup", Chips(followup, chosen, multi=True, id="f-unrated"))
            # 督办: urged with a reply owed (a unit's own to answer), that reply late, and the
            # cases raised to the supervisor.
            urges = [(name, t(f"find.{name}", lang)) for name in URGE_FILTERS]
            chosen = {name for name, _ in urges if getattr(f, name)}
            yield self._row("oversight", Chips(urges, chosen, multi=True, id="f-oversight"))
            yield self._row("reported", self._period(f))
            yield Static(t("filter.hint", session_of(self).lang), id="filter-hint", markup=False)

    def _period(self, f: QueueFilter) -> Horizontal:
        """The period's two days, from and to (typed: YYYY-MM-DD, or an ISO moment)."""
        session = session_of(self)
        lang, tz = session.lang, session.tz

        def day(end: str, value: str) -> Input:
            return Input(
                value,
                placeholder=t("filter.day", lang),
                id=f"f-{end}",
                max_length=DATE_MAX,
                select_on_focus=False,
                classes="filter-day",
            )

        return Horizontal(
            day("from", bound_text(f.reported_from, tz, end=False)),
            Label(t("filter.until", lang), classes="filter-until"),
            day("to", bound_text(f.reported_until, tz, end=True)),
            id="f-period",
        )

    def on_mount(self) -> None:
        self.query_one("#f-status").focus()

    # --- the search fields ---------------------------------------------------------------------

    def _field(self, kind: str) -> RefField:
        return self.query_one(f"#f-{kind}", RefField)

    def _shown(self, kind: str, code: str | None) -> str:
        if not code:
            return ""
        known = {"category": self.ref.category_by_code, "unit": self.ref.unit_by_code}
        info = known.get(kind, self.ref.area_by_code).get(code)  # type: ignore[attr-defined]
        if info is None:
            return code
        return f"{code}  {name_in(info, session_of(self).lang)}"

    def _search(self, kind: str, text: str) -> list[Hit]:
        ref, scope = self.ref, self.actor.street
        if kind == "category":
            return lookup.categories(ref, text, groups=True, browse=True)
        if kind == "unit":
            return lookup.units(ref, text, street=self._field("street").code or scope, browse=True)
        if kind == "street":
            return lookup.areas(ref, text, {AreaLevel.STREET}, within=scope, browse=True)
        within = self._field("street").code or scope
        if kind == "grid":
            within = self._field("community").code or within
            return lookup.areas(ref, text, GRID_LEVELS, within=within, browse=True)
        return lookup.areas(ref, text, {AreaLevel.COMMUNITY}, within=within, browse=True)

    @staticmethod
    def _line(kind: str, hit: Hit, lang: str) -> Text:
        """Code, name and what tells two alike apart: a category's group, a place's street
        (and for a grid found by a road, the stretch of it lying there)."""
        line = f"{hit.code}  {name_in(hit, lang)}"
        if hit.segment:
            line += f"  {road_segment(hit.segment, lang)}"
        if hit.path:
            line += f"  {UNICODE.dot} {hit.path[-1 if kind == 'category' else 0].name}"
        return Text(line)

    @on(RefField.Pick)
    def _pick(self, message: RefField.Pick) -> None:
        field = message.field
        if message.term is None:
            self._set(field.kind, None)
            return
        kind, lang = field.kind, session_of(self).lang
        picker = Picker(
            lambda text: self._search(kind, text),
            line=lambda hit: self._line(kind, hit, lang),
            label=lambda hit: f"{hit.code}  {name_in(hit, lang)}",
            placeholder=t("pick.placeholder", lang),
            typed=message.term + field.take_typed_ahead(),
            any_entry=t("pick.any", lang),
            limit=None,  # the list scrolls: every match is within reach of ↓
        )
        self.app.push_screen(
            PickerScreen(t(f"filter.{kind}", session_of(self).lang), picker),
            lambda picked: self._set(kind, picked.code) if picked is not None else None,
        )

    def _set(self, kind: str, code: str | None) -> None:
        """Set one field. Places stay consistent: a community or grid brings its own street
        (and community), and a narrower place outside the one picked is cleared."""
        self._field(kind).set(code, self._shown(kind, code))
        if kind not in PLACES:
            return
        area = self.ref.area_by_code[code] if code else None
        rank = PLACES.index(kind)
        if area is not None:
            for other in PLACES[:rank]:
                parent_id = area.street_id if other == "street" else area.community_id
                parent = self.ref.areas[parent_id].code if parent_id else None
                self._field(other).set(parent, self._shown(other, parent))
        for other in PLACES[rank + 1 :]:
            field = self._field(other)
            inner = self.ref.area_by_code[field.code] if field.code else None
            if inner and (area is None or area.id not in (inner.street_id, inner.community_id)):
                field.set(None, "")

    # --- answers -------------------------------------------------------------------------------

    def _chips(self, name: str) -> Chips:
        return self.query_one(f"#f-{name}", Chips)

    def _day(self, end: str) -> Input:
        return self.query_one(f"#f-{end}", Input)

    @on(Input.Submitted, ".filter-day")
    def _day_entered(self) -> None:
        self.action_apply()

    @on(Input.Changed, ".filter-day")
    def _day_typed(self) -> None:
        """A day being put right: the hint comes back in place of its error."""
        hint = self.query_one("#filter-hint", Static)
        if hint.has_class("-error"):
            hint.remove_class("-error")
            hint.update(Content(t("filter.hint", session_of(self).lang)))

    def action_apply(self) -> None:
        session = session_of(self)
        try:
            start, end = period(self._day("from").value, self._day("to").value, session.tz, ENDS)
        except Invalid as err:
            hint = self.query_one("#filter-hint", Static)
            hint.update(Content(say(err, session.lang, session.tz)))
            hint.add_class("-error")
            self._day("to" if err.params.get("name") == ENDS[1] else "from").focus()
            return
        self.dismiss(
            replace(
                self.base,
                statuses=frozenset(self._chips("status").chosen),  # type: ignore[arg-type]
                lights=frozenset(self._chips("light").chosen),  # type: ignore[arg-type]
                urgency=self._chips("urgency").single,  # type: ignore[arg-type]
                source=self._chips("source").single,  # type: ignore[arg-type]
                level=self._chips("level").single,  # type: ignore[arg-type]
                category=self._field("category").code,
                street=self._field("street").code,
                community=self._field("community").code,
                grid=self._field("grid").code,
                unit=self._field("unit").code,
                unrated="unrated" in self._chips("unrated").chosen,
                triage="triage" in self._chips("unrated").chosen,
                late_overall="late_overall" in self._chips("unrated").chosen,
                urged="urged" in self._chips("oversight").chosen,
                reply_late="reply_late" in self._chips("oversight").chosen,
                overseen="overseen" in self._chips("oversight").chosen,
                return_requested="return_requested" in self._chips("unrated").chosen,
                review_due_by=(
                    session_of(self).today()
                    if "review_due" in self._chips("unrated").chosen
                    else None
                ),
                reported_from=start,
                reported_until=end,
            )
        )

    def action_reset(self) -> None:
        self._chips("status").set_chosen(OPEN_STATUSES)
        for name in ("light", "unrated", "oversight"):
            self._chips(name).set_chosen(())
        for name in ("urgency", "source", "level"):
            self._chips(name).set_chosen({None})
        for kind in ("category", *PLACES, "unit"):
            self._field(kind).set(None, "")
        for end in ("from", "to"):
            self._day(end).value = ""


@dataclass(frozen=True)
class SaveRequest:
    slot: int
    name: str | None  # None: forget the saved view, the slot's default comes back


class SaveViewScreen(ModalScreen[SaveRequest | None]):
    """`S`: keep the current filter and sort on a number key, under a name."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="save.cancel"),
        Binding("delete", "restore", "Restore default", show=False, id="save.delete"),
    ]

    def __init__(self, views: dict[int, View], slot: int, name: str) -> None:
        super().__init__()
        self.views = views
        self.slot = slot
        self.suggested = name
        self._armed: int | None = None  # the slot a first Delete asked to restore
        # Typing has gone to the name. Keys typed in one burst are all handed to the list
        # before focus moves, so a digit among them is the name's, not another slot (`井盖18`
        # was saved as `井盖`, in slot 8).
        self._naming = False

    def compose(self) -> ComposeResult:
        lang = session_of(self).lang
        options = []
        for n, view in self.views.items():
            mark = "" if view.saved else f"  ({t('save.default', lang)})"
            options.append(Option(Content(f"{n}  {view_title(view, lang)}{mark}")))
        with Vertical(id="save-box") as box:
            box.border_title = t("save.title", session_of(self).lang)
            yield OptionList(*options, id="save-slots")
            with Horizontal(id="save-name-row"):
                yield Label(t("save.name", session_of(self).lang), classes="filter-label")
                # Focus leaves the name as it is: Tab to the slots and back must not select
                # what was typed, for the next key to replace (`_to_name`).
                yield Input(
                    self.suggested,
                    id="save-name",
                    max_length=VIEW_NAME_MAX,
                    select_on_focus=False,
                )
            yield Static(t("save.hint", session_of(self).lang), id="save-hint", markup=False)

    def on_mount(self) -> None:
        slots = self.query_one(OptionList)
        slots.highlighted = self.slot - 1
        slots.focus()

    @property
    def chosen(self) -> int:
        return (self.query_one(OptionList).highlighted or 0) + 1

    def on_key(self, event: events.Key) -> None:
        """On the slot list a digit picks the slot; any other character typed there is the
        start of the name. In the name field every key is the name's: the field keeps the
        characters it types, so one reaching here was handed to the list, even if focus has
        left it since (keys of one burst are all handed out before focus moves)."""
        slots = self.query_one(OptionList)
        if not event.is_printable or not event.character:
            return
        event.stop()
        if event.character in "123456789" and not self._naming:
            slots.highlighted = int(event.character) - 1
            self._to_name()
            return
        name = self._to_name()
        start, end = sorted(name.selection)
        name.replace(event.character, start, end)

    def _to_name(self) -> Input:
        """Focus the name; while it is still the suggestion, it is selected, so that what is
        typed replaces it."""
        name = self.query_one("#save-name", Input)
        self._naming = True
        name.focus()
        if name.value == self.suggested:
            name.select_all()
        return name

    @on(events.DescendantFocus, "#save-slots")
    def _back_on_the_slots(self) -> None:
        self._naming = False

    @on(OptionList.OptionSelected, "#save-slots")
    def _slot_chosen(self) -> None:
        self._to_name()

    @on(OptionList.OptionHighlighted, "#save-slots")
    def _slot_moved(self) -> None:
        if self._armed is not None:
            self._armed = None
            self.query_one("#save-hint", Static).update(
                Content(t("save.hint", session_of(self).lang))
            )

    @on(Input.Submitted, "#save-name")
    def _save(self, event: Input.Submitted) -> None:
        if not event.value.strip():  # said here, with the dialog still open to name it
            self.notify(t("error.view_name", session_of(self).lang), severity="warning")
            return
        self.dismiss(SaveRequest(self.chosen, event.value))

    def action_restore(self) -> None:
        slot = self.chosen
        view = self.views[slot]
        if not view.saved:
            self.notify(
                t("error.view_not_saved", session_of(self).lang, slot=slot),
                severity="warning",
                markup=False,
            )
            return
        if self._armed == slot:
            self.dismiss(SaveRequest(slot, None))
            return
        # Deleting loses the saved filter: a second Delete confirms.
        self._armed = slot
        lang = session_of(self).lang
        hint = t("save.confirm_delete", lang, slot=slot, name=view_title(view, lang))
        self.query_one("#save-hint", Static).update(Content(hint))
