"""The debrief's replay (培训复盘): a trainee's actions one screen at a time, ← → to step
through them (Home, End), q to quit. It is given its pages (console.views.viewmodels.replay)
and reads nothing itself."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from console.domain.enums import Light
from console.i18n import t
from console.views.viewmodels.replay import Page
from console.views.widgets.keybar import KeyBar
from console.views.widgets.keynames import localise
from console.views.widgets.training_banner import TrainingBanner

LIGHT_STYLE = {
    Light.GREEN: "bold green",
    Light.YELLOW: "bold yellow",
    Light.RED: "bold red",
    Light.NONE: "dim",
}


class ReplayScreen(Screen[None]):
    DEFAULT_CSS = """
    ReplayScreen #replay-head {
        height: 1;
        background: $primary;
        color: $text;
        text-style: bold;
        padding: 0 1;
    }
    ReplayScreen #replay-step {
        height: auto;
        padding: 0 1;
        background: $boost;
    }
    ReplayScreen #replay-timeline {
        padding: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "go(-1)", "previous", id="replay.previous"),
        Binding("right", "go(1)", "next", id="replay.next"),
        Binding("home", "first", "first", id="replay.first"),
        Binding("end", "last", "last", id="replay.last"),
        Binding("q", "quit_replay", "quit", id="replay.quit"),
    ]

    def __init__(self, title: str, pages: list[Page], lang: str) -> None:
        super().__init__()
        self.title_text = title
        self.pages = pages
        self.lang = lang
        self.at = 0  # the page shown
        localise(self, lang)

    def compose(self) -> ComposeResult:
        yield Static(id="replay-head")
        yield Static(id="replay-step")
        timeline = VerticalScroll(id="replay-timeline")
        timeline.can_focus = False  # its arrows would take ← → from the steps
        with timeline:
            yield Static(id="replay-events")
        yield KeyBar()
        yield TrainingBanner(t("ui.training", self.lang))  # a training store's, as every screen

    def on_mount(self) -> None:
        self.show(0)

    def on_resize(self, event: events.Resize) -> None:
        self.query_one(TrainingBanner).to_the_right(event.size.width)

    def show(self, n: int) -> None:
        self.at = max(0, min(n, len(self.pages) - 1))
        page = self.pages[self.at]
        head = Text(f"{self.title_text}  ·  {page.step}", no_wrap=True, overflow="ellipsis")
        self.query_one("#replay-head", Static).update(head)
        body = Text()
        body.append(page.at + "  ", style="bold")
        body.append(page.action + "\n", style="bold reverse")
        body.append(page.case + "\n")
        for text, scored in page.verdicts or ((t("replay.no_verdict", self.lang), False),):
            body.append(f"{text}\n", style="bold green" if scored else "bold red")
        for name, value in page.facts:
            body.append(f"{name} ", style="dim")
            body.append(f"{value}   ")
        body.append("\n" + t("replay.light", self.lang) + " ", style="dim")
        body.append(page.deadline, style=LIGHT_STYLE[page.light])
        self.query_one("#replay-step", Static).update(body)
        events = Text(t("replay.timeline", self.lang) + "\n", style="dim")
        events.append("\n".join(page.timeline))
        self.query_one("#replay-events", Static).update(events)
        self.query_one("#replay-timeline", VerticalScroll).scroll_end(animate=False)

    def action_go(self, by: int) -> None:
        self.show(self.at + by)

    def action_first(self) -> None:
        self.show(0)

    def action_last(self) -> None:
        self.show(len(self.pages) - 1)

    def action_quit_replay(self) -> None:
        self.app.exit()
