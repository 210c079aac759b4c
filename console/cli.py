"""The `gridcall` command: every subcommand is a thin call into services, queries or io.

No `from __future__ import annotations` here: typer reads every command's annotations on
each start, and as strings it evaluates them one by one (some 2,000 `eval` calls, ~60 ms
before the console's first frame).
"""

import getpass
import os
import re
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO, TypedDict
from zoneinfo import ZoneInfo

import typer
from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderHook, RenderResult
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from console import credentials, i18n, wallclock
from console.config import FLAGS, Settings, data_dir, load_settings, resolve_url
from console.db import Store, file_of
from console.domain.actions import Action
from console.domain.audit import Finding, TrailEvent
from console.domain.enums import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    AreaLevel,
    Level,
    Light,
    Rating,
    Role,
    Source,
    Status,
    Urgency,
    UserKind,
)
from console.domain.errors import (
    Conflict,
    Forbidden,
    GridcallError,
    IllegalTransition,
    Invalid,
    NotFound,
    StoreError,
)
from console.domain.intake import NewCase
from console.domain.period import day, period
from console.domain.policy import reads_only
from console.domain.replay import of_a_case
from console.domain.sla import SlaClock, WorkingHours
from console.domain.whistle import UnitRating
from console.domain.workflow import TABLE, Params
from console.i18n import label, say, t, when
from console.present import (
    cell_width,
    clip,
    detail_json,
    escaped,
    event_line,
    handover_byline,
    handover_json,
    inert,
    json_text,
    note_lines,
    overall_due,
    overseen,
    reply_due,
    reporter_text,
    review_due,
    row_json,
    scope_name,
    status_text,
    step_due,
    task_parts,
    time_left,
)
from console.queries import cases as case_queries
from console.queries.people import keys_of, locked_until
from console.queries.reference import Reference, UserInfo, name_in, reference
from console.services import auth
from console.services import oversight as oversight_service
from console.services import users as user_service
from console.session import Session
from console.settings_schema import SettingsInvalid, flag_problems, one_of, refuse, refuse_flags
from console.terminal import read as read_terminal

if TYPE_CHECKING:
    from console.demo.generate import Progress
    from console.gate import Gate
    from console.reports.bulletin import Asked

DEFAULT_CASES = 5_000
DB_HELP = "Store URL: sqlite:///PATH or postgresql://USER:PASS@HOST/DB (else env, config, default)"

app = typer.Typer(
    name="gridcall",
    help="Gridcall — the dispatch console of a grid-governance command centre.",
    no_args_is_help=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    add_completion=False,
)
case_app = typer.Typer(
    help="List, show, register and act on cases, as the signed-in user (gridcall login)."
)
user_app = typer.Typer(help="Console users: add, passwords, roles, service tokens (admins).")
audit_app = typer.Typer(help="The audit trail.")
key_app = typer.Typer(help="Public keys for signing in over SSH (gridcall serve ssh).")
serve_app = typer.Typer(help="Serve the console to other machines.")
handover_app = typer.Typer(
    help="Shift handovers (交接班): the notes a shift leaves for the next one of its scope."
)
app.add_typer(case_app, name="case")
app.add_typer(user_app, name="user")
app.add_typer(audit_app, name="audit")
app.add_typer(handover_app, name="handover")
app.add_typer(serve_app, name="serve")
report_app = typer.Typer(
    help="The centre's bulletins (周通报, 月通报): figures, rankings, red-light list, assessment."
)
app.add_typer(report_app, name="report")
export_app = typer.Typer(
    help="Cases out to files: any queue (csv, xlsx, json), the replies to the hotline."
)
app.add_typer(export_app, name="export")
user_app.add_typer(key_app, name="key")


class _Inert(RenderHook):
    """The one door of everything the command prints, on stdout and stderr alike: text from
    reports, arguments and the store reaches the terminal only with its control, bidi and
    undecodable characters shown as visible escapes (console.present.escaped)."""

    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        return [_Escaped(r) for r in renderables]


class _Escaped:
    def __init__(self, renderable: ConsoleRenderable) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.renderable, options):
            # A control segment is Rich's own (cursor moves); the text of any other is content.
            yield segment if segment.control else Segment(escaped(segment.text), segment.style)


def _console(**kw: Any) -> Console:
    # No markup: a name or a title holding "[/]" is text, not a tag (nor a MarkupError).
    console = Console(highlight=False, soft_wrap=True, markup=False, **kw)
    console.push_render_hook(_Inert())
    return console


out = _console()
err = _console(stderr=True)

DbOpt = Annotated[str | None, typer.Option("--db", help=DB_HELP, show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


class State:
    settings: Settings = Settings()
    # The language of this command's words; the locale's until the options have been read.
    lang: str = i18n.detect_lang()
    # What the first run made, said again inside the console: its screen hides stderr.
    first_run: str | None = None


def _print_json(data: Any) -> None:
    """JSON on stdout, as scripts read it: codes and ISO times, unsafe characters escaped."""
    out.print(Text(json_text(data)))


def _clock(settings: Settings) -> SlaClock:
    return SlaClock(WorkingHours(tz=settings.tz), warn_ratio=settings.warn_ratio)


def _gate(store: Store) -> "Gate":
    """The door of a console (the local one, or each SSH seat) as the settings make it."""
    from console.gate import Gate  # loaded by the commands that open a console alone

    settings = State.settings
    return Gate(
        store,
        _clock(settings),
        State.lang,
        settings.tz,
        settings.lockout,
        whistle=settings.whistle,
        oversight=settings.oversight,
    )


def _session(store: Store, login: str) -> Session:
    """The acting user's session on this store: the one way a command acts, as the console."""
    return Session(
        store,
        _clock(State.settings),
        login,
        State.lang,
        State.settings.tz,
        whistle=State.settings.whistle,
        oversight=State.settings.oversight,
    )


def _token(store: Store) -> str:
    token = credentials.saved_token(store.describe())
    if token is None:
        raise auth.NotSignedIn()
    return token


def _signed_in(store: Store) -> Session:
    """The session of the user this OS user signed in as on this store (`gridcall login`), or
    of the service whose token is in GRIDCALL_TOKEN; NotSignedIn (exit 2) when nobody is, or
    the shift is over."""
    return _session(store, auth.holder(store, _token(store)))


def _interactive() -> bool:
    return sys.stdin.isatty()


def _password(prompt: str, *, from_stdin: bool, twice: bool = False) -> str:
    """A password from one line of stdin, or typed at the terminal without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not _interactive():
        raise Invalid("error.password_missing")
    first = getpass.getpass(t(prompt, State.lang) + ": ")
    if twice and getpass.getpass(t("cli.prompt_again", State.lang) + ": ") != first:
        raise Invalid("error.passwords_differ")
    return first


def _local(at: datetime) -> str:
    return at.astimezone(State.settings.tz).strftime("%Y-%m-%d %H:%M %Z")


def _who(ref: Reference, user: UserInfo) -> str:
    return t(
        "cli.whoami",
        State.lang,
        login=user.login,
        name=user.name,
        role=label("role", user.role, State.lang),
        scope=ref.scope_of(user),
    )


def open_store(db: str | None, *, first_run_seed: bool = True) -> Store:
    """The store the options, environment and config choose, ready for use.

    The default embedded store is created and seeded with the demo district on first use.
    """
    url, is_default = resolve_url(db, State.settings)
    if is_default:
        path = Path(url.removeprefix("sqlite:///"))
        if not path.exists():
            _make_default_store(path, seeded=first_run_seed)
    store = Store(url)
    missing = store.missing_file()
    if missing is not None:  # opening it would leave an empty file behind
        raise StoreError("error.no_store_file", path=str(missing))
    store.check()
    if not store.has_schema():
        raise StoreError("error.no_schema", url=store.describe())
    if not store.is_current():
        if not is_default:
            raise StoreError("error.old_schema", url=store.describe())
        store.migrate()  # the user's own embedded store: bring it up to date quietly
    _follow_training_clock(store)
    return store


def _follow_training_clock(store: Store) -> None:
    """A training store's commands live in its trainer's time."""
    if reference(store).centre.training:
        from console.queries.training import training_clock

        clock = training_clock(store)
        wallclock.follow(clock.now if clock is not None else None)


def _someone_signs_in(store: Store) -> None:
    """A store with a schema but nobody to sign in as yet says how to add the first user."""
    if not reference(store).users:
        raise StoreError("error.no_users")


def _make_dir(path: Path) -> None:
    """The directory a SQLite store goes in, made if need be; one line if it cannot be."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError("error.cannot_make_dir", path=str(path), detail=exc.strerror) from exc


def _make_default_store(path: Path, *, seeded: bool) -> None:
    """The embedded demo store, built beside its place and renamed into it once complete: a
    first run killed halfway leaves no empty store that later runs would take as finished."""
    _make_dir(path.parent)
    building = path.with_name(path.name + ".building")
    for leftover in ("", "-wal", "-shm", "-journal"):  # of an earlier run killed halfway
        building.with_name(building.name + leftover).unlink(missing_ok=True)
    store = Store(f"sqlite:///{building}")
    try:
        store.migrate()
        if seeded:
            from console.demo.generate import seed_demo

            seed_demo(store, _clock(State.settings), cases=DEFAULT_CASES, seed=1)
    finally:
        store.dispose()  # the last connection folds the WAL into the file
    building.replace(path)
    if seeded:
        State.first_run = t("cli.first_run", State.lang, path=str(path), cases=f"{DEFAULT_CASES:,}")
        err.print(State.first_run)


@app.callback()
def _main(
    lang: Annotated[
        str | None, typer.Option("--lang", help="zh or en (default: config, then locale).")
    ] = None,
) -> None:
    """Gridcall — the dispatch console of a grid-governance command centre.

    Run `gridcall run` to open the console on the embedded demo store; `gridcall login` to
    act from the command line.
    """
    # The config file's problems are told in the language the operator asked for: the flag's,
    # else the locale's (the file's own `lang` may be what is broken).
    problems = flag_problems(("--lang", lang, FLAGS["--lang"]))
    State.lang = lang if lang and not problems else i18n.detect_lang()
    try:
        State.settings = load_settings()
    except SettingsInvalid as exc:
        problems.extend(exc.problems)
    refuse(problems)
    State.lang = lang or State.settings.lang or State.lang


def _choose_lang(chosen: str | None) -> None:
    refuse_flags(("--lang", chosen, FLAGS["--lang"]))
    if chosen:
        State.lang = chosen


PasswordStdinOpt = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the password from one line of stdin (scripts)."),
]


@app.command()
def init(
    db: DbOpt = None,
    admin: Annotated[
        str | None,
        typer.Option("--admin", help="A store with no users: add this login as its first admin."),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="The first admin's name.")] = None,
    password_stdin: PasswordStdinOpt = False,
    recount: Annotated[
        bool,
        typer.Option(
            "--recount",
            help="Sum the figure cells afresh from the cases (when `audit verify` finds them "
            "apart).",
        ),
    ] = False,
) -> None:
    """Create or upgrade the schema to the newest migration; safe to run again.

    On a store with no users it adds the first admin (--admin, else asked at the terminal);
    a store that has users keeps them as they are. A store made by an older Gridcall gets the
    figures' record of each case and the figure cells.
    """
    # Refused before the store is touched, whether the store turns out to need them or not.
    if admin is not None:
        admin = user_service.check_login(admin)
    if name is not None:
        name = user_service.check_name(name)
    url, _ = resolve_url(db, State.settings)
    path = file_of(url)
    if path is not None:
        _make_dir(path.parent)
    store = Store(url)
    store.check()
    store.migrate()
    _fill_figures(store, recount=recount)
    out.print(t("cli.init_done", State.lang, url=store.describe()))
    if reference(store).users:
        return
    if admin is None:
        if not _interactive():
            out.print(t("cli.no_admin_yet", State.lang))
            return
        out.print(t("cli.prompt_first_admin", State.lang))
        admin = typer.prompt(t("cli.prompt_login", State.lang))
    if name is None:
        name = admin
        if _interactive():
            name = typer.prompt(t("cli.prompt_name", State.lang), default=admin)
    password = _password("cli.prompt_password", from_stdin=password_stdin, twice=True)
    made = user_service.first_admin(store, admin, name, password)
    out.print(t("cli.first_admin", State.lang, login=made.login))


def _fill_figures(store: Store, *, recount: bool = False) -> None:
    """What a store made by an older Gridcall lacks for the figures: each case's record,
    replayed from its trail, and the figure cells summed from the cases."""
    # Loaded by init alone: the replay and the cells are no other command's start-up.
    from console.services import cells, record

    if not record.is_filled(store):
        bar = _StageBar() if sys.stderr.isatty() else None
        try:
            filled = record.fill(store, _clock(State.settings), bar)
        finally:
            if bar is not None:
                bar.stop()
        if filled:
            out.print(t("cli.record_filled", State.lang, n=f"{filled:,}"))
    zone = State.settings.tz
    if recount or not cells.is_built(store, zone):
        cells.build(store, zone)
        out.print(t("cli.cells_built", State.lang))


@app.command()
def login(
    user: Annotated[str | None, typer.Option("--user", help="Your login (else asked).")] = None,
    password_stdin: PasswordStdinOpt = False,
    db: DbOpt = None,
) -> None:
    """Sign in for one shift: later commands on this store act as you until it ends.

    The token is kept in your state directory, readable by you alone (see gridcall whoami).
    """
    store = open_store(db)
    _someone_signs_in(store)
    if user is None:
        if password_stdin or not _interactive():
            raise Invalid("error.login_missing")
        user = typer.prompt(t("cli.prompt_login", State.lang))
    password = _password("cli.prompt_password", from_stdin=password_stdin)
    lockout = State.settings.lockout
    who = auth.sign_in(store, user, password, where="cli", lockout=lockout)
    token = auth.issue_token(store, who, kind=auth.SHIFT, hours=lockout.shift_hours)
    key = store.describe()
    earlier = credentials.forget_token(key)
    if earlier is not None:
        auth.end_token(store, earlier)  # one shift per OS user and store: the earlier one ends
    credentials.keep_token(key, token)
    until = auth.expires_at(store, token)
    assert until is not None
    ref = reference(store)
    out.print(t("cli.signed_in", State.lang, who=_who(ref, ref.user(who)), until=_local(until)))


@app.command()
def logout(db: DbOpt = None) -> None:
    """Sign out of this store: the kept token ends, here and wherever it was copied."""
    store = open_store(db)
    token = credentials.forget_token(store.describe())
    if token is None:
        out.print(t("cli.nobody_signed_in", State.lang))
        return
    who = auth.end_token(store, token)
    if who is None:
        out.print(t("cli.token_dropped", State.lang))
        return
    out.print(t("cli.signed_out", State.lang, login=who))


@app.command()
def whoami(db: DbOpt = None) -> None:
    """Who commands on this store act as, until when, and where the token is kept."""
    store = open_store(db)
    token = _token(store)
    who = auth.holder(store, token)
    ref = reference(store)
    out.print(_who(ref, ref.user(who)))
    until = auth.expires_at(store, token)
    if until is None:
        out.print(t("cli.whoami_forever", State.lang))
    else:
        out.print(t("cli.whoami_until", State.lang, until=_local(until)))
    if credentials.ENV_TOKEN in os.environ:
        out.print(t("cli.whoami_env", State.lang, name=credentials.ENV_TOKEN))
    else:
        out.print(t("cli.whoami_file", State.lang, path=str(credentials.tokens_path())))


@app.command()
def seed(
    db: DbOpt = None,
    cases: Annotated[int, typer.Option("--cases", min=0, help="Generated cases.")] = DEFAULT_CASES,
    seed_: Annotated[int, typer.Option("--seed", help="Same seed, same cases.")] = 1,
    replace: Annotated[
        bool, typer.Option("--replace", help="Empty the store first (needed if it has cases).")
    ] = False,
) -> None:
    """Load the demo district from seeds/ and N generated cases (identical for the same seed)."""
    from console.demo.generate import held, seed_demo

    url, _ = resolve_url(db, State.settings)
    store = Store(url)
    store.check()
    store.migrate()
    started = time.perf_counter()
    try:
        seed_demo(
            store,
            _clock(State.settings),
            cases=cases,
            seed=seed_,
            replace=replace,
            progress=_progress_bar if sys.stderr.isatty() else None,
        )
    except KeyboardInterrupt:
        n_cases, n_areas = held(store)
        if n_cases or n_areas:
            said = t("cli.seed_interrupted_partly", State.lang, cases=f"{n_cases:,}")
        else:
            said = t("cli.seed_interrupted", State.lang)
        err.print(Text(said))
        raise typer.Exit(130) from None
    out.print(
        t("cli.seed_done", State.lang, cases=f"{cases:,}", seconds=time.perf_counter() - started)
    )


def _progress_bar(total: int) -> "Progress":
    """A bar on stderr for a long seed: how many cases are in, and for how long."""
    from rich.progress import BarColumn, MofNCompleteColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    bar = Bar(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    )
    task = bar.add_task("seeding cases", total=total)
    bar.start()

    class _Told:
        def advance(self, n: int) -> None:
            bar.advance(task, n)

        def stop(self) -> None:
            bar.stop()

    return _Told()


@app.command()
def run(
    db: DbOpt = None,
    user: Annotated[
        str | None, typer.Option("--user", help="The login the sign-in screen starts with.")
    ] = None,
    theme: Annotated[str | None, typer.Option("--theme", help="dark, light or mono.")] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="zh or en (same as gridcall --lang).")
    ] = None,
    dashboard: Annotated[
        bool, typer.Option("--dashboard", help="Open on the dashboard once signed in.")
    ] = False,
) -> None:
    """Open the console: on the sign-in screen, unless `gridcall login` proved you already."""
    from console.app import check_keymap

    refuse_flags(("--lang", lang, FLAGS["--lang"]), ("--theme", theme, FLAGS["--theme"]))
    _choose_lang(lang)
    check_keymap(State.settings)  # before the store: a first run makes the demo store
    store = open_store(db)
    if reference(store).centre.training:
        raise Invalid("error.training_store_in_production", url=store.describe())
    _open_console(store, user, theme, dashboard)


def _open_console(
    store: Store, user: str | None, theme: str | None, dashboard: bool, echo_keys: bool = False
) -> None:
    """The console on this store, until it is quit; quitting ends the session."""
    from console.app import GridcallApp

    settings = State.settings
    login = user or settings.user
    if login:  # said now, not as a sign-in screen that can never succeed
        login = user_service.check_login(login)
    _someone_signs_in(store)
    gate = _gate(store)
    terminal = read_terminal(os.environ, theme or settings.theme)
    console = GridcallApp(
        gate=gate,
        login=login or "",
        settings=settings,
        theme_name=theme,
        greeting=State.first_run,
        freeze_heap=True,
        terminal=terminal,
        dashboard=dashboard,
        echo_keys=echo_keys,
    )
    console.run(mouse=terminal.mouse)
    if console.signed_in:  # quitting ends the session as signing out does
        gate.record(console.session.login, TrailEvent.SIGN_OUT, {"where": "console", "by": "quit"})


def _write_whole(output: Path, body: bytes) -> None:
    """A report's file, written beside its place and renamed into it: whole or not at all."""
    written = output.with_name(output.name + ".writing")
    try:
        written.write_bytes(body)
        written.replace(output)
    except OSError as exc:
        written.unlink(missing_ok=True)
        raise Invalid("error.report_unwritable", path=str(output), why=exc.strerror or "") from None
    err.print(t("cli.report_written", State.lang, path=str(output), size=f"{len(body):,}"))


# --- training -----------------------------------------------------------------------------------

train_app = typer.Typer(
    help="Training mode (培训): `gridcall train` alone makes the training store (--reset: "
    "afresh); run opens its console; clock drives its time."
)
app.add_typer(train_app, name="train")

TrainDbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="The training store's URL (default: training.db in the data directory); "
        "never a production store.",
    ),
]


def _training_url(db: str | None) -> str:
    if db is not None and not db.strip():
        raise Invalid("error.empty_url", source="--db")
    return db or f"sqlite:///{data_dir() / 'training.db'}"


def _training_store(db: str | None) -> Store:
    """The training store the option names, refused if it is a production one."""
    store = open_store(_training_url(db), first_run_seed=False)
    if not reference(store).centre.training:
        raise Invalid("error.not_training_store", url=store.describe())
    return store


@train_app.callback(invoke_without_command=True)
def train(
    ctx: typer.Context,
    db: TrainDbOpt = None,
    trainees: Annotated[
        int, typer.Option("--trainees", help="Trainee logins to make: trainee1 … traineeN.")
    ] = 4,
    reset: Annotated[
        bool, typer.Option("--reset", help="Make it afresh though it holds a training already.")
    ] = False,
    scenario: Annotated[
        str | None,
        typer.Option(
            "--scenario",
            help="A built-in scenario (morning-triage, storm-night, hotline-surge) or a .toml "
            "file: the clock is set to its start; gridcall train play fires its events.",
        ),
    ] = None,
    exam: Annotated[
        bool,
        typer.Option("--exam", help="With --scenario: no hint line, the trainees on their own."),
    ] = False,
) -> None:
    """Make (or with --reset remake) the training store: the demo district, trainee logins,
    a banner on every screen, its clock frozen until the trainer starts it."""
    if ctx.invoked_subcommand is not None:
        return
    from console.demo.training import TRAINER, load_scenario, make_training_store, start_scenario
    from console.queries.training import training_clock

    story = load_scenario(scenario) if scenario is not None else None  # refused before any work

    url = _training_url(db)
    if url.startswith("sqlite:///"):
        _make_dir(Path(url.removeprefix("sqlite:///")).parent)
    store = Store(url)
    store.check()
    store.migrate()
    if reference(store).users:
        if not reference(store).centre.training:
            raise Invalid("error.not_training_store", url=store.describe())
        if not reset:
            raise Invalid("error.training_exists", url=store.describe())
    started = time.perf_counter()
    logins = make_training_store(
        store, _clock(State.settings), trainees=trainees, now=wallclock.now()
    )
    if story is not None and scenario is not None:
        start_scenario(store, story, scenario, datetime.now(UTC), exam=exam)
    clock = training_clock(store)
    assert clock is not None
    out.print(
        t(
            "cli.training_ready",
            State.lang,
            url=store.describe(),
            seconds=time.perf_counter() - started,
            trainer=TRAINER,
            trainees=f"{logins[0]} … {logins[-1]}" if len(logins) > 1 else logins[0],
            at=when(clock.at, State.settings.tz),
        )
    )


@train_app.command("run")
def train_run(
    db: TrainDbOpt = None,
    user: Annotated[
        str | None, typer.Option("--user", help="The login the sign-in screen starts with.")
    ] = None,
    theme: Annotated[str | None, typer.Option("--theme", help="dark, light or mono.")] = None,
    echo: Annotated[
        bool,
        typer.Option("--echo", help="Show the room each key pressed and what it did."),
    ] = False,
) -> None:
    """Open the training console (培训): the training store only, its clock the trainer's."""
    from console.app import check_keymap

    refuse_flags(("--theme", theme, FLAGS["--theme"]))
    check_keymap(State.settings)
    _open_console(_training_store(db), user, theme, dashboard=False, echo_keys=echo)


@train_app.command("clock")
def train_clock(
    what: Annotated[
        str | None,
        typer.Argument(help="freeze, run or advance; nothing: show where the clock stands."),
    ] = None,
    by: Annotated[str | None, typer.Argument(help="advance: how far, e.g. 15m, 1h, 1h30m.")] = None,
    rate: Annotated[
        float, typer.Option("--rate", help="run: training minutes per minute, 1 to 60.")
    ] = 1.0,
    db: TrainDbOpt = None,
) -> None:
    """The trainer's clock: every console on the training store follows it — lights,
    deadlines and the trail's times."""
    from console.queries.training import training_clock
    from console.services.training import set_clock

    refuse_flags(("clock", what, one_of("freeze", "run", "advance")))
    store = _training_store(db)
    clock = training_clock(store)
    assert clock is not None
    wall = datetime.now(UTC)
    if what == "freeze":
        clock = clock.freeze(wall)
    elif what == "run":
        clock = clock.run(wall, rate)
    elif what == "advance":
        clock = clock.advance(wall, _duration(by))
    if what is not None:
        set_clock(store, clock)
    key = "cli.training_frozen" if clock.frozen else "cli.training_running"
    out.print(
        t(key, State.lang, at=when(clock.now(wall), State.settings.tz), rate=f"{clock.rate:g}")
    )


@train_app.command("play")
def train_play(
    db: TrainDbOpt = None,
    once: Annotated[
        bool, typer.Option("--once", help="Fire what is due now and stop (else until Ctrl-C).")
    ] = False,
) -> None:
    """The scenario's director: as the trainer's clock runs, its events happen — calls come
    in, units return cases, residents call back — each said here as it fires."""
    from console.demo.training import fire_due, playing

    store = _training_store(db)
    if playing(store) is None:
        raise Invalid("error.no_scenario_playing", url=store.describe())
    clock = _clock(State.settings)
    tz = State.settings.tz
    try:
        while True:
            for event in fire_due(store, clock, wallclock.now()):
                at = when(wallclock.now(), tz)
                out.print(Text(f"{at}  {event.kind.value}  {event.case}"))
            found = playing(store)
            if once or found is None or found[0].over:
                return
            time.sleep(1)
            _follow_training_clock(store)
    except KeyboardInterrupt:
        raise typer.Exit(130) from None


@train_app.command("report")
def train_report(
    db: TrainDbOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="md, json or xlsx.")] = "md",
    output: Annotated[
        Path | None,
        typer.Option("--out", "-o", "--output", help="The file to write (xlsx needs one)."),
    ] = None,
) -> None:
    """The debrief: each trainee's score, and each expected step — who took it, when, on
    time, late, at the wrong unit or missed — judged from the trail alone; xlsx adds the
    scenario's timeline."""
    from console.demo.training import judged

    refuse_flags(("--format", fmt, one_of("md", "json", "xlsx")))
    if fmt == "xlsx" and output is None:
        raise Invalid("error.debrief_needs_file")
    store = _training_store(db)
    result = judged(store)
    if result is None:
        raise Invalid("error.no_scenario_playing", url=store.describe())
    play, verdicts, board = result
    lang = State.lang
    if fmt == "xlsx":
        from console.reports.debrief import debrief
        from console.reports.write import write

        assert output is not None
        doc = debrief(play, verdicts, board, lang, State.settings.tz)
        _write_whole(output, write(doc, "xlsx"))
        return
    if fmt == "json":
        text = json_text(
            {
                "scenario": play.scenario.name,
                "total": play.scenario.total,
                "trainees": [vars(s) for s in board],
                "steps": [
                    {
                        "case": v.expectation.case,
                        "action": v.expectation.action.value,
                        "verdict": v.verdict.value,
                        "by": v.by,
                        "points": v.points,
                        "of": v.expectation.points,
                    }
                    for v in verdicts
                ],
            }
        )
    else:
        text = "\n".join(
            [
                f"# {play.scenario.title_in(lang)} ({play.scenario.name})",
                "",
                t("train.board_head", lang),
                "|---|---|---|---|---|---|",
                *(
                    f"| {s.login} | {s.points} / {play.scenario.total} | {s.steps} "
                    f"| {s.on_time} | {s.late} | {s.wrong_unit} |"
                    for s in board
                ),
                "",
                t("train.steps_head", lang),
                "|---|---|---|---|---|",
                *(
                    f"| {v.expectation.case} · {label('action', v.expectation.action, lang)} "
                    f"| {v.expectation.hint_in(lang)} | {v.by or '—'} "
                    f"| {t('train.verdict.' + v.verdict.value, lang)} "
                    f"| {v.points} / {v.expectation.points} |"
                    for v in verdicts
                ),
            ]
        )
    if output is None:
        out.print(Text(text))
    else:
        _write_whole(output, (text + "\n").encode())


@train_app.command("replay")
def train_replay(
    trainee: Annotated[str, typer.Argument(help="The trainee's login, e.g. trainee1.")],
    db: TrainDbOpt = None,
    plain: Annotated[
        bool, typer.Option("--plain", help="Print every step as text (a debrief sheet, the CI).")
    ] = False,
    theme: Annotated[str | None, typer.Option("--theme", help="dark, light or mono.")] = None,
) -> None:
    """The debrief: step through what a trainee did, screen by screen (← →, Home, End, q) —
    each action with its key, the case as it stood right after it, what it earned."""
    from console.debrief import ReplayApp, replay_pages, replay_text

    refuse_flags(("--theme", theme, FLAGS["--theme"]))
    store = _training_store(db)
    settings = State.settings
    title, shown = replay_pages(store, _clock(settings), trainee, settings, State.lang)
    if plain:
        out.print(Text(replay_text(title, shown, State.lang)))
        return
    terminal = read_terminal(os.environ, theme or settings.theme)
    ReplayApp(title, shown, State.lang, terminal, theme or settings.theme).run(mouse=terminal.mouse)


def _duration(text: str | None) -> timedelta:
    """'15m', '1h', '1h30m', '2d': a length of time, as the trainer types it."""
    parts = re.fullmatch(r"\s*(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*", text or "")
    if not text or parts is None or not any(parts.groups()):
        raise Invalid("error.training_duration", value=text or "")
    days, hours, minutes = (int(g) if g else 0 for g in parts.groups())
    return timedelta(days=days, hours=hours, minutes=minutes)


# --- cases ------------------------------------------------------------------------------------


def _enum_set(kind: type[Any], values: list[str] | None) -> frozenset[Any]:
    return frozenset(kind(v) for v in values or ())


StatusOpt = Annotated[list[str] | None, typer.Option("--status", help="Repeatable.")]
LightOpt = Annotated[list[str] | None, typer.Option("--light", help="green/yellow/red.")]
UrgencyOpt = Annotated[str | None, typer.Option("--urgency", help="normal or urgent.")]
CategoryOpt = Annotated[
    str | None, typer.Option("--category", help="Category code (or its prefix).")
]
SourceOpt = Annotated[str | None, typer.Option("--source", help="Where the case came from.")]
CaseStreetOpt = Annotated[str | None, typer.Option("--street", help="Street code.")]
CaseCommunityOpt = Annotated[str | None, typer.Option("--community", help="Community code.")]
CaseGridOpt = Annotated[str | None, typer.Option("--grid", help="Grid code.")]
CaseUnitOpt = Annotated[str | None, typer.Option("--unit", help="Lead unit code.")]
LevelOpt = Annotated[str | None, typer.Option("--level", help="grid/community/street/district.")]
TextOpt = Annotated[str, typer.Option("--text", help="Words in title, code or address.")]
AllOpt = Annotated[bool, typer.Option("--all", help="Include closed and invalid.")]
TriageOpt = Annotated[
    bool, typer.Option("--triage", help="Only imported cases waiting for their category set.")
]
ReplyLateOpt = Annotated[
    bool,
    typer.Option("--reply-late", help="Only urged cases past their reply deadline (督办回复超时)."),
]
OverseenOpt = Annotated[
    bool, typer.Option("--overseen", help="Only cases raised to the supervisor (督办件).")
]
LateOverallOpt = Annotated[
    bool,
    typer.Option("--late-overall", help="Only open cases past their overall deadline (办结时限)."),
]
ReturnRequestedOpt = Annotated[
    bool,
    typer.Option(
        "--return-requested",
        help="Only cases whose unit asked to give them back (退回待批), waiting for the centre.",
    ),
]
ReviewDueOpt = Annotated[
    bool,
    typer.Option(
        "--review-due",
        help="Only suspended cases due for review (挂账复核): review day today or past, or none; "
        "sorted by review day unless --sort says otherwise.",
    ),
]
FromOpt = Annotated[
    str,
    typer.Option(
        "--from",
        metavar="DATE",
        help="Reported on or after this day, YYYY-MM-DD in the centre's time zone "
        "(or an ISO time, e.g. 2026-12-01T08:00+08:00).",
        show_default=False,
    ),
]
ToOpt = Annotated[
    str,
    typer.Option(
        "--to",
        metavar="DATE",
        help="Reported on or before this day, the whole day (or up to an ISO time).",
        show_default=False,
    ),
]


def _queue_filter(
    status: list[str] | None,
    light: list[str] | None,
    urgency: str | None,
    category: str | None,
    source: str | None,
    street: str | None,
    community: str | None,
    grid: str | None,
    unit: str | None,
    level: str | None,
    text: str,
    all_: bool,
    triage: bool,
    from_: str,
    to: str,
    *more: tuple[str, object, Callable[[object], Any]],
    late_overall: bool = False,
    reply_late: bool = False,
    overseen: bool = False,
    return_requested: bool = False,
    review_due: bool = False,
) -> case_queries.QueueFilter:
    """The queue the filter options of `case list` and `export cases` select; `more`: the
    command's other flags, refused with these in one message."""
    refuse_flags(
        ("--status", status, one_of(*Status)),
        ("--light", light, one_of(*Light)),
        ("--urgency", urgency, one_of(*Urgency)),
        ("--source", source, one_of(*Source)),
        ("--level", level, one_of(*Level)),
        *more,
    )
    reported_from, reported_until = period(from_, to, State.settings.tz, ("--from", "--to"))
    statuses = _enum_set(Status, status) or (
        OPEN_STATUSES | FINAL_STATUSES if all_ else OPEN_STATUSES
    )
    return case_queries.QueueFilter(
        statuses=statuses,
        lights=_enum_set(Light, light),
        urgency=Urgency(urgency) if urgency else None,
        category=category,
        source=Source(source) if source else None,
        street=street,
        community=community,
        grid=grid,
        unit=unit,
        level=Level(level) if level else None,
        triage=triage,
        late_overall=late_overall,
        reply_late=reply_late,
        overseen=overseen,
        return_requested=return_requested,
        review_due_by=wallclock.now().astimezone(State.settings.tz).date() if review_due else None,
        text=text,
        reported_from=reported_from,
        reported_until=reported_until,
    )


@case_app.command("list")
def case_list(
    db: DbOpt = None,
    status: StatusOpt = None,
    light: LightOpt = None,
    urgency: UrgencyOpt = None,
    category: CategoryOpt = None,
    source: SourceOpt = None,
    street: CaseStreetOpt = None,
    community: CaseCommunityOpt = None,
    grid: CaseGridOpt = None,
    unit: CaseUnitOpt = None,
    level: LevelOpt = None,
    text: TextOpt = "",
    all_: AllOpt = False,
    triage: TriageOpt = False,
    late_overall: LateOverallOpt = False,
    reply_late: ReplyLateOpt = False,
    overseen: OverseenOpt = False,
    return_requested: ReturnRequestedOpt = False,
    review_due: ReviewDueOpt = False,
    from_: FromOpt = "",
    to: ToOpt = "",
    sort: Annotated[
        str | None, typer.Option(help="deadline, reported, urgency, updated, review.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    as_json: JsonOpt = False,
) -> None:
    """List the cases you may read: open ones, most pressing first."""
    f = _queue_filter(
        status,
        light,
        urgency,
        category,
        source,
        street,
        community,
        grid,
        unit,
        level,
        text,
        all_,
        triage,
        from_,
        to,
        ("--sort", sort, one_of(*case_queries.Sort)),
        late_overall=late_overall,
        reply_late=reply_late,
        overseen=overseen,
        return_requested=return_requested,
        review_due=review_due,
    )
    store = open_store(db)
    session = _signed_in(store)
    ref = reference(store)
    # Due for review: the oldest review day first.
    order = case_queries.Sort(sort or ("review" if review_due else "deadline"))
    now = wallclock.now()
    rows = case_queries.page(store, session.actor, f, order, limit=limit, now=now)
    if as_json:
        _print_json([row_json(r, ref, now) for r in rows])
        return
    lang = State.lang
    glyphs = read_terminal(os.environ, State.settings.theme).glyphs
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("", no_wrap=True, min_width=2)
    statuses = [status_text(r, lang) for r in rows]
    # A status is read whole ("return requested" too): the title and places give way first.
    status_width = max((cell_width(text) for text in statuses), default=6)
    for name, width in (("code", 13), ("status", max(6, status_width)), ("left", 7)):
        table.add_column(t(f"col.{name}", lang), no_wrap=True, min_width=width)
    for name, width in (("title", 40), ("grid", 16), ("unit", 20)):
        table.add_column(t(f"col.{name}", lang), no_wrap=True, overflow="ellipsis", max_width=width)
    # What the centre weighs: the unit's reason for a return, the review day of a shelved case.
    if return_requested or review_due:
        heading = "ui.return_reason" if return_requested else "ui.review_on"
        table.add_column(
            t(heading, lang), no_wrap=True, overflow="ellipsis", min_width=12, max_width=40
        )
    for r, shown in zip(rows, statuses, strict=True):
        unit_info = ref.units.get(r.lead_unit_id) if r.lead_unit_id else None
        urgent = "!" if r.urgency is Urgency.URGENT else ""
        cells: list[str | Text] = [
            glyphs.light(r.light(now)) + urgent,
            r.code,
            shown,
            time_left(r, now, lang),
            Text(inert(r.title)),
            ref.areas[r.grid_id].name,
            Text(unit_info.name if unit_info else glyphs.dash),
        ]
        if return_requested:
            cells.append(Text(inert(r.return_reason) or glyphs.dash))
        elif review_due:
            cells.append(r.review_on.isoformat() if r.review_on else glyphs.dash)
        table.add_row(*cells)
    out.print(table)


@case_app.command("show")
def case_show(
    code: Annotated[str, typer.Argument(help="Case code, e.g. E2026-0001234.")],
    db: DbOpt = None,
    reveal: Annotated[
        bool, typer.Option("--reveal", help="The reporter's phone in full (the trail records it).")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """One case with its whole timeline, as the reader may see it."""
    store = open_store(db)
    ref = reference(store)
    code = code.strip()
    session = _signed_in(store)
    revealed = session.reveal(code) if reveal else None
    d = session.case(code)
    view = d.reporter_view(session.actor)
    now = wallclock.now()
    if as_json:
        _print_json(detail_json(d, ref, now, view, session.clock, revealed))
        return
    _print_detail(
        d,
        ref,
        reporter_text(d, view, State.lang, revealed),
        now,
        session.clock,
        read_only=reads_only(session.actor, d.row.level),
    )


def _print_detail(
    d: case_queries.CaseDetail,
    ref: Reference,
    reporter: str | None,
    now: datetime,
    clock: SlaClock,
    *,
    read_only: bool = False,
) -> None:
    """The case in the reader's language: the console's names for its fields and values,
    times in the centre's zone as the console shows them (`--json` keeps codes and ISO);
    `read_only` when a centre above the reader's holds it."""
    tz = State.settings.tz
    lang = State.lang
    dash = read_terminal(os.environ, State.settings.theme).glyphs.dash
    row = d.row
    unit = ref.units.get(row.lead_unit_id) if row.lead_unit_id else None
    category = ref.categories[row.category_id]
    light = row.light(now)
    pairs = [
        (t("col.status", lang), status_text(row, lang)),
        (t("field.urgency", lang), label("urgency", row.urgency, lang)),
        (t("cli.light", lang), f"{label('light', light, lang)} {time_left(row, now, lang)}"),
        (t("cli.level", lang), label("level", row.level, lang)),
        (
            t("ui.category", lang),
            f"{category.code} {name_in(category, lang)}"
            + (f"  ({t('find.triage', lang)})" if d.to_triage else ""),
        ),
        (t("col.grid", lang), f"{ref.areas[row.grid_id].code} {ref.areas[row.grid_id].name}"),
        (t("col.unit", lang), f"{unit.code} {unit.name}" if unit else None),
        (t("ui.address", lang), d.address),
        (t("ui.reporter", lang), reporter),
        (t("ui.deadline", lang), step_due(d, tz, lang)),
        (t("ui.due", lang), due[1] if (due := overall_due(d, clock, now, tz, lang)) else None),
        (
            t("ui.reply_by", lang),
            reply[1] if (reply := reply_due(d, clock, now, tz, lang)) else None,
        ),
        (t("ui.overseen", lang), overseen(d, tz, lang)),
        (t("ui.return_reason", lang), row.return_reason),
        (
            t("ui.review_on", lang),
            review[1] if (review := review_due(d, clock, now, lang)) else None,
        ),
        (t("ui.extension", lang), when(d.ext_until, tz) if d.ext_until else None),
        (t("ui.rework", lang), str(d.rework_count)),
        (t("field.rating", lang), label("rating", d.rating, lang) if d.rating else None),
        (t("ui.duplicate_of", lang), d.duplicate_of),
    ]
    out.print(Text(f"{d.code}  {inert(row.title)}", style="bold"))
    width = max(cell_width(name) for name, _ in pairs) + 2
    for name, value in pairs:
        pad = " " * (width - cell_width(name))
        out.print(Text(f"  {name}{pad}{inert(value) if value is not None else dash}"))
    if read_only:
        out.print(Text(f"  {t('ui.held_above', lang, level=label('level', row.level, lang))}"))
    if d.tasks:  # 吹哨报到: each summoned department's task, with its light
        out.print(Text(f"  {t('task.heading', lang)}"))
    for task in d.tasks:
        name, state, left = task_parts(task, ref, now, lang)
        lit = task.light(now)
        timed = left if lit is Light.NONE else f"{label('light', lit, lang)} {left}"
        out.print(Text(f"    {task.unit} {inert(name)}  {state}  {timed}"))
    out.print(Text("  " + inert(d.description)))
    for e in d.timeline:
        out.print(Text("  " + event_line(e, tz, lang)))


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise Invalid("error.bad_time", value=value) from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=State.settings.tz)
    try:
        return parsed.astimezone(UTC)  # a time at the calendar's edge has no UTC of its own
    except OverflowError as exc:
        raise Invalid("error.bad_time", value=value) from exc


@case_app.command("new")
def case_new(
    title: Annotated[str, typer.Option(help="Short title of the case.")],
    category: Annotated[str, typer.Option(help="Subcategory code, e.g. 020101.")],
    grid: Annotated[str, typer.Option(help="Grid code.")],
    address: Annotated[str, typer.Option(help="Where it is.")],
    source: Annotated[str, typer.Option(help="patrol, hotline_12345, app, …")] = "hotline_12345",
    description: Annotated[str, typer.Option(help="What was reported.")] = "",
    urgency: Annotated[str | None, typer.Option(help="normal/urgent (default: category).")] = None,
    reporter: Annotated[str | None, typer.Option(help="Reporter's name.")] = None,
    phone: Annotated[str | None, typer.Option(help="Reporter's phone.")] = None,
    confidential: Annotated[
        bool, typer.Option("--confidential", help="Units never see who reported it (保密).")
    ] = False,
    on_spot: Annotated[
        str | None,
        typer.Option(
            "--handled-on-spot",
            help="自办自结, a grid worker's: the result of handling it on the spot (with --photo).",
        ),
    ] = None,
    photo: Annotated[
        str | None, typer.Option(help="Photo of the result (--handled-on-spot).")
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Register a new case (a call taken, a patrol report) as the signed-in user.

    A grid worker who handled it on the spot (a category their grid's own unit handles) reports
    it closed in one step with --handled-on-spot and --photo; the centre spot-checks a share."""
    refuse_flags(("--source", source, one_of(*Source)), ("--urgency", urgency, one_of(*Urgency)))
    store = open_store(db)
    try:
        new = NewCase(
            title=title,
            category=category,
            grid=grid,
            address=address,
            source=Source(source),
            description=description,
            urgency=Urgency(urgency) if urgency else None,
            reporter_name=reporter,
            reporter_phone=phone,
            confidential=confidential,
        )
    except ValueError as exc:
        raise Invalid("error.bad_option", detail=str(exc)) from exc
    session = _signed_in(store)
    if on_spot is None and photo is None:
        _print_result(session, session.report(new), as_json)
        return
    # Both are the action's to require: a result without a photo is refused whole.
    shown = session.report_handled(new, on_spot or "", photo or "")
    _print_result(session, shown, as_json)


def _print_result(session: Session, d: case_queries.CaseDetail, as_json: bool) -> None:
    now = wallclock.now()
    if as_json:
        data = detail_json(d, session.reference, now, d.reporter_view(session.actor), session.clock)
        _print_json(data)
    else:
        out.print(f"{d.code}  {status_text(d.row, State.lang)}  v{d.row.version}")


def _action_command(action: Action) -> Callable[..., None]:
    row = TABLE[action]

    def command(
        code: Annotated[str, typer.Argument(help="Case code.")],
        reason: Annotated[str | None, typer.Option(help="Why (reject, return, …).")] = None,
        text: Annotated[
            str | None, typer.Option(help="Text of a note, an urging or a department's feedback.")
        ] = None,
        unit: Annotated[
            str | None,
            typer.Option(help="Lead unit code; for waive and rate-unit, the summoned department."),
        ] = None,
        co: Annotated[list[str] | None, typer.Option("--co", help="Co-handling unit.")] = None,
        instruction: Annotated[str | None, typer.Option(help="Dispatch instruction.")] = None,
        result: Annotated[str | None, typer.Option(help="Handling result.")] = None,
        photo: Annotated[str | None, typer.Option(help="Photo path or URL.")] = None,
        passed: Annotated[
            bool | None, typer.Option("--pass/--fail", help="Verification outcome.")
        ] = None,
        rating: Annotated[str | None, typer.Option(help="satisfied/basic/dissatisfied.")] = None,
        comment: Annotated[str | None, typer.Option(help="Resident's comment.")] = None,
        unit_rating: Annotated[
            str | None,
            typer.Option(help="A summoned department's response: timely/adequate/poor."),
        ] = None,
        reply_within: Annotated[
            int | None,
            typer.Option(
                "--reply-within",
                metavar="HOURS",
                help="For urge: the hours the lead unit has to reply (回复督办).",
            ),
        ] = None,
        of: Annotated[str | None, typer.Option("--of", help="The original case.")] = None,
        until: Annotated[str | None, typer.Option(help="New deadline, 2026-12-01 17:30.")] = None,
        review_on: Annotated[
            str | None,
            typer.Option(
                "--review-on", help="A suspended case's next review day, YYYY-MM-DD (挂账复核)."
            ),
        ] = None,
        urgency: Annotated[str | None, typer.Option(help="normal or urgent.")] = None,
        category: Annotated[str | None, typer.Option(help="Subcategory code.")] = None,
        version: Annotated[
            int | None, typer.Option(help="Refuse if the case is no longer at this version.")
        ] = None,
        db: DbOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        refuse_flags(
            ("--rating", rating, one_of(*Rating)),
            ("--urgency", urgency, one_of(*Urgency)),
            ("--unit-rating", unit_rating, one_of(*UnitRating)),
        )
        store = open_store(db)
        params = Params(
            reason=reason,
            text=text,
            unit=unit,
            co_units=tuple(co or ()),
            instruction=instruction,
            result=result,
            photo=photo,
            passed=passed,
            rating=Rating(rating) if rating else None,
            comment=comment,
            other_case=of,
            until=_parse_time(until),
            urgency=Urgency(urgency) if urgency else None,
            category=category,
            unit_rating=UnitRating(unit_rating) if unit_rating else None,
            reply_hours=reply_within,
            review_on=_day("--review-on", review_on) if review_on else None,
        )
        session = _signed_in(store)
        _print_result(session, session.act(code.strip(), action, params, version), as_json)

    needs = ", ".join(
        "--"
        + r.replace("_", "-")
        .replace("other-case", "of")
        .replace("passed", "pass/--fail")
        .replace("co-units", "co")
        for r in row.requires
    )
    command.__doc__ = (
        f"{label('action', action, 'en').capitalize()} ({label('action', action, 'zh')}),"
        " as the signed-in user."
        + (f" Needs {needs}." if needs else "")
        + f" From: {', '.join(sorted(s.value for s in row.sources))}."
    )
    return command


for _action in TABLE:
    case_app.command(_action.value)(_action_command(_action))


# --- automatic 督办 ------------------------------------------------------------------------------


@app.command()
def oversee(
    db: DbOpt = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List the urges due; write nothing.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Run one sweep of automatic 督办 and print the urges it issued — for cron, e.g. every
    minute (`* * * * * gridcall oversee --db URL`); the console runs the same sweep every
    60 s while it is open.

    The rules are the config file's [oversight]: a red case a unit holds is urged once per
    step (urge_when_red, reply_hours), red for supervisor_after × its step's limit it is
    raised to the supervisor, a summoned department past a deadline is urged once for it
    (urge_late_departments). Events are written by the system actor, each naming its rule;
    consoles sweeping at once never urge twice. Needs no sign-in."""
    store = open_store(db, first_run_seed=False)
    settings = State.settings
    issued = oversight_service.sweep(store, _clock(settings), settings.oversight, dry_run=dry_run)
    if as_json:
        _print_json(
            [
                {
                    "code": i.code,
                    "rule": i.rule.value,
                    "unit": i.unit,
                    "missed": i.missed.value if i.missed else None,
                }
                for i in issued
            ]
        )
        return
    lang = State.lang
    for i in issued:
        missed = f" {t(f'missed.{i.missed}', lang)}" if i.missed else ""
        out.print(Text(f"{i.code}  {t(f'rule.{i.rule}', lang)}  {i.unit or ''}{missed}".rstrip()))
    if not issued:
        out.print(t("oversee.none", lang))
    else:
        out.print(t("oversee.would" if dry_run else "oversee.issued", lang, n=len(issued)))


# --- the hotline's work orders ------------------------------------------------------------------


@app.command("import")
def import_orders(
    file: Annotated[Path, typer.Argument(help="The hotline's export: .csv, .xlsx or .json.")],
    fmt: Annotated[
        str | None, typer.Option("--format", help="csv, xlsx or json (default: the suffix).")
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", help="A TOML file naming the columns (default: 12345's)."),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option("--encoding", help="The CSV's encoding (default: UTF-8, else GBK)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Read and match every row; write nothing.")
    ] = False,
    db: DbOpt = None,
) -> None:
    """Import a hotline's work orders (12345 工单) as cases, as the signed-in user or the
    service whose token is in GRIDCALL_TOKEN.

    One case per order number: importing a file again adds only what is new. A row matched to
    a category or grid with low confidence is added to triage (the filter's "to triage", or
    `case list --triage`); a row that cannot be read goes to FILE.rejects.csv with its row
    number and reason.
    """
    from console.domain.hotline import Mapping, load_mapping
    from console.services import hotline

    refuse_flags(("--format", fmt, one_of(*hotline.FORMATS)))
    kind = hotline.format_of(file, fmt)
    chosen = Mapping()
    if mapping is not None:
        try:
            chosen = load_mapping(mapping.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise Invalid("error.hotline_unreadable", path=str(mapping), detail=str(exc)) from exc
    if not file.is_file():
        raise Invalid("error.hotline_unreadable", path=str(file), detail="not a file")
    sheet = hotline.open_sheet(file, kind, encoding)
    store = open_store(db)
    session = _signed_in(store)
    rejects = file.with_name(file.name + ".rejects.csv")
    rejected: list[list[str]] = []

    def reject(number: int, cells: list[Any], error: GridcallError) -> None:
        rejected.append([str(number), *("" if c is None else str(c) for c in cells)])
        rejected[-1].append(say(error, State.lang))

    bar = _StageBar() if sys.stderr.isatty() else None
    try:
        summary = hotline.import_orders(
            store,
            session.clock,
            session.login,
            sheet,
            chosen,
            State.settings.tz,
            reject,
            dry_run=dry_run,
            tally=bar,
        )
    finally:
        if bar is not None:
            bar.stop()
    if rejected and not dry_run:
        import csv

        with rejects.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(
                [t("hotline.row", State.lang), *sheet.headers, t("hotline.reason", State.lang)]
            )
            writer.writerows(rejected)
    key = "hotline.summary_dry" if dry_run else "hotline.summary"
    out.print(
        t(
            key,
            State.lang,
            added=f"{summary.added:,}",
            triage=f"{summary.to_triage:,}",
            rejected=f"{summary.rejected:,}",
            already=f"{summary.already:,}",
        )
    )
    if rejected and not dry_run:
        out.print(t("hotline.rejects_at", State.lang, path=str(rejects)))


@export_app.command("replies")
def export_replies(
    since: Annotated[
        str,
        typer.Option(
            "--since",
            metavar="WHEN",
            help="Cases closed at or after this time, e.g. 2026-12-01 or 2026-12-01 08:00.",
        ),
    ],
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping", help="The import's TOML mapping: the headers of its \\[replies] table."
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv, xlsx or json.")] = "csv",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="The file (default: stdout).")
    ] = None,
    db: DbOpt = None,
) -> None:
    """Write the results of the hotline's cases closed since WHEN, to send back to it: order
    number, result, closed at (local time), handling unit, rating — the cases you may read."""
    from console.domain.hotline import Mapping, load_mapping
    from console.queries.hotline import replies
    from console.reports import replies as write

    refuse_flags(("--format", fmt, one_of("csv", "xlsx", "json")))
    if fmt == "xlsx" and output is None:
        raise Invalid("error.hotline_xlsx_needs_file")
    start = _parse_time(since)
    assert start is not None
    chosen = Mapping()
    if mapping is not None:
        try:
            chosen = load_mapping(mapping.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise Invalid("error.hotline_unreadable", path=str(mapping), detail=str(exc)) from exc
    store = open_store(db)
    session = _signed_in(store)
    ref = session.reference
    heads = chosen.replies
    tz = State.settings.tz

    def rows() -> Any:
        for reply in replies(store, session.actor, start):
            unit = ref.unit_by_code.get(reply.unit) if reply.unit else None
            yield {
                heads["order_no"]: reply.order_no,
                heads["result"]: reply.result,
                heads["closed_at"]: reply.closed_at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
                heads["unit"]: name_in(unit, State.lang) if unit else (reply.unit or ""),
                heads["rating"]: label("rating", reply.rating, State.lang) if reply.rating else "",
            }

    headers = list(heads.values())
    if fmt == "xlsx":
        assert output is not None
        n = write.write_xlsx(output, headers, rows())
    else:
        writer = write.write_csv if fmt == "csv" else write.write_json
        if output is None:
            n = writer(sys.stdout, headers, rows())
            sys.stdout.flush()
        else:
            with output.open(
                "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline=""
            ) as f:
                n = writer(f, headers, rows())
    err.print(t("hotline.replies_written", State.lang, n=f"{n:,}"))


# --- the shift handover -------------------------------------------------------------------------


@handover_app.command("list")
def handover_list(
    db: DbOpt = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many, newest first.")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """The handovers you may read, newest first: your scope's (the district's readers: all)."""
    store = open_store(db)
    session = _signed_in(store)
    ref = reference(store)
    lang = State.lang
    notes = session.handovers(limit=limit)
    if as_json:
        _print_json([handover_json(n, ref, lang) for n in notes])
        return
    if not notes:
        out.print(t("cli.handover_none", lang))
        return
    table = Table(box=None, header_style="bold", pad_edge=False)
    for name, width in (("id", 3), ("written", 11), ("by", 12), ("cases", 5)):
        table.add_column(name, no_wrap=True, min_width=width)
    for name, width in (("scope", 16), ("note", 40)):
        table.add_column(name, no_wrap=True, overflow="ellipsis", max_width=width)
    for n in notes:
        first = next((line for line in note_lines(n.body) if line.strip()), "")
        table.add_row(
            str(n.id),
            when(n.written_at, State.settings.tz),
            n.author,
            str(len(n.cases)),
            Text(scope_name(ref, n.scope, lang)),
            Text(clip(first, 40)),
        )
    out.print(table)


@handover_app.command("show")
def handover_show(
    note_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]", help="The handover's number (default: the latest of your scope)."
        ),
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """One handover in full: who wrote it, when, for which shift, and the note."""
    number = None
    if note_id is not None:
        try:
            number = int(note_id.strip().lstrip("#"))
        except ValueError:
            raise Invalid("error.bad_handover_id", value=note_id) from None
    store = open_store(db)
    session = _signed_in(store)
    ref = reference(store)
    lang = State.lang
    if number is not None:
        note = session.handover(number)
    else:
        latest = session.latest_handover()
        if latest is None:
            scope = session.handover_scope
            place = scope_name(ref, scope, lang) if scope else session.login
            raise NotFound("error.no_handover_yet", scope=place)
        note = latest
    if as_json:
        _print_json(handover_json(note, ref, lang))
        return
    heading = t("handover.heading", lang, scope=scope_name(ref, note.scope, lang))
    out.print(Text(f"#{note.id}  {heading}", style="bold"))
    out.print(Text(handover_byline(note, State.settings.tz, lang)))
    out.print()
    for line in note_lines(note.body):
        out.print(Text(line))


# --- users and audit ----------------------------------------------------------------------------


@app.command()
def bench(
    sizes: Annotated[str, typer.Option(help="Case counts, comma-separated.")] = (
        "10000,100000,1000000"
    ),
    backends: Annotated[str, typer.Option(help="sqlite, pg, or both.")] = "sqlite,pg",
    pg_url: Annotated[
        str | None,
        typer.Option(
            "--pg-url",
            envvar="GRIDCALL_BENCH_PG_URL",
            help="PostgreSQL for the pg stores (a schema per size is created).",
        ),
    ] = None,
    repeat: Annotated[int, typer.Option(min=4, help="Samples per figure.")] = 40,
) -> None:
    """Measure the console at each size and print medians, p95 and ratios to the targets.

    A store per size is built once, in bench/stores (SQLite) or schema bench_N, then reused.
    """
    from console.bench.run import main as run_bench

    try:
        counts = [int(n.replace("_", "")) for n in sizes.split(",") if n.strip()]
    except ValueError as exc:
        raise Invalid("error.bad_option", detail=f"--sizes: {exc}") from exc
    chosen = [b.strip() for b in backends.split(",") if b.strip()]
    refuse_flags(("--backends", chosen, one_of("sqlite", "pg")))
    if not counts:
        raise Invalid("error.bad_option", detail="--sizes: give at least one")
    run_bench(counts, chosen, pg_url, repeat)


StreetOpt = Annotated[
    str | None, typer.Option("--street", help="Street code (operators; supervisors, leaders).")
]
CommunityOpt = Annotated[
    str | None, typer.Option("--community", help="Community code (community operators).")
]
GridOpt = Annotated[str | None, typer.Option("--grid", help="Grid code (grid workers).")]
UnitOpt = Annotated[
    str | None,
    typer.Option(
        "--unit",
        help="Unit code (liaisons: a department or company; section staff: a street section).",
    ),
]


def _role(value: str, given_as: str) -> Role:
    refuse_flags((given_as, value, one_of(*Role)))
    return Role(value)


def _managing(store: Store) -> Session:
    """The signed-in user, who must manage users: refused before any password is asked."""
    session = _signed_in(store)
    if not session.user.manages_users:
        raise Forbidden("error.manages_users")
    return session


@user_app.command("add")
def user_add(
    login_: Annotated[str, typer.Argument(metavar="LOGIN", help="The new user's login.")],
    name: Annotated[str, typer.Option("--name", help="Their name.")],
    role: Annotated[str, typer.Option("--role", help=f"One of: {', '.join(Role)}.")],
    street: StreetOpt = None,
    community: CommunityOpt = None,
    grid: GridOpt = None,
    unit: UnitOpt = None,
    admin: Annotated[
        bool, typer.Option("--admin", help="Also manages users, whatever the role.")
    ] = False,
    service: Annotated[
        bool, typer.Option("--service", help="A script's account: no password, an API token.")
    ] = False,
    password_stdin: PasswordStdinOpt = False,
    db: DbOpt = None,
) -> None:
    """Add a user (admins). A person's password is asked twice; a service account's API token
    is printed once."""
    chosen = _role(role, "--role")
    store = open_store(db)
    session = _managing(store)
    scope = user_service.Scope(street=street, community=community, grid=grid, unit=unit)
    user_service.placed(reference(store), chosen, scope)  # a wrong place before the password
    kind = UserKind.SERVICE if service else UserKind.PERSON
    password = None
    if service and password_stdin:
        raise Invalid("error.service_no_password", login=login_)
    if not service:
        password = _password("cli.prompt_password", from_stdin=password_stdin, twice=True)
    made = user_service.add_user(
        store,
        session.login,
        login_,
        name,
        chosen,
        scope,
        admin=admin,
        kind=kind,
        password=password,
    )
    ref = reference(store)
    role_name = label("role", made.role, State.lang)
    out.print(
        t("cli.user_added", State.lang, login=made.login, role=role_name, scope=ref.scope_of(made))
    )
    if service:
        _print_api_token(store, session, made.login)


def _print_api_token(store: Store, session: Session, login: str) -> None:
    token = user_service.new_api_token(store, session.login, login)
    err.print(t("cli.api_token", State.lang, login=login))
    out.print(token)  # alone on stdout, for a script to capture


@user_app.command("passwd")
def user_passwd(
    login_: Annotated[
        str | None, typer.Argument(metavar="[LOGIN]", help="Whose (default: yours).")
    ] = None,
    password_stdin: PasswordStdinOpt = False,
    db: DbOpt = None,
) -> None:
    """Change your password (the old one first), or set another user's (admins).

    With --password-stdin: your own change reads the old password, then the new, a line each.
    """
    store = open_store(db)
    session = _signed_in(store)
    target = login_ or session.login
    own = target == session.login
    if not own and not session.user.manages_users:
        raise Forbidden("error.manages_users")
    old = _password("cli.prompt_old_password", from_stdin=password_stdin) if own else None
    new = _password("cli.prompt_new_password", from_stdin=password_stdin, twice=True)
    user_service.set_password(store, session.login, target, new, old=old)
    out.print(t("cli.password_set", State.lang, login=target))


@user_app.command("disable")
def user_disable(login_: Annotated[str, typer.Argument(metavar="LOGIN")], db: DbOpt = None) -> None:
    """Disable a user (admins): refused at sign-in, their tokens end; the trail keeps them."""
    store = open_store(db)
    done = user_service.disable(store, _managing(store).login, login_)
    out.print(t("cli.user_disabled", State.lang, login=done.login))


@user_app.command("enable")
def user_enable(login_: Annotated[str, typer.Argument(metavar="LOGIN")], db: DbOpt = None) -> None:
    """Enable a user again (admins); a lockout after failed sign-ins ends too."""
    store = open_store(db)
    done = user_service.enable(store, _managing(store).login, login_)
    out.print(t("cli.user_enabled", State.lang, login=done.login))


@user_app.command("set-role")
def user_set_role(
    login_: Annotated[str, typer.Argument(metavar="LOGIN")],
    role: Annotated[str, typer.Argument(metavar="ROLE", help=f"One of: {', '.join(Role)}.")],
    street: StreetOpt = None,
    community: CommunityOpt = None,
    grid: GridOpt = None,
    unit: UnitOpt = None,
    db: DbOpt = None,
) -> None:
    """Give a user a role and the place it needs (admins)."""
    chosen = _role(role, "ROLE")
    store = open_store(db)
    scope = user_service.Scope(street=street, community=community, grid=grid, unit=unit)
    done = user_service.set_role(store, _managing(store).login, login_, chosen, scope)
    out.print(
        t(
            "cli.role_set",
            State.lang,
            login=done.login,
            role=label("role", done.role, State.lang),
            scope=reference(store).scope_of(done),
        )
    )


@user_app.command("token")
def user_token(login_: Annotated[str, typer.Argument(metavar="LOGIN")], db: DbOpt = None) -> None:
    """A new API token for a service account (admins); its earlier tokens end."""
    store = open_store(db)
    _print_api_token(store, _managing(store), login_)


class UserRow(TypedDict):
    """One line of `user list`, also its JSON object."""

    login: str
    name: str
    role: str
    scope: str
    kind: str
    admin: bool
    active: bool
    locked_until: str | None


@user_app.command("list")
def user_list(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """Console users with role, scope, kind and state (admins)."""
    store = open_store(db)
    _managing(store)
    ref = reference(store)
    locked = locked_until(store, wallclock.now())
    users = sorted(ref.users.values(), key=lambda u: (u.role.value, u.login))
    rows: list[UserRow] = [
        {
            "login": u.login,
            "name": u.name,
            "role": u.role.value,
            "scope": ref.scope_of(u),
            "kind": u.kind.value,
            "admin": u.admin,
            "active": u.active,
            "locked_until": locked[u.login].isoformat() if u.login in locked else None,
        }
        for u in users
    ]
    if as_json:
        _print_json(rows)
        return
    glyphs = read_terminal(os.environ, State.settings.theme).glyphs
    table = Table(box=None, header_style="bold")
    for name in ("login", "name", "role", "scope", "kind", "admin", "active", "locked until"):
        table.add_column(name, no_wrap=True)
    for r in rows:
        table.add_row(
            r["login"],
            Text(r["name"]),
            label("role", r["role"], State.lang),
            r["scope"],
            r["kind"],
            glyphs.chosen if r["admin"] else "",
            glyphs.chosen if r["active"] else glyphs.refused,
            _local(locked[r["login"]]) if r["locked_until"] else "",
        )
    out.print(table)


def _key_owner(session: Session, login: str | None) -> str:
    """Whose keys: one's own, or (a user manager) anyone's."""
    if login is None or login == session.login:
        return session.login
    if not session.user.manages_users:
        raise Forbidden("error.manages_users")
    if login not in session.reference.user_by_login:  # an empty list would say: has no keys
        raise NotFound("error.no_user", login=login)
    return login


@key_app.command("add")
def key_add(
    path: Annotated[
        str,
        typer.Argument(metavar="FILE", help="The public key file (id_ed25519.pub); - for stdin."),
    ],
    login_: Annotated[
        str | None, typer.Option("--login", help="Whose key (admins; default: yours).")
    ] = None,
    db: DbOpt = None,
) -> None:
    """Register a public key to sign in with over SSH."""
    from console.services import keys

    store = open_store(db)
    owner = _key_owner(_signed_in(store), login_)
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise Invalid("error.bad_public_key", detail=f"{path}: {exc}") from exc
    key = keys.add_key(store, _signed_in(store).login, owner, text)
    out.print(t("cli.key_added", State.lang, login=owner, fingerprint=key.fingerprint))


@key_app.command("list")
def key_list(
    login_: Annotated[
        str | None, typer.Option("--login", help="Whose keys (admins; default: yours).")
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Everyone's keys (admins).")] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The public keys registered for signing in over SSH, and when each was last used."""
    store = open_store(db)
    session = _signed_in(store)
    if all_ and not session.user.manages_users:
        raise Forbidden("error.manages_users")
    rows = keys_of(store, None if all_ else _key_owner(session, login_))
    if as_json:
        _print_json(
            [
                {
                    "login": r.login,
                    "fingerprint": r.fingerprint,
                    "algorithm": r.algorithm,
                    "comment": r.comment,
                    "added_at": r.added_at.isoformat(),
                    "last_used_at": r.last_used_at.isoformat() if r.last_used_at else None,
                }
                for r in rows
            ]
        )
        return
    # A line per key, whole: a fingerprint cut short by a table's width names nothing.
    for r in rows:
        used = _local(r.last_used_at) if r.last_used_at else "-"
        line = f"{r.login}  {r.fingerprint}  {r.algorithm}  {r.comment or '-'}  "
        out.print(Text(line + t("cli.key_dates", State.lang, added=_local(r.added_at), used=used)))


@key_app.command("remove")
def key_remove(
    fingerprint: Annotated[
        str, typer.Argument(metavar="FINGERPRINT", help="SHA256:… as `user key list` shows it.")
    ],
    db: DbOpt = None,
) -> None:
    """Remove a public key: yours, or anyone's (admins). Its consoles already open go on."""
    from console.services import keys

    store = open_store(db)
    login = keys.remove_key(store, _signed_in(store).login, fingerprint)
    out.print(t("cli.key_removed", State.lang, login=login, fingerprint=fingerprint))


def _listen(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise Invalid("error.bad_option", detail=f"--listen {value!r}: use HOST:PORT")
    return host.strip("[]"), int(port)


@serve_app.command("ssh")
def serve_ssh(
    listen: Annotated[
        str, typer.Option("--listen", help="HOST:PORT to listen on: the centre's network only.")
    ] = "127.0.0.1:2222",
    host_key: Annotated[
        Path | None,
        typer.Option("--host-key", help="The server's ed25519 key, made on first start."),
    ] = None,
    max_sessions: Annotated[
        int, typer.Option("--max-sessions", min=1, help="Consoles at once, attached or not.")
    ] = 20,
    passwords: Annotated[
        bool, typer.Option("--passwords/--no-passwords", help="Also accept passwords.")
    ] = False,
    keep_minutes: Annotated[
        int, typer.Option("--keep-minutes", min=0, help="A dropped console waits this long.")
    ] = 10,
    idle_minutes: Annotated[
        int, typer.Option("--idle-minutes", min=1, help="A link without a key is closed.")
    ] = 60,
    max_failures: Annotated[
        int, typer.Option("--max-failures", min=1, help="Failed sign-ins per address in 15 min.")
    ] = 10,
    lang: Annotated[
        str | None, typer.Option("--lang", help="zh or en for everyone (default: each client's).")
    ] = None,
    db: DbOpt = None,
) -> None:
    """Serve the console over SSH: each user signs in with a registered key and gets their
    own console; a dropped link finds it again. Stops cleanly on SIGTERM or ^C."""
    from console.app import check_keymap
    from console.serve import ssh

    _choose_lang(lang)
    check_keymap(State.settings)
    host, port = _listen(listen)
    store = open_store(db)
    _someone_signs_in(store)
    settings = State.settings
    gate = _gate(store)
    options = ssh.Options(
        host=host,
        port=port,
        host_key=host_key or credentials.state_dir() / "ssh_host_ed25519_key",
        max_sessions=max_sessions,
        passwords=passwords,
        keep_minutes=keep_minutes,
        idle_minutes=idle_minutes,
        max_failures=max_failures,
        lang=lang,
    )

    def warm() -> Callable[..., int]:
        from console.serve import seat

        return seat.warm(gate, settings)

    ssh.serve(
        store,
        options,
        State.lang,
        settings.lockout,
        settings.tz,
        warm,
        lambda line: out.print(line),
    )


@serve_app.command("open311")
def serve_open311(
    listen: Annotated[
        str, typer.Option("--listen", help="HOST:PORT to listen on (behind the centre's proxy).")
    ] = "127.0.0.1:8311",
    db: DbOpt = None,
) -> None:
    """Serve the Open311 GeoReport v2 API to residents' apps.

    Services and requests in JSON and XML; new requests with an app's key
    (`gridcall user token`). Stops cleanly on SIGTERM or ^C."""
    from console.serve import open311

    host, port = _listen(listen)
    store = open_store(db)
    settings = State.settings
    app_ = open311.make_app(store, settings, _clock(settings), State.lang)
    open311.serve(app_, open311.bind(host, port), State.lang, lambda line: out.print(line))


KeyOpt = Annotated[
    Path | None,
    typer.Option(
        "--key",
        help="The digests' signing key (Ed25519, mode 0600); default: audit-digest.key in the "
        "state directory.",
        show_default=False,
    ),
]


@audit_app.command("keygen")
def audit_keygen(key: KeyOpt = None) -> None:
    """Make the Ed25519 key pair that signs the trail's digests: the private half for the
    account that runs `audit digest`, the public half (.pub) for whoever verifies."""
    from console.services import digests

    path = key or digests.default_key()
    public, fingerprint = digests.make_key(path)
    out.print(
        Text(
            t(
                "cli.audit_keygen",
                State.lang,
                path=str(path),
                public=str(public),
                fingerprint=fingerprint,
            )
        )
    )


@audit_app.command("digest")
def audit_digest(
    directory: Annotated[
        Path,
        typer.Option(
            "--dir",
            help="Where the digests are kept: written once each, never rewritten; keep it "
            "out of reach of the store's writers.",
        ),
    ],
    key: KeyOpt = None,
    db: DbOpt = None,
) -> None:
    """Sign the audit chain's head (sequence, link hash, time) into the directory's next
    digest, after checking the chain since the last one. Exit 1 if it is broken (nothing is
    signed), 2 if the key, the directory or the store is unusable."""
    from console.services import digests

    signing = digests.private_key(key or digests.default_key())
    store = open_store(db, first_run_seed=False)
    made = digests.sign_head(store, signing, directory, wallclock.now())
    if isinstance(made, Finding):
        why = say(made, State.lang)
        err.print(Text(t("cli.audit_digest_refused", State.lang, why=why)))
        raise typer.Exit(1)
    out.print(
        Text(
            t(
                "cli.audit_digest",
                State.lang,
                number=made.number,
                seq=f"{made.head.seq:,}",
                hash=made.head.hash,
                path=str(directory / made.name),
            )
        )
    )


SHOWN_FINDINGS = 20  # on the terminal; --report writes every one


@audit_app.command("verify")
def audit_verify(
    db: DbOpt = None,
    digests_dir: Annotated[
        Path | None,
        typer.Option(
            "--digests",
            help="Check the chain against every signed digest in this directory.",
            show_default=False,
        ),
    ] = None,
    public_key: Annotated[
        Path | None,
        typer.Option(
            "--public-key",
            help="The key that signed the digests (PEM or OpenSSH); default: the signing "
            "key's .pub beside it.",
            show_default=False,
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="Write the first broken link and every case apart from its trail here.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check the audit trail: every link of the hash chain, the chain against the signed
    digests, and every case rebuilt from its events through the transition table against the
    case as stored. Exit 0 intact, 1 broken, 2 an unusable store or digest."""
    from console.services import digests
    from console.services.verify import verify_trail

    signed = []
    if public_key is not None and digests_dir is None:  # else exit 0 with no digest checked
        raise Invalid("error.key_without_digests")
    if digests_dir is not None:
        key = public_key or digests.public_path(digests.default_key())
        signed = digests.read_digests(digests_dir, digests.public_key(key))
    store = open_store(db, first_run_seed=False)
    lines = _report_file(report, store)
    shown: list[Finding] = []
    apart = 0

    def found(finding: Finding) -> None:
        nonlocal apart
        said = say(finding, State.lang)
        if lines is not None:
            lines.write(said + "\n")
        if of_a_case(finding):
            apart += 1
            if apart > SHOWN_FINDINGS:
                return
        shown.append(finding)

    bar = _StageBar() if sys.stderr.isatty() else None
    try:
        result = verify_trail(store, _clock(State.settings), found, digests=signed, tally=bar)
    finally:
        if bar is not None:
            bar.stop()
        if lines is not None:
            lines.close()
    if result.ok:
        out.print(
            t(
                "cli.audit_intact",
                State.lang,
                events=f"{result.events:,}",
                cases=f"{result.cases:,}",
            )
        )
        if signed:
            last = signed[-1]
            when = _local(last.at)
            seq = f"{last.head.seq:,}"
            out.print(t("cli.audit_digests_ok", State.lang, n=len(signed), at=when, seq=seq))
        else:
            out.print(t("cli.audit_no_digests", State.lang))
        return
    _tell_broken(result.first_break, shown, result.cases_apart)
    if report is not None:
        err.print(Text(t("cli.audit_report", State.lang, path=str(report))))
    raise typer.Exit(1)


def _report_file(path: Path | None, store: Store) -> TextIO | None:
    """The report, opened before the check so that an unwritable path costs no long wait."""
    if path is None:
        return None
    try:
        lines = path.open("w", encoding="utf-8")
    except OSError as exc:
        raise Invalid("error.report_unwritable", path=str(path), detail=exc.strerror) from exc
    lines.write(
        t(
            "cli.audit_report_head",
            State.lang,
            store=store.describe(),
            at=_local(wallclock.now()),
        )
        + "\n"
    )
    return lines


def _tell_broken(first: Finding | None, shown: list[Finding], apart: int) -> None:
    """The first broken link, then the cases apart from their trail and the figure cells apart
    from the cases, on stderr."""
    if first is not None:
        err.print(Text(t("cli.audit_broken", State.lang, finding=say(first, State.lang))))
    cases = [f for f in shown if f is not first and of_a_case(f)]
    # The cells follow the cases: a case changed behind its trail sets its cells apart too.
    cells = [f for f in shown if f.key == "audit.cells_apart"]
    others = [f for f in shown if f is not first and f not in cases and f not in cells]
    for finding in others:
        err.print(Text(say(finding, State.lang)))
    if apart:
        err.print(Text(t("cli.audit_apart", State.lang, n=f"{apart:,}")))
        for finding in cases:
            err.print(Text("  " + say(finding, State.lang)))
        if apart > len(cases):
            err.print(Text(t("cli.audit_more", State.lang, n=f"{apart - len(cases):,}")))
    for finding in cells:
        err.print(Text(say(finding, State.lang)))


class _StageBar:
    """A long pass's progress on stderr, one bar per stage: audit verify's chain, then its
    cases; init's cases replayed for their record; an export's cases; an import's work
    orders."""

    def __init__(self) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.bar = Progress(
            # Not markup: `err` prints markup as it is written, the style's name and all.
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        )
        self.task: Any = None
        self.bar.start()

    def stage(self, name: str, total: int) -> None:
        if self.task is not None:
            self.bar.remove_task(self.task)
        self.task = self.bar.add_task(t(f"cli.audit_stage.{name}", State.lang), total=total)

    def advance(self, n: int) -> None:
        self.bar.advance(self.task, n)

    def stop(self) -> None:
        self.bar.stop()


REFUSED = (IllegalTransition, Forbidden, Conflict, NotFound)


def _not_utf8() -> Invalid | None:
    """An argument or GRIDCALL_ variable that is not UTF-8 (Python holds its bytes as lone
    surrogates, which no store, file or terminal can take), refused before anything runs."""

    def shown(value: str) -> str:
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")

    def bad(value: str) -> bool:
        return any("\udc80" <= ch <= "\udcff" for ch in value)

    for arg in sys.argv[1:]:
        if bad(arg):
            return Invalid("error.arg_not_utf8", shown=shown(arg))
    for name, value in sorted(os.environ.items()):
        if name.startswith("GRIDCALL_") and bad(value):
            return Invalid("error.env_not_utf8", name=name, shown=shown(value))
    return None


def main() -> None:
    """Entry point: operator-facing errors become one line on stderr, never a traceback."""
    refused = _not_utf8()
    if refused is not None:
        err.print(Text(say(refused, State.lang)))
        sys.exit(2)
    try:
        # Without standalone mode, click hands back a command's `typer.Exit` code instead of
        # raising it: dropped, a broken audit chain would exit 0 and no cron job would know.
        code = app(standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(130)
    except GridcallError as exc:  # NotSignedIn among them: exit 2, like bad usage
        err.print(Text(say(exc, State.lang, State.settings.tz)))
        sys.exit(1 if isinstance(exc, REFUSED) else 2)
    except typer.exceptions.TyperException as exc:
        show = getattr(exc, "show", None)  # usage errors print their own one-line message
        if show is None:
            raise
        show()
        sys.exit(getattr(exc, "exit_code", 2))
    except Exception as exc:  # a bug: one line for the operator, the details in a file
        message = (str(exc).strip().splitlines() or [""])[0]
        detail = f"{type(exc).__name__}: {message}"
        log = _crash_log(exc)
        if log is None:
            err.print(Text(t("error.internal_unlogged", State.lang, detail=detail)))
        else:
            err.print(Text(t("error.internal", State.lang, detail=detail, log=str(log))))
        sys.exit(3)
    sys.exit(code if isinstance(code, int) else 0)


def _crash_log(exc: BaseException) -> Path | None:
    """Where the bug's traceback was written: the data directory, else the temporary one;
    None when neither takes it. The handler of a crash must not crash itself."""
    import tempfile
    import traceback

    text = f"--- {wallclock.now().isoformat()}\n" + "".join(traceback.format_exception(exc))
    places: list[Callable[[], Path]] = [
        lambda: data_dir() / "crash.log",
        lambda: Path(tempfile.gettempdir()) / "gridcall-crash.log",
    ]
    for place in places:
        try:
            path = place()
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8", errors="backslashreplace") as f:
                f.write(text)
        except (OSError, GridcallError):
            continue
        return path
    return None


# --- bulletins --------------------------------------------------------------------------------

FormatOpt = Annotated[
    str, typer.Option("--format", help="md, docx, xlsx, csv or json.", show_default=True)
]
OutOpt = Annotated[
    Path | None,
    typer.Option("-o", "--output", help="The file to write (else stdout: md, csv and json)."),
]
BulletinStreetOpt = Annotated[
    str | None, typer.Option("--street", help="One street's bulletin (its code or name).")
]


@report_app.command("weekly")
def report_weekly(
    week: Annotated[
        str | None, typer.Option("--week", help="An ISO week, e.g. 2026-W48 (else last week).")
    ] = None,
    street: BulletinStreetOpt = None,
    fmt: FormatOpt = "md",
    output: OutOpt = None,
    db: DbOpt = None,
) -> None:
    """The weekly bulletin of the cases reported in a week (Monday to Sunday)."""
    from console.reports.bulletin import week_of

    _report(lambda today, tz: week_of(week, today, tz), street, fmt, output, db)


@report_app.command("monthly")
def report_monthly(
    month: Annotated[
        str | None, typer.Option("--month", help="A month, e.g. 2026-11 (else last month).")
    ] = None,
    street: BulletinStreetOpt = None,
    fmt: FormatOpt = "md",
    output: OutOpt = None,
    db: DbOpt = None,
) -> None:
    """The monthly bulletin, with the assessment (考核) of units and grid workers."""
    from console.reports.bulletin import month_of

    _report(lambda today, tz: month_of(month, today, tz), street, fmt, output, db)


@report_app.command("range")
def report_range(
    first: Annotated[str, typer.Option("--from", help="The first day, YYYY-MM-DD.")],
    last: Annotated[str, typer.Option("--to", help="The last day, YYYY-MM-DD (included).")],
    street: BulletinStreetOpt = None,
    fmt: FormatOpt = "md",
    output: OutOpt = None,
    db: DbOpt = None,
) -> None:
    """The bulletin of any run of days, with the assessment."""
    from console.reports.bulletin import range_of

    days = _day("--from", first), _day("--to", last)
    _report(lambda today, tz: range_of(*days, tz), street, fmt, output, db)


def _day(flag: str, value: str) -> date:
    try:
        return day(value)
    except ValueError:
        raise Invalid("error.bad_day", flag=flag, value=value) from None


def _report(
    asked_for: Callable[[date, ZoneInfo], "Asked"],
    street: str | None,
    fmt: str,
    output: Path | None,
    db: str | None,
) -> None:
    # The bulletin and its writers (python-docx, openpyxl) are loaded by this command alone.
    from console.reports.bulletin import bulletin, narrowed
    from console.reports.write import FORMATS, write

    refuse_flags(("--format", fmt, one_of(*FORMATS)))
    binary = fmt in ("docx", "xlsx")
    if output is None and binary and sys.stdout.isatty():
        raise Invalid("error.report_binary", fmt=fmt)
    settings = State.settings
    now = wallclock.now()
    asked = asked_for(now.astimezone(settings.tz).date(), settings.tz)
    store = open_store(db)
    session = _signed_in(store)
    if street is not None:
        asked = narrowed(asked, _street_id(reference(store), street))
    doc = bulletin(store, session.actor, asked, now, State.lang, settings.assessment)
    body = write(doc, fmt)
    if output is None:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
        return
    _write_whole(output, body)


def _street_id(ref: Reference, given: str) -> int:
    for area in ref.areas.values():
        if area.level is AreaLevel.STREET and given.strip() in (area.code, area.name, area.name_en):
            return area.id
    raise Invalid("error.no_street", value=given)


# --- exports ----------------------------------------------------------------------------------

EXPORT_FORMATS = ("csv", "xlsx", "json", "jsonl")
BIG_EXPORT = 20_000  # rows from which a terminal shows the export's progress


@export_app.command("cases")
def export_cases(
    status: StatusOpt = None,
    light: LightOpt = None,
    urgency: UrgencyOpt = None,
    category: CategoryOpt = None,
    source: SourceOpt = None,
    street: CaseStreetOpt = None,
    community: CaseCommunityOpt = None,
    grid: CaseGridOpt = None,
    unit: CaseUnitOpt = None,
    level: LevelOpt = None,
    text: TextOpt = "",
    all_: AllOpt = False,
    triage: TriageOpt = False,
    late_overall: LateOverallOpt = False,
    from_: FromOpt = "",
    to: ToOpt = "",
    fmt: Annotated[
        str, typer.Option("--format", help="csv, xlsx, json (one array) or jsonl (one per line).")
    ] = "csv",
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="The file to write (else stdout; xlsx needs one)."),
    ] = None,
    db: DbOpt = None,
    lang: Annotated[str | None, typer.Option("--lang", help="zh or en: headers, labels.")] = None,
) -> None:
    """Every case of the queue the filters select (those of `case list`) that you may read:
    local times, names and labels in your language; a million cases stream in flat memory."""
    from console.reports import export

    _choose_lang(lang)
    f = _queue_filter(
        status, light, urgency, category, source, street, community, grid, unit, level, text,
        all_, triage, from_, to, ("--format", fmt, one_of(*EXPORT_FORMATS)),
        late_overall=late_overall,
    )  # fmt: skip
    if output is None and fmt == "xlsx":
        raise Invalid("error.export_needs_file", fmt=fmt)
    if output is not None and not output.parent.is_dir():
        raise Invalid("error.export_no_dir", path=str(output.parent))
    store = open_store(db)
    session = _signed_in(store)
    _known(reference(store), f)
    now = wallclock.now()
    rows = export.values(
        store, session.actor, f, now=now, lang=State.lang, clock=_clock(State.settings)
    )
    bar = None
    if sys.stderr.isatty():
        total = case_queries.count(store, session.actor, f, now=now)
        if total >= BIG_EXPORT:
            bar = _StageBar()
            bar.stage("export", total)
    told = bar.advance if bar else None
    try:
        if output is None:
            export.write(fmt, rows, sys.stdout.buffer, State.lang, State.settings.tz, told)
            sys.stdout.flush()
            return
        n = _export_to(output, lambda out: export.write(
            fmt, rows, out, State.lang, State.settings.tz, told
        ))  # fmt: skip
    finally:
        if bar is not None:
            bar.stop()
    err.print(Text(t("cli.export_written", State.lang, n=f"{n:,}", path=str(output))))


def _export_to(output: Path, write: Callable[[Any], int]) -> int:
    """`write` into a file beside `output`, renamed to it once whole: an export stopped or
    failed halfway leaves no half file."""
    partial = output.with_name(f".{output.name}.partial")
    try:
        with partial.open("wb") as out:
            n = write(out)
        partial.replace(output)
    except OSError as exc:
        raise Invalid(
            "error.export_unwritable", path=str(output), why=exc.strerror or str(exc)
        ) from None
    finally:
        partial.unlink(missing_ok=True)
    return n


def _known(ref: Reference, f: case_queries.QueueFilter) -> None:
    """A filter naming a place, unit or category the store does not have is a mistake to
    say, not an empty export."""
    places = (("--street", f.street), ("--community", f.community), ("--grid", f.grid))
    for flag, code in places:
        if code is not None and code not in ref.area_by_code:
            raise Invalid("error.export_no_such", flag=flag, value=code)
    if f.unit is not None and f.unit not in ref.unit_by_code:
        raise Invalid("error.export_no_such", flag="--unit", value=f.unit)
    if f.category is not None and not any(
        c.code.startswith(f.category) for c in ref.categories.values()
    ):
        raise Invalid("error.export_no_such", flag="--category", value=f.category)


if __name__ == "__main__":
    main()
