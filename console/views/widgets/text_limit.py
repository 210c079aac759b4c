"""How much a text field takes. Every Input and TextArea of the console has a limit, the
domain's for what it holds (console.domain.limits), and a paste that would take a field past
it is refused whole and said, at the App's door where every paste is cleaned
(`present.pasted`): a field cut short without a word, or a megabyte that the service refuses
only when the form is sent, leaves the operator guessing.
"""

from __future__ import annotations

from typing import Any

from textual.widget import Widget
from textual.widgets import Input, TextArea


class CappedInput(Input):
    """A one-line input of at most `max_length` characters (the domain's limit for its field)
    that says so, in words naming the field, when what is typed or pasted would pass it: the
    input takes none of it, and a bell alone would leave the operator guessing why."""

    def __init__(self, full: str, *, placeholder: str, max_length: int, id: str) -> None:
        super().__init__(placeholder=placeholder, max_length=max_length, compact=True, id=id)
        self.full = full

    def restricted(self) -> None:
        super().restricted()
        self.notify(self.full, severity="warning", markup=False)


class CappedTextArea(TextArea):
    """A TextArea of at most `max_length` characters: Textual's has no limit of its own."""

    def __init__(self, text: str = "", *, max_length: int, **options: Any) -> None:
        super().__init__(text, **options)
        self.max_length = max_length


def paste_limit(field: Widget | None, text: str) -> int | None:
    """The field's limit when pasting `text` into it would take it past that limit; None when
    it fits, or when no text field has the focus."""
    if isinstance(field, Input):
        start, end = sorted(field.selection)
        lines = text.splitlines()
        taken = lines[0] if lines else ""  # an Input takes a paste's first line
        most = field.max_length or 0
        after = len(field.value) - (end - start) + len(taken)
    elif isinstance(field, CappedTextArea):
        most = field.max_length
        after = len(field.text) - len(field.selected_text) + len(text)
    else:
        return None
    return most if most and after > most else None
