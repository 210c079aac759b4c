"""One search picker for every find-as-you-type field: the intake form's category and grid, the
action forms' units and category, the filters' category, places and unit.

A `Picker` is a search box over the entries `console.queries.lookup` finds for what is typed.
It sits in a form in one of two ways:

- as a drop-down (`dropdown=True`, the intake form): the list opens under the box as you type
  and closes once a match is taken — Enter, or leaving the box with one match left. Nothing is
  chosen until then, and typing again drops what was taken: a caller on the line is not
  filed under a guess;
- as an open list (the action forms; the filters' `PickerScreen`, the same picker in a
  modal): the list shows while the picker has the focus and the highlighted entry is the
  choice, so a suggested entry (a category's default unit) takes no key at all. `multi`
  (co-handling units): Enter on a typed filter adds or removes the highlighted entry.
  `any_entry` heads the list with an entry that chooses nothing: "(any)" in a filter.

Each field says how an entry reads in the list (`line`) and once chosen (`label`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from console.domain.limits import SEARCH_MAX
from console.i18n import t
from console.queries.lookup import Hit
from console.terminal import UNICODE
from console.views.context import session_of
from console.views.widgets.keynames import localise

# Entries listed at most: nobody scrolls through 900 units, and drawing them all costs time
# on every key typed; the rest are a few letters away, and the list says how many.
SHOWN = 60
PAGE = 8  # entries PgUp / PgDn move by


class Picker(Vertical):
    """A search box over the entries found for what is typed; see the module's docstring."""

    # The drop-down pushes the fields below it down rather than float over them: Textual
    # cuts an overlay's lines at the edges of the widgets beneath, and a CJK character on a
    # cut is lost.
    DEFAULT_CSS = """
    Picker {
        height: auto;
        width: 1fr;
    }
    Picker > .picker--title {
        margin-top: 1;
        height: 1;
    }
    Picker > Input.picker--box {
        height: 1;
        border: none;
        padding: 0 1;
        background: $boost;
    }
    Picker > Input.picker--box:focus {
        background: $accent 25%;
    }
    Picker > OptionList.picker--list {
        display: none;
        height: auto;
        max-height: 8;
        border: none;
        padding: 0;
        background: $surface;
    }
    Picker.-open > OptionList.picker--list {
        display: block;
    }
    Picker.-multi > OptionList.picker--list {
        max-height: 5;
    }
    Picker.-dropdown > OptionList.picker--list {
        max-height: 6;
        width: 1fr;
        background: $panel;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Previous", show=False, id="picker.up"),
        Binding("down", "move(1)", "Next", show=False, id="picker.down"),
        Binding("pageup", f"move(-{PAGE})", "Page up", show=False, id="picker.pageup"),
        Binding("pagedown", f"move({PAGE})", "Page down", show=False, id="picker.pagedown"),
        Binding("escape", "close", "Close list", show=False, id="picker.close"),
    ]

    class Changed(Message):
        """The choice changed: a match taken or dropped (drop-down), another entry
        highlighted (single), one added or removed (multi)."""

        def __init__(self, picker: Picker) -> None:
            self.picker = picker
            super().__init__()

        @property
        def control(self) -> Picker:
            return self.picker

    class Done(Message):
        """Enter with nothing left for the picker to do: the form may move on or confirm."""

        def __init__(self, picker: Picker) -> None:
            self.picker = picker
            super().__init__()

        @property
        def control(self) -> Picker:
            return self.picker

    def __init__(
        self,
        search: Callable[[str], Sequence[Hit]],
        *,
        line: Callable[[Hit], Text],
        label: Callable[[Hit], str],
        placeholder: str = "",
        heading: str | None = None,
        value: str | None = None,
        typed: str = "",
        dropdown: bool = False,
        multi: bool = False,
        any_entry: str | None = None,
        limit: int | None = SHOWN,
        blink: bool = True,
        beyond: Callable[[str], Text | None] | None = None,
        id: str | None = None,
    ) -> None:
        assert not (dropdown and (multi or any_entry)), "a drop-down takes one match"
        classes = "-dropdown" if dropdown else "-multi" if multi else ""
        super().__init__(id=id, classes=classes)
        localise(self, session_of(self).lang)
        self.search = search
        self.line = line
        self.label = label
        self.placeholder = placeholder
        self.heading = heading
        self.dropdown = dropdown
        self.multi = multi
        self.any_entry = any_entry
        self.limit = limit
        self.blink = blink
        # Said when nothing matches: what the text finds out of this user's reach, if anything,
        # rather than a bare "nothing matches" for a place that exists.
        self.beyond = beyond
        self.typed = typed  # what the box starts with
        self.searched = ""  # the text the entries listed were found for
        self.found: list[Hit] = []  # every entry found for it, best first
        self.shown: list[Hit] = []  # those listed
        self.taken: Hit | None = None  # drop-down: the match taken
        self.chosen: list[str] = []  # multi: the codes chosen, in the order they were added
        self._known: dict[str, Hit] = {}  # every entry listed so far, by code: for the title
        self._start = value

    def compose(self) -> ComposeResult:
        if self.heading is not None:
            yield Static(classes="picker--title")
        box = Input(
            self.typed,
            placeholder=self.placeholder,
            max_length=SEARCH_MAX,
            compact=self.dropdown,
            classes="" if self.dropdown else "picker--box",
        )
        box.cursor_blink = self.blink
        yield box
        listing = OptionList(classes="picker--list")
        # The box keeps the focus and steers the list, which only shows where the highlight is.
        listing.can_focus = False
        yield listing

    def on_mount(self) -> None:
        if not self.dropdown:
            self._fill(self.typed, self._start)

    @property
    def box(self) -> Input:
        return self.query_one(Input)

    @property
    def query_text(self) -> str:
        return self.box.value

    @property
    def hit(self) -> Hit | None:
        """The entry chosen: the match taken (drop-down), else the one highlighted."""
        if self.dropdown:
            return self.taken
        option = self.query_one(OptionList).highlighted_option
        return self._known.get(option.id) if option is not None and option.id else None

    @property
    def value(self) -> str | None:
        """The code chosen, if any: None also for the "(any)" entry."""
        hit = self.hit
        return hit.code if hit is not None else None

    def focus(self, scroll_visible: bool = True) -> Picker:
        self.box.focus(scroll_visible)
        return self

    def type(self, text: str) -> None:
        """Text typed before the box had the focus (a modal still opening) goes into it."""
        self.box.insert_text_at_cursor(text)

    # --- the list ----------------------------------------------------------------------------

    def _line(self, hit: Hit) -> Text:
        if not self.multi:
            return self.line(hit)
        mark = f"{UNICODE.chosen} " if hit.code in self.chosen else "  "
        return Text.assemble((mark, "bold"), self.line(hit))

    def _fill(self, text: str, keep: str | None) -> None:
        """List the entries found for `text`; the highlight stays on `keep` while it is
        listed, else goes to the first entry suggested (to "(any)" when nothing is typed)."""
        self.searched = text
        self.found = list(self.search(text))
        self.shown = self.found[: self.limit] if self.limit else self.found
        self._known.update((h.code, h) for h in self.shown)
        options = [Option(self._line(h), id=h.code) for h in self.shown]
        if self.any_entry is not None:
            options.insert(0, Option(Text(self.any_entry)))
        if not self.found and text.strip():
            said = self.beyond(text) if self.beyond is not None else None
            if said is None:
                said = Text(t("picker.no_match", session_of(self).lang), style="dim")
            options.append(Option(said, disabled=True))
        elif len(self.found) > len(self.shown):
            more = t("picker.more", session_of(self).lang, n=len(self.found) - len(self.shown))
            options.append(Option(Text(more, style="dim"), disabled=True))
        listing = self.query_one(OptionList)
        listing.set_options(options)
        first = 1 if self.any_entry is not None else 0
        codes = [h.code for h in self.shown]
        if keep in codes:
            listing.highlighted = first + codes.index(keep)
        elif self.any_entry is not None and not text.strip():
            listing.highlighted = 0
        elif self.shown:
            suggested = next((n for n, h in enumerate(self.shown) if h.suggested), 0)
            listing.highlighted = first + suggested
        else:
            listing.highlighted = 0 if self.any_entry is not None else None
        self._show_title()

    def _show_title(self) -> None:
        if self.heading is None:
            return
        if self.multi:
            names = "、".join(self.label(self._known[c]) for c in self.chosen)
        else:
            hit = self.hit
            names = self.label(hit) if hit is not None else ""
        self.query_one(".picker--title", Static).update(
            Text.assemble(
                (self.heading, "bold"),
                "  ",
                names or t("picker.none_chosen", session_of(self).lang),
            )
        )

    def _open(self, is_open: bool) -> None:
        if is_open != self.has_class("-open"):
            self.set_class(is_open, "-open")
            self.refresh_bindings()  # the footer follows: Esc closes the list, or cancels

    def take(self, index: int) -> None:
        """Drop-down: take the match listed at `index`."""
        self.taken = self.shown[index]
        self.box.value = self.label(self.taken)
        self._open(False)
        self.post_message(self.Changed(self))

    def _toggle(self, code: str) -> None:
        if code in self.chosen:
            self.chosen.remove(code)
        else:
            self.chosen.append(code)
        self.query_one(OptionList).replace_option_prompt(code, self._line(self._known[code]))
        self._show_title()
        self.post_message(self.Changed(self))

    # --- keys and events ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A closed drop-down leaves ↑ ↓ and Esc to the form (Esc then cancels, and the footer
        # says so); an open list has no Esc of its own.
        if action == "move":
            return self.has_class("-open") or not self.dropdown
        if action == "close":
            return self.dropdown and self.has_class("-open")
        return True

    def action_move(self, delta: int) -> None:
        listing = self.query_one(OptionList)
        if listing.highlighted is None:
            return
        if self.dropdown and abs(delta) == 1:
            # A drop-down's few matches go round, as Textual's lists do: ↑ on the first
            # reaches the last.
            if delta > 0:
                listing.action_cursor_down()
            else:
                listing.action_cursor_up()
            return
        # An open list stops at its ends: going round from the last entry would land on
        # "(any)", or on the suggested entry the list opened with.
        last = (1 if self.any_entry is not None else 0) + len(self.shown) - 1
        listing.highlighted = max(0, min(last, listing.highlighted + delta))

    def action_close(self) -> None:
        self._open(False)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if not self.dropdown:
            self._fill(event.value, self.value)
            return
        if self.taken is not None and event.value == self.label(self.taken):
            return  # the box now shows the match just taken
        if self.taken is not None:
            self.taken = None
            self.post_message(self.Changed(self))
        self._fill(event.value, None)
        self._open(bool(event.value.strip()) and self.box.has_focus)

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        if self.multi and event.value.strip():
            # Typed words choose a unit; they never send the form.
            value = self.value
            if value is None:
                self.app.bell()
            else:
                self._toggle(value)
                event.input.clear()
            return
        if self.dropdown and self.has_class("-open") and self.shown:
            self.take(self.query_one(OptionList).highlighted or 0)
        self.post_message(self.Done(self))

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if not (self.dropdown or self.multi):
            self._show_title()
            self.post_message(self.Changed(self))

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        # A click highlights the entry; a drop-down takes it, a multi list adds or removes it.
        # Otherwise it bubbles on, so a modal picker can take it at once.
        if self.dropdown and event.option.id is not None:
            event.stop()
            self.take([h.code for h in self.shown].index(event.option.id))
        elif self.multi and event.option.id is not None:
            event.stop()
            self._toggle(event.option.id)
        self.box.focus()

    def on_descendant_focus(self) -> None:
        if self.dropdown:
            self._open(self.taken is None and bool(self.query_text.strip()))
        else:
            self._open(True)

    def on_descendant_blur(self) -> None:
        # Leaving with one match left is as good as taking it: one key less for the operator.
        if self.dropdown and self.taken is None and len(self.shown) == 1:
            self.take(0)
        self._open(False)


@dataclass(frozen=True)
class Picked:
    """What a `PickerScreen` answers when an entry is taken; Esc answers None instead."""

    code: str | None  # None: the "(any)" entry, no condition


class PickerScreen(ModalScreen[Picked | None]):
    """A picker in a box of its own, over the screen: Enter (or a click) takes the entry
    highlighted, Esc leaves the field as it was."""

    DEFAULT_CSS = """
    PickerScreen {
        align: center middle;
    }
    PickerScreen > .picker--frame {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    PickerScreen Picker > Input.picker--box {
        padding: 0;
    }
    PickerScreen Picker > Input.picker--box:focus {
        background: $boost;
    }
    PickerScreen Picker > OptionList.picker--list {
        max-height: 14;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", show=False, id="pick.cancel"),
    ]

    def __init__(self, title: str, picker: Picker) -> None:
        super().__init__()
        self.title_text = title
        self.picker = picker

    def compose(self) -> ComposeResult:
        with Vertical(classes="picker--frame") as frame:
            frame.border_title = self.title_text
            yield self.picker

    def on_mount(self) -> None:
        self.picker.focus()

    def type(self, text: str) -> None:
        self.picker.type(text)

    @on(Picker.Done)
    @on(OptionList.OptionSelected)
    def _taken(self) -> None:
        self.dismiss(Picked(self.picker.value))
