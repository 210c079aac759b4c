"""What the terminal the console draws on can show: how many colours, which glyphs, the mouse.

Read from the environment by the terminal's own conventions: TERM names the terminal,
COLORTERM says it takes 24-bit colour, NO_COLOR (no-color.org: present and not empty) asks
for no colour, TEXTUAL_COLOR_SYSTEM is Textual's own override; and the console's theme
setting, where `mono` asks for no colour too. A console served over SSH reads its client's
environment rather than the server's.

The colour depth follows the rules Rich uses for the console Textual writes through
(COLORTERM, then TERM's `-256color` suffix, else 16 colours), narrowed for the terminals that
show fewer: the Linux console and its kin take 8, a vt100 or a dumb terminal none. So the
palette the console chooses is never richer than what Textual sends.

The glyphs the console draws are one table, each in a Unicode and an ASCII form. On a
terminal that shows no Unicode (the vt family, the Linux console, dumb) the ASCII forms are
drawn, and whatever else reaches the screen (a border, a scrollbar, a catalogue's
punctuation) is folded to ASCII by the same table (`FOLD`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum

from console.domain.enums import Light


class Colours(StrEnum):
    TRUECOLOR = "truecolor"
    C256 = "256"
    C16 = "16"
    C8 = "8"
    NONE = "none"


# Terminals without colour, and those that show neither Unicode nor report the mouse as xterm
# does: the DEC vt family, dumb terminals, the Linux and BSD consoles, DOS's ANSI.
_VT = re.compile(r"vt\d+.*")
_NO_COLOUR = {"dumb", "unknown"}
_EIGHT = {"linux", "cons25", "ansi"}
# Rich's table for the part of TERM after its last hyphen (or TERM itself).
_SUFFIX = {"kitty": Colours.C256, "256color": Colours.C256, "16color": Colours.C16}
_TEXTUAL = {
    "truecolor": Colours.TRUECOLOR,
    "256": Colours.C256,
    "standard": Colours.C16,
    "windows": Colours.C16,
}


@dataclass(frozen=True)
class Glyphs:
    """Every glyph the console draws by itself, by what it means."""

    red: str  # the deadline lights: three shapes, told apart without colour
    yellow: str
    green: str
    no_light: str  # no deadline
    mark: str  # a case marked for a bulk action
    dedicated: str  # a dedicated grid (a school, a market…), told from a grid
    ellipsis: str  # text cut short
    dash: str  # nothing to show
    en_dash: str  # a range
    dot: str  # between items on a line
    bar: str  # between the fields of a heading
    path: str  # between the places of a path: district › street › community
    arrow: str  # from one state to the next
    up: str
    down: str
    left: str
    live: str  # the store answers
    offline: str  # the store does not
    chosen: str  # a choice taken in a list
    refused: str  # no
    previous: str  # more choices to the left
    next: str  # more to the right
    times: str  # 80×24
    open: str  # around an aside: 潘嘉怡（operator）
    close: str

    def light(self, light: Light) -> str:
        return {
            Light.RED: self.red,
            Light.YELLOW: self.yellow,
            Light.GREEN: self.green,
            Light.NONE: self.no_light,
        }[light]


UNICODE = Glyphs(
    red="●",
    yellow="◐",
    green="○",
    no_light="·",
    mark="*",
    dedicated="◆",
    ellipsis="…",
    dash="—",
    en_dash="–",
    dot="·",
    bar="│",
    path="›",
    arrow="→",
    up="↑",
    down="↓",
    left="←",
    live="●",
    offline="○",
    chosen="✓",
    refused="✗",
    previous="◀",
    next="▶",
    times="×",
    open="（",
    close="）",
)
ASCII = Glyphs(
    red="#",
    yellow="%",
    green="o",
    no_light=".",
    mark="*",
    dedicated="+",
    ellipsis="~",
    dash="-",
    en_dash="-",
    dot=".",
    bar="|",
    path=">",
    arrow=">",
    up="^",
    down="v",
    left="<",
    live="+",
    offline="-",
    chosen="x",
    refused="-",
    previous="<",
    next=">",
    times="x",
    open="(",
    close=")",
)


def _cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _drawing(ch: str) -> str | None:
    """The ASCII stand-in for a box-drawing or block character (Textual's borders, rules and
    scrollbars), by the line it draws."""
    name = unicodedata.name(ch, "")
    if name.startswith("BOX DRAWINGS"):
        across, down = "HORIZONTAL" in name, "VERTICAL" in name
        return "-" if across and not down else "|" if down and not across else "+"
    if ch in "▔▁":
        return "-"
    if ch in "▏▕":
        return "|"
    if name.endswith("BLOCK") or "SHADE" in name:
        return "#"
    return None


def _fold() -> dict[int, str]:
    table: dict[int, str] = {}
    for f in fields(Glyphs):
        wide, narrow = getattr(UNICODE, f.name), getattr(ASCII, f.name)
        # One cell for one: folding must not move what follows on the line. The first
        # meaning of a shared glyph decides (● is the red light before it is the live mark).
        if wide != narrow and _cells(wide) == _cells(narrow):
            table.setdefault(ord(wide), narrow)
    for code in range(0x2500, 0x25A0):
        stand_in = _drawing(chr(code))
        if stand_in is not None:
            table.setdefault(code, stand_in)
    # What Textual's own widgets and Rich draw besides: tree and select arrows, bullets,
    # quotes, the command palette's magnifier (two cells).
    table.update(
        {ord(k): v for k, v in {"▼": "v", "▲": "^", "►": ">", "◄": "<", "▸": ">", "▾": "v"}.items()}
    )
    table.update({ord(k): v for k, v in {"•": "*", "“": '"', "”": '"', "‘": "'", "’": "'"}.items()})
    table[ord("🔎")] = "> "
    return table


# Unicode glyph → its ASCII stand-in of the same width, for `str.translate`.
FOLD: dict[int, str] = _fold()


@dataclass(frozen=True)
class Terminal:
    """What the console may send: how many colours, Unicode or ASCII glyphs, mouse reporting;
    and whether it is asked to draw without colour (NO_COLOR, the mono theme)."""

    colours: Colours = Colours.TRUECOLOR
    unicode: bool = True
    mouse: bool = True
    mono: bool = False

    @property
    def glyphs(self) -> Glyphs:
        return UNICODE if self.unicode else ASCII


def read(environ: Mapping[str, str], theme: str = "dark") -> Terminal:
    """The terminal that `environ` describes, with the console's `theme` setting."""
    term = environ.get("TERM", "").strip().lower()
    plain = term in _NO_COLOUR or bool(_VT.fullmatch(term))
    old = plain or term in _EIGHT
    return Terminal(
        colours=_colours(environ, term, plain),
        unicode=not old,
        mouse=not old,
        mono=theme == "mono" or bool(environ.get("NO_COLOR")),
    )


def _colours(environ: Mapping[str, str], term: str, plain: bool) -> Colours:
    if plain:
        return Colours.NONE
    if term in _EIGHT:
        return Colours.C8
    forced = _TEXTUAL.get(environ.get("TEXTUAL_COLOR_SYSTEM", "").strip().lower())
    if forced is not None:
        return forced
    if environ.get("COLORTERM", "").strip().lower() in ("truecolor", "24bit"):
        return Colours.TRUECOLOR
    return _SUFFIX.get(term.rpartition("-")[2], Colours.C16)
