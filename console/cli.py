"""The `gridcall` command: every subcommand is a thin call into services, queries or io.

No `from __future__ import annotations` here: typer reads every command's annotations on
each start, and as strings it evaluates them one by one (some 2,000 `eval` calls, ~60 ms
before the console's first frame).
"""

import json
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypedDict

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from console import i18n, wallclock
from console.config import Settings, data_dir, load_settings, resolve_url
from console.db import Store
from console.domain.actions import Action
from console.domain.enums import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    Level,
    Light,
    Rating,
    Role,
    Source,
    Status,
    Urgency,
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
from console.domain.policy import Actor
from console.domain.sla import SlaClock, WorkingHours
from console.domain.workflow import TABLE, Params
from console.i18n import label, say, t
from console.present import (
    LIGHT_SYMBOL,
    detail_json,
    event_line,
    inert,
    reporter_text,
    row_json,
    time_left,
)
from console.queries import cases as case_queries
from console.queries.reference import reference
from console.services.audit import verify_chain
from console.session import Session

if TYPE_CHECKING:
    from console.demo.generate import Progress

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
case_app = typer.Typer(help="List, show, register and act on cases (scripting and training).")
user_app = typer.Typer(help="Console users.")
audit_app = typer.Typer(help="The audit trail.")
app.add_typer(case_app, name="case")
app.add_typer(user_app, name="user")
app.add_typer(audit_app, name="audit")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

DbOpt = Annotated[str | None, typer.Option("--db", help=DB_HELP, show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


class State:
    settings: Settings = Settings()
    # The language of this command's words; the locale's until the options have been read.
    lang: str = i18n.detect_lang()


def _clock(settings: Settings) -> SlaClock:
    return SlaClock(WorkingHours(tz=settings.tz), warn_ratio=settings.warn_ratio)


def _session(store: Store, login: str) -> Session:
    """The acting user's session on this store: the one way a command acts, as the console."""
    return Session(store, _clock(State.settings), login, State.lang, State.settings.tz)


def open_store(db: str | None, *, first_run_seed: bool = True) -> Store:
    """The store the options, environment and config choose, ready for use.

    The default embedded store is created and seeded with the demo district on first use.
    """
    url, is_default = resolve_url(db, State.settings)
    if is_default:
        path = Path(url.removeprefix("sqlite:///"))
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            store = Store(url)
            store.migrate()
            if first_run_seed:
                from console.demo.generate import seed_demo

                seed_demo(store, _clock(State.settings), cases=DEFAULT_CASES, seed=1)
                err.print(
                    t("cli.first_run", State.lang, path=str(path), cases=f"{DEFAULT_CASES:,}")
                )
            return store
    store = Store(url)
    store.check()
    if not store.has_schema():
        raise StoreError("error.no_schema", url=store.describe())
    if not store.is_current():
        if not is_default:
            raise StoreError("error.old_schema", url=store.describe())
        store.migrate()  # the user's own embedded store: bring it up to date quietly
    return store


@app.callback()
def _main(
    lang: Annotated[
        str | None, typer.Option("--lang", help="zh or en (default: config, then locale).")
    ] = None,
) -> None:
    """Gridcall — the dispatch console of a grid-governance command centre.

    Run `gridcall run` to open the console on the embedded demo store.
    """
    State.settings = load_settings()
    _choose_lang(lang or State.settings.lang or i18n.detect_lang())


def _choose_lang(chosen: str) -> None:
    if chosen not in i18n.LANGS:
        raise Invalid("error.config", path="--lang", detail=f"{chosen!r}: use zh or en")
    State.lang = chosen


@app.command()
def init(db: DbOpt = None) -> None:
    """Create or upgrade the schema to the newest migration; safe to run again."""
    url, _ = resolve_url(db, State.settings)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(parents=True, exist_ok=True)
    store = Store(url)
    store.check()
    store.migrate()
    out.print(t("cli.init_done", State.lang, url=store.describe()))


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
    from console.demo.generate import seed_demo

    url, _ = resolve_url(db, State.settings)
    store = Store(url)
    store.check()
    store.migrate()
    started = time.perf_counter()
    seed_demo(
        store,
        _clock(State.settings),
        cases=cases,
        seed=seed_,
        replace=replace,
        progress=_progress_bar if sys.stderr.isatty() else None,
    )
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
    user: Annotated[str | None, typer.Option("--user", help="Sign in as this login.")] = None,
    theme: Annotated[str | None, typer.Option("--theme", help="dark, light or mono.")] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="zh or en (same as gridcall --lang).")
    ] = None,
) -> None:
    """Open the console."""
    from console.app import GridcallApp

    if lang:
        _choose_lang(lang)

    store = open_store(db)
    login = user or State.settings.user or "op.default"
    ref = reference(store)
    if login == "op.default":
        login = next(u.login for u in ref.users.values() if u.role is Role.OPERATOR)
    ref.actor(login)
    GridcallApp(
        _session(store, login), settings=State.settings, theme_name=theme, freeze_heap=True
    ).run()


# --- cases ------------------------------------------------------------------------------------


def _actor(store: Store, login: str | None) -> Actor:
    return reference(store).actor(login) if login else case_queries.DISTRICT_WIDE


def _enum_set(kind: type[Any], values: list[str] | None) -> frozenset[Any]:
    try:
        return frozenset(kind(v) for v in values or ())
    except ValueError as exc:
        raise Invalid("error.config", path="option", detail=str(exc)) from exc


@case_app.command("list")
def case_list(
    db: DbOpt = None,
    as_: Annotated[str | None, typer.Option("--as", help="See what this user sees.")] = None,
    status: Annotated[list[str] | None, typer.Option("--status", help="Repeatable.")] = None,
    light: Annotated[list[str] | None, typer.Option("--light", help="green/yellow/red.")] = None,
    urgency: Annotated[str | None, typer.Option(help="normal or urgent.")] = None,
    category: Annotated[str | None, typer.Option(help="Category code (or its prefix).")] = None,
    source: Annotated[str | None, typer.Option(help="Where the case came from.")] = None,
    street: Annotated[str | None, typer.Option(help="Street code.")] = None,
    community: Annotated[str | None, typer.Option(help="Community code.")] = None,
    grid: Annotated[str | None, typer.Option(help="Grid code.")] = None,
    unit: Annotated[str | None, typer.Option(help="Lead unit code.")] = None,
    level: Annotated[str | None, typer.Option(help="grid/community/street/district.")] = None,
    text: Annotated[str, typer.Option("--text", help="Words in title, code or address.")] = "",
    all_: Annotated[bool, typer.Option("--all", help="Include closed and invalid.")] = False,
    sort: Annotated[str, typer.Option(help="deadline, reported, urgency, updated.")] = "deadline",
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    as_json: JsonOpt = False,
) -> None:
    """List cases: open ones, most pressing first."""
    store = open_store(db)
    ref = reference(store)
    statuses = _enum_set(Status, status) or (
        OPEN_STATUSES | FINAL_STATUSES if all_ else OPEN_STATUSES
    )
    try:
        f = case_queries.QueueFilter(
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
            text=text,
        )
        order = case_queries.Sort(sort)
    except ValueError as exc:
        raise Invalid("error.config", path="option", detail=str(exc)) from exc
    now = wallclock.now()
    rows = case_queries.page(store, _actor(store, as_), f, order, limit=limit, now=now)
    if as_json:
        out.print_json(json.dumps([row_json(r, ref, now) for r in rows], ensure_ascii=False))
        return
    lang = State.lang
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("", no_wrap=True, min_width=2)
    for name, width in (("code", 13), ("status", 6), ("left", 7)):
        table.add_column(name, no_wrap=True, min_width=width)
    for name, width in (("title", 40), ("grid", 16), ("unit", 20)):
        table.add_column(name, no_wrap=True, overflow="ellipsis", max_width=width)
    for r in rows:
        unit_info = ref.units.get(r.lead_unit_id) if r.lead_unit_id else None
        urgent = "!" if r.urgency is Urgency.URGENT else ""
        table.add_row(
            LIGHT_SYMBOL[r.light(now)] + urgent,
            r.code,
            label("status", r.status, lang),
            time_left(r, now, lang),
            Text(inert(r.title)),
            ref.areas[r.grid_id].name,
            Text(unit_info.name if unit_info else "—"),
        )
    out.print(table)


@case_app.command("show")
def case_show(
    code: Annotated[str, typer.Argument(help="Case code, e.g. E2026-0001234.")],
    db: DbOpt = None,
    as_: Annotated[str | None, typer.Option("--as", help="See what this user sees.")] = None,
    reveal: Annotated[
        bool, typer.Option("--reveal", help="The reporter's phone in full (the trail records it).")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """One case with its whole timeline, as the reader may see it."""
    store = open_store(db)
    ref = reference(store)
    code = code.strip()
    # The reader: `--as` until the CLI signs in (issue #13); without it, the district's view.
    session = _session(store, as_) if as_ else None
    actor = session.actor if session is not None else case_queries.DISTRICT_WIDE
    revealed = None
    if reveal:
        if session is None:
            raise Invalid("error.config", path="--reveal", detail="needs the reader (--as)")
        revealed = session.reveal(code)
    d = case_queries.detail(store, actor, code)
    view = d.reporter_view(actor)
    data = detail_json(d, ref, wallclock.now(), view, revealed)
    if as_json:
        out.print_json(json.dumps(data, ensure_ascii=False))
        return
    _print_detail(d, data, reporter_text(d, view, State.lang, revealed))


def _print_detail(d: case_queries.CaseDetail, data: dict[str, Any], reporter: str | None) -> None:
    tz = State.settings.tz
    lang = State.lang
    out.print(Text(f"{d.code}  {inert(d.row.title)}", style="bold"))
    for key in (
        "status",
        "urgency",
        "light",
        "level",
        "category",
        "grid",
        "unit",
        "address",
        "reporter",
        "deadline_at",
        "rework_count",
        "rating",
        "duplicate_of",
    ):
        value = reporter if key == "reporter" else data.get(key)
        out.print(Text(f"  {key:15} {inert(str(value)) if value is not None else '—'}"))
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
    return parsed


@case_app.command("new")
def case_new(
    as_: Annotated[str, typer.Option("--as", help="The registering user's login.")],
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
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Register a new case (a call taken, a patrol report)."""
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
        raise Invalid("error.config", path="option", detail=str(exc)) from exc
    session = _session(store, as_)
    _print_result(session, session.report(new), as_json)


def _print_result(session: Session, d: case_queries.CaseDetail, as_json: bool) -> None:
    now = wallclock.now()
    if as_json:
        data = detail_json(d, session.reference, now, d.reporter_view(session.actor))
        out.print_json(json.dumps(data, ensure_ascii=False))
    else:
        out.print(f"{d.code}  {label('status', d.row.status, State.lang)}  v{d.row.version}")


def _action_command(action: Action) -> Callable[..., None]:
    row = TABLE[action]

    def command(
        code: Annotated[str, typer.Argument(help="Case code.")],
        as_: Annotated[str, typer.Option("--as", help="The acting user's login.")],
        reason: Annotated[str | None, typer.Option(help="Why (reject, return, …).")] = None,
        text: Annotated[str | None, typer.Option(help="Text of a note or urging.")] = None,
        unit: Annotated[str | None, typer.Option(help="Lead unit code.")] = None,
        co: Annotated[list[str] | None, typer.Option("--co", help="Co-handling unit.")] = None,
        instruction: Annotated[str | None, typer.Option(help="Dispatch instruction.")] = None,
        result: Annotated[str | None, typer.Option(help="Handling result.")] = None,
        photo: Annotated[str | None, typer.Option(help="Photo path or URL.")] = None,
        passed: Annotated[
            bool | None, typer.Option("--pass/--fail", help="Verification outcome.")
        ] = None,
        rating: Annotated[str | None, typer.Option(help="satisfied/basic/dissatisfied.")] = None,
        comment: Annotated[str | None, typer.Option(help="Resident's comment.")] = None,
        of: Annotated[str | None, typer.Option("--of", help="The original case.")] = None,
        until: Annotated[str | None, typer.Option(help="New deadline, 2026-12-01 17:30.")] = None,
        urgency: Annotated[str | None, typer.Option(help="normal or urgent.")] = None,
        category: Annotated[str | None, typer.Option(help="Subcategory code.")] = None,
        version: Annotated[
            int | None, typer.Option(help="Refuse if the case is no longer at this version.")
        ] = None,
        db: DbOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        store = open_store(db)
        try:
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
            )
        except ValueError as exc:
            raise Invalid("error.config", path="option", detail=str(exc)) from exc
        session = _session(store, as_)
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
        f"{label('action', action, 'en').capitalize()} ({label('action', action, 'zh')})."
        + (f" Needs {needs}." if needs else "")
        + f" From: {', '.join(sorted(s.value for s in row.sources))}."
    )
    return command


for _action in TABLE:
    case_app.command(_action.value)(_action_command(_action))


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
        raise Invalid("error.config", path="--sizes", detail=str(exc)) from exc
    chosen = [b.strip() for b in backends.split(",") if b.strip()]
    if not counts or any(b not in ("sqlite", "pg") for b in chosen):
        raise Invalid("error.config", path="--backends", detail="use sqlite, pg or both")
    run_bench(counts, chosen, pg_url, repeat)


class UserRow(TypedDict):
    """One line of `user list`, also its JSON object."""

    login: str
    name: str
    role: str
    scope: str
    active: bool


@user_app.command("list")
def user_list(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """Console users with role and scope."""
    store = open_store(db)
    ref = reference(store)
    users = sorted(ref.users.values(), key=lambda u: (u.role.value, u.login))
    rows: list[UserRow] = []
    for u in users:
        scope = (
            ref.areas[u.street_id].code
            if u.street_id
            else ref.units[u.unit_id].code
            if u.unit_id
            else ref.areas[u.grid_id].code
            if u.grid_id
            else "district"
        )
        rows.append(
            {
                "login": u.login,
                "name": u.name,
                "role": u.role.value,
                "scope": scope,
                "active": u.active,
            }
        )
    if as_json:
        out.print_json(json.dumps(rows, ensure_ascii=False))
        return
    table = Table(box=None, header_style="bold")
    for name in ("login", "name", "role", "scope"):
        table.add_column(name)
    for r in rows:
        table.add_row(r["login"], r["name"], label("role", r["role"], State.lang), r["scope"])
    out.print(table)


@audit_app.command("verify")
def audit_verify(db: DbOpt = None) -> None:
    """Check the whole hash chain; name the first broken link. Exit 1 if broken."""
    store = open_store(db)
    report = verify_chain(store)
    if report.ok:
        out.print(t("cli.audit_ok", State.lang, n=f"{report.events:,}"))
        return
    err.print(t("cli.audit_broken", State.lang, seq=report.broken_at, problem=report.problem))
    raise typer.Exit(1)


REFUSED = (IllegalTransition, Forbidden, Conflict, NotFound)


def main() -> None:
    """Entry point: operator-facing errors become one line on stderr, never a traceback."""
    try:
        app(standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(130)
    except GridcallError as exc:
        err.print(Text(say(exc, State.lang)))
        sys.exit(1 if isinstance(exc, REFUSED) else 2)
    except typer.exceptions.TyperException as exc:
        show = getattr(exc, "show", None)  # usage errors print their own one-line message
        if show is None:
            raise
        show()
        sys.exit(getattr(exc, "exit_code", 2))
    except Exception as exc:  # a bug: one line for the operator, the details in a file
        log = _crash_log(exc)
        err.print(
            Text(
                t("error.internal", State.lang, detail=f"{type(exc).__name__}: {exc}", log=str(log))
            )
        )
        sys.exit(3)


def _crash_log(exc: BaseException) -> Path:
    import traceback

    path = data_dir() / "crash.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(f"--- {wallclock.now().isoformat()}\n")
        f.write("".join(traceback.format_exception(exc)))
    return path


if __name__ == "__main__":
    main()
