"""Choosing one entry of many by typing: units (~900 of them) and case categories.

A `Picker` is a filter line over a list, fzf-style: the highlighted entry is the choice, so
the suggested entry needs no key at all and anything else is a few letters away. In `multi`
mode (co-handling units) Enter on a typed filter adds or removes the highlighted entry.
`unit_items` puts the units an operator looks for first at the top of the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from console.domain.enums import UnitKind
from console.domain.workflow import community_unit_code, grid_unit_code
from console.i18n import t
from console.present import inert
from console.queries.cases import CaseDetail
from console.queries.reference import Reference, UnitInfo, name_in
from console.views.context import session_of

# Entries listed at most: nobody scrolls through 900 units, and drawing them all costs time
# on every key typed; the rest are a few letters away.
SHOWN = 60


@dataclass(frozen=True)
class Item:
    value: str
    text: str  # shown as plain text, never markup
    note: str = ""  # a dim tag after the text: "category default", "returned this case"
    warn: bool = False  # shown dim: offered, but not suggested

    @property
    def haystack(self) -> str:
        return f"{self.value} {self.text}".lower()


def matches(item: Item, query: str) -> bool:
    """Every word of the query occurs in the entry's code or name."""
    return all(word in item.haystack for word in query.lower().split())


def _unit_name(unit: UnitInfo, lang: str) -> str:
    return inert(name_in(unit, lang))


def unit_items(ref: Reference, d: CaseDetail, lang: str) -> list[Item]:
    """Every unit, those an operator wants for this case first: the category's default unit,
    this grid's worker, this community, this street's sections, the district's departments
    and companies, the rest of the street, everything else. Units that returned the case
    come last: they said it is not theirs."""
    grid = ref.area(d.grid_code)
    street = ref.area(d.street_code)
    community = ref.areas[grid.community_id].code if grid.community_id else None
    default = ref.default_unit(ref.category_by_code[d.category_code], grid)
    own_grid = grid_unit_code(grid.code)
    own_community = community_unit_code(community) if community else None
    returned = set(d.returned_units)

    def place(u: UnitInfo) -> tuple[int, str]:
        if u.code in returned:
            return 9, "act.unit_returned"
        if default is not None and u.code == default.code:
            return 0, "act.unit_default"
        if u.code == own_grid:
            return 1, "act.unit_grid"
        if u.code == own_community:
            return 2, "act.unit_community"
        if u.kind is UnitKind.SECTION and u.street_id == street.id:
            return 3, "act.unit_street"
        if u.kind in (UnitKind.DEPARTMENT, UnitKind.COMPANY):
            return 4, ""
        if u.street_id == street.id:
            return 5, ""
        return 6, ""

    ranked = sorted(ref.units.values(), key=lambda u: (place(u)[0], u.code))
    items = []
    for u in ranked:
        tier, note = place(u)
        items.append(Item(u.code, _unit_name(u, lang), t(note, lang) if note else "", tier == 9))
    return items


def category_items(ref: Reference, lang: str) -> list[Item]:
    """The subcategories a case can be filed under, by code."""
    leaves = sorted((c for c in ref.categories.values() if c.is_leaf), key=lambda c: c.code)
    return [Item(c.code, inert(name_in(c, lang))) for c in leaves]


class Picker(Vertical):
    """A filter line over a list; the highlighted entry is the value."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Previous", show=False, id="picker.up"),
        Binding("down", "move(1)", "Next", show=False, id="picker.down"),
        Binding("pageup", "move(-8)", "Page up", show=False, id="picker.pageup"),
        Binding("pagedown", "move(8)", "Page down", show=False, id="picker.pagedown"),
    ]

    class Done(Message):
        """Enter with nothing left for the picker to take: the form may confirm."""

    class Changed(Message):
        """Another entry highlighted (single) or taken or dropped (multi)."""

        def __init__(self, picker: Picker) -> None:
            self.picker = picker
            super().__init__()

        @property
        def control(self) -> Picker:
            return self.picker

    def __init__(
        self,
        heading: str,
        items: list[Item],
        *,
        value: str | None = None,
        multi: bool = False,
        limit: int | None = SHOWN,
        blink: bool = True,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="picker -multi" if multi else "picker")
        self.heading = heading
        self.items = items
        self.multi = multi
        self.limit = limit
        self._names = {i.value: i.text for i in items}
        self.blink = blink
        self.chosen: list[str] = []  # multi mode: in the order they were added
        self._shown: list[Item] = []
        self._start = (
            value
            if value is not None
            else next((i.value for i in items if not i.warn), items[0].value if items else None)
        )

    @property
    def value(self) -> str | None:
        """The highlighted entry (single mode)."""
        option = self.query_one(OptionList).highlighted_option
        return option.id if option is not None else None

    def compose(self) -> ComposeResult:
        yield Static(id="picker-title", classes="picker-title")
        hint = t("act.hint_multi" if self.multi else "act.filter", session_of(self).lang)
        field = Input(placeholder=hint, classes="picker-filter")
        field.cursor_blink = self.blink
        yield field
        options = OptionList(classes="picker-list")
        # The filter line keeps the focus: the list only shows where the highlight is.
        options.can_focus = False
        yield options

    def on_mount(self) -> None:
        self._fill("", self._start)

    def on_descendant_focus(self) -> None:
        # The list opens under the picker being typed in; the others fold to their title line.
        self.add_class("-open")

    def on_descendant_blur(self) -> None:
        self.remove_class("-open")

    def focus(self, scroll_visible: bool = True) -> Picker:
        self.query_one(Input).focus(scroll_visible)
        return self

    def _label(self, item: Item) -> Text:
        text = Text()
        if self.multi:
            text.append("✓ " if item.value in self.chosen else "  ", style="bold")
        text.append(item.text, style="dim" if item.warn else "")
        text.append(f"  {item.value}", style="dim")
        if item.note:
            text.append(f"  {item.note}", style="italic")
        return text

    def _fill(self, query: str, keep: str | None) -> None:
        found = [i for i in self.items if matches(i, query)]
        self._shown = found[: self.limit] if self.limit else found
        options = self.query_one(OptionList)
        options.set_options(Option(self._label(i), id=i.value) for i in self._shown)
        if not found:
            options.add_option(
                Option(Text(t("act.no_match", session_of(self).lang), style="dim"), disabled=True)
            )
        elif len(found) > len(self._shown):
            more = t("act.more", session_of(self).lang, n=len(found) - len(self._shown))
            options.add_option(Option(Text(more, style="dim"), disabled=True))
        position = next((n for n, i in enumerate(self._shown) if i.value == keep), 0)
        options.highlighted = position if self._shown else None
        self._show_title()

    def _show_title(self) -> None:
        names = self._names
        if self.multi:
            picked = "、".join(names[c] for c in self.chosen) or t(
                "act.none_chosen", session_of(self).lang
            )
        else:
            value = self.value
            picked = (
                names[value] if value is not None else t("act.none_chosen", session_of(self).lang)
            )
        self.query_one("#picker-title", Static).update(
            Text.assemble((self.heading, "bold"), "  ", picked)
        )

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not self._shown:
            return
        options.highlighted = max(0, min(len(self._shown) - 1, options.highlighted + delta))

    def _toggle(self, value: str) -> None:
        if value in self.chosen:
            self.chosen.remove(value)
        else:
            self.chosen.append(value)
        options = self.query_one(OptionList)
        item = next(i for i in self._shown if i.value == value)
        options.replace_option_prompt(value, self._label(item))
        self._show_title()
        self.post_message(self.Changed(self))

    @on(Input.Changed, ".picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        self._fill(event.value, self.value)

    @on(Input.Submitted, ".picker-filter")
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        value = self.value
        if self.multi and event.value.strip():
            # Typed words pick a unit; they never send the form.
            if value is None:
                self.app.bell()
            else:
                self._toggle(value)
                event.input.clear()
            return
        self.post_message(self.Done())

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if not self.multi:
            self._show_title()
            self.post_message(self.Changed(self))

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.multi and event.option.id is not None:
            self._toggle(event.option.id)
        self.query_one(Input).focus()
