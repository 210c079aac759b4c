"""Below 80×24 the console's screens do not fit: a screen that says so, in the operator's
language, over whatever was showing, until the terminal is large enough again. The screens
beneath stay as they were (a form keeps what was typed in it), so the console comes back as
it was left."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Static

from console.i18n import t
from console.views.context import glyphs_of

NEEDS = Size(80, 24)  # the smallest terminal every screen is laid out for


def too_small(size: Size) -> bool:
    return size.width < NEEDS.width or size.height < NEEDS.height


class TooSmall(Screen[None]):
    DEFAULT_CSS = """
    TooSmall {
        align: center middle;
    }

    TooSmall > Static {
        width: auto;
        max-width: 100%;
        height: auto;
        padding: 0 1;
        text-style: bold;
    }
    """

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        yield Static(markup=False, id="too-small")

    def on_resize(self, event: events.Resize) -> None:
        times = glyphs_of(self).times
        needs = f"{NEEDS.width}{times}{NEEDS.height}"
        now = f"{event.size.width}{times}{event.size.height}"
        self.query_one(Static).update(t("ui.too_small", self.lang, needs=needs, now=now))

    def on_screen_resume(self) -> None:
        # Back on top at a good size: a screen came over this one while the terminal was small
        # and has gone since it grew.
        if not too_small(self.app.size):
            self.dismiss()


def follow_size(app: App[None], size: Size, lang: str) -> bool:
    """Show the notice when the terminal is too small, take it away when it is not; True
    when it was taken away (the console shows again)."""
    shown = isinstance(app.screen, TooSmall)
    if too_small(size) and not shown:
        app.push_screen(TooSmall(lang))
    elif shown and not too_small(size):
        app.pop_screen()
        return True
    return False
