"""Symbols that carry meaning without colour: a light reads on a monochrome terminal, a dedicated
grid stands out in a list."""

from console.domain.enums import Light

LIGHT_SYMBOL = {Light.RED: "●", Light.YELLOW: "◐", Light.GREEN: "○", Light.NONE: "·"}
DEDICATED_MARK = "◆"  # a dedicated grid (a school, a market…), told from a grid in lists
