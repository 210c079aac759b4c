"""The shift handover at the console, driven by keys: signing out offers it, the note is
written from the draft and saved, the next operator of the street reads it as they sign in,
H opens it any time, and a configured shift end says it is due."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text as sql
from textual.pilot import Pilot
from textual.widgets import Static, TextArea

from console import credentials, wallclock
from console.app import GridcallApp
from console.config import Settings
from console.db import Store
from console.domain.actions import Action
from console.domain.audit import TrailEvent
from console.domain.handover import HandoverRules
from console.domain.sla import SlaClock
from console.services.cases import act
from console.services.handover import save_handover
from console.views.screens.handover import HandoverForm, HandoverScreen, SignOutOffer
from console.views.screens.intake import ConfirmDiscard
from console.views.screens.main import MainScreen
from console.views.screens.sign_in import SignInScreen
from tests.conftest import ANCHOR, StoreFactory
from tests.people import PASSWORD, add_trainer, set_password, trail
from tests.tui.conftest import OPERATOR, gate, report, screen_text
from tests.tui.quiet import until_quiet
from tests.tui.test_sign_in import sign_in

NEXT = "op.jiangbin2"  # the next shift at the same street's desk
OTHER_STREET = "op.wangchao1"
TRAINER = "trainer"


@pytest.fixture(scope="module", params=["sqlite", "pg"])
def desk(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    factory = StoreFactory(request.param, tmp_path_factory.mktemp("desk"))
    store = factory.seeded(cases=0)
    add_trainer(store, TRAINER)  # by hand: the demo makes one only in a training store
    set_password(store, OPERATOR, NEXT, OTHER_STREET, TRAINER)
    yield store
    factory.close()


@pytest.fixture(autouse=True)
def _no_cli_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(credentials.ENV_STATE, str(tmp_path / "state"))
    monkeypatch.delenv(credentials.ENV_TOKEN, raising=False)


def desk_app(store: Store, lang: str = "en", settings: Settings | None = None) -> GridcallApp:
    return GridcallApp(gate=gate(store, lang), settings=settings, live=False, testing=True)


def shown(app: GridcallApp) -> str:
    return " ".join(screen_text(s) for s in app.screen.query(Static))


async def write_and_save(pilot: Pilot[None], *words: str) -> None:
    """Type at the end of the draft, word by word, then ctrl+s."""
    for i, word in enumerate(words):
        await pilot.press(*([] if i == 0 else ["space"]), *word)
    await pilot.press("ctrl+s")
    await until_quiet(pilot)


async def test_signing_out_offers_the_handover_and_the_next_operator_reads_it(desk: Store) -> None:
    (code,) = report(desk, 1)
    app = desk_app(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, OPERATOR, PASSWORD)
        act(desk, SlaClock(), OPERATOR, code, Action.ACCEPT)  # this shift's work
        await pilot.press("ctrl+l")
        await until_quiet(pilot)
        assert isinstance(app.screen, SignOutOffer)
        assert "Before you sign out: write a handover for the next shift?" in shown(app)
        await pilot.press("w")
        await until_quiet(pilot)
        form = app.screen
        assert isinstance(form, HandoverForm)
        draft = form.query_one(TextArea).text
        assert draft.startswith("Handover · Jiangbin Street · 11-20 18:00 (shift from 11-20 18:00)")
        assert draft.index("Worked on this shift, still open: 1") < draft.index(f"{code}  accepted")
        await write_and_save(pilot, "Call", "back", "the", "caller", "of", code)
        assert isinstance(app.screen, SignInScreen) and not app.signed_in
        assert "潘嘉怡 signed out; the handover is saved" in shown(app)

        await sign_in(pilot, NEXT, PASSWORD)
        note = app.screen
        assert isinstance(note, HandoverScreen)
        text = shown(app)
        assert "the last shift's handover for you" in text
        assert "written by 潘嘉怡 (op.jiangbin1) at 11-20 18:00" in text
        assert f"Call back the caller of {code}" in text
        await pilot.press("escape")
        await until_quiet(pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("H")  # any time after
        await until_quiet(pilot)
        assert isinstance(app.screen, HandoverScreen)
        assert f"Call back the caller of {code}" in shown(app)
        assert "for you" not in shown(app)
    assert [event for event, _ in trail(desk, OPERATOR)][-2:] == [
        TrailEvent.HANDOVER,
        TrailEvent.SIGN_OUT,
    ]


async def test_another_street_does_not_read_it(desk: Store) -> None:
    app = desk_app(desk, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, OTHER_STREET, PASSWORD)
        assert isinstance(app.screen, MainScreen)  # no handover of theirs to show
        await pilot.press("H")
        await until_quiet(pilot)
        assert isinstance(app.screen, HandoverScreen)
        assert "望潮街道还没有交接班。" in shown(app)


async def test_the_palette_opens_it_too(desk: Store) -> None:
    app = desk_app(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, OTHER_STREET, PASSWORD)
        await pilot.press("ctrl+p", *"handover")
        await until_quiet(pilot, 0.2)
        await pilot.press("enter")
        await until_quiet(pilot)
        assert isinstance(app.screen, HandoverScreen)


async def test_staying_or_signing_out_without_one(desk: Store) -> None:
    app = desk_app(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, NEXT, PASSWORD)
        await pilot.press("escape")  # past the last shift's note, if it is shown
        await until_quiet(pilot)
        await pilot.press("ctrl+l", "escape")  # stay
        await until_quiet(pilot)
        assert isinstance(app.screen, MainScreen) and app.session.login == NEXT
        await pilot.press("ctrl+l", "s")  # sign out without one
        await until_quiet(pilot)
        assert isinstance(app.screen, SignInScreen) and not app.signed_in
    assert trail(desk, NEXT)[-1][0] == TrailEvent.SIGN_OUT


async def test_leaving_an_edited_draft_asks_first_and_keeps_the_user_signed_in(
    desk: Store,
) -> None:
    app = desk_app(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, OTHER_STREET, PASSWORD)
        await pilot.press("ctrl+l", "w")
        await until_quiet(pilot)
        assert isinstance(app.screen, HandoverForm)
        await pilot.press(*"abc", "escape")
        await until_quiet(pilot)
        assert isinstance(app.screen, ConfirmDiscard)
        await pilot.press("n")
        assert isinstance(app.screen, HandoverForm)
        await pilot.press("escape", "y")
        await until_quiet(pilot)
        assert isinstance(app.screen, MainScreen) and app.session.login == OTHER_STREET
    assert trail(desk, OTHER_STREET)[-1][0] == TrailEvent.SIGN_IN  # nothing saved, still in


async def test_an_empty_note_is_refused_in_one_line(desk: Store) -> None:
    app = desk_app(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, OTHER_STREET, PASSWORD)
        await pilot.press("H", "w")
        await until_quiet(pilot)
        form = app.screen
        assert isinstance(form, HandoverForm)
        form.query_one(TextArea).clear()
        await pilot.press("ctrl+s")
        await until_quiet(pilot)
        assert app.screen is form
        problem = screen_text(form.query_one("#handover-problem", Static)).strip()
        assert problem == "the handover is empty: write what the next shift needs to know"


async def test_a_trainer_is_not_asked(desk: Store) -> None:
    app = desk_app(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, TRAINER, PASSWORD)
        await pilot.press("ctrl+l")
        await until_quiet(pilot)
        assert isinstance(app.screen, SignInScreen) and not app.signed_in


def _said(app: GridcallApp) -> list[str]:
    return [n.message for n in app._notifications if "the shift ends" in n.message]


async def test_a_configured_shift_end_says_once_that_the_handover_is_due(desk: Store) -> None:
    # ANCHOR is 18:00 in Shanghai.
    settings = Settings(handover=HandoverRules(shift_ends=(time(18, 0),)))
    wallclock.freeze(ANCHOR - timedelta(minutes=5))
    app = desk_app(desk, settings=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, OTHER_STREET, PASSWORD)
        app.offer_at_shift_end()
        await until_quiet(pilot)
        assert _said(app) == []
        wallclock.freeze(ANCHOR)
        app.offer_at_shift_end()
        wallclock.freeze(ANCHOR + timedelta(seconds=30))
        app.offer_at_shift_end()
        await until_quiet(pilot)
        assert _said(app) == [
            "18:00, the shift ends: H then w writes the handover, or ^l signs out with one"
        ]


async def test_a_note_is_shown_as_it_was_typed_never_as_markup(desk: Store) -> None:
    """Written last: the street's other operator finds it as their shift begins."""
    save_handover(desk, "op.wangchao2", "[bold red]注意[/] ESC 井盖\n第二行")
    # An escape the service now refuses, as a store written before that may hold it.
    desk.write(
        lambda s: s.execute(
            sql("UPDATE handovers SET body = replace(body, 'ESC', :esc)"), {"esc": "\x1b[2J"}
        )
    )
    app = desk_app(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, OTHER_STREET, PASSWORD)
        assert isinstance(app.screen, HandoverScreen)
        text = screen_text(app.screen.query_one("#handover-text", Static))
        assert text.splitlines() == ["[bold red]注意[/] \\x1b[2J 井盖", "第二行"]
