"""The console's door, driven by keys: signing in, the idle lock, a shared workstation at
shift change, signing out, and what each writes into the trail."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Static

from console import credentials, wallclock
from console.app import GridcallApp
from console.db import Store
from console.domain.audit import TrailEvent
from console.queries.reference import reference
from console.services import auth
from console.terminal import Terminal
from console.views.screens.intake import IntakeScreen
from console.views.screens.main import MainScreen
from console.views.screens.sign_in import LockScreen, SignInScreen
from console.views.widgets.queue import QueueView
from tests.conftest import StoreFactory
from tests.people import PASSWORD, set_active, set_demo_password, set_password, trail
from tests.tui.conftest import OPERATOR, gate, report, session
from tests.tui.quiet import until_quiet

SUPERVISOR = "sup.jiangbin"  # the next shift at the same workstation
WRONG = "op.jiangbin2"  # only ever given wrong passwords (failures count per login)
LOCKED = "op.jiangbin3"  # locked out by its five failures
DISABLED = "op.wangchao1"
IDLE = auth.DEFAULT_LOCKOUT.idle_minutes


@pytest.fixture(scope="module", params=["sqlite", "pg"])
def door(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """The demo district's people with known passwords, and a few cases in the operator's
    street (none generated: the tests make their own)."""
    factory = StoreFactory(request.param, tmp_path_factory.mktemp("door"))
    store = factory.seeded(cases=0)
    set_password(store, OPERATOR, SUPERVISOR, WRONG, LOCKED, DISABLED)
    set_active(store, DISABLED, False)
    set_demo_password(store, PASSWORD)
    report(store, 12)
    yield store
    factory.close()


@pytest.fixture(autouse=True)
def _no_cli_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No shift token of the machine's own user leaks into a test."""
    monkeypatch.setenv(credentials.ENV_STATE, str(tmp_path / "state"))
    monkeypatch.delenv(credentials.ENV_TOKEN, raising=False)


def door_app(store: Store, lang: str = "en", *, login: str = "") -> GridcallApp:
    """The console as `gridcall run [--user LOGIN]` opens it."""
    return GridcallApp(
        gate=gate(store, lang), login=login, live=False, testing=True, terminal=Terminal()
    )


async def sign_in(pilot: Pilot[None], login: str, password: str) -> None:
    """Type a login and a password at the door, as a person does."""
    await until_quiet(pilot)
    box = pilot.app.screen.query_one("#door-login", Input)
    box.value = ""
    box.focus()
    await pilot.press(*login, "tab", *password, "enter")
    await until_quiet(pilot)


def error_line(app: GridcallApp) -> str:
    return str(app.screen.query_one("#door-error", Static).content)


def header_text(app: GridcallApp) -> str:
    return str(app.header.render())


async def test_the_sign_in_screen_names_the_store_and_the_demo_password(door: Store) -> None:
    app = door_app(door)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        assert isinstance(app.screen, SignInScreen)
        shown = " ".join(str(s.content) for s in app.screen.query(Static))
        assert door.describe() in shown
        assert f"演示库密码 / demo password: {PASSWORD}" in shown
        assert app.screen.focused is app.screen.query_one("#door-login", Input)


@pytest.mark.parametrize(
    "lang, says", [("en", "wrong login or password"), ("zh", "用户名或密码错误")]
)
async def test_a_wrong_password_says_so_and_stays(door: Store, lang: str, says: str) -> None:
    app = door_app(door, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, WRONG, "not-the-password")
        assert isinstance(app.screen, SignInScreen)
        assert error_line(app) == says
        password = app.screen.query_one("#door-password", Input)
        assert password.value == "" and app.screen.focused is password
        assert app.screen.query_one("#door-login", Input).value == WRONG
        # An unknown login reads exactly the same.
        await sign_in(pilot, "nobody.here", "not-the-password")
        assert error_line(app) == says
    assert trail(door, WRONG)[-1][0] == TrailEvent.SIGN_IN_FAILED


async def test_the_password_never_shows(door: Store) -> None:
    app = door_app(door, login=OPERATOR)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        await pilot.press(*"secret-pw")
        box = app.screen.query_one("#door-password", Input)
        assert box.value == "secret-pw" and box.password
        assert "secret" not in "".join(
            strip.text for strip in box.render_lines(box.region.reset_offset)
        )


async def test_signing_in_opens_the_queue_with_the_user_in_the_header(door: Store) -> None:
    app = door_app(door)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, OPERATOR, PASSWORD)
        assert isinstance(app.screen, MainScreen)
        assert app.session.login == OPERATOR
        assert reference(door).user(OPERATOR).name in header_text(app)
        assert app.screen.query_one(QueueView).model.total >= 12
    assert trail(door, OPERATOR)[-1] == (TrailEvent.SIGN_IN, '{"where":"console"}')


async def test_five_failures_lock_the_login(door: Store) -> None:
    app = door_app(door)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(5):
            await sign_in(pilot, LOCKED, "not-the-password")
        assert error_line(app) == "wrong login or password"
        # Locked now: the right password is refused too, and the line says for how long.
        await sign_in(pilot, LOCKED, PASSWORD)
        assert isinstance(app.screen, SignInScreen)
        assert error_line(app) == "too many failed sign-ins: locked, try again in 15 min"
    assert TrailEvent.LOCKED_OUT in [event for event, _ in trail(door, LOCKED)]


async def test_a_disabled_user_is_refused(door: Store) -> None:
    app = door_app(door)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, DISABLED, PASSWORD)
        assert isinstance(app.screen, SignInScreen)
        assert error_line(app) == f"user {DISABLED} is disabled"


async def idle(pilot: Pilot[None], minutes: float) -> None:
    """Nobody touches the console for `minutes`; the idle check comes round."""
    app = pilot.app
    assert isinstance(app, GridcallApp)
    wallclock.freeze(wallclock.now() + timedelta(minutes=minutes))
    app.lock_if_idle()
    await until_quiet(pilot)


async def test_the_idle_lock_keeps_the_queue_and_unlocking_returns_to_it(door: Store) -> None:
    app = door_app(door)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, OPERATOR, PASSWORD)
        main = app.screen
        queue = main.query_one(QueueView)
        await pilot.press("j", "j", "j")
        await until_quiet(pilot)
        row = queue.current_row
        assert queue.cursor == 3 and row is not None
        assert row.code in app.export_screenshot()

        await idle(pilot, IDLE - 1)
        assert app.screen is main  # not yet
        await idle(pilot, 1)
        assert isinstance(app.screen, LockScreen)
        # The lock screen hides the cases: none of them is drawn.
        assert row.code not in app.export_screenshot()
        assert app.screen.query_one("#door-login", Input).value == OPERATOR

        await pilot.press(*"not-the-password", "enter")
        await until_quiet(pilot)
        assert isinstance(app.screen, LockScreen)
        assert error_line(app) == "wrong login or password"

        await pilot.press(*PASSWORD, "enter")
        await until_quiet(pilot)
        assert app.screen is main
        assert app.session.login == OPERATOR
        assert queue.cursor == 3 and queue.current_row == row
    events = [event for event, _ in trail(door, OPERATOR)]
    assert events[-4:] == [
        TrailEvent.SIGN_IN,
        TrailEvent.IDLE_LOCK,
        TrailEvent.SIGN_IN_FAILED,
        TrailEvent.SIGN_IN,
    ]


async def test_the_idle_lock_keeps_a_form_half_filled_in(door: Store) -> None:
    app = door_app(door, login=OPERATOR)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        await pilot.press(*PASSWORD, "enter")
        await until_quiet(pilot)
        await pilot.press("n", *"下穿通道积水")
        await until_quiet(pilot)
        form = app.screen
        assert isinstance(form, IntakeScreen)
        await idle(pilot, IDLE)
        assert isinstance(app.screen, LockScreen)
        await pilot.press(*PASSWORD, "enter")
        await until_quiet(pilot)
        assert app.screen is form
        assert form.query_one("#title", Input).value == "下穿通道积水"


async def test_another_user_at_the_lock_screen_ends_the_first_session(door: Store) -> None:
    app = door_app(door, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, OPERATOR, PASSWORD)
        first = app.screen
        await idle(pilot, IDLE)
        assert isinstance(app.screen, LockScreen)
        await sign_in(pilot, SUPERVISOR, PASSWORD)
        assert isinstance(app.screen, MainScreen) and app.screen is not first
        assert app.session.login == SUPERVISOR
        assert first not in app.screen_stack  # the first user's screens are gone
        assert [type(s).__name__ for s in app.screen_stack[1:]] == ["MainScreen"]
        ref = reference(door)
        assert ref.user(SUPERVISOR).name in header_text(app)
        assert ref.user(OPERATOR).name not in header_text(app)
    assert trail(door, OPERATOR)[-1] == (
        TrailEvent.SESSION_ENDED,
        json.dumps({"by": SUPERVISOR}, separators=(",", ":")),
    )
    assert trail(door, SUPERVISOR)[-1][0] == TrailEvent.SIGN_IN


async def test_signing_out_returns_to_the_sign_in_screen(door: Store) -> None:
    app = door_app(door)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, OPERATOR, PASSWORD)
        await pilot.press("ctrl+l", "s")  # asked first about the handover: without one
        await until_quiet(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert not app.signed_in
        assert [type(s).__name__ for s in app.screen_stack[1:]] == ["SignInScreen"]
        name = reference(door).user(OPERATOR).name
        assert f"{name} signed out" in " ".join(str(s.content) for s in app.screen.query(Static))
        # The same console takes the next user.
        await sign_in(pilot, SUPERVISOR, PASSWORD)
        assert isinstance(app.screen, MainScreen) and app.session.login == SUPERVISOR
    assert trail(door, OPERATOR)[-1] == (TrailEvent.SIGN_OUT, '{"where":"console"}')


async def test_a_cli_shift_token_opens_the_console_at_once(door: Store) -> None:
    token = auth.issue_token(door, OPERATOR, kind=auth.SHIFT, hours=12)
    credentials.keep_token(door.describe(), token)
    app = door_app(door)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.session.login == OPERATOR
    auth.end_token(door, token)
    app = door_app(door)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        assert isinstance(app.screen, SignInScreen)  # a signed-out shift proves nobody


async def test_a_console_given_its_session_opens_on_the_queue(door: Store) -> None:
    """As the tests and the bench build it: no sign-in, no lock, no sign-out."""
    app = GridcallApp(session(door), live=False, testing=True, terminal=Terminal())
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        assert isinstance(app.screen, MainScreen)
        await idle(pilot, IDLE * 2)
        await pilot.press("ctrl+l")
        await until_quiet(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_the_palette_signs_out_too(door: Store) -> None:
    app = door_app(door)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, OPERATOR, PASSWORD)
        await pilot.press("ctrl+p", *"sign out")
        await until_quiet(pilot, 0.2)
        await pilot.press("enter")
        await until_quiet(pilot)
        await pilot.press("s")  # asked first about the handover: without one
        await until_quiet(pilot)
        assert isinstance(app.screen, SignInScreen) and not app.signed_in


async def test_an_unexpected_failure_leaves_the_door_usable(
    door: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No traceback at the door: one line says what failed, and Enter tries again."""
    from console.gate import Gate

    real = Gate.sign_in
    calls = []

    def broken_once(self: Gate, login: str, password: str) -> object:
        calls.append(login)
        if len(calls) == 1:
            raise RuntimeError("the disk is on fire")
        return real(self, login, password)

    monkeypatch.setattr(Gate, "sign_in", broken_once)
    app = door_app(door)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, OPERATOR, PASSWORD)
        assert isinstance(app.screen, SignInScreen)
        assert error_line(app) == "RuntimeError: the disk is on fire"
        await pilot.press(*PASSWORD, "enter")
        await until_quiet(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_the_first_runs_word_is_said_at_the_door_too(door: Store) -> None:
    """`gridcall run` prints it on stderr before the console takes the screen, which hides it:
    the console says it again."""
    said = "First run: created the demo store at /tmp/x/gridcall.db with 5,000 cases"
    app = GridcallApp(
        gate=gate(door, "en"), live=False, testing=True, greeting=said, terminal=Terminal()
    )
    async with app.run_test() as pilot:
        await until_quiet(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert said in [n.message for n in app._notifications]
    quiet = door_app(door)
    async with quiet.run_test() as pilot:
        await until_quiet(pilot)
        assert not quiet._notifications


@pytest.mark.parametrize("between", [("tab", "\t"), ("enter", "\r")])
async def test_a_password_typed_ahead_of_tab_or_enter_goes_to_the_password(
    door: Store, between: tuple[str, str]
) -> None:
    """A night-shift operator types login, Tab (or Enter), password, Enter in one burst over
    SSH, faster than the door draws: the password lands in the password box, not after the
    login, and the console opens."""
    app = door_app(door)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        keys = [(c, c) for c in OPERATOR] + [between] + [(c, c) for c in PASSWORD]
        for key, character in [*keys, ("enter", "\r")]:  # one read from the terminal
            app.post_message(events.Key(key, character))
        await until_quiet(pilot)
        assert isinstance(app.screen, MainScreen), error_line(app)
