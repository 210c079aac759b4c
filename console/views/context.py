"""What a screen or widget may know of the console it runs in, without importing the App.

Screens and widgets act and read through the session, and post messages up
(`console.views.messages`) for what the App coordinates: the header's counts, every screen
following a change, the store going away.
"""

from __future__ import annotations

from typing import Protocol, cast

from textual.dom import DOMNode

from console.session import Session


class Console(Protocol):
    session: Session
    testing: bool  # under test: no blinking cursors, so snapshots are stable

    @property
    def live(self) -> bool:
        """The store answers: actions may be taken."""
        ...


def console_of(node: DOMNode) -> Console:
    return cast(Console, node.app)


def session_of(node: DOMNode) -> Session:
    return console_of(node).session
