"""Settings from the config file and the flags: each bad value named in one line, nothing
half-applied."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from console.config import Settings, load_settings
from console.domain.errors import Invalid
from console.i18n import say


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ('warn_ratio = "abc"', "warn_ratio must be a number between 0 and 1, not 'abc'"),
        ("warn_ratio = 1.5", "warn_ratio must be between 0 and 1"),
        ('lang = "fr"', "lang must be zh or en, not 'fr'"),
        ('bell = "yes"', "bell must be true or false, not 'yes'"),
        ("timezone = 8", "timezone must be text in quotes, not 8"),
        ('timezone = "Mars/Olympus"', "unknown timezone 'Mars/Olympus'"),
        ('theme = "neon"', "theme must be one of"),
        ("keymap = { accept = 1 }", "keymap must be a table of binding"),
        ('colour = "red"', "unknown keys: colour"),
        ("[sign_in]\nfailures = 0", "sign_in.failures must be a positive whole number"),
        ('[handover]\nshift_ends = "17:30"', "handover.shift_ends must be a list of times"),
        ('[handover]\nshift_ends = ["25:00"]', "handover.shift_ends must hold times like"),
        ("[handover]\nshift_ends = [1730]", "handover.shift_ends must hold times like"),
        ('[handover]\nurgent_hours = "8"', "handover.urgent_hours must be a positive whole number"),
        ("[handover]\nshift_end = []", "unknown keys in [handover]: shift_end"),
        ("warn_ratio = ", "Invalid value"),
    ],
)
def test_a_bad_setting_is_named(tmp_path: Path, line: str, said: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(Invalid) as caught:
        load_settings(path)
    text = say(caught.value, "en")
    assert text.startswith(f"bad config file {path}: ") and said in text, text


def test_good_settings_are_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'lang = "en"\nwarn_ratio = 0.8\nbell = true\n[sign_in]\nidle_minutes = 5\n',
        encoding="utf-8",
    )
    settings = load_settings(path)
    assert (settings.lang, settings.warn_ratio, settings.bell) == ("en", 0.8, True)
    assert settings.lockout.idle_minutes == 5
    assert settings.handover.shift_ends == () and settings.handover.urgent_hours == 8
    path.write_text(
        '[handover]\nshift_ends = ["17:30", "08:30"]\nurgent_hours = 6\n', encoding="utf-8"
    )
    handover = load_settings(path).handover
    assert handover.shift_ends == (time(8, 30), time(17, 30)) and handover.urgent_hours == 6
    assert load_settings(tmp_path / "none.toml") == Settings()
