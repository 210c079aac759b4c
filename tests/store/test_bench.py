"""`gridcall bench` end to end at a small size: a smoke test of the harness, not of speed."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import text

from console import bench
from console.db import Store
from tests.conftest import BACKENDS, _pg_base

SIZE = 300


@pytest.mark.parametrize("backend", BACKENDS)
def test_bench_prints_every_figure_for_the_store(backend: str, tmp_path: Path) -> None:
    pg_url = _pg_base() if backend == "pg" else None
    said: list[str] = []
    try:
        result = bench.run([SIZE], [backend], pg_url, 4, said.append, stores=tmp_path)
    finally:
        if pg_url:
            engine = Store(pg_url).engine
            with engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS bench_{SIZE} CASCADE"))
            engine.dispose()
    assert any(f"building the {backend} store of {SIZE} cases" in line for line in said)
    samples = result.results[(backend, SIZE)]
    for target in bench.TARGETS:
        assert samples.values.get(target.name), f"no samples for {target.name!r}"
    assert len(result.floor) >= 3

    out = Console(file=StringIO(), width=200, color_system=None)
    out.print(bench.table(result))
    printed = out.file.getvalue()  # type: ignore[attr-defined]
    for target in bench.TARGETS:
        row = next(line for line in printed.splitlines() if target.name in line)
        assert "—" not in row.split(target.name, 1)[1], row  # a value and a ratio in each row
    assert f"{backend} {SIZE}" in printed
