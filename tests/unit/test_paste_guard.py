"""A paste holding an ESC reaches the form as text, however the terminal's reads cut it."""

from __future__ import annotations

import pytest
from textual import events

from console.views.paste_guard import GuardedParser, PasteGuard

START, END = "\x1b[200~", "\x1b[201~"


def guarded(chunks: list[str]) -> str:
    guard = PasteGuard()
    return "".join(guard(chunk) for chunk in chunks) + guard("")


def cuts(text: str) -> list[list[str]]:
    """The text cut in two at every place, as two reads of a terminal may give it."""
    return [[text[:i], text[i:]] for i in range(1, len(text))]


def test_an_esc_inside_a_paste_is_dropped_and_the_markers_kept() -> None:
    assert guarded([f"x{START}A\x1bB\x1b]2;T\x1b\\{END}y"]) == f"x{START}AB]2;T\\{END}y"


@pytest.mark.parametrize("chunks", cuts(f"\x1b[A{START}A\x1bB{END}\x1b"))
def test_a_marker_cut_between_two_reads_is_still_seen(chunks: list[str]) -> None:
    assert guarded(chunks) == f"\x1b[A{START}AB{END}\x1b"


def test_outside_a_paste_an_escape_key_goes_on_at_once() -> None:
    guard = PasteGuard()
    assert guard("\x1b") == "\x1b"  # the Escape key: nothing held back
    assert guard("\x1b[B") == "\x1b[B"


def test_the_parser_gives_one_paste_and_no_keys() -> None:
    parser = GuardedParser()
    message = f"{START}A\x1bB{END}"
    tokens = [t for chunk in (message[:9], message[9:]) for t in parser.feed(chunk)]
    assert [type(t) for t in tokens] == [events.Paste]
    assert tokens[0].text == "AB"  # type: ignore[attr-defined]
