"""The type check: mypy, configured in pyproject.toml, passes on the whole console package.

mypy keeps an incremental cache in .mypy_cache, so a run after a small change takes seconds;
the first one ~20 s on a 2-core machine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_mypy_passes() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"mypy found type errors:\n{done.stdout}{done.stderr}", pytrace=False)
