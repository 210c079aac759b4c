"""The footer: one line of the keys that act here, drawn as one line of text.

Textual's Footer is a row of widgets, one per key, which it removes and mounts anew each time
a screen's keys change; here they change as the cursor moves onto a case with other verbs.
That rebuild and the two layouts after it held the next key back by 10–20 ms. This bar only
repaints its one line, and only when the line it would show is different.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class Spot(NamedTuple):
    """Where a key stands on the bar, for a click."""

    start: int
    end: int
    key: str
    enabled: bool


class KeyBar(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {"keybar--key", "keybar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        text-overflow: clip;
        .keybar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .keybar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys: tuple[tuple[str, str, str, bool], ...] = ()
        self._spots: list[Spot] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is not self.screen:
            return
        shown: dict[str, tuple[str, str, str, bool]] = {}
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            if binding.show and binding.action not in shown:
                # One entry per action (its first key), as Textual's Footer shows them.
                shown[binding.action] = (
                    binding.key,
                    self.app.get_key_display(binding),
                    binding.description,
                    enabled,
                )
        keys = tuple(shown.values())
        if keys != self._keys:
            self._keys = keys
            self.refresh()

    @property
    def descriptions(self) -> list[str]:
        """What the keys on the bar say they do, in order."""
        return [description for _key, _display, description, _enabled in self._keys]

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key")
        description_style = self.get_component_rich_style("keybar--description")
        line = Text(no_wrap=True, overflow="crop", end="")
        self._spots = []
        for key, display, description, enabled in self._keys:
            if line:
                line.append(" ")
            start, x = len(line), line.cell_len
            line.append(display, key_style)
            if description:
                line.append(f" {description}", description_style)
            if not enabled:
                line.stylize("dim", start)
            self._spots.append(Spot(x, line.cell_len, key, enabled))
        return line

    def on_click(self, event: events.Click) -> None:
        for spot in self._spots:
            if spot.start <= event.x < spot.end:
                if spot.enabled:
                    self.app.simulate_key(spot.key)
                else:
                    self.app.bell()
                return
