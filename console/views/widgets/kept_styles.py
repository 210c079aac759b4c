"""Styles of a line-API widget, worked out once until the CSS, theme or focus changes them.

A widget's `rich_style` walks its ancestors' styles each time it is asked: about a tenth of
a millisecond, paid for every line drawn when asked from `render_line`. A widget keeps a
`KeptStyles` and clears it from `notify_style_update`. (Not a mixin class: Textual takes a
widget's CSS and bindings from its first base alone.)
"""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


class KeptStyles:
    def __init__(self, widget: Widget) -> None:
        self._widget = widget
        self._kept: dict[str, Style] = {}

    def __call__(self, component: str = "") -> Style:
        """The widget's style, or one of its components'."""
        style = self._kept.get(component)
        if style is None:
            widget = self._widget
            style = widget.get_component_rich_style(component) if component else widget.rich_style
            self._kept[component] = style
        return style

    def clear(self) -> None:
        self._kept.clear()
