"""Every user-facing string in Simplified Chinese and English.

`t(key, **params)` looks the key up in the current language's catalogue. The language is chosen
once at start-up (`set_lang`) from `--lang`, the config file or the locale.
"""

from __future__ import annotations

import locale
import os

from console.i18n.catalog import CATALOG

LANGS = ("zh", "en")
_current = "zh"


def set_lang(lang: str) -> None:
    global _current
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: choose one of {', '.join(LANGS)}")
    _current = lang


def get_lang() -> str:
    return _current


def detect_lang() -> str:
    """The language the environment asks for: zh for a Chinese locale, else en."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    code = locale.getlocale()[0] or ""
    return "zh" if code.lower().startswith("zh") else "en"


def t(key: str, lang: str | None = None, **params: object) -> str:
    entry = CATALOG.get(key)
    if entry is None:
        return key
    text = entry[0 if (lang or _current) == "zh" else 1]
    return text.format(**params) if params else text


def label(kind: str, value: str, lang: str | None = None) -> str:
    """The display name of a coded value, e.g. label("status", "closed") → 已结案."""
    return t(f"{kind}.{value}", lang)
