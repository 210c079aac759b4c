"""A Gridcall SSH server on 127.0.0.1 over a seeded demo store, and real OpenSSH clients."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from console.db import Store
from console.demo.generate import seed_demo
from console.domain.sla import SlaClock
from console.services import keys
from tests.conftest import StoreFactory
from tests.serve.terminal import WAIT, Terminal

LISTENING = re.compile(r"on 127\.0\.0\.1:(\d+)")
# Users of the demo district the tests sign in as, each with a key of their own.
OPERATOR = "op.jiangbin1"
PEOPLE = [OPERATOR, "op.jiangbin2", "sup.district1"]


def keygen(path: Path) -> Path:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", path.name, "-f", str(path)],
        check=True,
    )
    return path


@dataclass
class Night:
    """A running `gridcall serve ssh`, its store, and the keys of its users."""

    store: Store
    url: str
    home: Path
    keys: dict[str, Path] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None
    port: int = 0
    terminals: list[Terminal] = field(default_factory=list)

    def start(self, *options: str) -> None:
        log = (self.home / "server.log").open("wb")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "console.launch",
                "serve",
                "ssh",
                "--db",
                self.url,
                "--listen",
                "127.0.0.1:0",
                "--host-key",
                str(self.home / "host_key"),
                *options,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=os.environ
            | {
                "GRIDCALL_STATE_DIR": str(self.home),
                "GRIDCALL_CONFIG": str(self.home / "none.toml"),
                "LANG": "en_US.UTF-8",
            },
        )
        until = time.monotonic() + WAIT
        while time.monotonic() < until:
            found = LISTENING.search(self.log())
            if found:
                self.port = int(found.group(1))
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"the server did not start:\n{self.log()}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(WAIT)

    def log(self) -> str:
        return (self.home / "server.log").read_text(encoding="utf-8", errors="replace")

    def ssh_argv(self, login: str, *extra: str, key: Path | None = None) -> list[str]:
        identity = key or self.keys[login]
        return [
            "ssh", "-F", "/dev/null", "-p", str(self.port), "-i", str(identity),
            "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
            *extra, f"{login}@127.0.0.1",
        ]  # fmt: skip

    def connect(
        self, login: str, *extra: str, cols: int = 80, rows: int = 24, key: Path | None = None
    ) -> Terminal:
        terminal = Terminal(self.ssh_argv(login, *extra, key=key), cols, rows)
        self.terminals.append(terminal)
        return terminal

    def run(
        self, login: str, *extra: str, command: str | None = None, key: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        """ssh without a terminal of ours (a command, a forward): what it says and its exit."""
        argv = self.ssh_argv(login, "-o", "BatchMode=yes", *extra, key=key)
        return subprocess.run(
            argv + ([command] if command else []),
            capture_output=True, text=True, timeout=WAIT, stdin=subprocess.DEVNULL,
        )  # fmt: skip

    def close_terminals(self) -> None:
        for terminal in self.terminals:
            terminal.close()
        self.terminals.clear()


def night_of(backend: str, tmp: Path, people: list[str], cases: int = 1500) -> Iterator[Night]:
    if shutil.which("ssh") is None or shutil.which("ssh-keygen") is None:
        reason = "the SSH tests need OpenSSH's client (.ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    factory = StoreFactory(backend, tmp)
    store = factory.empty()
    # Cases of the last weeks, not of the fixed anchor: a night shift's queue is full of open ones.
    seed_demo(store, SlaClock(), cases=cases, seed=7, processes=1)
    night = Night(store, store.url, tmp)
    for login in people:
        night.keys[login] = keygen(tmp / f"id_{login}")
        keys.add_key(store, login, login, Path(f"{night.keys[login]}.pub").read_text())
    try:
        yield night
    finally:
        night.close_terminals()
        night.stop()
        factory.close()
