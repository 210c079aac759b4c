"""The console on every kind of terminal: the lights in three colours where there are colours,
ASCII and no mouse on a vt100, a notice below 80×24, a quiet line while nothing happens, and
an end when the terminal goes.

Some tests start `gridcall run` itself on a pseudo-terminal (tests/tui/pty.py) with the TERM a
terminal gives it, and read what it sends; the others look at what the console draws."""

from __future__ import annotations

import os
import re
import subprocess
import time
import unicodedata
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from rich.console import Console
from rich.segment import Segment
from textual._compositor import CompositorUpdate
from textual.app import App
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Input

from console import wallclock
from console.app import GridcallApp
from console.db import Store
from console.domain.audit import TrailEvent
from console.domain.enums import Light
from console.queries import cases as q
from console.queries.reference import reference
from console.session import Session
from console.terminal import ASCII, UNICODE, Colours, Terminal
from console.views.screens.intake import IntakeScreen
from console.views.screens.main import MainScreen
from console.views.screens.too_small import TooSmall
from console.views.widgets.queue import QueueView
from tests.conftest import ANCHOR, StoreFactory
from tests.people import PASSWORD, set_demo_password, set_password, trail
from tests.tui.conftest import DISTRICT, AppFactory, session
from tests.tui.pty import CASE_CODE, OnPty
from tests.tui.quiet import until_quiet

SGR = re.compile(r"\x1b\[([0-9;]*)m")
# xterm's mouse reporting modes (any event, button, SGR and urxvt encodings).
MOUSE_ON = re.compile(rb"\x1b\[\?(1000|1002|1003|1005|1006|1015)h")


@pytest.fixture(scope="module")
def door(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A store of its own to sign in to (signing in writes the trail)."""
    factory = StoreFactory("sqlite", tmp_path_factory.mktemp("terminals"))
    store = factory.seeded(cases=400, seed=7)
    set_demo_password(store, PASSWORD)
    set_password(store, DISTRICT)
    yield store
    factory.close()


def _colours(sgr: str) -> list[int]:
    """The foreground colour codes (30–37, 90–97) among one escape's parameters."""
    return [int(p) for p in sgr.split(";") if p and (30 <= int(p) <= 37 or 90 <= int(p) <= 97)]


# --- the lights ---------------------------------------------------------------------------------


def _lines_by_light(app: GridcallApp) -> dict[Light, Strip]:
    """A drawn line of the queue for each light, as the console sends it (its filters too)."""
    queue = app.screen.query_one(QueueView)
    strips = queue.render_lines(Region(0, 0, queue.size.width, queue.size.height))
    found: dict[Light, Strip] = {}
    for y, strip in enumerate(strips):
        row = queue.model.row_at(queue.scroll_offset.y + y)
        if row is not None and y != queue.cursor:
            found.setdefault(row.light(wallclock.now()), strip)
    return found


@pytest.mark.parametrize("colours", [Colours.C16, Colours.C8], ids=["16", "8"])
async def test_three_lights_are_three_colours(
    snapshot_store: Store, console_app: AppFactory, colours: Colours
) -> None:
    """On 16 and on 8 colours the red, yellow and green lights (and their time left) are sent
    as three different ANSI colours; on 8, none of them a bright one."""
    app = console_app(snapshot_store, login=DISTRICT, lang="en", terminal=Terminal(colours))
    terminal = Console(color_system="standard", force_terminal=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        # The cursor's row is drawn otherwise: off the top row, one of the district's red cases.
        await pilot.press("j")
        await until_quiet(pilot)
        lines = _lines_by_light(app)
    assert {Light.RED, Light.YELLOW, Light.GREEN} <= set(lines)
    sent: dict[Light, list[int]] = {}
    for light in (Light.RED, Light.YELLOW, Light.GREEN):
        first: Segment = lines[light].crop(0, 1)._segments[0]
        assert first.text == UNICODE.light(light)
        # The light and its time left are one run of one style.
        left = lines[light].crop(0, 12).text
        assert re.fullmatch(r". +-?\d+[dhm]\w* +", left), left
        escapes = SGR.findall(Strip([first]).render(terminal))
        sent[light] = [code for sgr in escapes for code in _colours(sgr)]
    assert all(len(codes) == 1 for codes in sent.values()), sent
    assert len({codes[0] for codes in sent.values()}) == 3, sent
    if colours is Colours.C8:
        assert all(30 <= codes[0] <= 37 for codes in sent.values()), sent
        # Nor anything else on those lines: the cursor, the text, the greys.
        escapes = {p for line in lines.values() for p in SGR.findall(line.render(terminal))}
        codes = {int(p) for sgr in escapes for p in sgr.split(";") if p}
        assert not codes & (set(range(90, 98)) | set(range(100, 108))), codes


def test_xterm_gets_three_colours_and_the_mouse(door: Store, tmp_path: Path) -> None:
    """TERM=xterm (16 colours), read by a terminal emulator: each light's glyph is in its own
    colour; mouse reporting is asked for, as such a terminal understands it."""
    with OnPty(door.url, {"TERM": "xterm"}, tmp_path, login=DISTRICT) as console:
        console.sign_in(PASSWORD)
        colours: dict[str, set[str]] = {}
        for row, line in enumerate(console.lines):
            cell = console.screen.buffer[row][0]
            if CASE_CODE.search(line) and cell.data in (UNICODE.red, UNICODE.yellow, UNICODE.green):
                colours.setdefault(cell.data, set()).add(cell.fg)
        sent = console.sent
    assert set(colours) == {UNICODE.red, UNICODE.yellow, UNICODE.green}, console.text
    assert all(len(fg) == 1 for fg in colours.values()), colours
    assert len({fg for fgs in colours.values() for fg in fgs}) == 3, colours
    assert MOUSE_ON.search(sent)


def test_vt100_gets_ascii_no_colour_and_no_mouse(door: Store, tmp_path: Path) -> None:
    """TERM=vt100: from the sign-in screen to the queue and its help, nothing reaches the
    terminal but ASCII and the store's own words; no colour; no mouse reporting."""
    with OnPty(door.url, {"TERM": "vt100"}, tmp_path, login=DISTRICT) as console:
        console.sign_in(PASSWORD)
        console.type("j")
        console.type("?")
        console.wait_for_text("Keys on this screen")
        console.settle()
        shown = console.lines
        sent = console.sent
    assert not MOUSE_ON.search(sent)
    text = sent.decode("utf-8")
    codes = {int(p) for sgr in SGR.findall(text) for p in sgr.split(";") if p}
    # 39 and 49 are the terminal's own colours; 30–38, 40–48, 90–97, 100–107 name one.
    named = set(range(30, 39)) | set(range(40, 49)) | set(range(90, 98)) | set(range(100, 108))
    assert codes & named == set()
    # Letters are text (the store's names and titles, the demo line's Chinese); a glyph, a
    # box, an arrow, a dash or an ellipsis is not a letter.
    strays = {ch for ch in text if not ch.isascii() and unicodedata.category(ch)[0] != "L"}
    assert strays <= _store_text(door), sorted(strays - _store_text(door))
    lights = {line[0] for line in shown if re.match(r". +-?\d", line)}
    assert lights and lights <= {ASCII.red, ASCII.yellow, ASCII.green}, "\n".join(shown)


def _store_text(store: Store) -> set[str]:
    """Every character of the titles and names the district supervisor may be shown."""
    ref = reference(store)
    actor = Session(store, session(store).clock, DISTRICT, "en", session(store).tz).actor
    rows = q.page(store, actor, q.QueueFilter(), q.Sort.DEADLINE, limit=1000, now=ANCHOR)
    texts = [r.title for r in rows]
    texts += [a.name for a in ref.areas.values()] + [u.name for u in ref.units.values()]
    texts += [u.name for u in ref.users.values()]
    return {ch for text in texts for ch in text}


# --- below 80×24 --------------------------------------------------------------------------------


async def test_a_small_terminal_says_so_and_the_console_returns(
    snapshot_store: Store, console_app: AppFactory
) -> None:
    """60×20: a notice of the size needed, in the console's language, and no broken layout;
    grown to 100×30 the console is back as it was, a new case's draft intact."""
    app = console_app(snapshot_store, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await until_quiet(pilot)
        await pilot.press("n")
        await until_quiet(pilot)
        assert isinstance(app.screen, IntakeScreen)
        await pilot.press(*"积水")
        await pilot.resize_terminal(60, 20)
        await until_quiet(pilot)
        assert isinstance(app.screen, TooSmall)
        said = str(app.screen.query_one("#too-small").render())
        assert "at least 80×24 (now 60×20)" in said
        # The console's keys do nothing while it is hidden.
        await pilot.press("question_mark")
        assert isinstance(app.screen, TooSmall)
        await pilot.resize_terminal(70, 30)
        await until_quiet(pilot)
        assert "(now 70×30)" in str(app.screen.query_one("#too-small").render())
        await pilot.resize_terminal(100, 30)
        await until_quiet(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert app.screen.query_one("#title", Input).value == "积水"


async def test_the_small_terminal_notice_in_chinese(
    snapshot_store: Store, console_app: AppFactory
) -> None:
    app = console_app(snapshot_store, lang="zh")
    async with app.run_test(size=(79, 24)) as pilot:
        await until_quiet(pilot)
        assert isinstance(app.screen, TooSmall)
        said = str(app.screen.query_one("#too-small").render())
        assert "至少" in said and "80×24" in said and "79×24" in said
        await pilot.resize_terminal(80, 24)
        await until_quiet(pilot)
        assert isinstance(app.screen, MainScreen)


# --- a quiet minute -----------------------------------------------------------------------------


async def test_the_minutes_redraw_sends_only_the_time_left(
    snapshot_store: Store, console_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Time passes on a quiet console (an hour of minute redraws, so that rows showing hours
    turn too): what is sent is the light and time left of the lines whose time left turned,
    not the lines, not the screen."""
    sent: list[str] = []

    def display(app: App[None], screen: object, update: object) -> None:
        if isinstance(update, CompositorUpdate):
            sent.append(update.render_segments(Console(color_system="truecolor")))

    monkeypatch.setattr(GridcallApp, "_display", display)
    app = console_app(snapshot_store, login=DISTRICT, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        queue = app.screen.query_one(QueueView)
        await pilot.press("j", "j")
        await until_quiet(pilot)
        top = queue.region.y + 1  # the terminal's rows count from 1
        cursor_row = top + queue.cursor - queue.scroll_offset.y
        before = [line[:12] for line in _texts(queue)]
        sent.clear()
        wallclock.freeze(ANCHOR + timedelta(hours=1))
        app.show_changes(reread=True)
        await until_quiet(pilot)
        after = [line[:12] for line in _texts(queue)]
    turned = {top + y for y, (b, a) in enumerate(zip(before, after, strict=True)) if b != a}
    assert turned  # rows with minutes left (the rest show days and hours)
    written = "".join(sent)
    places = re.findall(r"\x1b\[(\d+);(\d+)H([^\x1b]*)", SGR.sub("", written))
    # The rows whose time left turned, and the cursor's, drawn anew; no other.
    assert {int(row) for row, _, _ in places} <= turned | {cursor_row}, places
    assert turned <= {int(row) for row, _, _ in places}, places
    # Each is sent from its start to the end of its time left, but the cursor's line.
    for row, _, text in places:
        assert int(row) == cursor_row or len(text.rstrip("\r\n")) <= 12, places
    assert len(written.encode()) < 2048


def _texts(queue: QueueView) -> list[str]:
    return [queue.render_line(y).text for y in range(queue.size.height)]


def test_a_paste_holding_an_escape_lands_whole_in_the_field(door: Store, tmp_path: Path) -> None:
    """A real terminal's bracketed paste of "A<ESC>B" into the intake form's title: the field
    holds "AB" and the key typed next lands after it, not "^" and "B" typed as keys with the
    rest of the paste somewhere else."""
    with OnPty(door.url, {"TERM": "xterm-256color"}, tmp_path, login=DISTRICT) as console:
        console.sign_in(PASSWORD)
        console.type("n")
        console.wait_for_text("Title")
        console.settle(0.3)
        console.type(b"\x1b[200~A\x1bB\x1b]2;T\x1b\\C\x1b[201~")
        console.settle(0.3)
        console.type("x")
        console.wait_for_text("AB]2;T\\Cx")
    (field,) = [line for line in console.lines if "AB]2;T" in line]
    assert "^" not in field, console.text


# --- a terminal that goes -----------------------------------------------------------------------


def test_the_console_runs_on_its_terminal_as_on_a_login(door: Store, tmp_path: Path) -> None:
    """The pseudo-terminal the console is started on is its controlling terminal, as a login's
    or a tmux pane's is: the terminal's going (SIGHUP) reaches it."""
    with OnPty(door.url, {"TERM": "xterm-256color"}, tmp_path, login=DISTRICT) as console:
        pid = console.process.pid
        assert _stat(pid)[TTY_NR] == os.stat(f"/proc/{pid}/fd/0").st_rdev


@pytest.mark.parametrize("controlling", [True, False], ids=["hung-up", "end-of-file"])
def test_a_console_whose_terminal_goes_ends(
    door: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, controlling: bool
) -> None:
    """A signed-in console whose terminal is closed under it (its window closed, its tmux pane
    or SSH link killed, the bench that held it killed), the process left running: it ends, its
    user signed out, and does not spin on the terminal that is gone while it lives. Without a
    controlling terminal (no SIGHUP) it ends all the same, at the terminal's end-of-file."""
    if not controlling:
        monkeypatch.setattr("console.bench.terminal._take_terminal", lambda: None)
    with OnPty(door.url, {"TERM": "xterm-256color"}, tmp_path, login=DISTRICT) as console:
        console.sign_in(PASSWORD)
        console.hang_up()
        spent = _spent_until_ended(console.process, within=10.0)
        ended = console.process.poll() is not None
    assert ended, f"running 10 s after its terminal went, {spent:.1f} s of CPU spent"
    assert spent < 2.0, f"{spent:.1f} s of CPU spent after its terminal went"
    assert trail(door, DISTRICT)[-1][0] == TrailEvent.SIGN_OUT


# proc(5)'s fields of /proc/PID/stat, as `_stat` gives them: from the 4th (the parent's pid) on.
TTY_NR, UTIME, STIME = 7 - 4, 14 - 4, 15 - 4


def _stat(pid: int) -> list[int]:
    """The fields of /proc/PID/stat after the command's name and the process's state."""
    return [int(f) for f in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1:]]


def _spent_until_ended(process: subprocess.Popen[bytes], within: float) -> float:
    """Wait up to `within` seconds for the process to end: the CPU seconds it spent meanwhile.
    (Until it is reaped by `poll`, an ended process's figures are still there to read.)"""

    def cpu() -> float:
        fields = _stat(process.pid)
        return (fields[UTIME] + fields[STIME]) / os.sysconf("SC_CLK_TCK")

    start, spent = cpu(), 0.0
    deadline = time.monotonic() + within
    while process.poll() is None and time.monotonic() < deadline:
        spent = cpu() - start
        time.sleep(0.1)
    return spent
