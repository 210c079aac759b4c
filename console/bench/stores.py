"""A demo store per size and backend, built once and reused while it still matches."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select, text
from sqlmodel import col

from console.db import Store
from console.domain.sla import SlaClock
from console.models import Meta

# In the checkout (git-ignored), beside the package: the large stores outlive a run.
STORES = Path(__file__).resolve().parents[2] / "bench" / "stores"
# Who the bench signs in as: an operator of every demo store.
LOGIN = "op.jiangbin1"
DISTRICT = "sup.district1"  # a district supervisor: every street's queue
SEED_SECONDS = "bench_seed_seconds"


def store_url(backend: str, size: int, pg_url: str | None, stores: Path) -> str:
    if backend == "sqlite":
        stores.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{stores / f'bench-{size}.db'}"
    if not pg_url:
        raise SystemExit("PostgreSQL benchmarks need --pg-url (a role that may create schemas)")
    from sqlalchemy.engine import make_url

    url = make_url(pg_url)
    schema = f"bench_{size}"
    engine = Store(pg_url).engine
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
    engine.dispose()
    query = dict(url.query) | {"options": f"-csearch_path={schema}"}
    return url.set(query=query).render_as_string(hide_password=False)


def prepare(
    backend: str, size: int, pg_url: str | None, say: Callable[[str], None], stores: Path = STORES
) -> tuple[Store, float]:
    """A store of `size` generated cases, built once and reused while it still matches; and
    how long building it took (kept in the store, so a reused store still reports it)."""
    from console.demo.generate import SEED_FORMAT, seed_demo

    store = Store(store_url(backend, size, pg_url, stores))
    store.migrate()
    with store.read() as s:
        meta = {key: value for key, value in s.execute(select(col(Meta.key), col(Meta.value)))}
    stale = meta.get("seed_format") != SEED_FORMAT  # seeded by an older generator
    if meta.get("seed_cases") != str(size) or SEED_SECONDS not in meta or stale:
        say(f"building the {backend} store of {size:,} cases …")
        started = time.perf_counter()
        seed_demo(store, SlaClock(), cases=size, seed=1, replace=True)
        took = time.perf_counter() - started
        store.write(lambda s: s.merge(Meta(key=SEED_SECONDS, value=f"{took:.3f}")))
        say(f"  built in {took:.1f} s")
        return store, took
    return store, float(meta[SEED_SECONDS])
