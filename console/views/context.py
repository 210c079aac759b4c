"""What a screen or widget may know of the console it runs in, without importing the App.

Screens and widgets act and read through the session, and post messages up
(`console.views.messages`) for what the App coordinates: the header's counts, every screen
following a change, the store going away, someone signing in. The sign-in and lock screens,
before there is a session or while it is locked, reach the console's door (`console.gate`).
"""

from __future__ import annotations

from typing import Protocol, cast

from textual.dom import DOMNode

from console.config import Settings
from console.gate import Gate
from console.session import Session
from console.terminal import Glyphs, Terminal


class Console(Protocol):
    testing: bool  # under test: no blinking cursors, so snapshots are stable
    settings: Settings  # the centre's settings (config file)
    terminal: Terminal  # what the terminal shows: colours, glyphs, the mouse

    @property
    def session(self) -> Session:
        """The signed-in user's session (every screen but the door's has one)."""
        ...

    @property
    def gate(self) -> Gate | None:
        """The console's door; None when the console was opened for a session given to it."""
        ...

    @property
    def live(self) -> bool:
        """The store answers: actions may be taken."""
        ...


def console_of(node: DOMNode) -> Console:
    return cast(Console, node.app)


def session_of(node: DOMNode) -> Session:
    return console_of(node).session


def glyphs_of(node: DOMNode) -> Glyphs:
    """The glyphs to draw with on this console's terminal: Unicode, or ASCII."""
    return console_of(node).terminal.glyphs


def gate_of(node: DOMNode) -> Gate:
    """The door, for the screens that stand at it (only shown when the console has one)."""
    gate = console_of(node).gate
    assert gate is not None, "a sign-in or lock screen on a console without a gate"
    return gate
