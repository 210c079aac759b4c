"""The guided mode's hint (培训提示): the scenario's next expected step, on the line above the
key echo, for trainees still learning the console. An exam shows none."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class HintLine(Static):
    DEFAULT_CSS = """
    HintLine {
        position: absolute;
        overlay: screen;
        height: 1;
        width: auto;
        background: $success 40%;
        color: $text;
        display: none;
    }
    HintLine.-shown {
        display: block;
    }
    HintLine:ansi, HintLine:nocolor {
        text-style: reverse;
    }
    """

    def on_mount(self) -> None:
        self.above_the_echo(self.screen.size.height)

    def above_the_echo(self, height: int) -> None:
        """Three lines from the bottom of a screen `height` lines high: above the key echo's."""
        self.styles.offset = (0, max(0, height - 3))

    def show(self, heading: str, hint: str | None) -> None:
        self.set_class(hint is not None, "-shown")
        if hint is not None:
            self.update(Text.assemble((f" {heading} ", "bold reverse"), f" {hint} "))
