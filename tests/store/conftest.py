"""Fixtures the CLI's store tests share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from console.db import Store
from tests.conftest import BACKENDS, StoreFactory


@pytest.fixture(scope="module", params=BACKENDS)
def district(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """The demo district and its people, without generated cases: these tests make their own."""
    factory = StoreFactory(request.param, tmp_path_factory.mktemp("district"))
    yield factory.seeded(cases=0)
    factory.close()
