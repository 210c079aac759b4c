"""The console over SSH as the night shift meets it: `gridcall serve ssh` on 127.0.0.1, OpenSSH's
own client on a pseudo-terminal of 160×48, from `ssh` started to the first screen that shows
cases, for a street operator and a district supervisor; then the console process's memory.
(The bytes a key sends are the console's own, measured by `startup.traffic`.)"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from select import select as wait_for_input

import asyncssh

from console.bench.startup import CASE_CODE, drain
from console.bench.stores import DISTRICT
from console.bench.stores import LOGIN as STREET
from console.bench.terminal import end, spawn
from console.db import Store
from console.services import keys

LISTENING = re.compile(rb"on 127\.0\.0\.1:(\d+)")
OPENED = re.compile(r"console (\d+) opened")


def available() -> bool:
    return shutil.which("ssh") is not None


@contextmanager
def server(url: str) -> Iterator[tuple[int, Path, Path]]:
    """A server on a free port of 127.0.0.1 with a key registered for both readers; its port,
    the client's private key file and the server's log. Consoles end when their link drops
    (`--keep-minutes 0`), so each sample starts one afresh. The keys are removed afterwards."""
    store = Store(url)
    with tempfile.TemporaryDirectory(prefix="gridcall-bench-ssh-") as tmp:
        home = Path(tmp)
        added = [_key_for(store, home, login) for login in (STREET, DISTRICT)]
        log_path = home / "server.log"
        argv = [
            sys.executable, "-m", "console.launch", "serve", "ssh", "--db", url,
            "--listen", "127.0.0.1:0", "--keep-minutes", "0",
            "--host-key", str(home / "host_key"),
        ]  # fmt: skip
        env = os.environ | {
            "GRIDCALL_STATE_DIR": str(home),
            "GRIDCALL_CONFIG": str(home / "none.toml"),
            "LANG": "en_US.UTF-8",
        }
        with log_path.open("wb") as log:
            proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            port = _port(proc, log_path)
            yield port, home, log_path
        finally:
            proc.terminate()
            proc.wait(30)
            for made, login in zip(added, (STREET, DISTRICT), strict=True):
                keys.remove_key(store, login, made.fingerprint)
            store.dispose()


def _port(proc: subprocess.Popen[bytes], log: Path) -> int:
    until = time.monotonic() + 60
    while time.monotonic() < until:
        found = LISTENING.search(log.read_bytes())
        if found:
            return int(found.group(1))
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    raise RuntimeError(f"gridcall serve ssh did not start: {log.read_text()[-400:]}")


def _key_for(store: Store, home: Path, login: str) -> keys.PublicKey:
    """A key pair of the login's own: the private half for the client, the public registered."""
    key = asyncssh.generate_private_key("ssh-ed25519")
    identity = identity_of(home, login)
    key.write_private_key(identity)
    identity.chmod(0o600)
    return keys.add_key(store, login, login, key.export_public_key().decode())


def identity_of(home: Path, login: str) -> Path:
    return home / f"id_{login}"


def session(port: int, home: Path, log: Path, login: str) -> dict[str, float]:
    """One SSH session: ms from `ssh` started to the first screen with cases; then the console
    process's proportional memory (its pages shared with the warm parent counted by share)."""
    argv = [
        "ssh", "-F", "/dev/null", "-p", str(port), "-i", str(identity_of(home, login)),
        "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=no",
        "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", f"{login}@127.0.0.1",
    ]  # fmt: skip
    opened_before = len(OPENED.findall(log.read_text()))
    proc, master = spawn(argv, (160, 48), {"TERM": "xterm-256color"})
    started = time.perf_counter()  # once it runs: the bench's own fork is not its start
    try:
        first = _until(master, proc, CASE_CODE) - started
        drain(master, 1.0)
        pids = OPENED.findall(log.read_text())[opened_before:]
        memory = _pss_mb(int(pids[-1])) if pids else 0.0
    finally:
        end(proc, master)
    return {"first": first * 1000, "memory": memory}


def _until(master: int, proc: subprocess.Popen[bytes], shows: re.Pattern[bytes]) -> float:
    seen = b""
    until = time.perf_counter() + 60
    while time.perf_counter() < until:
        ready, _, _ = wait_for_input([master], [], [], 0.5)
        if not ready:
            if proc.poll() is not None:
                break
            continue
        try:
            seen += os.read(master, 65536)
        except OSError:
            break
        if shows.search(seen):
            return time.perf_counter()
    raise RuntimeError(f"ssh never showed the queue: {seen[-400:].decode('utf-8', 'replace')}")


def _pss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return 0.0
    return 0.0
