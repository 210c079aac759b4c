"""How the console draws on the terminal it has (`console.terminal`): the theme for its colours,
and the filters every line passes on its way out.

On 16 or 8 colours the console uses themes of the terminal's own ANSI colours, so the lights
are the terminal's red, yellow and green: a 24-bit orange downgraded by Rich lands on bright
red, the red light's hue. Eight colours keep to the first eight. Without colour (a vt100, a
dumb terminal) colours are removed from every line and the styles that carried meaning by
colour alone carry it by reverse video and weight instead (rules under the App's class
`-no-colour`, and Textual's own `:nocolor` rules).

The filters are Textual's LineFilter, which its own NO_COLOR handling uses, returned from
`App.get_line_filters`, the hook Textual offers for them.
"""

from __future__ import annotations

from functools import lru_cache

from rich.color import Color as RichColor
from rich.color import ColorSystem, ColorType
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter, NoColor
from textual.theme import Theme

from console.terminal import FOLD, Colours, Terminal

THEMES = {"dark": "textual-dark", "light": "textual-light"}
# Monochrome: meaning is carried by symbols (○ ◐ ●) and weight, never by colour alone.
MONO = Theme(
    name="gridcall-mono",
    primary="#d0d0d0",
    secondary="#a8a8a8",
    accent="#ffffff",
    foreground="#e4e4e4",
    background="#000000",
    surface="#101010",
    panel="#1c1c1c",
    warning="#ffffff",
    error="#ffffff",
    success="#bcbcbc",
    dark=True,
)
# The terminal's own colours, on its own background: red, yellow and green are the lights.
_ANSI_VARIABLES = {
    "ansi-background": "ansi_black",
    "ansi-foreground": "ansi_white",
    "block-cursor-foreground": "ansi_black",
    "block-cursor-background": "ansi_white",
    "input-cursor-background": "ansi_white",
    "input-cursor-foreground": "ansi_black",
    "input-selection-background": "ansi_blue",
    "input-selection-foreground": "ansi_white",
    "screen-selection-background": "ansi_blue",
    "screen-selection-foreground": "ansi_white",
    "footer-key-foreground": "ansi_cyan",
    "border": "ansi_blue",
}
# Eight colours: none of the bright eight, which such a terminal shows as something else.
_FIRST_EIGHT = {
    "scrollbar-active": "ansi_blue",
    "link-background-hover": "ansi_blue",
    "link-color-hover": "ansi_white",
    "markdown-h2-color": "ansi_blue",
}


def _ansi_theme(name: str, variables: dict[str, str]) -> Theme:
    return Theme(
        name=name,
        ansi=True,
        dark=True,
        primary="ansi_blue",
        secondary="ansi_cyan",
        warning="ansi_yellow",
        error="ansi_red",
        success="ansi_green",
        accent="ansi_cyan",
        variables=_ANSI_VARIABLES | variables,
    )


ANSI_16 = _ansi_theme("gridcall-16", {})
ANSI_8 = _ansi_theme("gridcall-8", _FIRST_EIGHT)
OWN_THEMES = (MONO, ANSI_16, ANSI_8)  # registered with the App


def theme_for(terminal: Terminal, choice: str) -> str:
    """The name of the theme for this terminal and the operator's choice (dark, light, mono)."""
    if choice == "mono" or terminal.mono or terminal.colours is Colours.NONE:
        return MONO.name
    if terminal.colours is Colours.C16:
        return ANSI_16.name
    if terminal.colours is Colours.C8:
        return ANSI_8.name
    return THEMES.get(choice, "textual-dark")


class AsciiGlyphs(LineFilter):
    """Every glyph folded to its ASCII stand-in of the same width (`console.terminal.FOLD`):
    Textual's borders and scrollbars, Rich's ellipsis, a catalogue's punctuation."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            s if s.text.isascii() else Segment(s.text.translate(FOLD), s.style, s.control)
            for s in segments
        ]


@lru_cache(1024)
def _first_eight(style: Style) -> Style:
    color, bgcolor = style.color, style.bgcolor
    return style + Style(
        color=_base(color, grey=7) if color is not None else None,
        bgcolor=_base(bgcolor, grey=0) if bgcolor is not None else None,
    )


def _base(color: RichColor, grey: int) -> RichColor:
    """The colour as one of the first eight ANSI colours (bright red as red); grey (bright
    black) as `grey`: white for text, which must stay readable on the console's black, black
    for a background."""
    if color.type is ColorType.DEFAULT:
        return color
    number = color.downgrade(ColorSystem.STANDARD).number or 0
    return RichColor.from_ansi(grey if number == 8 else number % 8)


class EightColours(LineFilter):
    """Every colour as one of the first eight, as an 8-colour terminal shows them; a colour of
    the theme's is one already, the rest (Textual's own greys, blends) are brought down."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            s if s.style is None else Segment(s.text, _first_eight(s.style), s.control)
            for s in segments
        ]


def line_filters(terminal: Terminal) -> list[LineFilter]:
    """The filters this terminal's lines pass besides Textual's own."""
    filters: list[LineFilter] = []
    if not terminal.unicode:
        filters.append(AsciiGlyphs())
    if terminal.colours is Colours.C8:
        filters.append(EightColours())
    if terminal.colours is Colours.NONE:
        filters.append(NoColor())
    return filters
