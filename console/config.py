"""Settings: where the store is, the language, the user, the keys.

The store URL is chosen in this order: `--db`, the environment variable GRIDCALL_DATABASE_URL,
`database_url` in the config file, an embedded SQLite file in the user's data directory.
The config file is TOML at GRIDCALL_CONFIG or the platform's config directory
(~/.config/gridcall/config.toml on Linux).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from platformdirs import user_config_dir, user_data_dir

from console.domain.errors import Invalid
from console.domain.handover import HandoverRules
from console.domain.lockout import Lockout

ENV_URL = "GRIDCALL_DATABASE_URL"
ENV_CONFIG = "GRIDCALL_CONFIG"
ENV_DATA = "GRIDCALL_DATA_DIR"
THEMES = ("dark", "light", "mono")


def config_path() -> Path:
    override = os.environ.get(ENV_CONFIG)
    if override:
        return Path(override).expanduser()
    return Path(user_config_dir("gridcall")) / "config.toml"


def data_dir() -> Path:
    """Where the default store and the crash log live; Invalid when that is a file."""
    override = os.environ.get(ENV_DATA)
    path = Path(override).expanduser() if override else Path(user_data_dir("gridcall"))
    if path.exists() and not path.is_dir():
        raise Invalid("error.data_dir_file", path=str(path))
    return path


def default_sqlite_url() -> str:
    return f"sqlite:///{data_dir() / 'gridcall.db'}"


@dataclass(frozen=True)
class Settings:
    database_url: str | None = None  # from the config file only; see resolve_url
    lang: str | None = None
    user: str | None = None
    theme: str = "dark"
    timezone: str = "Asia/Shanghai"
    warn_ratio: float = 0.75
    bell: bool = False
    keymap: dict[str, str] = field(default_factory=dict)
    lockout: Lockout = field(default_factory=Lockout)  # the file's [sign_in] table
    handover: HandoverRules = field(default_factory=HandoverRules)  # the file's [handover] table

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def load_settings(path: Path | None = None) -> Settings:
    """The config file's settings; defaults when there is none. Bad content → Invalid."""
    path = path or config_path()
    if not path.exists():
        return Settings()
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise Invalid("error.config", path=str(path), detail=str(exc)) from exc
    known = set(Settings.__dataclass_fields__) - {"lockout"} | {SIGN_IN}
    unknown = sorted(set(data) - known)
    if unknown:
        raise Invalid("error.config", path=str(path), detail="unknown keys: " + ", ".join(unknown))
    lockout = _lockout(data.pop(SIGN_IN, {}), path)
    handover = _handover(data.pop(HANDOVER, {}), path)
    for key, value in data.items():
        problem = _kind_problem(key, value)
        if problem is not None:
            raise Invalid("error.config", path=str(path), detail=f"{key} {problem}, not {value!r}")
    settings = Settings(**data, lockout=lockout, handover=handover)
    if settings.theme not in THEMES:
        raise Invalid("error.config", path=str(path), detail=f"theme must be one of {THEMES}")
    if not 0 < settings.warn_ratio < 1:
        raise Invalid("error.config", path=str(path), detail="warn_ratio must be between 0 and 1")
    try:
        settings.tz  # noqa: B018 — validate the zone name now, not mid-shift
    except (ZoneInfoNotFoundError, ValueError) as exc:
        detail = f"unknown timezone {settings.timezone!r}"
        raise Invalid("error.config", path=str(path), detail=detail) from exc
    return settings


LANGS = ("zh", "en")


def _kind_problem(key: str, value: object) -> str | None:
    """What is wrong with a top-level setting's value, as a phrase; None when it is fine.
    TOML gives each value its own type, so a quoted number or a misspelt language is caught
    here, with the key named, rather than as a TypeError mid-shift."""
    if key == "warn_ratio":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return None if ok else "must be a number between 0 and 1"
    if key == "bell":
        return None if isinstance(value, bool) else "must be true or false"
    if key == "keymap":
        ok = isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        )
        return None if ok else 'must be a table of binding = "key"'
    if not isinstance(value, str):
        return "must be text in quotes"
    if key == "lang" and value not in LANGS:
        return "must be zh or en"
    return None


SIGN_IN = "sign_in"
# The [sign_in] table's keys, and the Lockout figure each sets.
SIGN_IN_KEYS = {
    "failures": "failures",
    "lock_minutes": "minutes",
    "idle_minutes": "idle_minutes",
    "shift_hours": "shift_hours",
}


def _lockout(table: object, path: Path) -> Lockout:
    """The [sign_in] table as the centre's lockout figures: each a positive whole number."""
    if not isinstance(table, dict):
        raise Invalid("error.config", path=str(path), detail=f"{SIGN_IN} must be a table")
    unknown = sorted(set(table) - set(SIGN_IN_KEYS))
    if unknown:
        detail = f"unknown keys in [{SIGN_IN}]: " + ", ".join(unknown)
        raise Invalid("error.config", path=str(path), detail=detail)
    for key, value in table.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            detail = f"{SIGN_IN}.{key} must be a positive whole number, not {value!r}"
            raise Invalid("error.config", path=str(path), detail=detail)
    return Lockout(**{SIGN_IN_KEYS[k]: v for k, v in table.items()})


HANDOVER = "handover"
HANDOVER_KEYS = ("shift_ends", "urgent_hours")


def _handover(table: object, path: Path) -> HandoverRules:
    """The [handover] table: the local times shifts end at ("08:30"), and the hours of urgent
    cases a handover's draft lists (a positive whole number)."""

    def bad(detail: str) -> Invalid:
        return Invalid("error.config", path=str(path), detail=detail)

    if not isinstance(table, dict):
        raise bad(f"{HANDOVER} must be a table")
    unknown = sorted(set(table) - set(HANDOVER_KEYS))
    if unknown:
        raise bad(f"unknown keys in [{HANDOVER}]: " + ", ".join(unknown))
    hours = table.get("urgent_hours", HandoverRules.urgent_hours)
    if isinstance(hours, bool) or not isinstance(hours, int) or hours < 1:
        raise bad(f"{HANDOVER}.urgent_hours must be a positive whole number, not {hours!r}")
    ends = table.get("shift_ends", [])
    if not isinstance(ends, list):
        raise bad(f'{HANDOVER}.shift_ends must be a list of times like ["08:30", "17:30"]')
    times: list[time] = []
    for end in ends:
        parsed = _clock_time(end)
        if parsed is None:
            raise bad(f'{HANDOVER}.shift_ends must hold times like "17:30", not {end!r}')
        times.append(parsed)
    return HandoverRules(shift_ends=tuple(sorted(set(times))), urgent_hours=hours)


def _clock_time(value: object) -> time | None:
    """A local time written "HH:MM", 00:00 to 23:59; None for anything else."""
    if not isinstance(value, str):
        return None
    hours, colon, minutes = value.strip().partition(":")
    if not (colon and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        return None
    if int(hours) > 23 or int(minutes) > 59:
        return None
    return time(int(hours), int(minutes))


def resolve_url(cli_url: str | None, settings: Settings) -> tuple[str, bool]:
    """The store URL and whether it is the default embedded file. A URL given empty is
    refused, not skipped: a script whose variable came out blank must not act on the demo
    store instead of its own."""
    given = (
        ("--db", cli_url),
        (ENV_URL, os.environ.get(ENV_URL)),
        (f"database_url in {config_path()}", settings.database_url),
    )
    for source, candidate in given:
        if candidate is None:
            continue
        if not candidate.strip():
            raise Invalid("error.empty_url", source=source)
        return candidate, False
    return default_sqlite_url(), True
