"""The config file's [keymap] against the console's bindings, checked before the console starts.

Textual applies a keymap one node's bindings at a time (a screen's, a widget's, the App's):
a key given to one binding is silently taken from another of the same node, and an unknown id
or key name is ignored. Here each of those is a problem named in the config file's terms.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from textual.dom import DOMNode
from textual.keys import KEY_ALIASES, REPLACED_KEYS, Keys, _character_to_key, key_to_character

import console.views
from console.settings_schema import Group, Problem, keymap_problems

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
NAMES = frozenset(
    {k.value.rpartition("+")[2] for k in Keys if not k.value.startswith("<")}
    | set(KEY_ALIASES)
    | set(REPLACED_KEYS)
)


def key_name(key: str) -> str | None:
    """The key's one name as Textual matches it ("?" and "question_mark" are one key), None
    for a string no key press will ever match."""
    *modifiers, last = key.split("+")
    if not last or any(m not in MODIFIERS for m in modifiers):
        return None
    if len(last) == 1:
        last = _character_to_key(last)
    elif last not in NAMES and key_to_character(last) is None:
        return None
    return "+".join([*modifiers, last])


def _nodes(base: type[DOMNode]) -> list[type[DOMNode]]:
    found = []
    for kind in base.__subclasses__():
        if kind.__module__.startswith("console."):
            found.append(kind)
        found.extend(_nodes(kind))
    return found


def binding_groups(*extra: type[DOMNode]) -> list[Group]:
    """The bindings of every screen and widget of the console (and of `extra`, the App), one
    group per node: (binding id, its default keys)."""
    for module in pkgutil.walk_packages(console.views.__path__, "console.views."):
        importlib.import_module(module.name)
    groups: list[Group] = []
    for node in {*_nodes(DOMNode), *extra}:
        merged = node._merge_bindings().key_to_bindings.values()
        group = [(b.id, b.key) for bindings in merged for b in bindings if b.id]
        if group:
            groups.append(group)
    return groups


def problems(keymap: dict[str, str], path: Path, *extra: type[DOMNode]) -> list[Problem]:
    return keymap_problems(keymap, binding_groups(*extra), key_name, path)
