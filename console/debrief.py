"""The debrief's replay (`gridcall train replay TRAINEE`): the Textual app that steps through
a trainee's actions, in the console's themes, and the same pages as text for `--plain`.

The CLI runs it as it runs the console (it shares no code with the screens but through the
App); the steps are read from the training store before it starts."""

from __future__ import annotations

from pathlib import PurePath
from typing import ClassVar

from textual.app import App
from textual.filter import LineFilter
from textual.keys import key_to_character

from console.config import Settings
from console.db import Store
from console.demo.training import trainee_steps
from console.domain.actions import Action
from console.domain.sla import SlaClock
from console.i18n import t
from console.queries.reference import name_in, reference
from console.terminal import Colours, Terminal
from console.views.drawing import OWN_THEMES, line_filters, theme_for
from console.views.hangup import HangupDriver
from console.views.screens.actions import VERBS
from console.views.screens.replay import ReplayScreen
from console.views.viewmodels.replay import Page, pages, plain


def verb_keys(settings: Settings) -> dict[Action, str]:
    """The key the console binds to each action, after the config's keymap, as typed."""
    keys = {}
    for verb in VERBS:
        bound = settings.keymap.get(f"action.{verb.action.value}", verb.key).split(",")[0].strip()
        keys[verb.action] = key_to_character(bound) or bound
    return keys


def replay_pages(
    store: Store, clock: SlaClock, login: str, settings: Settings, lang: str
) -> tuple[str, list[Page]]:
    """The replay's title and its pages: Invalid for a login unknown or who did nothing."""
    steps = trainee_steps(store, clock, login)
    ref = reference(store)

    def unit_name(code: str) -> str:
        unit = ref.unit_by_code.get(code)
        return name_in(unit, lang) if unit is not None else ""

    shown = pages(steps, lang, settings.tz, clock, verb_keys(settings), unit_name)
    return t("replay.title", lang, login=login), shown


def replay_text(title: str, shown: list[Page], lang: str) -> str:
    """The pages as `--plain` prints them (the CLI reaches the views through here alone)."""
    return plain(title, shown, lang)


class ReplayApp(App[None]):
    CSS_PATH: ClassVar[list[str | PurePath]] = ["views/app.tcss"]
    TITLE = "Gridcall"
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self, title: str, shown: list[Page], lang: str, terminal: Terminal, theme_name: str
    ) -> None:
        super().__init__(driver_class=HangupDriver)
        self.replay = ReplayScreen(title, shown, lang)
        self.terminal = terminal
        self.theme_choice = theme_name
        self._line_filters = line_filters(terminal)

    def get_line_filters(self) -> list[LineFilter]:
        return [*super().get_line_filters(), *self._line_filters]

    def on_mount(self) -> None:
        for theme in OWN_THEMES:
            self.register_theme(theme)
        self.theme = theme_for(self.terminal, self.theme_choice)
        self.set_class(self.terminal.colours is Colours.NONE, "-no-colour")
        self.push_screen(self.replay)
