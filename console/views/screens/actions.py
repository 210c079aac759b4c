"""Every action of the loop from the keyboard: one-letter verbs on the selected case.

The screens that show a case (the queue, the case full screen) derive from `ActionScreen`. It
loads the selected case in a worker and asks the domain which actions this user may take on
it (`allowed_actions`); a key is in the footer, and does anything, only when its action is
allowed — the console keeps no copy of the rules. A key opens the action's small form (or a
y/n confirmation), a thread worker calls the service with the version the operator saw, and a
result message updates the screen: the queue reloads with the cursor on the case acted on
(or, if it left the view, on its neighbour, and says so), a
conflict names who changed the case first and offers to reload, a refusal says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from textual import events, on, work
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from console.domain.actions import Action
from console.domain.errors import Conflict, GridcallError, NotFound, StoreError
from console.domain.workflow import TABLE, Params, action_refusal, allowed_actions
from console.i18n import label, say, t
from console.queries.cases import CaseDetail
from console.session import Session
from console.terminal import UNICODE
from console.views.context import console_of, session_of
from console.views.messages import Recount, ShowChanges, StoreAway
from console.views.screens.action_forms import (
    ActionForm,
    ActionMenu,
    Confirm,
    ConflictNotice,
    fields_of,
)
from console.views.widgets.case_pane import CasePane
from console.views.widgets.keynames import localise
from console.views.widgets.queue import QueueView


@dataclass(frozen=True)
class Verb:
    action: Action
    key: str
    # Shown in the footer when allowed: the loop's next step for a centre's operator, so the
    # footer still fits 80 columns; every verb is in the help, the menu and the palette.
    footer: bool


VERBS: tuple[Verb, ...] = (
    Verb(Action.ACCEPT, "a", True),
    Verb(Action.REJECT, "x", False),
    Verb(Action.DISPATCH, "d", True),
    Verb(Action.WHISTLE, "w", False),
    Verb(Action.ESCALATE, "e", True),
    Verb(Action.VERIFY, "v", True),
    Verb(Action.URGE, "u", True),
    Verb(Action.NOTE, "o", False),
    Verb(Action.SIGN, "i", False),
    Verb(Action.RETURN, "t", False),
    # Upper case for the centre's answer to a unit's return (t), as A / X answer an extension.
    Verb(Action.APPROVE_RETURN, "T", True),
    Verb(Action.REFUSE_RETURN, "R", False),
    Verb(Action.HANDLED, "h", False),
    Verb(Action.SEND_VERIFY, "V", True),
    Verb(Action.EXTEND, "p", False),
    # Upper case acts on the pending extension as a / x act on the case.
    Verb(Action.APPROVE_EXTENSION, "A", True),
    Verb(Action.REFUSE_EXTENSION, "X", False),
    Verb(Action.SUSPEND, "z", False),
    Verb(Action.RESUME, "Z", True),
    Verb(Action.REVIEW, "N", True),  # 复核 a shelved case: a note and its next review day
    Verb(Action.RATE, "c", True),
    Verb(Action.REOPEN, "O", False),
    Verb(Action.DUPLICATE, "m", False),
    Verb(Action.DEESCALATE, "E", False),
    Verb(Action.SET_URGENCY, "exclamation_mark", False),
    Verb(Action.SET_CATEGORY, "number_sign", False),
    Verb(Action.SELF_CLOSE, "K", False),
    # 吹哨报到: a summoned department's check-in (i signs for a case it leads) and feedback;
    # upper case for the centre's side of the same tasks: waive (w whistles), rate (c rates).
    Verb(Action.CHECK_IN, "I", True),
    Verb(Action.FEEDBACK, "F", True),
    Verb(Action.WAIVE, "W", False),
    Verb(Action.RATE_UNIT, "C", False),
    # 回复督办: the unit's answer to an urge (u urges).
    Verb(Action.REPLY, "U", True),
)
# With cases marked, these apply to every marked case where the domain allows them.
BULK = frozenset({Action.ACCEPT, Action.DISPATCH, Action.URGE})
# Operators accept dozens of cases an hour: accepting runs at once, every other action with
# no fields asks y/n first.
IMMEDIATE = frozenset({Action.ACCEPT})
REASONS_SHOWN = 5  # refusals named in a bulk report; the rest are counted


def _bindings() -> list[BindingType]:
    """One binding per verb; descriptions are English until `_localise` runs."""
    bindings: list[BindingType] = [
        Binding(
            v.key,
            f"act('{v.action.value}')",
            label("action", v.action, "en"),
            show=v.footer,
            id=f"action.{v.action.value}",
        )
        for v in VERBS
    ]
    bindings.append(Binding("full_stop", "menu", t("act.menu", "en"), id="action.menu"))
    # Not a verb of the loop: it changes no case, yet the trail records it.
    bindings.append(
        Binding("P", "reveal", t("key.case.reveal", "en"), show=False, id="case.reveal")
    )
    return bindings


class ActionCommands(Provider):
    """The command palette: every action allowed on the current case, by its name."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        screen = self.screen
        if not isinstance(screen, ActionScreen):
            return []
        lang = screen.session.lang
        keys = screen.key_displays()
        marked = screen.marked_count()
        commands: list[tuple[str, Callable[[], object], str]] = []
        for action in screen.available():
            if screen.bulk_applies(action):
                help_text = t("act.cmd_bulk", lang, n=marked)
            else:
                help_text = t("act.cmd_help", lang, shortcut=keys.get(action, ""))
            run = partial(screen.action_act, action.value)
            commands.append((label("action", action, lang), run, help_text))
        commands.append((t("key.main.reload", lang), screen.reload_case, ""))
        show_help = getattr(screen, "action_help", None)
        if callable(show_help):
            commands.append((t("key.main.help", lang), show_help, ""))
        return commands

    async def discover(self) -> Hits:
        for name, run, help_text in self._commands():
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, run, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=help_text)


class ActionScreen(Screen[None]):
    """A screen whose selected case the verbs act on. Subclasses say which case is selected
    (`follow`) and what to show after an action (`after_action`, `reload_case`)."""

    BINDINGS: ClassVar[list[BindingType]] = _bindings()
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {ActionCommands}

    class Acted(Message):
        def __init__(self, action: Action, code: str) -> None:
            self.action = action
            self.code = code
            super().__init__()

    class Refused(Message):
        def __init__(
            self, action: Action, code: str, error: GridcallError, params: Params | None = None
        ) -> None:
            self.action = action
            self.code = code
            self.error = error
            self.params = params  # what the form held
            super().__init__()

    class BulkActed(Message):
        def __init__(self, action: Action, done: int, refused: list[GridcallError]) -> None:
            self.action = action
            self.done = done
            self.refused = refused  # why, one per refused case
            super().__init__()

    def __init__(
        self, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name, id, classes)
        self.subject: CaseDetail | None = None  # the selected case, as last loaded
        self.busy = False  # an action is running: keys wait for its result
        self._following: str | None = None
        self._allowed: frozenset[Action] = frozenset()
        self._localise()

    def _localise(self) -> None:
        """The footer names each verb by the action's short name; help gives the long one."""
        lang = self.session.lang
        names = {f"action.{a.value}": label("action", a, lang) for a in Action}
        names["action.menu"] = t("act.menu", lang)
        localise(self, lang, names)

    @property
    def session(self) -> Session:
        return session_of(self)

    # --- which case, and what may be done with it ------------------------------------------

    def follow(self, code: str | None, version: int | None = None) -> None:
        """Make `code` the case the verbs act on; load it unless it is loaded at `version`
        already (None: load it afresh)."""
        current = self.subject
        if (
            code == self._following
            and current is not None
            and current.code == code
            and current.row.version == version
        ):
            return
        # The footer keeps the last case's keys until this one is read (working out the
        # screen's keys on every cursor move would slow a held j); `ready` keeps those keys
        # inert meanwhile.
        self._following = code
        if code is None:
            self.subject = None
            self._set_allowed(frozenset())
        else:
            self.read_case(code)

    def read_case(self, code: str) -> None:
        """Read the case for its action keys; a screen that shows the case reads it once for
        both, and hands it to `_subject_loaded`."""
        self._load_subject(code)

    @property
    def ready(self) -> CaseDetail | None:
        """The selected case once it has been read; None while it is being read."""
        subject = self.subject
        return subject if subject is not None and subject.code == self._following else None

    # Not exclusive: a cancelled read still runs to its end in its thread, and `_subject_loaded`
    # drops whatever no longer matters anyway.
    @work(thread=True, group="case-subject")
    def _load_subject(self, code: str) -> None:
        try:
            detail = self.session.case(code, timeline=False)
        except NotFound:
            self.app.call_from_thread(self._subject_gone, code)
            return
        except GridcallError as exc:
            # Unread, the case takes no verbs: the keys stay inert until the store answers.
            self.post_message(StoreAway(exc))
            return
        self.app.call_from_thread(self._subject_loaded, detail)

    @on(CasePane.Gone)
    def _pane_case_gone(self, message: CasePane.Gone) -> None:
        self._subject_gone(message.code)

    def _subject_gone(self, code: str) -> None:
        """The case left this user's scope (or never was in it): no verbs on it."""
        if code == self._following:
            self.subject = None
            self._set_allowed(frozenset())

    def _subject_loaded(self, detail: CaseDetail) -> None:
        if detail.code != self._following:
            return  # the cursor moved on while it loaded
        current = self.subject
        if (
            current is not None
            and current.code == detail.code
            and current.row.version > detail.row.version
        ):
            return  # an older read finishing late
        self.subject = detail
        closable = self.session.reference.self_closable
        offered = allowed_actions(detail.state(), self.session.actor, self_closable=closable)
        self._set_allowed(frozenset(offered))

    def _set_allowed(self, allowed: frozenset[Action]) -> None:
        # Every refresh works out the screen's keys again: only when the verbs change.
        if allowed != self._allowed:
            self._allowed = allowed
            self.refresh_bindings()

    def available(self) -> list[Action]:
        """What the verbs may do now, in the loop's order."""
        ready = self.ready is not None
        return [a for a in TABLE if (ready and a in self._allowed) or self.bulk_applies(a)]

    def marked_count(self) -> int:
        return 0

    def bulk_applies(self, action: Action) -> bool:
        return False

    def key_displays(self) -> dict[Action, str]:
        """Each verb's key as the footer shows it, after any remapping."""
        shown: dict[Action, str] = {}
        for active in self.active_bindings.values():
            b = active.binding
            if b.id and b.id.startswith("action.") and b.id != "action.menu":
                shown[Action(b.id.removeprefix("action."))] = self.app.get_key_display(b)
        return shown

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("act", "menu", "reveal") and not console_of(self).live:
            return False  # the store is away: read-only on what is shown, until it is back
        if action == "act":
            verb = Action(str(parameters[0]))
            return verb in self._allowed or self.bulk_applies(verb)
        if action == "menu":
            return bool(self.available())
        return super().check_action(action, parameters)

    # --- starting an action ------------------------------------------------------------------

    def action_act(self, name: str) -> None:
        action = Action(name)
        if self.busy:
            self.app.bell()
            return
        if self.bulk_applies(action):
            self.start_bulk(action)
            return
        subject = self.ready
        if subject is None or action not in self._allowed:
            self.app.bell()  # the case is still being read
            return
        lang = self.session.lang
        if fields_of(action):
            self.app.push_screen(self.form(action, subject), partial(self._formed, action, subject))
        elif action in IMMEDIATE:
            self._run(action, subject, Params())
        else:
            question = t(
                "act.confirm", lang, code=subject.code, action=label("action", action, lang)
            )
            self.app.push_screen(Confirm(question, lang), partial(self._confirmed, action, subject))

    def form(
        self,
        action: Action,
        subject: CaseDetail,
        count: int = 1,
        kept: tuple[Params, str] | None = None,
    ) -> ActionForm:
        session = self.session
        return ActionForm(
            action,
            subject,
            session.reference,
            session.actor,
            session.tz,
            session.lang,
            count=count,
            blink=not console_of(self).testing,
            kept=kept,
        )

    def _formed(self, action: Action, subject: CaseDetail, params: Params | None) -> None:
        if params is not None:
            self._run(action, subject, params)

    def _confirmed(self, action: Action, subject: CaseDetail, yes: bool | None) -> None:
        if yes:
            self._run(action, subject, Params())

    def _run(self, action: Action, subject: CaseDetail, params: Params) -> None:
        self.busy = True
        # The version the operator saw: if the case changed since, the service says who did.
        self._act(action, subject.code, params, subject.row.version)

    @work(thread=True, group="action", exit_on_error=False)
    def _act(self, action: Action, code: str, params: Params, version: int) -> None:
        try:
            self.session.act(code, action, params, version)  # after_action reloads for it
        except GridcallError as error:
            self.post_message(self.Refused(action, code, error, params))
            return
        self.post_message(self.Acted(action, code))

    def action_menu(self) -> None:
        actions = self.available()
        if not actions or self.busy:
            return
        keys = self.key_displays()
        lang = self.session.lang
        code = self.ready.code if self.ready is not None else ""
        title = t("act.menu_title", lang, code=code)
        menu = ActionMenu(title, [(a, keys.get(a, "")) for a in actions], lang)
        self.app.push_screen(menu, self._menu_chosen)

    def action_reveal(self) -> None:
        """The reporter's phone in full, for a user the policy lets see it; the service asks
        the policy again, records the reveal in the trail, and says why not to anyone else."""
        subject = self.ready
        if subject is None:
            self.app.bell()  # the case is still being read
            return
        self._reveal(subject.code)

    @work(thread=True, group="action-reveal", exit_on_error=False)
    def _reveal(self, code: str) -> None:
        try:
            self.session.reveal(code)
        except GridcallError as error:
            self.app.call_from_thread(self._reveal_refused, error)
            return
        self.app.call_from_thread(self._revealed, code)

    def _revealed(self, code: str) -> None:
        self.app.notify(t("act.revealed", self.session.lang, code=code), markup=False)
        self.reload_case()  # the pane shows the phone, and the reveal in the timeline

    def _reveal_refused(self, error: GridcallError) -> None:
        self.app.notify(say(error, self.session.lang), severity="error", markup=False)

    def _menu_chosen(self, action: Action | None) -> None:
        if action is not None:
            self.action_act(action.value)

    # --- results ------------------------------------------------------------------------------

    @on(Acted)
    def _acted(self, message: Acted) -> None:
        self.busy = False
        self.post_message(Recount())
        self.after_action(message.action, message.code)

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self.busy = False
        lang = self.session.lang
        subject = self.ready
        if (
            isinstance(message.error, StoreError)
            and message.params is not None
            and fields_of(message.action)
            and subject is not None
            and subject.code == message.code
        ):
            # The store was away: the form comes back with what was typed, to send again.
            why = t("form.kept", lang, reason=say(message.error, lang).splitlines()[0])
            form = self.form(message.action, subject, kept=(message.params, why))
            self.app.push_screen(form, partial(self._formed, message.action, subject))
            return
        if isinstance(message.error, Conflict):
            notice = ConflictNotice(say(message.error, lang, self.session.tz), lang)
            self.app.push_screen(notice, self._conflict_answered)
            return
        self.app.notify(say(message.error, lang, self.session.tz), severity="error", markup=False)

    def _conflict_answered(self, reload: bool | None) -> None:
        if reload:
            self.reload_case()

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """A failure no service foresaw (the store went away mid-call): say so, carry on."""
        worker = event.worker
        if worker.state is not WorkerState.ERROR or not worker.group.startswith("action"):
            return
        self.busy = False
        error = worker.error
        session = self.session
        lang = session.lang
        detail = say(error, lang, session.tz) if isinstance(error, GridcallError) else str(error)
        self.app.notify(t("act.failed", lang, detail=detail), severity="error", markup=False)

    def after_action(self, action: Action, code: str) -> None:
        """Show the result of an action on `code`, and say it was done."""
        self.say_done(action, code)
        self.reload_case()

    def say_done(self, action: Action, code: str, *, left: bool = False, landed: str = "") -> None:
        """The status line after an action; `left`: the case left the view, and the cursor
        went to `landed` (none: the view is empty)."""
        lang = self.session.lang
        name = label("action", action, lang)
        if not left:
            said = t("act.done", lang, code=code, action=name)
        elif landed:
            said = t("act.left_view", lang, code=code, action=name, landed=landed)
        else:
            said = t("act.left_view_empty", lang, code=code, action=name)
        self.app.notify(said, markup=False)

    def reload_case(self) -> None:
        """Read the selected case (and whatever shows it) afresh."""
        self.follow(self._following)

    def start_bulk(self, action: Action) -> None:
        """Only screens with marks act in bulk."""


class QueueActionScreen(ActionScreen):
    """The queue's screen: the verbs act on the highlighted case, or on every marked case."""

    _marks_shown = 0  # how many marks the footer last knew of

    @property
    def queue(self) -> QueueView:
        return self.query_one(QueueView)

    @property
    def ready(self) -> CaseDetail | None:
        """The case under the cursor once read. A key pressed after new rows came in (a search,
        a view) but before the cursor's news reached this screen finds the case read for the
        old row: it must not act on a case the queue no longer shows there."""
        subject = super().ready
        queues = self.query(QueueView)  # none yet while the screen is being put together
        row = queues.first().current_row if queues else None
        if subject is None or row is None or row.code != subject.code or self.searching():
            return None
        return subject

    def searching(self) -> bool:
        """Whether a search typed ahead is yet to be taken: the rows shown are about to go."""
        return False

    @on(QueueView.Highlighted)
    def _follow_cursor(self, message: QueueView.Highlighted) -> None:
        row = message.row
        self.follow(row.code if row else None, row.version if row else None)
        marked = self.marked_count()
        if marked != self._marks_shown:
            # A first mark, or the last one taken off, changes which verbs are bulk.
            self._marks_shown = marked
            self.refresh_bindings()

    def marked_count(self) -> int:
        queues = self.query(QueueView)
        return len(queues.first().marked) if queues else 0

    def bulk_applies(self, action: Action) -> bool:
        return action in BULK and self.marked_count() > 0

    _acted_on: tuple[Action, str] | None = None  # the action whose landing is awaited

    def after_action(self, action: Action, code: str) -> None:
        """The cursor stays on the case acted on while it is in the view; if it left the view,
        the cursor is on its neighbour and the status line says so (`_landed`)."""
        self._acted_on = (action, code)
        self.queue.reload_after_action(code)

    @on(QueueView.Landed)
    def _landed(self, message: QueueView.Landed) -> None:
        acted, self._acted_on = self._acted_on, None
        if acted is None or acted[1] != message.code:
            return
        landed = message.row.code if message.row is not None else ""
        self.say_done(acted[0], message.code, left=message.left, landed=landed)

    def reload_case(self) -> None:
        self.queue.reload()
        super().reload_case()

    class Weighed(Message):
        """The marked cases, split into those the action may be taken on and why not on the
        others: what the bulk confirmation asks about."""

        def __init__(
            self, action: Action, ids: frozenset[int], able: int, refused: list[GridcallError]
        ) -> None:
            self.action = action
            self.ids = ids
            self.able = able
            self.refused = refused
            super().__init__()

    def start_bulk(self, action: Action) -> None:
        ids = frozenset(self.queue.marked)
        if not fields_of(action):
            self.busy = True  # until the question is asked
            self._weigh_marked(action, ids)
            return
        subject = self.ready
        if subject is None:
            self.app.bell()  # the form suggests units for the highlighted case: not read yet
            return
        form = self.form(action, subject, count=len(ids))
        self.app.push_screen(form, partial(self._bulk_formed, action, ids))

    @work(thread=True, group="action-weigh", exit_on_error=False)
    def _weigh_marked(self, action: Action, ids: frozenset[int]) -> None:
        """Ask the domain about each marked case before asking the operator: the question
        counts only the cases the action can be taken on, and names why not the others."""
        session = self.session
        able = 0
        refused: list[GridcallError] = []
        for code in session.codes_of(ids):
            try:
                detail = session.case(code, timeline=False)
            except GridcallError as error:
                refused.append(error)
                continue
            why = action_refusal(detail.state(), session.actor, action)
            if isinstance(why, GridcallError):
                refused.append(why)
            else:
                able += 1
        self.post_message(self.Weighed(action, ids, able, refused))

    @on(Weighed)
    def _weighed(self, message: Weighed) -> None:
        self.busy = False
        lang = self.session.lang
        name = label("action", message.action, lang)
        if not message.refused:
            question = t("act.confirm_bulk", lang, n=len(message.ids), action=name)
        else:
            reasons = self._reasons(message.refused)
            if not message.able:
                n = len(message.ids)
                text = t("act.bulk_none", lang, action=name, n=n, reasons=reasons)
                self.app.notify(text, severity="warning", markup=False, timeout=12)
                return
            question = t(
                "act.confirm_bulk_some",
                lang,
                action=name,
                n=len(message.ids),
                able=message.able,
                refused=len(message.refused),
                reasons=reasons,
            )
        # Every marked case is tried, as the question was asked of a moment ago: the report
        # afterwards says what was done, and why not, as the store answered then.
        self.app.push_screen(
            Confirm(question, lang),
            partial(self._bulk_confirmed, message.action, message.ids),
        )

    def _reasons(self, refused: list[GridcallError]) -> str:
        """Why some cases were or would be refused: the first few, the rest counted."""
        session = self.session
        reasons = "; ".join(say(e, session.lang, session.tz) for e in refused[:REASONS_SHOWN])
        if len(refused) > REASONS_SHOWN:
            reasons += f" {UNICODE.ellipsis}"
        return reasons

    def _bulk_confirmed(self, action: Action, ids: frozenset[int], yes: bool | None) -> None:
        if yes:
            self._bulk(action, ids, Params())

    def _bulk_formed(self, action: Action, ids: frozenset[int], params: Params | None) -> None:
        if params is not None:
            self._bulk(action, ids, params)

    def _bulk(self, action: Action, ids: frozenset[int], params: Params) -> None:
        self.busy = True
        self._act_on_marked(action, ids, params)

    @work(thread=True, group="action-bulk", exit_on_error=False)
    def _act_on_marked(self, action: Action, ids: frozenset[int], params: Params) -> None:
        """Each marked case its own service call: one refusal does not stop the others."""
        session = self.session
        done = 0
        refused: list[GridcallError] = []
        for code in session.codes_of(ids):
            try:
                session.act(code, action, params)  # _bulk_acted reloads the queue for it
            except GridcallError as error:
                refused.append(error)
            else:
                done += 1
        self.post_message(self.BulkActed(action, done, refused))

    @on(ActionScreen.BulkActed)
    def _bulk_acted(self, message: ActionScreen.BulkActed) -> None:
        self.busy = False
        queue = self.queue
        queue.marked.clear()
        lang = self.session.lang
        name = label("action", message.action, lang)
        if message.refused:
            reasons = self._reasons(message.refused)
            text = t(
                "act.bulk_refused",
                lang,
                action=name,
                done=message.done,
                refused=len(message.refused),
                reasons=reasons,
            )
            self.app.notify(text, severity="warning", markup=False, timeout=12)
        else:
            self.app.notify(t("act.bulk_done", lang, action=name, done=message.done), markup=False)
        self.post_message(Recount())
        queue.reload()
        self._marks_shown = 0
        self.refresh_bindings()


class CaseActionScreen(ActionScreen):
    """One case full screen: the verbs act on it; afterwards it shows the case as it is now."""

    code: str

    @on(events.Mount)
    def _follow_case(self) -> None:
        self.follow(self.code)

    def read_case(self, code: str) -> None:
        self.query_one(CasePane).load(code, then=self._subject_loaded)

    def after_action(self, action: Action, code: str) -> None:
        self.say_done(action, code)
        # The store's notice of this write is skipped (`Session.act`), and the queues beneath
        # show the case too.
        self.post_message(ShowChanges())
