"""The training banner (培训 / TRAINING): at the top right of every screen of a console on a
training store, so nobody mistakes the sandbox for the live centre, nor a screenshot of it."""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Static


class TrainingBanner(Static):
    # Over the screen, out of its layout: no screen gives up a line or a column for it.
    DEFAULT_CSS = """
    TrainingBanner {
        position: absolute;
        overlay: screen;
        height: 1;
        width: auto;
        background: $warning;
        color: $text;
        text-style: bold;
    }
    TrainingBanner:ansi, TrainingBanner:nocolor {
        text-style: bold reverse;
    }
    """

    def __init__(self, word: str) -> None:
        super().__init__(f" {word} ")
        self.cells = cell_len(word) + 2  # what it covers of the screen's first line

    def on_mount(self) -> None:
        self.to_the_right(self.screen.size.width)

    def to_the_right(self, width: int) -> None:
        """At the right end of the first line of a screen `width` columns wide."""
        self.styles.offset = (max(0, width - self.cells), 0)
