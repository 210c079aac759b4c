"""The console's door: the sign-in screen, and the lock screen an idle console shows.

Both are one small form: a login, a password that never echoes, Enter to try, Tab between the
two, and one line saying why not in the reader's language. The password is checked in a
worker by the console's gate (`console.gate`), and the screen posts what came of it up to the
App (`SignedIn`, `Unlocked`), which opens or returns to the console.

The lock screen is a whole screen over the stack, so the cases beneath it are hidden while
every screen under it stays as it was: the queue's cursor, its filters, a form half filled in.
"""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Label, Static
from textual.worker import Worker, WorkerState

from console.domain.errors import GridcallError
from console.domain.limits import LOGIN_MAX, PASSWORD_MAX
from console.gate import Gate
from console.i18n import say, t
from console.session import Session
from console.views.context import console_of, gate_of
from console.views.messages import SignedIn, Unlocked


class Door(Screen[None]):
    """The form at the console's door; what a proven login opens is the subclass's."""

    AUTO_FOCUS = None  # the login or the password, whichever is still to be typed
    KEYS = "signin.keys"  # the line under the form: what the keys do here
    # Enter moves on as the key is read, before the next key is: a password typed ahead of the
    # screen (over SSH, in one burst) lands in the password box, not after the login. Tab does
    # the same for every screen (the App's priority Tab).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "enter", show=False, priority=True),
    ]

    class Entered(Message):
        """Enter, read in a box after the keys typed before it: the box's text is whole."""

        def __init__(self, on_to_password: bool) -> None:
            self.on_to_password = on_to_password  # Enter after the login, none typed yet
            super().__init__()

    class Refused(Message):
        def __init__(self, error: GridcallError) -> None:
            self.error = error
            super().__init__()

    def __init__(self, login: str = "") -> None:
        super().__init__()
        self.login_given = login
        self._checking = False  # a password is being checked: Enter waits for the answer

    def heading(self, gate: Gate) -> ComposeResult:
        """The lines above the form."""
        yield from ()

    def attempt(self, gate: Gate, login: str, password: str) -> Message:
        """Check the password (in a worker thread); what to post up when it is right."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        gate = gate_of(self)
        lang = gate.lang
        blink = not console_of(self).testing
        with Vertical(id="door-box"):
            yield from self.heading(gate)
            yield Label(t("signin.login", lang), classes="door-label")
            login = Input(
                value=self.login_given, compact=True, max_length=LOGIN_MAX, id="door-login"
            )
            login.cursor_blink = blink
            yield login
            yield Label(t("signin.password", lang), classes="door-label")
            password = Input(
                password=True, compact=True, max_length=PASSWORD_MAX, id="door-password"
            )
            password.cursor_blink = blink
            yield password
            demo = gate.demo_password
            if demo:
                yield Static(t("signin.demo", lang, password=demo), markup=False, id="door-demo")
            yield Static("", markup=False, id="door-error")
            yield Static(t(self.KEYS, lang), markup=False, id="door-hint")

    def on_mount(self) -> None:
        wanted = "#door-password" if self.login_given else "#door-login"
        self.set_focus(self.query_one(wanted, Input))

    def action_enter(self) -> None:
        """Enter after the login goes on to the password at once; what was typed is read
        once the box has taken every key typed before Enter (the message waits behind them)."""
        login = self.query_one("#door-login", Input)
        password = self.query_one("#door-password", Input)
        typed_in = self.focused if isinstance(self.focused, Input) else password
        on_to_password = typed_in is login and not password.value
        if on_to_password:
            self.set_focus(password)
        typed_in.post_message(self.Entered(on_to_password))

    def on_door_entered(self, event: Entered) -> None:
        event.stop()
        if self._checking:
            return
        lang = gate_of(self).lang
        login_box = self.query_one("#door-login", Input)
        password_box = self.query_one("#door-password", Input)
        login = login_box.value.strip()
        if not login:
            self._say(t("signin.need_login", lang))
            self.set_focus(login_box)
            return
        if event.on_to_password:
            return
        self._checking = True
        self._say(t("signin.checking", lang), error=False)
        self._check(gate_of(self), login, password_box.value)

    @work(thread=True, group="door", exit_on_error=False)
    def _check(self, gate: Gate, login: str, password: str) -> None:
        try:
            answer = self.attempt(gate, login, password)
        except GridcallError as error:
            self.post_message(self.Refused(error))
            return
        self.post_message(answer)

    def on_door_refused(self, message: Refused) -> None:
        self._try_again(say(message.error, gate_of(self).lang))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A check that failed unexpectedly: said in one line as well, never a traceback.
        error = event.worker.error
        if event.worker.group == "door" and event.state is WorkerState.ERROR and error:
            self._try_again(f"{type(error).__name__}: {error}")

    def _try_again(self, why: str) -> None:
        """Say why not in one line; the password is typed again, the login kept."""
        self._checking = False
        password = self.query_one("#door-password", Input)
        password.clear()
        self.set_focus(password)
        self._say(why.splitlines()[0])

    def _say(self, text: str, *, error: bool = True) -> None:
        line = self.query_one("#door-error", Static)
        line.set_class(not error, "-pending")
        line.update(text)


class SignInScreen(Door):
    """The console opens here unless its user is already proven: who, with what password."""

    def __init__(self, login: str = "", *, said: str = "") -> None:
        super().__init__(login)
        self.said = said  # a line from what came before (who signed out)

    def heading(self, gate: Gate) -> ComposeResult:
        lang = gate.lang
        yield Static(t("signin.title", lang), classes="door-title")
        yield Static(t("signin.store", lang, where=gate.where), markup=False, classes="door-line")
        if self.said:
            yield Static(self.said, markup=False, classes="door-line")

    def attempt(self, gate: Gate, login: str, password: str) -> Message:
        return SignedIn(gate.sign_in(login, password))


class LockScreen(Door):
    """Over an idle console: the same user's password returns to it exactly as it was;
    another user signing in ends that session and opens a console of their own."""

    KEYS = "lock.keys"

    def __init__(self, session: Session, minutes: int) -> None:
        super().__init__(session.login)
        self.locked = session
        self.minutes = minutes

    def heading(self, gate: Gate) -> ComposeResult:
        lang = gate.lang
        who = self.locked
        name = who.user.name
        yield Static(t("lock.title", lang), classes="door-title")
        yield Static(
            t("lock.who", lang, name=name, login=who.login, minutes=self.minutes),
            markup=False,
            classes="door-line",
        )
        yield Static(t("lock.hint", lang, name=name), markup=False, classes="door-line")

    def attempt(self, gate: Gate, login: str, password: str) -> Message:
        if login == self.locked.login:
            gate.unlock(self.locked, password)
            return Unlocked()
        return SignedIn(gate.sign_in(login, password))
