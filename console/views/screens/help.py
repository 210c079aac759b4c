"""The help screen: the live bindings of the screen beneath, and a guide to the loop."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from console.i18n import t
from console.views.context import session_of
from console.views.widgets.keynames import localise

HELP_DIR = Path(__file__).resolve().parent


class HelpScreen(ModalScreen[None]):
    """The live bindings of the screen beneath, and a short guide to the loop."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, bindings: list[tuple[str, str]]) -> None:
        super().__init__()
        localise(self, session_of(self).lang)
        self.bindings_shown = bindings

    def compose(self) -> ComposeResult:
        lang = session_of(self).lang
        guide = (HELP_DIR / f"help.{lang}.md").read_text(encoding="utf-8")
        before, after = guide.split("{keys}")
        # One line per key: a bordered Markdown table would take two.
        keys = Table(box=None, padding=(0, 2, 0, 0), show_edge=False)
        keys.add_column(Text(t("ui.key", lang), style="bold"), no_wrap=True)
        keys.add_column(Text(t("ui.does", lang), style="bold"))
        for key, does in self.bindings_shown:
            keys.add_row(Text(key, style="bold"), Text(does))
        with VerticalScroll(id="help-box"):
            yield Markdown(before)
            yield Static(keys, id="help-keys")
            yield Markdown(after)
