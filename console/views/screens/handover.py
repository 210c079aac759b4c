"""The shift handover (交接班): reading the last shift's note, and writing this shift's.

`HandoverScreen` shows one note read-only — who wrote it, when, for which shift — and steps to
older ones; `w` writes a new one. `HandoverForm` is that note's editor, prefilled with what
the shift leaves open in the user's scope (`console.present.handover_draft`): ctrl+s keeps it,
Esc leaves, asking first when the text was changed. `SignOutOffer` is what ctrl+l asks first
of a user who hands over. Every read and write runs in a worker, through the session.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static, TextArea

from console.domain.errors import GridcallError
from console.domain.handover import BODY_MAX
from console.i18n import say, t
from console.present import handover_byline, handover_draft, note_lines, scope_name
from console.queries.handover import HandoverNote, OpenItems
from console.session import Session
from console.views.context import console_of, session_of
from console.views.messages import StoreAway
from console.views.screens.intake import ConfirmDiscard
from console.views.widgets.keybar import KeyBar
from console.views.widgets.keynames import localise
from console.views.widgets.text_limit import CappedTextArea


def _scope_shown(session: Session) -> str:
    scope = session.handover_scope
    return scope_name(session.reference, scope, session.lang) if scope else session.user.name


class HandoverScreen(Screen[None]):
    """One handover, read-only: the latest of the user's scope unless one is given (the last
    shift's, shown as a shift begins: `news`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "Back", id="handover.back"),
        Binding("w", "write", "Write", id="handover.write"),
        # Before the note's own scrolling, which has nothing to do sideways: the text wraps.
        Binding("left", "older", "Older", id="handover.older", priority=True),
        Binding("right", "newer", "Newer", id="handover.newer", priority=True),
    ]

    def __init__(self, note: HandoverNote | None = None, *, news: bool = False) -> None:
        super().__init__()
        localise(self, self.session.lang)
        self.news = news
        self.note = note
        self._loaded = note is not None
        self._newer: list[HandoverNote] = []  # the notes stepped back from, the newest first

    @property
    def session(self) -> Session:
        return session_of(self)

    def compose(self) -> ComposeResult:
        yield Static(id="handover-heading")
        yield Static(id="handover-byline", markup=False)
        with VerticalScroll(id="handover-body"):
            yield Static(id="handover-text", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.show()
        if not self._loaded:
            self._load()

    @work(thread=True, exclusive=True, group="handover-read", exit_on_error=False)
    def _load(self) -> None:
        try:
            note = self.session.latest_handover()
        except GridcallError as error:
            self.post_message(StoreAway(error))
            return
        self.app.call_from_thread(self._arrived, note)

    def _arrived(self, note: HandoverNote | None) -> None:
        self.note = note
        self._loaded = True
        self.show()

    def show(self) -> None:
        session = self.session
        lang = session.lang
        heading = Text(f" {t('handover.heading', lang, scope=_scope_shown(session))}", "bold")
        if self.news and not self._newer:  # the news is the note shown first, not older ones
            heading.append(f"  │  {t('handover.news', lang)}")
        self.query_one("#handover-heading", Static).update(heading)
        byline = self.query_one("#handover-byline", Static)
        body = self.query_one("#handover-text", Static)
        note = self.note
        if note is None:
            byline.update("")
            key = "handover.none_yet" if self._loaded else "handover.reading"
            body.update(Text(t(key, lang, scope=_scope_shown(session)), "dim"))
        else:
            said = handover_byline(note, session.tz, lang)
            if note.scope != session.handover_scope:  # the district reads every scope's
                said = f"{scope_name(session.reference, note.scope, lang)} · {said}"
            byline.update(said)
            body.update(Text("\n".join(note_lines(note.body))))
        self.query_one("#handover-body").scroll_home(animate=False)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "write":
            return self.session.hands_over and console_of(self).live
        if action == "older":
            return self.note is not None
        if action == "newer":
            return bool(self._newer)
        return True

    def action_back(self) -> None:
        self.dismiss(None)

    def action_write(self) -> None:
        self.app.push_screen(HandoverForm(), self._written)

    def _written(self, note: HandoverNote | None) -> None:
        if note is not None:
            self.news = False
            self._newer.clear()
            self._arrived(note)

    def action_older(self) -> None:
        if self.note is not None:
            self._older(self.note)

    @work(thread=True, exclusive=True, group="handover-read", exit_on_error=False)
    def _older(self, current: HandoverNote) -> None:
        try:
            page = self.session.handovers(limit=1, before=current)
        except GridcallError as error:
            self.post_message(StoreAway(error))
            return
        self.app.call_from_thread(self._stepped_back, current, page[0] if page else None)

    def _stepped_back(self, current: HandoverNote, older: HandoverNote | None) -> None:
        if older is None:
            self.app.notify(t("handover.last_one", self.session.lang))
            return
        self._newer.insert(0, current)
        self.note = older
        self.show()

    def action_newer(self) -> None:
        if self._newer:
            self.note = self._newer.pop(0)
            self.show()


class HandoverForm(Screen["HandoverNote | None"]):
    """This shift's handover, prefilled with what it leaves open; the saved note, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="handover.save"),
        Binding("escape", "leave", "Leave", id="handover.leave"),
    ]
    AUTO_FOCUS = "#handover-editor"

    def __init__(self) -> None:
        super().__init__()
        localise(self, self.session.lang)
        self.drafted = ""  # the text as offered: leaving it unchanged asks nothing
        self.saving = False

    @property
    def session(self) -> Session:
        return session_of(self)

    def compose(self) -> ComposeResult:
        session = self.session
        lang = session.lang
        heading = t("handover.write_heading", lang, scope=_scope_shown(session))
        yield Static(Text(f" {heading}", "bold"), id="handover-heading")
        yield Static(Text(t("handover.write_hint", lang), "dim"), id="handover-byline")
        # Read-only until the draft is in.
        editor = CappedTextArea(
            t("handover.drafting", lang), read_only=True, max_length=BODY_MAX, id="handover-editor"
        )
        editor.cursor_blink = not console_of(self).testing
        yield editor
        yield Static(id="handover-problem", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self._draft(console_of(self).settings.handover.urgent_hours)

    @work(thread=True, exclusive=True, group="handover-draft", exit_on_error=False)
    def _draft(self, urgent_hours: int) -> None:
        try:
            items = self.session.open_items(urgent_hours)
        except GridcallError as error:
            self.app.call_from_thread(self._refused, say(error, self.session.lang))
            items = None
        self.app.call_from_thread(self._drafted, items)

    def _drafted(self, items: OpenItems | None) -> None:
        """The draft in the editor, the cursor where the operator's own words go. Without the
        open items (the store did not answer) the note is the operator's to write alone."""
        session = self.session
        scope = session.handover_scope
        text = ""
        if items is not None and scope is not None:
            text = handover_draft(items, session.reference, scope, session.tz, session.lang)
        editor = self.query_one("#handover-editor", TextArea)
        editor.read_only = False
        editor.load_text(text)
        self.drafted = text
        editor.move_cursor(editor.document.end)

    @property
    def edited(self) -> bool:
        editor = self.query_one("#handover-editor", TextArea)
        return not editor.read_only and editor.text != self.drafted

    def action_save(self) -> None:
        editor = self.query_one("#handover-editor", TextArea)
        if self.saving or editor.read_only:
            return
        self.saving = True
        self.query_one("#handover-problem", Static).update(
            Text(t("handover.saving", self.session.lang), "dim")
        )
        self._save(editor.text)

    @work(thread=True, exclusive=True, group="handover-save", exit_on_error=False)
    def _save(self, body: str) -> None:
        try:
            note = self.session.save_handover(body)
        except GridcallError as error:
            self.app.call_from_thread(self._refused, say(error, self.session.lang))
            return
        self.app.call_from_thread(self._saved, note)

    def _saved(self, note: HandoverNote) -> None:
        self.app.notify(t("handover.saved", self.session.lang, n=len(note.cases)))
        self.dismiss(note)

    def _refused(self, message: str) -> None:
        """Refused (empty, too long) or the store is away: the text stays, to try again."""
        self.saving = False
        line = message.splitlines()[0]
        self.query_one("#handover-problem", Static).update(Text(line, "bold red"))
        self.app.notify(line, severity="error", markup=False)

    def action_leave(self) -> None:
        if self.saving:  # the note is being written: its result closes the form
            return
        if not self.edited:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDiscard("handover.discard"), answered)


class SignOutOffer(ModalScreen["str | None"]):
    """Asked at sign-out of a user who hands over: "write" a handover first, "leave" without
    one, or None: stay signed in."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "answer('write')", "Write", id="offer.write"),
        Binding("s", "answer('leave')", "Sign out", id="offer.leave"),
        Binding("escape", "answer(None)", "Stay", id="offer.stay"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="action-modal")
        localise(self, session_of(self).lang)

    def compose(self) -> ComposeResult:
        lang = session_of(self).lang
        with Vertical(id="offer-box", classes="action-box confirm-box"):
            yield Static(t("handover.offer", lang))
            yield Static(t("handover.offer_keys", lang), classes="form-hint")

    def action_answer(self, answer: str | None) -> None:
        self.dismiss(answer)
