"""The console under test: a seeded store, the clock stopped at the seed's anchor, no live feed.

`console_app(store, login=…, lang=…)` builds the app, signed in; `gated=True` gives it the
console's door too (the idle lock, sign-out), `signed_in=False` opens it on the sign-in screen.
Snapshot tests share one SQLite store (the screens read the same rows from either backend),
Pilot tests use `seeded` for both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from console import wallclock
from console.app import GridcallApp
from console.config import Settings
from console.db import Store
from console.domain.actions import Action
from console.domain.enums import AreaLevel, Source
from console.domain.intake import NewCase
from console.domain.sla import SlaClock
from console.gate import Gate
from console.queries.reference import reference
from console.services.cases import act, create_case
from console.session import Session
from console.terminal import Terminal
from tests.conftest import ANCHOR, StoreFactory
from tests.people import PASSWORD, set_demo_password

OPERATOR = "op.jiangbin1"
MANHOLE = "010102"  # 井盖破损: the district's urban management bureau handles it


@pytest.fixture(autouse=True)
def _frozen_clock() -> Iterator[None]:
    wallclock.freeze(ANCHOR)
    yield
    wallclock.freeze(None)


@pytest.fixture(scope="session")
def snapshot_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One seeded SQLite store for every snapshot: same seed, same anchor, same screens."""
    factory = StoreFactory("sqlite", tmp_path_factory.mktemp("snapshots"))
    # A seed whose operator's street holds a case in each status a screen starts from (an
    # accepted one is rare: most are dispatched within the hour), and a whistled case in
    # progress (吹哨报到's pane); the district holds red cases (the three lights' colours).
    store = factory.seeded(cases=400, seed=63)
    set_demo_password(store, PASSWORD)  # the sign-in screen states it
    yield store
    factory.close()


AppFactory = Callable[..., GridcallApp]


def session(store: Store, login: str = OPERATOR, lang: str = "zh") -> Session:
    """A console's session as `gridcall run` makes it, in the centre's time zone."""
    return Session(store, SlaClock(), login, lang, Settings().tz)


def gate(store: Store, lang: str = "zh") -> Gate:
    """The console's door as `gridcall run` makes it."""
    return Gate(store, SlaClock(), lang, Settings().tz)


@pytest.fixture
def console_app() -> AppFactory:
    def make(
        store: Store,
        *,
        login: str = OPERATOR,
        lang: str = "zh",
        gated: bool = False,
        signed_in: bool = True,
        terminal: Terminal | None = None,
    ) -> GridcallApp:
        return GridcallApp(
            session(store, login, lang) if signed_in else None,
            gate=gate(store, lang) if gated or not signed_in else None,
            live=False,
            testing=True,
            # A terminal of every colour and glyph, whatever the one running the tests says.
            terminal=terminal or Terminal(),
        )

    return make


SNAPSHOT_DIR = Path(__file__).parent / "__snapshots__"


@pytest.fixture(scope="module", params=["sqlite", "pg"])
def busy(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """A store with enough cases to scroll through, on both backends."""
    factory = StoreFactory(request.param, tmp_path_factory.mktemp("busy"))
    yield factory.seeded(cases=3000, seed=9)
    factory.close()


DISTRICT = "sup.district1"  # sees every street


def screen_text(widget: object) -> str:
    """What a Static shows, as plain text."""
    from io import StringIO

    from rich.console import Console

    console = Console(file=StringIO(), width=200, color_system=None)
    console.print(widget.content)  # type: ignore[attr-defined]
    return console.file.getvalue()  # type: ignore[attr-defined]


def manhole(store: Store, i: int = 0) -> NewCase:
    """A hotline report of a broken manhole cover in the operator's street."""
    ref = reference(store)
    grid = min(
        a.code
        for a in ref.areas.values()
        if a.level is AreaLevel.GRID and a.street_id == ref.area("LJ01").id
    )
    return NewCase(
        title=f"井盖破损 {i}",
        category=MANHOLE,
        grid=grid,
        address="江滨路 1 号",
        source=Source.HOTLINE,
    )


def report(store: Store, n: int = 1, *, accepted: bool = False) -> list[str]:
    """New cases in the operator's street (the seeded district has few waiting cases)."""
    codes = []
    for i in range(n):
        code = create_case(store, SlaClock(), OPERATOR, manhole(store, i)).code
        if accepted:
            act(store, SlaClock(), OPERATOR, code, Action.ACCEPT)
        codes.append(code)
    return codes
