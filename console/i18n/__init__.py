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
from datetime import UTC, datetime, tzinfo

from console.domain.audit import Finding
from console.domain.errors import GridcallError, Label
from console.i18n.catalog import CATALOG
from console.terminal import UNICODE


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


def when(dt: datetime | None, tz: tzinfo, *, seconds: bool = False) -> str:
    """A time as an operator reads it, in the centre's time zone (`Settings.tz`): the one
    place that turns the store's UTC into what a screen or a message shows."""
    if dt is None:
        return UNICODE.dash
    return dt.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%m-%d %H:%M")


def _shown(value: object, lang: str, tz: tzinfo | None) -> object:
    if isinstance(value, Label):
        return label(value.kind, value.value, lang)
    if isinstance(value, tuple) and value and all(isinstance(v, GridcallError) for v in value):
        return "\n".join(say(v, lang, tz) for v in value)  # several problems: one line each
    if isinstance(value, datetime):
        # Without the reader's zone (a log line), the time says it is UTC.
        return when(value, tz, seconds=True) if tz else f"{when(value, UTC, seconds=True)} UTC"
    if isinstance(value, tuple):
        return ", ".join(str(_shown(v, lang, tz)) for v in value)
    if isinstance(value, GridcallError | Finding):  # why an audit finding holds
        return say(value, lang, tz)
    return value


def say(error: GridcallError | Finding, lang: str, tz: tzinfo | None = None) -> str:
    """The error (or audit finding) as its reader reads it: its key's text, its coded values
    by their names, a time in the reader's zone `tz`."""
    return t(error.key, lang, **{k: _shown(v, lang, tz) for k, v in error.params.items()})
