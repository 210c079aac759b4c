"""Messages that screens and widgets post up for the App to coordinate."""

from __future__ import annotations

from textual.message import Message

from console.domain.errors import GridcallError
from console.session import Session


class StoreAway(Message):
    """The store did not answer a read or a write: the header says so, once."""

    def __init__(self, error: GridcallError) -> None:
        self.error = error
        super().__init__()


class Recount(Message):
    """This console changed what the header counts (an action, a report)."""


class ShowChanges(Message):
    """This console changed the store: every screen in the stack, not only the one that
    acted, shows it (the queue beneath a case screen is current when the operator steps back)."""


class ClockMoved(Message):
    """The trainer moved the training clock (or started the drill again): the console follows
    it at once, as every other console does at the store's notice."""


class Swept(Message):
    """The console's sweep of automatic 督办 issued urges: the screens show them."""

    def __init__(self, issued: int) -> None:
        self.issued = issued
        super().__init__()


class SignedIn(Message):
    """Someone proved who they are at the door: the App opens a console for their session
    (at a locked console, another user's sign-in ends the first user's session)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        super().__init__()


class Unlocked(Message):
    """The locked console's own user is back: the lock screen goes, the console is as it was."""
