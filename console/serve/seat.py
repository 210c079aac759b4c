"""One SSH session's console, run in a process of its own on its own pseudo-terminal.

Imported by the zygote before it forks (console.serve.zygote), so that the App, its screens and
the store's reference data are loaded once for every session. The user was proven by the SSH
server (a key, or a password through the sign-in lockout); the console opens on their queue,
bound to them: nobody else signs in at its lock screen, and signing out ends it.

Signals from the server: SIGUSR1 when a new client has been attached to the terminal (after a
dropped link, or a take-over), which knows nothing of the screen yet: the console sets the
terminal up again and draws everything. SIGTERM and SIGHUP end the console cleanly, leaving the
client's terminal as it found it.
"""

from __future__ import annotations

import signal

from console.app import GridcallApp
from console.config import Settings
from console.domain.audit import TrailEvent
from console.gate import Gate
from console.queries.reference import reference
from console.serve.zygote import Order, Run
from console.views.hangup import on_signal


def warm(gate: Gate, settings: Settings) -> Run:
    """In the zygote: load what every console needs, and return how to run one."""
    reference(gate.store)

    def run(order: Order) -> int:
        return _run(gate, settings, order)

    return run


def _run(gate: Gate, settings: Settings, order: Order) -> int:
    # The pool's connections belong to the zygote; this process opens its own.
    gate.store.engine.dispose(close=False)
    bound = Gate(
        gate.store,
        gate.clock,
        order.lang,
        gate.tz,
        gate.lockout,
        bound_to=order.login,
        whistle=gate.whistle,
        oversight=gate.oversight,
    )
    app = GridcallApp(bound.admit(order.login), gate=bound, settings=settings, freeze_heap=True)
    on_signal(signal.SIGUSR1, lambda: _redraw(app))
    on_signal(signal.SIGTERM, app.exit)  # SIGHUP too, by the console's driver
    # The client's TERM, COLORTERM and NO_COLOR are this process's environment (the zygote set
    # them), which the App reads: colours, glyphs, and whether the mouse is reported.
    app.run(mouse=app.terminal.mouse)
    if app.signed_in:
        bound.record(order.login, TrailEvent.SIGN_OUT, {"where": "ssh"})
    return 0


def _redraw(app: GridcallApp) -> None:
    """A new terminal at the other end: leave and re-enter application mode (alternate
    screen, mouse, bracketed paste, as Textual sets them up) and draw every line."""
    with app.suspend():
        pass
