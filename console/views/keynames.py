"""Key names in the footer, in the operator's language.

Bindings are declared once per class, before the language is chosen at start-up; a screen or
widget calls `localise(self)` when it is made, and the footer then shows each key's
`key.<id>` catalogue entry — the same words the help screen uses.
"""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from console.i18n import CATALOG, get_lang, t


def localise(node: DOMNode) -> None:
    lang = get_lang()
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [
            replace(b, description=t(f"key.{b.id}", lang))
            if b.id and f"key.{b.id}" in CATALOG
            else b
            for b in bindings
        ]
