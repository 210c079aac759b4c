"""What `gridcall run` imports before its first frame: nothing the first frame does not need
(issue #19's start-up target). Each check runs in a fresh interpreter, as a start does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What `gridcall run` imports before it opens the store: the command line and the App.
START = "import console.launch, console.cli, console.app"


def _loaded_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running `code`."""
    probe = f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(done.stdout.split())


def _under(modules: set[str], package: str) -> list[str]:
    return sorted(m for m in modules if m == package or m.startswith(package + "."))


def test_starting_loads_no_sql_dialect() -> None:
    """The store's own dialect comes with its engine; neither store's is loaded by importing
    the console (the other store's took ~28 ms of every start)."""
    loaded = _loaded_after(START)
    assert _under(loaded, "sqlalchemy.dialects.postgresql") == []
    assert _under(loaded, "sqlalchemy.dialects.sqlite") == []


def test_a_sqlite_store_loads_no_postgresql(tmp_path: Path) -> None:
    """Opening a SQLite store and reading from it loads no PostgreSQL dialect or driver."""
    code = (
        f"{START}\nfrom console.db import Store\nfrom sqlalchemy import text\n"
        f"store = Store('sqlite:///{tmp_path}/s.db')\n"
        "with store.engine.connect() as conn:\n    conn.execute(text('SELECT 1'))\n"
    )
    loaded = _loaded_after(code)
    assert _under(loaded, "sqlalchemy.dialects.postgresql") == []
    assert _under(loaded, "psycopg") == []


def test_starting_loads_no_screen_the_queue_does_without() -> None:
    """The dashboard, the handover and the intake form are imported as they are first shown."""
    loaded = _loaded_after(START)
    for screen in ("dashboard", "handover", "intake"):
        assert _under(loaded, f"console.views.screens.{screen}") == []
        assert _under(loaded, f"console.views.viewmodels.{screen}") == []
