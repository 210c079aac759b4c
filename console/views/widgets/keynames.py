"""Key names in the footer, in the operator's language.

Bindings are declared once per class, before the language is chosen at start-up; a screen or
widget calls `localise(self, lang)` when it is made, and the footer then shows each key's
`key.<id>` catalogue entry — the same words the help screen uses — unless the caller gives a
shorter footer name for that binding id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from console.i18n import t
from console.i18n.catalog import CATALOG


def localise(node: DOMNode, lang: str, short: Mapping[str, str] | None = None) -> None:
    names = short or {}
    # Textual keeps a node's bindings in a private table; this is the one place that reaches
    # into it, so a Textual upgrade that moves it breaks here and nowhere else.
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [_named(b, names, lang) for b in bindings]


def _named(b: Binding, names: Mapping[str, str], lang: str) -> Binding:
    if b.id and b.id in names:
        return replace(b, description=names[b.id])
    return replace(b, description=described(b, lang))


def described(b: Binding, lang: str) -> str:
    """What a key does, in the operator's language: its `key.<id>` entry where it has one."""
    if b.id and f"key.{b.id}" in CATALOG:
        return t(f"key.{b.id}", lang)
    return b.description
