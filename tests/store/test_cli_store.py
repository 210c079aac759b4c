"""Choosing and opening the store from the command line, as a newcomer meets it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from console.db import Store
from console.domain.enums import Role
from tests.store.identity import PASSWORD, give_password

ROOT = Path(__file__).resolve().parents[2]


def gridcall(
    *args: str, env: dict[str, str] | None = None, tmp: Path, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("GRIDCALL_")}
    base |= {
        "GRIDCALL_DATA_DIR": str(tmp / "data"),
        "GRIDCALL_CONFIG": str(tmp / "config.toml"),
        "GRIDCALL_STATE_DIR": str(tmp / "state"),
        "LANG": "en_US.UTF-8",
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        env=base | (env or {}),
        cwd=tmp,
        timeout=300,
        input=stdin,
    )


def test_first_run_creates_and_seeds_the_default_store(tmp_path: Path) -> None:
    first = gridcall("whoami", tmp=tmp_path)
    assert first.returncode == 2
    assert "First run" in first.stderr and "not signed in" in first.stderr
    path = tmp_path / "data" / "gridcall.db"
    assert path.exists()
    store = Store(f"sqlite:///{path}")
    give_password(store, "op.jiangbin1")
    store.dispose()
    signed = gridcall(
        "login", "--user", "op.jiangbin1", "--password-stdin", stdin=PASSWORD + "\n", tmp=tmp_path
    )
    assert signed.returncode == 0, signed.stderr
    assert "First run" not in signed.stderr
    listed = gridcall("case", "list", "--limit", "5", "--json", tmp=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.count('"code"') == 5


def test_db_option_beats_env_beats_config(tmp_path: Path) -> None:
    a, b, c = (tmp_path / n for n in ("a.db", "b.db", "c.db"))
    (tmp_path / "config.toml").write_text(f'database_url = "sqlite:///{c}"\n')
    env = {"GRIDCALL_DATABASE_URL": f"sqlite:///{b}"}
    assert "a.db" in gridcall("init", "--db", f"sqlite:///{a}", env=env, tmp=tmp_path).stdout
    assert "b.db" in gridcall("init", env=env, tmp=tmp_path).stdout
    assert "c.db" in gridcall("init", tmp=tmp_path).stdout
    assert a.exists() and b.exists() and c.exists()


@pytest.mark.parametrize(
    "url, says",
    [
        ("nonsense", "not a database URL"),
        ("mysql://u:p@localhost/x", "unsupported store"),
        ("postgresql://nobody:secret@127.0.0.1:9/none", "cannot reach the store"),
        ("sqlite:////no/such/dir/x.db", "no such directory"),
    ],
)
def test_bad_store_gives_one_clear_line_and_exit_2(tmp_path: Path, url: str, says: str) -> None:
    result = gridcall("case", "list", "--db", url, tmp=tmp_path)
    assert result.returncode == 2
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "secret" not in result.stderr


def test_empty_store_says_run_init(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    result = gridcall("case", "list", "--db", f"sqlite:///{empty}", tmp=tmp_path)
    assert result.returncode == 2
    assert "gridcall init" in result.stderr


def test_bad_config_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("theme = [unclosed\n")
    result = gridcall("user", "list", tmp=tmp_path)
    assert result.returncode == 2
    assert "config.toml" in result.stderr
    assert "Traceback" not in result.stderr


def test_store_behind_the_newest_migration_says_run_init(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    from console.db import MIGRATIONS, Store

    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = Store(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    store.dispose()
    result = gridcall("case", "list", "--db", url, tmp=tmp_path)
    assert result.returncode == 2
    assert "gridcall init" in result.stderr and "older schema" in result.stderr
    assert gridcall("init", "--db", url, tmp=tmp_path).returncode == 0
    assert gridcall("audit", "verify", "--db", url, tmp=tmp_path).returncode == 0


def test_run_on_a_store_with_no_users_says_how_to_add_one(tmp_path: Path) -> None:
    from console.db import Store

    url = f"sqlite:///{tmp_path / 'new.db'}"
    store = Store(url)
    store.migrate()
    store.dispose()
    result = gridcall("run", "--db", url, tmp=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "this store has no users yet: run gridcall init --admin LOGIN"


def test_a_forged_trail_fails_audit_verify_through_the_real_entry_point(tmp_path: Path) -> None:
    """A cron job reads the exit code: 0 intact, 1 broken — through main.py, as installed."""
    url = f"sqlite:///{tmp_path / 'trail.db'}"
    assert gridcall("seed", "--db", url, "--cases", "20", tmp=tmp_path).returncode == 0
    intact = gridcall("audit", "verify", "--db", url, tmp=tmp_path)
    assert intact.returncode == 0, intact.stderr
    forger = sqlite3.connect(tmp_path / "trail.db")
    forger.execute("DROP TRIGGER audit_events_no_update")  # an insider with the file
    forger.execute("UPDATE audit_events SET actor = 'op.nobody' WHERE seq = 5")
    forger.commit()
    forger.close()
    broken = gridcall("audit", "verify", "--db", url, tmp=tmp_path)
    assert broken.returncode == 1
    assert broken.stderr.splitlines()[0] == (
        "Audit trail broken: event 5 does not match its hash: a field was changed after it was "
        "written"
    )


def test_a_file_that_is_no_store_is_one_line_and_exit_2(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("shift notes, not a database\n")
    ran = gridcall("audit", "verify", "--db", f"sqlite:///{notes}", tmp=tmp_path)
    assert ran.returncode == 2
    assert ran.stderr.strip() == (
        f"cannot reach the store sqlite:///{notes}: file is not a database"
    )
    assert notes.read_text() == "shift notes, not a database\n"


def test_a_missing_store_file_says_how_to_make_it_and_leaves_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    ran = gridcall("case", "list", "--db", f"sqlite:///{missing}", tmp=tmp_path)
    assert ran.returncode == 2
    assert ran.stderr.strip() == (
        f"no store file {missing}: run `gridcall init --db sqlite:///{missing}` first"
    )
    assert not missing.exists()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("run", "--theme", "neon"), ["--theme neon: must be one of dark, light, mono"]),
        (("--lang", "fr", "whoami"), ["--lang fr: must be zh or en"]),
        (
            ("run", "--lang", "fr", "--theme", "neon"),
            ["--lang fr: must be zh or en", "--theme neon: must be one of dark, light, mono"],
        ),
        (
            ("case", "list", "--sort", "foo", "--light", "blue"),
            [
                "--light blue: must be one of green, yellow, red, none",
                "--sort foo: must be one of deadline, reported, urgency, updated, review",
            ],
        ),
        (
            ("case", "accept", "E2026-0000001", "--urgency", "high"),
            ["--urgency high: must be normal or urgent"],
        ),
        (
            ("--lang", "zh", "case", "list", "--level", "city"),
            ["--level city：只能是以下之一：grid, community, street, district"],
        ),
        (("user", "set-role", "x", "boss"), ["ROLE boss: must be one of " + ", ".join(Role)]),
    ],
)
def test_a_bad_flag_is_named_as_a_flag(
    tmp_path: Path, args: tuple[str, ...], said: list[str]
) -> None:
    ran = gridcall(*args, tmp=tmp_path)
    assert ran.returncode == 2
    assert ran.stderr.splitlines() == said
    assert not (tmp_path / "data").exists()  # refused before any store is made


def test_every_bad_key_of_the_config_is_named_and_nothing_starts(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'warn_ratio = "abc"\nlang = "fr"\nkeymap = "x"\n[handover]\nurgent_hours = 0\n',
        encoding="utf-8",
    )
    ran = gridcall("run", tmp=tmp_path)
    assert ran.returncode == 2
    assert ran.stderr.splitlines() == [
        f'config file {path}: warn_ratio = "abc": must be a number between 0 and 1',
        f'config file {path}: lang = "fr": must be zh or en',
        f'config file {path}: keymap = "x": must be a table of binding = "keys", '
        'e.g. "action.dispatch" = "D"',
        f"config file {path}: handover.urgent_hours = 0: must be a whole number, 1 or more",
    ]
    assert not (tmp_path / "data").exists()


def test_config_problems_are_told_in_the_language_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('lang = "en"\ntheme = "neon"\n', encoding="utf-8")
    zh = {"LANG": "zh_CN.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
    ran = gridcall("--lang", "en", "whoami", tmp=tmp_path, env=zh)
    assert ran.stderr.splitlines() == [
        f'config file {path}: theme = "neon": must be one of dark, light, mono'
    ]
    path.write_text('lang = "en"\ntheme = \n', encoding="utf-8")
    ran = gridcall("--lang", "en", "whoami", tmp=tmp_path, env=zh)
    assert ran.stderr.splitlines() == [
        f"config file {path}: not valid TOML at line 2, column 9 (Invalid value)"
    ]
    ran = gridcall("whoami", tmp=tmp_path, env=zh)  # the file's own lang is unreadable
    assert ran.stderr.splitlines() == [
        f"配置文件 {path}：第 2 行第 9 列不是有效的 TOML（Invalid value）"
    ]
    assert ran.returncode == 2


def test_a_keymap_that_moves_a_key_off_another_binding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keymap]\n"action.dispatch" = "a"\n"action.acept" = "K"\n')
    ran = gridcall("run", tmp=tmp_path)
    assert ran.returncode == 2
    assert ran.stderr.splitlines() == [
        f'config file {path}: keymap."action.acept" = "K": no binding has this id; the '
        "nearest: action.accept, action.rate, action.waive",
        f'config file {path}: keymap."action.dispatch" = "a": a is also the key of '
        "action.accept on the same screen",
    ]
    assert not (tmp_path / "data").exists()


def test_a_quoted_number_in_the_config_is_named_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('warn_ratio = "abc"\n', encoding="utf-8")
    ran = gridcall("whoami", tmp=tmp_path)
    assert ran.returncode == 2
    assert ran.stderr.strip() == (
        f"config file {tmp_path / 'config.toml'}: "
        'warn_ratio = "abc": must be a number between 0 and 1'
    )
