"""Choosing and opening the store from the command line, as a newcomer meets it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from console.db import Store
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
        (("run", "--theme", "neon"), "bad option: --theme 'neon': use dark, light, mono"),
        (("--lang", "fr", "whoami"), "bad option: --lang 'fr': use zh or en"),
        (("run", "--lang", "fr"), "bad option: --lang 'fr': use zh or en"),
    ],
)
def test_a_bad_flag_is_named_as_a_flag(tmp_path: Path, args: tuple[str, ...], said: str) -> None:
    ran = gridcall(*args, tmp=tmp_path)
    assert ran.returncode == 2
    assert ran.stderr.strip() == said
    assert not (tmp_path / "data").exists()  # refused before any store is made


def test_a_quoted_number_in_the_config_is_named_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('warn_ratio = "abc"\n', encoding="utf-8")
    ran = gridcall("whoami", tmp=tmp_path)
    assert ran.returncode == 2
    assert ran.stderr.strip() == (
        f"bad config file {tmp_path / 'config.toml'}: "
        "warn_ratio must be a number between 0 and 1, not 'abc'"
    )
