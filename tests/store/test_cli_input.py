"""Every bad input a clear answer (#20), through the real entry point on both stores: limits
checked before the store, nothing written, no driver's error and no personal data on stderr,
nothing hostile reaching the terminal, words in the reader's language."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import typing
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy import text

from console import cli
from console.db import Store
from console.demo.people import DEMO_PASSWORD
from console.domain.workflow import TABLE
from tests.store.test_cli_store import ROOT

OPERATOR = "op.jiangbin1"
LIAISON = "liaison.ga"  # the police's liaison: signs for cases dispatched to U-GA
SUPERVISOR = "sup.jiangbin"
ADMIN = "admin"
CASE = ["--category", "010203", "--grid", "LJ010101", "--address", "江滨路12号"]
PHONE = "13912345678"
UNSAFE = (b"\x1b", b"\x00", "\x9b".encode(), "\u202e".encode(), "\u2066".encode())


class Ran:
    def __init__(self, done: subprocess.CompletedProcess[bytes]) -> None:
        self.code = done.returncode
        self.raw = done.stdout + done.stderr
        self.out = done.stdout.decode("utf-8")  # valid UTF-8, whatever came in
        self.err = done.stderr.decode("utf-8")


class Desk:
    """Each person's own terminal, running `gridcall` in a process of its own."""

    def __init__(self, store: Store, home: Path) -> None:
        self.store, self.home = store, home

    def __call__(
        self, login: str, *args: str | bytes, stdin: bytes | None = None, db: bool = True
    ) -> Ran:
        state = self.home / login
        if not state.exists() and login:
            signed = self.run(
                state,
                "login",
                "--user",
                login,
                "--password-stdin",
                stdin=(DEMO_PASSWORD + "\n").encode(),
            )
            assert signed.code == 0, signed.err
        return self.run(state, *args, stdin=stdin, db=db)

    def run(
        self, state: Path, *args: str | bytes, stdin: bytes | None = None, db: bool = True
    ) -> Ran:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GRIDCALL_")}
        env |= {
            "GRIDCALL_DATA_DIR": str(self.home / "data"),
            "GRIDCALL_CONFIG": str(self.home / "config.toml"),
            "GRIDCALL_STATE_DIR": str(state),
            "LANG": "en_US.UTF-8",
        }
        done = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), *args, *(["--db", self.store.url] * db)],
            capture_output=True,
            env=env,
            cwd=self.home,
            timeout=300,
            input=stdin,
        )
        return Ran(done)

    def counts(self) -> tuple[int, ...]:
        with self.store.read() as s:
            return tuple(
                int(s.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
                for table in ("cases", "audit_events", "users", "saved_views")
            )

    def new(self, *extra: str) -> str:
        made = self(OPERATOR, "case", "new", "--title", "占道经营", *CASE, *extra, "--json")
        assert made.code == 0, made.err
        return str(json.loads(made.out)["code"])

    def set_column(self, code: str, **values: Any) -> None:
        """As a store written by an older release, an import or by hand may hold it."""
        sets = ", ".join(f"{k} = :{k}" for k in values)
        self.store.write(
            lambda s: s.execute(
                text(f"UPDATE cases SET {sets} WHERE code = :code"), values | {"code": code}
            )
        )


@pytest.fixture(scope="module")
def desk(district: Store, tmp_path_factory: pytest.TempPathFactory) -> Desk:
    desk = Desk(district, tmp_path_factory.mktemp("input"))
    for login in (OPERATOR, LIAISON, SUPERVISOR, ADMIN):  # signed in before anything is counted
        assert desk(login, "whoami").code == 0
    return desk


def refused_cleanly(desk: Desk, ran: Ran, before: tuple[int, ...], codes: tuple[int, ...]) -> None:
    """Refused with one line, no traceback, nothing written, nothing hostile shown."""
    assert ran.code in codes, (ran.code, ran.err[:300])
    lines = ran.err.strip().splitlines()
    assert len(lines) == 1, ran.err[:500]
    assert "Traceback" not in ran.err and "internal error" not in ran.err
    assert not any(bad in ran.raw for bad in UNSAFE), ran.raw[:300]
    assert desk.counts() == before


@pytest.mark.parametrize(
    "extra, says",
    [
        (["--address", "号" * 201], "address is longer than 200 characters"),
        (["--phone", PHONE + "0" * 22], "phone is longer than 32 characters"),
        (["--phone", "call me maybe"], "a phone number holds 5 to 15 digits"),
        (["--reporter", "王" * 65, "--phone", PHONE], "reporter's name is longer than 64"),
        (["--title", "标" * 5000], "title is longer than 200 characters"),
        (["--description", "说" * 4001], "description is longer than 4000"),
    ],
)
def test_too_long_or_malformed_fields_are_refused_before_the_store(
    desk: Desk, extra: list[str], says: str
) -> None:
    before = desk.counts()
    ran = desk(OPERATOR, "case", "new", "--title", "占道经营", *CASE, *extra)
    refused_cleanly(desk, ran, before, (2,))
    assert says in ran.err
    # Neither the phone nor the name goes to stderr (nor, through it, to any log).
    assert PHONE not in ran.err and "王王" not in ran.err and "INSERT" not in ran.err


def test_an_escape_sequence_in_an_argument_never_reaches_the_terminal(desk: Desk) -> None:
    ran = desk(OPERATOR, "case", "show", "X\x1b]2;T\x1b\\")
    assert ran.code == 1 and b"\x1b" not in ran.raw
    assert ran.err.strip() == "no case X\\x1b]2;T\\x1b\\"


def test_json_escapes_c1_and_bidi_characters(desk: Desk) -> None:
    code = desk.new()
    title = "标题 \x9b31m \u202e反转\u202c"
    desk.set_column(code, title=title)
    ran = desk(OPERATOR, "case", "show", code, "--json")
    assert ran.code == 0, ran.err
    assert not any(bad in ran.raw for bad in UNSAFE), ran.out[:300]
    assert "\\u009b" in ran.out and "\\u202e" in ran.out
    assert json.loads(ran.out)["title"] == title  # a script still reads what is stored
    shown = desk(OPERATOR, "case", "show", code)
    assert not any(bad in shown.raw for bad in UNSAFE) and "\\x202e" in shown.out


def test_case_show_and_list_speak_the_readers_language(desk: Desk) -> None:
    code = desk.new()
    zh = desk(OPERATOR, "--lang", "zh", "case", "show", code)
    assert zh.code == 0, zh.err
    assert "状态" in zh.out and "待受理" in zh.out and "紧急程度" in zh.out and "一般" in zh.out
    assert "网格" in zh.out and "本环节时限" in zh.out
    assert "status" not in zh.out and "deadline_at" not in zh.out and "reported" not in zh.out
    assert "+00:00" not in zh.out  # local times, as the console shows them
    listed = desk(OPERATOR, "--lang", "zh", "case", "list", "--limit", "3")
    assert listed.code == 0 and "编号" in listed.out and "状态" in listed.out
    assert "待受理" in listed.out and "status" not in listed.out
    data = json.loads(desk(OPERATOR, "--lang", "zh", "case", "show", code, "--json").out)
    assert data["status"] == "reported" and data["deadline_at"].endswith("+00:00")


def _in_progress(desk: Desk) -> str:
    code = desk.new()
    for login, step in (
        (OPERATOR, ["accept"]),
        (OPERATOR, ["dispatch", "--unit", "U-GA"]),
        (LIAISON, ["sign"]),
    ):
        done = desk(login, "case", step[0], code, *step[1:])
        assert done.code == 0, (step, done.err)
    return code


def test_an_extension_ends_ahead_within_a_year_and_a_stuck_one_can_be_refused(desk: Desk) -> None:
    code = _in_progress(desk)
    for until, says in (
        ("9999-12-31 23:59", "at most 365 days ahead"),
        ("2020-01-01 10:00", "must end in the future"),  # before the deadline, too
        ("0001-01-01 00:00", "cannot read the time"),
    ):
        before = desk.counts()
        ran = desk(LIAISON, "case", "extend", code, "--reason", "需协调", "--until", until)
        refused_cleanly(desk, ran, before, (2,))
        assert says in ran.err or "later than" in ran.err, ran.err
    # A request an older release let through: approving it says why, refusing it frees the case.
    desk.set_column(code, ext_until=datetime(9999, 12, 30, tzinfo=UTC), ext_reason="旧")
    before = desk.counts()
    ran = desk(SUPERVISOR, "case", "approve-extension", code)
    refused_cleanly(desk, ran, before, (2,))
    assert "at most 365 days ahead" in ran.err
    freed = desk(SUPERVISOR, "case", "refuse-extension", code, "--reason", "时间不合理", "--json")
    assert freed.code == 0, freed.err
    assert json.loads(freed.out)["extension_requested_until"] is None


def test_a_photo_is_an_image_file_or_an_address(desk: Desk) -> None:
    code = _in_progress(desk)
    notes = desk.home / "notes.txt"
    notes.write_text("not a photo")
    for photo, says in (
        ("/nonexistent/photo.jpg", "no photo file /nonexistent/photo.jpg"),
        (str(notes), "is not a photo"),
        (str(desk.home), "no photo file"),
        ("ftp://img.example/1.jpg", "starts with http:// or https://"),
    ):
        before = desk.counts()
        ran = desk(LIAISON, "case", "handled", code, "--result", "已处置", "--photo", photo)
        refused_cleanly(desk, ran, before, (2,))
        assert says in ran.err, ran.err
    image = desk.home / "site.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    done = desk(
        LIAISON, "case", "handled", code, "--result", "已处置", "--photo", str(image), "--json"
    )
    assert done.code == 0, done.err
    assert json.loads(done.out)["attachments"] == [str(image.resolve())]


# Hostile text fed to every command that takes text. A NUL cannot travel in argv (exec
# refuses it) and a megabyte neither (Linux takes 128 KiB an argument): the unit tests give
# both to the domain's checks; here, the largest argument the kernel passes.
HOSTILE: list[str | bytes] = [
    "\x1b]2;pwned\x07\x1b[2J",
    "C1 \x9b31m \x85",
    "bidi \u202e反转\u202c \u2066x\u2069",
    "x" * 120_000,
    b"bad \xff\xfe utf-8",
]
MARKUP = "[bold red]假装是系统消息[/] [/]"


def _commands(code: str) -> list[tuple[str, list[str | bytes], bytes | None]]:
    """(who, arguments with P for the text, stdin)."""
    P = "\0P"
    return [
        (OPERATOR, ["case", "new", "--title", P, *CASE], None),
        (OPERATOR, ["case", "new", "--title", "占道", *CASE, "--reporter", P], None),
        (OPERATOR, ["case", "new", "--title", "占道", *CASE, "--description", P], None),
        (OPERATOR, ["case", "note", code, "--text", P], None),
        (OPERATOR, ["case", "reject", code, "--reason", P], None),
        (OPERATOR, ["case", "dispatch", code, "--unit", "U-GA", "--instruction", P], None),
        (OPERATOR, ["case", "dispatch", code, "--unit", P], None),
        (OPERATOR, ["case", "duplicate", code, "--of", P], None),
        (OPERATOR, ["case", "show", P], None),
        (OPERATOR, ["case", "list", "--text", P], None),
        ("", ["login", "--user", P, "--password-stdin"], b"wrong\n"),
        (
            ADMIN,
            [
                "user",
                "add",
                P,
                "--name",
                "某人",
                "--role",
                "operator",
                "--street",
                "LJ01",
                "--password-stdin",
            ],
            b"secret-pass-1\nsecret-pass-1\n",
        ),
        (
            ADMIN,
            [
                "user",
                "add",
                "t.hostile",
                "--name",
                P,
                "--role",
                "operator",
                "--street",
                "LJ01",
                "--password-stdin",
            ],
            b"secret-pass-1\nsecret-pass-1\n",
        ),
    ]


def _with(args: list[str | bytes], payload: str | bytes) -> list[str | bytes]:
    return [payload if a == "\0P" else a for a in args]


def test_hostile_text_in_every_command_is_refused_cleanly(desk: Desk) -> None:
    code = desk.new()
    for who, args, stdin in _commands(code):
        for payload in HOSTILE:
            before = desk.counts()
            ran = desk(who, *_with(args, payload), stdin=stdin)
            try:
                refused_cleanly(desk, ran, before, (1, 2))
            except AssertionError as failed:
                raise AssertionError((args[:2], str(payload)[:40], failed)) from None


def test_markup_is_text_kept_and_shown_literally(desk: Desk) -> None:
    made = desk(OPERATOR, "case", "new", "--title", MARKUP, *CASE, "--reporter", MARKUP)
    assert made.code == 0, made.err
    code = made.out.split()[0]
    shown = desk(OPERATOR, "case", "show", code)
    assert shown.code == 0 and MARKUP in shown.out and b"\x1b" not in shown.raw
    for who, args, stdin in _commands(code):
        ran = desk(who, *_with(args, MARKUP), stdin=stdin)
        assert "Traceback" not in ran.err and "internal error" not in ran.err, (args, ran.err)
        assert ran.code in (0, 1, 2) and len(ran.err.strip().splitlines()) <= 1, (args, ran.err)


# Every text a command takes, read off the command line itself, so that a command or an option
# added later is fed too. The actions share one command body (and one check of their texts,
# before the store): each action is fed once, every text at once; `note` each text on its own.
BLEND = "\x1b]2;pwned\x07\x1b[2J C1 \x9b31m \x85 bidi \u202e反转\u202c \u2066x\u2069"
BENIGN = {
    "title": "占道经营",
    "category": "010203",
    "grid": "LJ010101",
    "address": "江滨路12号",
    "login_": "t.benign",
    "name": "某人",
    "role": "operator",
    "first": "2026-11-01",
    "last": "2026-11-30",
    "since": "2026-11-01",
    "trainee": "trainee1",
    "fingerprint": "SHA256:benign",
    "what": "advance",
}
# Options that name a file to write are free to hold any name a filesystem takes (printed
# inertly); a serve command given a good address would serve; the bench given a URL would run.
STARTS_WORK = {("serve", "ssh", "host_key"), ("bench", "pg_url")}
WRITES_A_FILE = {"output", "directory", "key", "report", "host_key"}


def _texts_of(command: Any) -> list[str]:
    hints = typing.get_type_hints(command.callback)
    texty = (str, str | None, list[str] | None, Path, Path | None)
    return [p.name for p in command.params if hints.get(p.name) in texty and p.name != "db"]


def _walk(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            yield from _walk(sub, (*path, name))
    else:
        yield path, command


def _feeds(code: str, file: Path) -> Iterator[tuple[str, list[str], bool]]:
    """(who, argv, whether it takes --db): each carries BLEND in at least one of its texts."""
    actions = {a.value: a for a in TABLE}
    for path, command in _walk(typer.main.get_command(cli.app)):
        texts = _texts_of(command)
        who = {"user": ADMIN, "report": SUPERVISOR, "export": SUPERVISOR}.get(path[0], OPERATOR)
        db = any(p.name == "db" for p in command.params)
        if path[0] == "case" and path[-1] in actions and path[-1] != "note":
            fed = [t for t in texts if t != "code"]
            yield who, [*path, code, *_options(command, dict.fromkeys(fed, BLEND))], db
            continue
        for text_ in texts:
            if (*path, text_) in STARTS_WORK:
                continue
            values = {
                p.name: BENIGN.get(p.name, code if p.name == "code" else str(file))
                for p in command.params
                if p.required
            }
            values[text_] = BLEND
            yield who, [*path, *_arguments(command, values), *_options(command, values)], db


def _arguments(command: Any, values: dict[str, str]) -> list[str]:
    """The positional arguments given values, the ones before a fed one given benign ones."""
    given = [p.name for p in command.params if p.param_type_name == "argument"]
    while given and given[-1] not in values:
        given.pop()
    return [values.get(name, BENIGN.get(name, "")) for name in given]


def _options(command: Any, values: dict[str, str]) -> list[str]:
    argv: list[str] = []
    for p in command.params:
        if p.param_type_name == "option" and p.name in values:
            argv += [p.opts[0], values[p.name]]
    return argv


def test_every_text_of_every_command_is_refused_or_kept_inert(desk: Desk) -> None:
    code = desk.new()
    file = desk.home / "work-orders.csv"
    file.write_text("工单编号\n", encoding="utf-8")
    fed = 0
    for who, argv, db in _feeds(code, file):
        before = desk.counts()
        ran = desk(who, *argv, db=db)
        fed += 1
        where = (argv[:3], ran.code, ran.err[:300])
        assert "Traceback" not in ran.err and "internal error" not in ran.err, where
        assert not any(bad in ran.raw for bad in UNSAFE), (where, ran.raw[:300])
        assert desk.counts() == before, where
        names_a_file = any(f"--{n}" in argv or "-o" in argv for n in WRITES_A_FILE)
        if not names_a_file:  # refused: a line, or one a problem where several were fed
            lines = len(ran.err.strip().splitlines())
            assert ran.code in (1, 2) and 1 <= lines <= argv.count(BLEND), where
    assert fed > 100  # the walk found the commands (about 150 feeds today)
