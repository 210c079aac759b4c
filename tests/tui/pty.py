"""`gridcall run` on a real pseudo-terminal, read as a terminal would read it (pyte), through
the bench's own terminal (console/bench/terminal.py).

The console runs in its own process, as an operator starts it, with the environment a
terminal gives it (TERM, NO_COLOR…) and its clock stopped at the seed's anchor, so the lights
are the snapshots' lights. Everything it writes is kept (`sent`) and fed to a terminal
emulator (`screen`).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from console.bench.terminal import Terminal
from tests.conftest import ANCHOR

# The console's own entry point, with the clock stopped where the tests' stores were seeded.
_DRIVER = r"""
import sys
from datetime import datetime
from console import wallclock
wallclock.freeze(datetime.fromisoformat(sys.argv[1]))
sys.argv = ["gridcall", *sys.argv[2:]]
from console.launch import main
main()
"""
ROOT = Path(__file__).resolve().parents[2]
CASE_CODE = re.compile(r"[A-Z]20\d\d-\d{7}")


class OnPty(Terminal):
    """One `gridcall run` on a pseudo-terminal of `size`."""

    def __init__(
        self,
        url: str,
        env: dict[str, str],
        tmp: Path,
        *,
        login: str,
        size: tuple[int, int] = (80, 24),
        lang: str = "en",
        args: tuple[str, ...] = (),
    ) -> None:
        environ = {
            "PYTHONPATH": str(ROOT),
            "GRIDCALL_STATE_DIR": str(tmp / "state"),  # no shift token: the sign-in screen
            "GRIDCALL_CONFIG": str(tmp / "none.toml"),
        } | env
        argv = ["run", "--db", url, "--user", login, "--lang", lang, *args]
        super().__init__(
            [sys.executable, "-c", _DRIVER, ANCHOR.isoformat(), *argv],
            size,
            environ,
            drop=("NO_COLOR", "COLORTERM"),
        )

    def sign_in(self, password: str) -> None:
        """At the sign-in screen, with the login filled in: the password, then Enter; then
        wait for the queue's cases."""
        self.wait_for_text("demo password")
        self.settle(0.3)
        self.type(password + "\r")
        self.wait_for(lambda: CASE_CODE.search(self.text) is not None)
        self.settle()

    def hang_up(self) -> None:
        """The terminal goes and the console is left running: its window closed, its tmux
        pane or SSH link killed, whoever held its end killed. The kernel hangs it up."""
        os.close(self._master)
        self._master = -1

    def close(self) -> None:
        if self._master < 0:  # hung up: only the console is left to end, if it has not
            self.process.kill()
            self.process.wait()
        else:
            super().close()
