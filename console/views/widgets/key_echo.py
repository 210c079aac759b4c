"""The key echo for the room (培训): the last keys pressed and what each did, on the line above
the footer of every screen, so that a room watching a projected console can follow the
trainer's hands. Over the screen, out of its layout, like the training banner."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

SHOWN = 4  # the last keys the strip keeps


class KeyEcho(Static):
    DEFAULT_CSS = """
    KeyEcho {
        position: absolute;
        overlay: screen;
        height: 1;
        width: auto;
        background: $accent 40%;
        color: $text;
    }
    KeyEcho:ansi, KeyEcho:nocolor {
        text-style: reverse;
    }
    """

    def on_mount(self) -> None:
        self.above_the_footer(self.screen.size.height)

    def above_the_footer(self, height: int) -> None:
        """On the last line but one of a screen `height` lines high."""
        self.styles.offset = (0, max(0, height - 2))

    def show(self, pressed: list[tuple[str, str]]) -> None:
        """The keys pressed, oldest first, each with what it did."""
        text = Text()
        for key, did in pressed[-SHOWN:]:
            text.append(f" {key} ", style="bold reverse")
            text.append(f" {did}  ")
        self.update(text)
