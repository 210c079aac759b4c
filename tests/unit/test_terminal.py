"""What the console reads of the terminal from its environment, and the one table of glyphs."""

from __future__ import annotations

import unicodedata
from dataclasses import fields

import pytest

from console.domain.enums import Light
from console.terminal import ASCII, FOLD, UNICODE, Colours, Glyphs, Terminal, read


def cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@pytest.mark.parametrize(
    ("environ", "colours", "unicode"),
    [
        ({"TERM": "xterm"}, Colours.C16, True),
        ({"TERM": "screen"}, Colours.C16, True),
        ({"TERM": "xterm-16color"}, Colours.C16, True),
        ({"TERM": "xterm-256color"}, Colours.C256, True),
        ({"TERM": "tmux-256color"}, Colours.C256, True),
        ({"TERM": "xterm-kitty"}, Colours.C256, True),
        ({"TERM": "xterm-256color", "COLORTERM": "truecolor"}, Colours.TRUECOLOR, True),
        ({"TERM": "xterm", "COLORTERM": "24bit"}, Colours.TRUECOLOR, True),
        # Textual's own override, as Textual reads it.
        ({"TERM": "xterm-256color", "TEXTUAL_COLOR_SYSTEM": "standard"}, Colours.C16, True),
        ({"TERM": "xterm", "TEXTUAL_COLOR_SYSTEM": "truecolor"}, Colours.TRUECOLOR, True),
        ({"TERM": "xterm", "TEXTUAL_COLOR_SYSTEM": "auto"}, Colours.C16, True),
        # The Linux console: eight colours, its font has no room for the glyphs.
        ({"TERM": "linux"}, Colours.C8, False),
        ({"TERM": "linux", "COLORTERM": "truecolor"}, Colours.C8, False),
        ({"TERM": "cons25"}, Colours.C8, False),
        ({"TERM": "ansi"}, Colours.C8, False),
        # No colour at all: the DEC vt family, dumb terminals.
        ({"TERM": "vt100"}, Colours.NONE, False),
        ({"TERM": "vt220"}, Colours.NONE, False),
        ({"TERM": "VT102"}, Colours.NONE, False),
        ({"TERM": "dumb"}, Colours.NONE, False),
        ({"TERM": "dumb", "COLORTERM": "truecolor"}, Colours.NONE, False),
        ({"TERM": "unknown"}, Colours.NONE, False),
        # No TERM: what Rich (and so Textual) assumes.
        ({}, Colours.C16, True),
    ],
)
def test_colours_and_glyphs_follow_term(
    environ: dict[str, str], colours: Colours, unicode: bool
) -> None:
    terminal = read(environ)
    assert terminal.colours is colours
    assert terminal.unicode is unicode
    # Mouse reporting goes with the terminals that speak xterm's sequences.
    assert terminal.mouse is unicode
    assert terminal.glyphs is (UNICODE if unicode else ASCII)
    assert not terminal.mono


@pytest.mark.parametrize(
    ("environ", "theme", "mono"),
    [
        ({"TERM": "xterm-256color"}, "dark", False),
        ({"TERM": "xterm-256color"}, "light", False),
        ({"TERM": "xterm-256color"}, "mono", True),
        ({"TERM": "xterm-256color", "NO_COLOR": "1"}, "dark", True),
        ({"TERM": "xterm-256color", "NO_COLOR": "yes"}, "light", True),
        # no-color.org: present and not empty.
        ({"TERM": "xterm-256color", "NO_COLOR": ""}, "dark", False),
    ],
)
def test_no_color_and_the_mono_theme_ask_for_monochrome(
    environ: dict[str, str], theme: str, mono: bool
) -> None:
    terminal = read(environ, theme)
    assert terminal.mono is mono
    # Monochrome is not fewer glyphs: the lights keep their shapes.
    assert terminal.unicode
    assert terminal.colours is Colours.C256


def test_the_default_terminal_shows_everything() -> None:
    assert Terminal() == read({"TERM": "xterm-256color", "COLORTERM": "truecolor"})


@pytest.mark.parametrize("glyphs", [UNICODE, ASCII], ids=["unicode", "ascii"])
def test_the_lights_have_three_shapes(glyphs: Glyphs) -> None:
    shapes = [glyphs.light(light) for light in Light]
    assert len(set(shapes)) == len(shapes)
    # Told from the mark that follows a marked case's light, too.
    assert glyphs.mark not in shapes


def test_ascii_glyphs_are_ascii_and_as_wide_as_their_meaning_needs() -> None:
    for f in fields(Glyphs):
        narrow = getattr(ASCII, f.name)
        assert narrow.isascii() and narrow.isprintable(), f.name
        assert len(narrow) == 1, f.name


def test_folding_keeps_every_line_the_same_width() -> None:
    for code, stand_in in FOLD.items():
        assert stand_in.isascii()
        assert cells(chr(code)) == len(stand_in), chr(code)


def test_every_glyph_of_the_table_folds_to_its_ascii_form_or_is_drawn_by_name() -> None:
    """Folding gives each glyph its own ASCII form, except where a glyph of the same shape
    with another meaning came first (the live marks ● ○ are the lights' shapes) or the forms
    differ in width (（ ）): those are drawn by name, from the terminal's glyphs."""
    drawn_by_name = {"live", "offline", "open", "close"}
    for f in fields(Glyphs):
        wide, narrow = getattr(UNICODE, f.name), getattr(ASCII, f.name)
        if f.name not in drawn_by_name:
            assert wide.translate(FOLD) == narrow, f.name


def test_textual_borders_and_scrollbars_fold_to_lines() -> None:
    assert "╭──╮".translate(FOLD) == "+--+"
    assert "│ ┃".translate(FOLD) == "| |"
    assert "▏▔▁█".translate(FOLD) == "|--#"
    # Text is left as it is: the store's Chinese is the operator's to read.
    assert "江滨街道 A-1".translate(FOLD) == "江滨街道 A-1"
