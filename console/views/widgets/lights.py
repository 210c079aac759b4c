"""The deadline lights' colours: one rule set for every widget that draws a light, so the
queue's line and the case's heading show a case's light alike. On 16 and 8 colours the theme's
error, warning and success are the terminal's red, yellow and green (`console.views.drawing`).
"""

from __future__ import annotations

from console.domain.enums import Light


def light_classes(prefix: str) -> set[str]:
    """A widget's component classes for the lights: `<prefix>--red` and so on."""
    return {f"{prefix}--{light.value}" for light in Light}


def light_css(widget: str, prefix: str) -> str:
    """The lights' rules for that widget's component classes."""
    return f"""
    {widget} > .{prefix}--red {{
        color: $error;
        text-style: bold;
    }}

    {widget} > .{prefix}--yellow {{
        color: $warning;
    }}

    {widget} > .{prefix}--green {{
        color: $success;
    }}

    {widget} > .{prefix}--none {{
        color: $text-muted;
    }}
    """
