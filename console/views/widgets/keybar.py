"""The footer: one line of the keys that act here, drawn as one line of text.

Textual's Footer is a row of widgets, one per key, which it removes and mounts anew each time
a screen's keys change; here they change as the cursor moves onto a case with other verbs.
That rebuild and the two layouts after it held the next key back by 10–20 ms. This bar only
repaints its one line, and only when the line it would show is different.
"""

from __future__ import annotations

from typing import Any, ClassVar, NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class Shown(NamedTuple):
    """One key as the bar shows it."""

    key: str
    display: str  # the key's name, after any remapping and in the operator's language
    description: str
    enabled: bool

    @property
    def label(self) -> str:
        return f"{self.display} {self.description}" if self.description else self.display


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
        self._keys: tuple[Shown, ...] = ()

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        if screen is not self.screen:
            return
        shown: dict[str, Shown] = {}
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            if binding.show and binding.action not in shown:
                # One entry per action (its first key), as Textual's Footer shows them.
                shown[binding.action] = Shown(
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
        return [shown.description for shown in self._keys]

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key")
        description_style = self.get_component_rich_style("keybar--description")
        line = Text(no_wrap=True, overflow="crop", end="")
        for shown in self._keys:
            if line:
                line.append(" ")
            start = len(line)
            line.append(shown.display, key_style)
            if shown.description:
                line.append(f" {shown.description}", description_style)
            if not shown.enabled:
                line.stylize("dim", start)
        return line

    def on_click(self, event: events.Click) -> None:
        x = 0
        for shown in self._keys:
            end = x + cell_len(shown.label)
            if x <= event.x < end:
                if shown.enabled:
                    self.app.simulate_key(shown.key)
                else:
                    self.app.bell()
                return
            x = end + 1  # the space between keys
