"""The help screen: the live bindings of the screen beneath, and a guide to the loop."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Markdown

from console.i18n import get_lang, t

HELP_DIR = Path(__file__).resolve().parent


class HelpScreen(ModalScreen[None]):
    """The live bindings of the screen beneath, and a short guide to the loop."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, bindings: list[tuple[str, str]]) -> None:
        super().__init__()
        self.bindings_shown = bindings

    def compose(self) -> ComposeResult:
        lang = get_lang()
        keys = "\n".join(f"| `{k}` | {d} |" for k, d in self.bindings_shown)
        guide = (HELP_DIR / f"help.{lang}.md").read_text(encoding="utf-8")
        text = guide.replace(
            "{keys}", f"| {t('ui.key', lang)} | {t('ui.does', lang)} |\n|---|---|\n{keys}"
        )
        with Vertical(id="help-box"):
            yield Markdown(text)
