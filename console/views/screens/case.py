"""One case full screen, for terminals too narrow for the pane beside the queue."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from console.views.screens.actions import CaseActionScreen
from console.views.widgets.case_pane import CasePane
from console.views.widgets.keybar import KeyBar


class CaseScreen(CaseActionScreen):
    """One case full screen: used on terminals too narrow for the pane beside the queue."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.pop_screen", "Back", id="case.back"),
    ]

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code

    def compose(self) -> ComposeResult:
        yield CasePane(id="case-full")
        yield KeyBar()
