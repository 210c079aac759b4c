"""Symbols that carry meaning without colour, so the light reads on a monochrome terminal."""

from console.domain.enums import Light

LIGHT_SYMBOL = {Light.RED: "●", Light.YELLOW: "◐", Light.GREEN: "○", Light.NONE: "·"}
