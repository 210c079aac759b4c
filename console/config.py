"""Settings: where the store is, the language, the user, the keys.

The store URL is chosen in this order: `--db`, the environment variable GRIDCALL_DATABASE_URL,
`database_url` in the config file, an embedded SQLite file in the user's data directory.
The config file is TOML at GRIDCALL_CONFIG or the platform's config directory
(~/.config/gridcall/config.toml on Linux).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from platformdirs import user_config_dir, user_data_dir

from console.domain.errors import Invalid
from console.domain.figures import Weights
from console.domain.handover import HandoverRules
from console.domain.lockout import Lockout
from console.domain.open311 import Open311Rules
from console.domain.oversight import OversightRules
from console.domain.whistle import WhistleRules
from console.settings_schema import (
    Check,
    Problem,
    SettingsInvalid,
    Table,
    boolean,
    clock_times,
    keymap_table,
    multiple,
    one_of,
    read_table,
    refuse,
    share,
    text,
    time_zone,
    weight,
    whole,
)

ENV_URL = "GRIDCALL_DATABASE_URL"
ENV_CONFIG = "GRIDCALL_CONFIG"
ENV_DATA = "GRIDCALL_DATA_DIR"
THEMES = ("dark", "light", "mono")
LANGS = ("zh", "en")


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


def setting(rule: Check | Table, *, flag: str | None = None, key: str = "") -> dict[str, Any]:
    """A setting's declaration, held by its field: the rule its value keeps, the flag that
    overrides it for one command, and its key in the file when that is not the field's name."""
    return {"rule": rule, "flag": flag, "key": key}


def _lockout(lock_minutes: int = Lockout.minutes, **figures: int) -> Lockout:
    return Lockout(minutes=lock_minutes, **figures)


SIGN_IN = Table(
    {"failures": whole, "lock_minutes": whole, "idle_minutes": whole, "shift_hours": whole},
    _lockout,
)
HANDOVER = Table({"shift_ends": clock_times, "urgent_hours": whole}, HandoverRules)
OPEN311 = Table({"per_minute": whole}, Open311Rules)
WHISTLE = Table({"check_in_hours": whole, "feedback_hours": whole}, WhistleRules)
OVERSIGHT = Table(
    {
        "urge_when_red": boolean,
        "reply_hours": whole,
        "supervisor_after": multiple,
        "urge_late_departments": boolean,
    },
    OversightRules,
)
ASSESSMENT = Table(
    {**{name: weight for name in Weights.__dataclass_fields__}, "minimum": whole}, Weights
)


@dataclass(frozen=True)
class Settings:
    """The config file's settings, each with its default and rule (`settings_schema`)."""

    # The store's URL from the file; --db and the environment come first (resolve_url).
    database_url: str | None = field(default=None, metadata=setting(text, flag="--db"))
    lang: str | None = field(default=None, metadata=setting(one_of(*LANGS), flag="--lang"))
    user: str | None = field(default=None, metadata=setting(text, flag="--user"))
    theme: str = field(default="dark", metadata=setting(one_of(*THEMES), flag="--theme"))
    timezone: str = field(default="Asia/Shanghai", metadata=setting(time_zone))
    warn_ratio: float = field(default=0.75, metadata=setting(share))
    bell: bool = field(default=False, metadata=setting(boolean))
    # The dashboard marks red the places and units whose on-time closure rate is below it.
    on_time_target: float = field(default=0.8, metadata=setting(share))
    keymap: dict[str, str] = field(default_factory=dict, metadata=setting(keymap_table))
    lockout: Lockout = field(default_factory=Lockout, metadata=setting(SIGN_IN, key="sign_in"))
    handover: HandoverRules = field(default_factory=HandoverRules, metadata=setting(HANDOVER))
    assessment: Weights = field(default_factory=Weights, metadata=setting(ASSESSMENT))
    # `gridcall serve open311`: requests a minute for each app's key (each address without one).
    open311: Open311Rules = field(default_factory=Open311Rules, metadata=setting(OPEN311))
    # 吹哨报到: the hours a summoned department has to check in and to file its feedback.
    whistle: WhistleRules = field(default_factory=WhistleRules, metadata=setting(WHISTLE))
    # Automatic 督办: each rule switched on or off, with its figures (domain.oversight).
    oversight: OversightRules = field(default_factory=OversightRules, metadata=setting(OVERSIGHT))

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


# The file's keys, each with its rule, and the Settings field it sets.
RULES: dict[str, Check | Table] = {
    f.metadata["key"] or f.name: f.metadata["rule"] for f in fields(Settings)
}
FIELDS = {f.metadata["key"] or f.name: f.name for f in fields(Settings)}
# The flags that override a setting, each with the setting's rule.
FLAGS: dict[str, Check] = {
    f.metadata["flag"]: f.metadata["rule"] for f in fields(Settings) if f.metadata["flag"]
}


def load_settings(path: Path | None = None) -> Settings:
    """The config file's settings; defaults when there is none. Bad content → SettingsInvalid,
    naming every bad value."""
    path = path or config_path()
    if not path.exists():
        return Settings()
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise SettingsInvalid([Problem("settings.not_utf8", path=str(path))]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsInvalid([_not_toml(path, exc)]) from exc
    values, problems = read_table(data, RULES, path)
    refuse(problems)
    return Settings(**{FIELDS[key]: value for key, value in values.items()})


def _not_toml(path: Path, exc: tomllib.TOMLDecodeError) -> Problem:
    # The parser's words are English: the place is said in the reader's language, the words
    # kept for those who read them.
    where = re.search(r"\s*\(at line (\d+), column (\d+)\)", str(exc))
    line, column = where.groups() if where else ("?", "?")
    detail = str(exc).replace(where.group(0), "") if where else str(exc)
    return Problem("settings.not_toml", path=str(path), line=line, column=column, detail=detail)


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
