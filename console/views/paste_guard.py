"""Pasted text reaches the console whole, whatever it holds.

Textual's terminal parser (8.x) reads an ESC inside a bracketed paste as the start of an
escape sequence, and one it does not know is re-issued as key presses: pasting "A<ESC>B"
into a form typed "^" and "B" as keys, then pasted the rest, and the keys after it landed
in other fields. The guard sits in front of the parser and drops every ESC between the
paste's start and end markers, so the parser sees the paste as plain text and the App's
own rule (`present.pasted`) cleans the rest. Outside a paste nothing is changed: an Escape
key is never held back.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual._xterm_parser import BRACKETED_PASTE_END, BRACKETED_PASTE_START, XTermParser
from textual.drivers import linux_driver
from textual.message import Message

ESC = "\x1b"


class PasteGuard:
    """What a terminal sends, with the ESCs inside a bracketed paste taken out. Fed in the
    chunks the terminal's reads give, a marker may be split between two of them."""

    def __init__(self) -> None:
        self.in_paste = False
        self._seen = ""  # the end of what passed outside a paste: a start marker's head
        self._held = ""  # inside a paste, a chunk's tail that may be the end marker's head

    def __call__(self, data: str) -> str:
        if not data:
            return self._held  # the end of input: what was held goes on as it is
        data, self._held = self._held + data, ""
        out: list[str] = []
        at = 0
        while at < len(data):
            if not self.in_paste:
                looked = self._seen + data[at:]
                start = looked.find(BRACKETED_PASTE_START)
                if start < 0:
                    out.append(data[at:])
                    self._seen = looked[-(len(BRACKETED_PASTE_START) - 1) :]
                    break
                end_of_marker = start + len(BRACKETED_PASTE_START) - len(self._seen)
                out.append(data[at : at + end_of_marker])
                at += end_of_marker
                self.in_paste, self._seen = True, ""
                continue
            end = data.find(BRACKETED_PASTE_END, at)
            if end < 0:
                body, self._held = _split_end_head(data[at:])
                out.append(body.replace(ESC, ""))
                break
            out.append(data[at:end].replace(ESC, "") + BRACKETED_PASTE_END)
            at = end + len(BRACKETED_PASTE_END)
            self.in_paste = False
        return "".join(out)


def _split_end_head(text: str) -> tuple[str, str]:
    """The text, and its tail when that tail could begin the end marker."""
    for size in range(min(len(BRACKETED_PASTE_END) - 1, len(text)), 0, -1):
        if BRACKETED_PASTE_END.startswith(text[-size:]):
            return text[:-size], text[-size:]
    return text, ""


class GuardedParser(XTermParser):
    """Textual's parser behind a `PasteGuard`."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._guard = PasteGuard()

    def feed(self, data: str) -> Iterable[Message]:
        if not data:
            held = self._guard(data)
            if held:
                yield from super().feed(held)
        else:
            data = self._guard(data)
            if not data:
                return
        yield from super().feed(data)


def install() -> None:
    """The terminal driver's parser made the guarded one, for every console of this process
    (the local one and each SSH seat): the driver names its parser class at module level."""
    linux_driver.XTermParser = GuardedParser  # type: ignore[attr-defined]
