"""Every user-facing string in Simplified Chinese and English.

`t(key, lang, **params)` looks the key up in that language's catalogue. The language travels
with whoever reads: the console's and the CLI's session carry it (`console.session`), and every
function that makes text is handed it, so an error raised in one place is worded for the
reader where it is shown (`say`).
"""

from __future__ import annotations

import locale
import os
from collections.abc import Mapping

from console.domain.audit import Finding
from console.domain.errors import GridcallError, Label
from console.i18n.catalog import CATALOG

LANGS = ("zh", "en")


def detect_lang() -> str:
    """The language the environment asks for: zh for a Chinese locale, else en."""
    chosen = lang_of(os.environ)
    if chosen is not None:
        return chosen
    code = locale.getlocale()[0] or ""
    return "zh" if code.lower().startswith("zh") else "en"


def lang_of(env: Mapping[str, str]) -> str | None:
    """The language a set of locale variables asks for (zh or en); None when none is set."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return None


def t(key: str, lang: str, **params: object) -> str:
    entry = CATALOG.get(key)
    if entry is None:
        return key
    text = entry[0 if lang == "zh" else 1]
    return text.format(**params) if params else text


def label(kind: str, value: str, lang: str) -> str:
    """The display name of a coded value, e.g. label("status", "closed", "zh") → 已结案."""
    return t(f"{kind}.{value}", lang)


def _shown(value: object, lang: str) -> object:
    if isinstance(value, Label):
        return label(value.kind, value.value, lang)
    if isinstance(value, tuple) and value and all(isinstance(v, GridcallError) for v in value):
        return "\n".join(say(v, lang) for v in value)  # several problems: one line each
    if isinstance(value, tuple):
        return ", ".join(str(_shown(v, lang)) for v in value)
    if isinstance(value, GridcallError | Finding):  # why an audit finding holds
        return say(value, lang)
    return value


def say(error: GridcallError | Finding, lang: str) -> str:
    """The error (or audit finding) as its reader reads it: its key's text, its coded values
    by their names."""
    return t(error.key, lang, **{k: _shown(v, lang) for k, v in error.params.items()})
