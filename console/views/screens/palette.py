"""Textual's command palette in the operator's language."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandInput, CommandList, CommandPalette
from textual.widgets.option_list import Option

from console.domain.limits import SEARCH_MAX
from console.i18n import t


class Palette(CommandPalette):
    """The palette with our placeholder, and our words when nothing matches."""

    def __init__(self, lang: str) -> None:
        super().__init__(placeholder=t("ui.palette", lang), id="--command-palette")
        self.lang = lang

    def on_mount(self) -> None:
        # Words searched for, as long as the queue's search takes: not a pasted megabyte.
        self.query_one(CommandInput).max_length = SEARCH_MAX

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own, with its "No matches found" in English whatever the language: the
        # same countdown, the same disabled line, in the operator's words. A Textual upgrade
        # that renames this hook shows up in tests/tui/test_rough_edges.py.
        self._stop_no_matches_countdown()

        def _show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(t("ui.palette_none", self.lang), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False  # discovering with nothing typed: nothing to say

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, _show_no_matches)
