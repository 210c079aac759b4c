"""The small modals of the actions: one form per action with only its fields, a y/n
confirmation, the conflict notice, and the menu of every action allowed on a case.

Which fields a form shows comes from the transition table (`TABLE[action].requires`) plus the
optional fields an action can carry; which are still missing is the domain's answer
(`workflow.missing`), shown under each field before anything is sent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from console import wallclock
from console.domain.actions import Action
from console.domain.enums import Rating, Urgency
from console.domain.limits import DATE_MAX
from console.domain.period import day
from console.domain.policy import Actor
from console.domain.whistle import Task, UnitRating, owing, to_rate
from console.domain.workflow import REPLY_HOURS_MAX, TABLE, TEXT_MAX, Params, missing
from console.i18n import label, t
from console.present import inert, status_text
from console.queries import lookup
from console.queries.cases import CaseDetail
from console.queries.lookup import Hit
from console.queries.reference import Reference, name_in
from console.views.widgets.picker import Picker

# The order fields appear in, whichever of them an action has.
FIELD_ORDER = (
    "unit",
    "co_units",
    "passed",
    "rating",
    "unit_rating",
    "urgency",
    "category",
    "other_case",
    "until",
    "review_on",
    "reason",
    "result",
    "text",
    "reply_hours",
    "instruction",
    "comment",
    "photo",
)
# What an action may carry besides what the table requires of it.
OPTIONAL: Mapping[Action, tuple[str, ...]] = {
    Action.DISPATCH: ("co_units", "instruction"),
    Action.WHISTLE: ("instruction",),
    Action.VERIFY: ("reason",),
    Action.URGE: ("text", "reply_hours"),
    Action.RATE: ("comment",),
    Action.HANDLED: ("photo",),
}
# Where an action names a field in its own words: a whistle has a lead and summoned units.
HEADINGS: Mapping[tuple[Action, str], str] = {
    (Action.WHISTLE, "unit"): "act.lead_unit",
    (Action.WHISTLE, "co_units"): "act.summoned",
    (Action.WAIVE, "unit"): "act.summoned_unit",
    (Action.RATE_UNIT, "unit"): "act.summoned_unit",
    (Action.FEEDBACK, "text"): "act.feedback_text",
    (Action.REPLY, "text"): "act.reply_text",
    (Action.REVIEW, "text"): "act.review_text",
}
# The summoned departments a form offers: those that owe, or those waiting to be rated.
TASKS_OFFERED: Mapping[Action, Callable[[tuple[Task, ...]], tuple[str, ...]]] = {
    Action.WAIVE: owing,
    Action.RATE_UNIT: to_rate,
}
# Actions that end a case or stop its clock: asked again even after their form.
DESTRUCTIVE = frozenset({Action.REJECT, Action.DUPLICATE, Action.SUSPEND})
TIME_FORMAT = "%Y-%m-%d %H:%M"
REVIEW_AFTER = timedelta(days=7)  # the review day a suspension or a review form offers


def fields_of(action: Action) -> list[str]:
    wanted = set(TABLE[action].requires) | set(OPTIONAL.get(action, ()))
    return [name for name in FIELD_ORDER if name in wanted]


def parse_time(text: str, tz: ZoneInfo) -> datetime:
    """A time typed by the operator, in the centre's zone unless it says otherwise."""
    parsed = datetime.fromisoformat(text.strip())
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=tz)


def unit_line(hit: Hit, lang: str) -> Text:
    """A unit as listed for a case: a unit that returned it dim, why it stands where it does
    after its code."""
    line = Text.assemble(
        (inert(name_in(hit, lang)), "" if hit.suggested else "dim"), (f"  {hit.code}", "dim")
    )
    if hit.tag is not None:
        line.append(f"  {t(f'act.unit_{hit.tag}', lang)}", style="italic")
    return line


def category_line(hit: Hit, lang: str) -> Text:
    return Text.assemble(inert(name_in(hit, lang)), (f"  {hit.code}", "dim"))


class ValueList(OptionList):
    """A few values, one highlighted: the highlighted one is the value."""

    def __init__(self, options: list[tuple[str, str]], value: str, *, id: str) -> None:
        super().__init__(*(Option(Text(text), id=v) for v, text in options), id=id)
        self.add_class("value-list")
        self._start = [v for v, _ in options].index(value)

    def on_mount(self) -> None:
        self.highlighted = self._start

    @property
    def value(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None


class ActionForm(ModalScreen[Params | None]):
    """The fields of one action, for one case or for every marked case (`count`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(
        self,
        action: Action,
        subject: CaseDetail,
        ref: Reference,
        actor: Actor,
        tz: ZoneInfo,
        lang: str,
        *,
        count: int = 1,
        blink: bool = True,
        kept: tuple[Params, str] | None = None,
    ) -> None:
        super().__init__(classes="action-modal")
        # A form sent while the store was away, opened again: what was typed, and why.
        self.kept = kept
        self.action = action
        self.subject = subject
        self.ref = ref
        self.actor = actor  # who acts: the units offered are those within their reach
        self.tz = tz
        self.lang = lang
        self.count = count
        self.blink = blink
        self.fields = fields_of(action)
        self.required = set(TABLE[action].requires)

    def compose(self) -> ComposeResult:
        with Vertical(id="action-form", classes="action-box"):
            yield Static(self._about(), classes="form-case")
            for name in self.fields:
                yield from self._field(name)
                yield Static(id=f"error-{name}", classes="field-error")
            yield Static(t("act.hint_form", self.lang), classes="form-hint")

    def on_mount(self) -> None:
        box = self.query_one("#action-form")
        name = label("action", self.action, self.lang)
        if self.count > 1:
            box.border_title = t("act.bulk_title", self.lang, action=name, n=self.count)
        else:
            box.border_title = f"{name} {self.subject.code}"
        if self.kept is not None:
            params, why = self.kept
            for field in self.query(".field-input").results(Input):
                typed = getattr(params, str(field.id).removeprefix("field-"), None)
                if isinstance(typed, str):
                    field.value = typed
            self.query_one(".form-hint", Static).update(Text(why, style="bold"))
        self.query_one(f"#field-{self.fields[0]}").focus()

    def _about(self) -> Text:
        """The case the form acts on; its title is report text, shown as plain text."""
        d = self.subject
        if self.count > 1:
            # Units are ranked for the case under the cursor, which may not be a marked one.
            return Text(t("act.bulk_about", self.lang) if "unit" in self.fields else "")
        return Text.assemble(
            (status_text(d.row, self.lang), "bold"), "  ", (inert(d.row.title), "dim")
        )

    def _field_name(self, name: str) -> str:
        key = HEADINGS.get((self.action, name))
        return t(key, self.lang) if key else label("field", name, self.lang)

    def _heading(self, name: str) -> str:
        lang = self.lang
        text = self._field_name(name)
        if name in self.required:
            return text
        if self.action is Action.VERIFY and name == "reason":
            return text + t("act.if_fail", lang)
        return text + t("act.optional", lang)

    def _field(self, name: str) -> ComposeResult:
        lang = self.lang
        d = self.subject
        if name == "unit" and self.action in TASKS_OFFERED:
            yield Static(self._heading(name), classes="field-label")
            units = TASKS_OFFERED[self.action](d.tasks)
            named = [(u, self._unit_name(u)) for u in units]
            yield ValueList(named, units[0], id="field-unit")
            return
        if name in ("unit", "co_units"):
            multi = name == "co_units"
            yield Picker(
                lambda text: lookup.units(self.ref, text, case=d, actor=self.actor, browse=True),
                line=lambda hit: unit_line(hit, lang),
                label=lambda hit: inert(name_in(hit, lang)),
                placeholder=t("act.hint_multi" if multi else "act.filter", lang),
                heading=self._heading(name),
                multi=multi,
                blink=self.blink,
                id=f"field-{name}",
            )
            return
        if name == "category":
            yield Picker(
                lambda text: lookup.categories(self.ref, text, browse=True),
                line=lambda hit: category_line(hit, lang),
                label=lambda hit: inert(name_in(hit, lang)),
                placeholder=t("act.filter", lang),
                heading=self._heading(name),
                value=d.category_code,
                limit=None,  # a hundred-odd subcategories: all of them, the current one shown
                blink=self.blink,
                id="field-category",
            )
            return
        yield Static(self._heading(name), classes="field-label")
        if name == "passed":
            options = [("pass", t("act.pass", lang)), ("fail", t("act.fail", lang))]
            yield ValueList(options, "pass", id="field-passed")
        elif name == "rating":
            ratings = [(r.value, label("rating", r, lang)) for r in Rating]
            yield ValueList(ratings, Rating.SATISFIED.value, id="field-rating")
        elif name == "unit_rating":
            given = [(r.value, label("unit_rating", r, lang)) for r in UnitRating]
            yield ValueList(given, UnitRating.TIMELY.value, id="field-unit_rating")
        elif name == "urgency":
            other = next(u for u in Urgency if u is not d.row.urgency)
            urgencies = [(u.value, label("urgency", u, lang)) for u in Urgency]
            yield ValueList(urgencies, other.value, id="field-urgency")
        else:
            # A typed value parsed (a moment, a day, hours) is short; a text, as long as the
            # service keeps.
            most = TEXT_MAX.get(name, DATE_MAX)
            field = Input(id=f"field-{name}", classes="field-input", max_length=most)
            field.cursor_blink = self.blink
            if name == "until":
                field.value = self._later().strftime(TIME_FORMAT)
                field.placeholder = t("act.until_format", lang)
            elif name == "review_on":  # a week on: the centre's usual look at a shelved case
                today = wallclock.now().astimezone(self.tz).date()
                field.value = (today + REVIEW_AFTER).isoformat()
                field.placeholder = t("act.review_format", lang)
            yield field

    def _unit_name(self, code: str) -> str:
        unit = self.ref.unit_by_code.get(code)
        return f"{inert(name_in(unit, self.lang))}  {code}" if unit else code

    def _later(self) -> datetime:
        """A day past the current deadline: an extension asks for more time than is left. An
        overdue case is given time from now on: a day past a deadline gone by may be past too."""
        now = wallclock.now()
        deadline = self.subject.row.deadline_at
        base = max(deadline, now) if deadline is not None else now
        return (base + timedelta(days=1)).astimezone(self.tz)

    def _read(self) -> tuple[Params, dict[str, str]]:
        """The form's values as the action's parameters, and what is wrong with them."""
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for name in self.fields:
            widget: Widget = self.query_one(f"#field-{name}")
            if isinstance(widget, Picker):
                values[name] = tuple(widget.chosen) if widget.multi else widget.value
            elif isinstance(widget, ValueList):
                values[name] = widget.value
            elif isinstance(widget, Input):
                values[name] = widget.value.strip() or None
        if "co_units" in values:
            # The lead cannot also be summoned beside itself.
            values["co_units"] = tuple(u for u in values["co_units"] if u != values.get("unit"))
        if "passed" in values:
            values["passed"] = values["passed"] == "pass"
        if values.get("rating"):
            values["rating"] = Rating(values["rating"])
        if values.get("urgency"):
            values["urgency"] = Urgency(values["urgency"])
        if values.get("unit_rating"):
            values["unit_rating"] = UnitRating(values["unit_rating"])
        if values.get("until"):
            typed = values["until"]
            try:
                values["until"] = parse_time(typed, self.tz)
            except ValueError:
                values["until"] = None
                errors["until"] = t("error.bad_time", self.lang, value=typed)
        if values.get("reply_hours"):
            typed = values["reply_hours"]
            values["reply_hours"] = int(typed) if typed.isdigit() else None
            if values["reply_hours"] is None or not 1 <= values["reply_hours"] <= REPLY_HOURS_MAX:
                values["reply_hours"] = None
                errors["reply_hours"] = t(
                    "error.reply_hours", self.lang, hours=typed, most=REPLY_HOURS_MAX
                )
        if values.get("review_on"):
            typed = values["review_on"]
            try:
                values["review_on"] = day(typed)
            except ValueError:
                values["review_on"] = None
                errors["review_on"] = t(
                    "error.bad_day", self.lang, flag=self._field_name("review_on"), value=typed
                )
        params = Params(**values)
        for name in missing(self.action, params):
            errors.setdefault(name, t("act.required", self.lang, field=self._field_name(name)))
        return params, errors

    def confirm(self) -> None:
        params, errors = self._read()
        for name in self.fields:
            error = self.query_one(f"#error-{name}", Static)
            error.update(Text(errors.get(name, "")))
            error.set_class(name in errors, "-shown")
        if errors:
            first = next(name for name in self.fields if name in errors)
            self.query_one(f"#field-{first}").focus()
            return
        if self.action not in DESTRUCTIVE:
            self.dismiss(params)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(params)

        confirm = Confirm(self._question(params), self.lang, destructive=True)
        self.app.push_screen(confirm, answered)

    def _question(self, params: Params) -> str:
        code = self.subject.code
        if self.action is Action.REJECT:
            return t("act.confirm_reject", self.lang, code=code)
        if self.action is Action.DUPLICATE:
            return t("act.confirm_duplicate", self.lang, code=code, other=params.other_case)
        return t("act.confirm_suspend", self.lang, code=code)

    @on(Input.Changed)
    @on(Picker.Changed)
    @on(OptionList.OptionHighlighted, ".value-list")
    def _edited(self, event: Input.Changed | Picker.Changed | OptionList.OptionHighlighted) -> None:
        """A field being put right: its error goes."""
        widget = event.control
        if widget is not None and widget.id and widget.id.startswith("field-"):
            error = self.query_one(f"#error-{widget.id.removeprefix('field-')}", Static)
            error.remove_class("-shown")

    @on(Input.Submitted)
    @on(Picker.Done)
    @on(OptionList.OptionSelected, ".value-list")
    def _enter(self, event: Input.Submitted | Picker.Done | OptionList.OptionSelected) -> None:
        event.stop()
        self.confirm()

    def action_cancel(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    """Yes or no, by y / Enter or n / Esc. Ending a case takes y itself: Enter pressed once too
    often after typing the reason must not reject it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("enter", "enter", "Yes", id="confirm.enter"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, lang: str, *, destructive: bool = False) -> None:
        super().__init__(classes="action-modal")
        self.question = question
        self.lang = lang
        self.destructive = destructive

    def compose(self) -> ComposeResult:
        with Vertical(classes="action-box confirm-box"):
            yield Static(Text(self.question))
            yield Static(t("act.confirm_hint", self.lang), classes="form-hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def action_enter(self) -> None:
        if not self.destructive:
            self.dismiss(True)


class ConflictNotice(ModalScreen[bool]):
    """Someone changed the case first: who and when, and an offer to reload (True)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "answer(True)", "Reload", id="conflict.reload"),
        Binding("escape,n,q", "answer(False)", "Cancel", id="conflict.cancel"),
    ]

    def __init__(self, message: str, lang: str) -> None:
        super().__init__(classes="action-modal")
        self.message = message
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(id="conflict-box", classes="action-box confirm-box"):
            yield Static(Text(self.message), id="conflict-message")
            yield Static(t("act.conflict_hint", self.lang), classes="form-hint")

    def on_mount(self) -> None:
        self.query_one("#conflict-box").border_title = t("act.conflict_title", self.lang)

    def action_answer(self, reload: bool) -> None:
        self.dismiss(reload)


class ActionMenu(ModalScreen[Action | None]):
    """Every action allowed on the case for this user, with its key."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="menu.close"),
    ]

    def __init__(self, title: str, actions: list[tuple[Action, str]], lang: str) -> None:
        super().__init__(classes="action-modal")
        self.title_text = title
        self.actions = actions
        self.lang = lang

    def compose(self) -> ComposeResult:
        width = max((len(key) for _, key in self.actions), default=1)
        options = [
            Option(
                Text.assemble((key.ljust(width + 2), "bold"), label("action", a, self.lang)),
                a.value,
            )
            for a, key in self.actions
        ]
        with Vertical(id="action-menu", classes="action-box"):
            yield OptionList(*options)

    def on_mount(self) -> None:
        self.query_one("#action-menu").border_title = self.title_text

    def on_key(self, event: events.Key) -> None:
        """The key shown beside an action chooses it here too, as it does from the queue."""
        chosen = [a for a, key in self.actions if key == event.character]
        if chosen:
            event.stop()
            self.dismiss(chosen[0])

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        assert event.option.id is not None
        self.dismiss(Action(event.option.id))

    def action_close(self) -> None:
        self.dismiss(None)
