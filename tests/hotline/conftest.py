"""A store with the demo district and a hotline service account, and work-order files made
on the spot: the rows of a 12345 export, in csv, xlsx or json."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from console.bench.hotline import HEADERS, orders, write
from console.db import Store
from console.domain.enums import Role, UserKind
from console.services import users
from tests.conftest import BACKENDS, StoreFactory
from tests.store.identity import ADMIN, Ran, gridcall_here

SERVICE = "hotline12345"
__all__ = ["HEADERS", "Hotline", "orders", "write"]


@dataclass
class Hotline:
    store: Store
    token: str
    home: Path

    def __call__(self, *args: str) -> Ran:
        return gridcall_here(
            *args, "--db", self.store.url, state=self.home / "state", token=self.token
        )


@pytest.fixture(scope="module", params=BACKENDS)
def hotline(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Hotline]:
    tmp = tmp_path_factory.mktemp("hotline")
    factory = StoreFactory(request.param, tmp)
    store = factory.seeded(cases=0)
    users.add_user(store, ADMIN, SERVICE, "12345热线", Role.SUPERVISOR, kind=UserKind.SERVICE)
    token = users.new_api_token(store, ADMIN, SERVICE)
    yield Hotline(store, token, tmp)
    factory.close()
