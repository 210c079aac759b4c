"""`gridcall serve open311`: the Open311 GeoReport v2 API for residents' apps (Starlette on
uvicorn).

The discovery file and five calls, each in JSON and XML (the name's suffix says which): the
services (one per subcategory), a service's definition (no extra attributes), POST a request (a
reported case, from the app, as the key's service account), the requests (90 days back, 1,000
at most) and one request. Reads are public and show no reporter and no confidential case; a
POST needs an app's API key (`gridcall user token`), and the policy decides where that account
may report.
Every client gets `per_minute` calls a minute: an app by its key, anyone else by address.
Errors are the spec's list of {code, description}.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from console import wallclock
from console.config import Settings
from console.db import Store
from console.domain.enums import Source, UserKind
from console.domain.errors import Forbidden, GridcallError, Invalid, NotFound
from console.domain.intake import NewCase, confidential_by_default
from console.domain.limits import DESCRIPTION_MAX, PHOTO_REF_MAX
from console.domain.open311 import (
    BODY_MAX,
    NEAREST_GRID_M,
    Bucket,
    Open311Rules,
    Public,
    case_title,
    coordinates,
    own_words,
    public_status,
    public_statuses,
    query_window,
    reporter_name,
    w3c_time,
)
from console.domain.policy import Actor, may_report
from console.domain.sla import SlaClock
from console.i18n import label, say, t
from console.queries import lookup
from console.queries.grids import nearest_grid
from console.queries.open311 import PublicRequest, RequestQuery, requests, services
from console.queries.reference import GRID_LEVELS, AreaInfo, Reference, name_in, reference
from console.services import auth
from console.services.cases import create_case

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
BUCKETS_KEPT = 10_000  # clients remembered before the idle ones are forgotten

Value = str | int | float | bool | None
Record = dict[str, Value]


class Refused(Exception):
    """A call answered with the spec's error: an HTTP status and one line."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(status, description)
        self.status = status
        self.description = description


@dataclass
class Endpoint:
    store: Store
    clock: SlaClock
    lang: str
    tz: ZoneInfo
    rules: Open311Rules
    monotonic: Callable[[], float] = time.monotonic
    buckets: dict[str, Bucket] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def say(self, key: str, **params: object) -> str:
        return t(key, self.lang, **params)

    def refused(self, exc: GridcallError) -> Refused:
        status = 403 if isinstance(exc, Forbidden | auth.NotSignedIn) else 400
        return Refused(status, say(exc, self.lang, self.tz))

    def admit(self, client: str) -> None:
        """Spend one of the client's calls, or 429."""
        now = self.monotonic()
        with self.lock:
            if len(self.buckets) >= BUCKETS_KEPT:
                self.buckets = {k: b for k, b in self.buckets.items() if not b.idle(now)}
            bucket = self.buckets.setdefault(client, Bucket.full(self.rules.per_minute, now))
            allowed = bucket.take(now)
        if not allowed:
            raise Refused(429, self.say("open311.too_many", per_minute=self.rules.per_minute))


# --- formats ------------------------------------------------------------------------------------


def _text(value: Value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _element(tag: str, record: Record) -> ET.Element:
    node = ET.Element(tag)
    for key, value in record.items():
        ET.SubElement(node, key).text = _text(value)
    return node


def _xml(root: ET.Element) -> str:
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")


def _answer(fmt: str, body: Any, xml_root: ET.Element, status: int = 200) -> Response:
    text = json.dumps(body, ensure_ascii=False) if fmt == "json" else _xml(xml_root)
    return Response(text, status_code=status, media_type=FORMATS[fmt])


def _listing(fmt: str, root: str, item: str, records: list[Record], status: int = 200) -> Response:
    tree = ET.Element(root)
    tree.extend(_element(item, r) for r in records)
    return _answer(fmt, records, tree, status)


def _error(fmt: str, refused: Refused) -> Response:
    error: Record = {"code": refused.status, "description": refused.description}
    return _listing(fmt, "errors", "error", [error], refused.status)


def _w3c(at: datetime | None, tz: ZoneInfo) -> str | None:
    return at.astimezone(tz).isoformat(timespec="seconds") if at is not None else None


# --- the calls ----------------------------------------------------------------------------------


def _client(request: Request, api_key: str | None) -> str:
    if api_key:
        return "key:" + auth.token_hash(api_key)
    return "address:" + (request.client.host if request.client else "?")


def make_app(store: Store, settings: Settings, clock: SlaClock, lang: str) -> Starlette:
    """The endpoint over a store, answering in `lang`, with the settings' time zone and rate."""
    ep = Endpoint(store, clock, lang, settings.tz, settings.open311)
    tz = settings.tz
    # The discovery's changeset: clients refresh their cached services when it moves, and the
    # services are read afresh when the server starts.
    changeset = wallclock.now().astimezone(tz).strftime("%Y-%m-%d %H:%M")

    def call(
        work: Callable[[Request, str], Any],
    ) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            fmt = str(request.path_params["fmt"])
            if fmt not in FORMATS:  # XML is the spec's required format: its errors too
                return _error("xml", Refused(404, ep.say("open311.no_format")))
            try:
                response: Response = await work(request, fmt)
                return response
            except Refused as refused:
                return _error(fmt, refused)
            except GridcallError as exc:
                return _error(fmt, ep.refused(exc))

        return endpoint

    async def discovery(request: Request, fmt: str) -> Response:
        ep.admit(_client(request, request.query_params.get("api_key")))
        kind = "test" if reference(store).centre.training else "production"
        about: Record = {
            "specification": SPECIFICATION,
            "url": str(request.base_url).rstrip("/"),
            "changeset": changeset,
            "type": kind,
        }
        mimes = [FORMATS[f].partition(";")[0] for f in ("xml", "json")]
        head: Record = {
            "changeset": changeset,
            "contact": ep.say("open311.contact"),
            "key_service": ep.say("open311.key_service"),
        }
        tree = _element("discovery", head)
        node = _element("endpoint", about)
        ET.SubElement(tree, "endpoints").append(node)
        formats = ET.SubElement(node, "formats")
        for mime in mimes:
            ET.SubElement(formats, "format").text = mime
        return _answer(fmt, {**head, "endpoints": [{**about, "formats": mimes}]}, tree)

    async def service_list(request: Request, fmt: str) -> Response:
        ep.admit(_client(request, request.query_params.get("api_key")))
        ref = reference(store)
        records: list[Record] = [
            {
                "service_code": s.category.code,
                "service_name": name_in(s.category, lang),
                "description": " › ".join(name_in(c, lang) for c in (*s.path, s.category)),
                "metadata": False,
                "type": "realtime",
                "keywords": ", ".join(name_in(c, lang) for c in s.path),
                "group": name_in(s.path[0], lang) if s.path else None,
            }
            for s in services(ref)
        ]
        return _listing(fmt, "services", "service", records)

    async def definition(request: Request, fmt: str) -> Response:
        ep.admit(_client(request, request.query_params.get("api_key")))
        code = str(request.path_params["code"])
        _service(reference(store), ep, code)
        tree = ET.Element("service_definition")
        ET.SubElement(tree, "service_code").text = code
        ET.SubElement(tree, "attributes")
        return _answer(fmt, {"service_code": code, "attributes": []}, tree)

    async def request_list(request: Request, fmt: str) -> Response:
        if request.method == "POST":
            return await _post(ep, request, fmt)
        params = request.query_params
        ep.admit(_client(request, params.get("api_key")))
        now = wallclock.now()
        since, until = query_window(
            w3c_time("start_date", params["start_date"]) if params.get("start_date") else None,
            w3c_time("end_date", params["end_date"]) if params.get("end_date") else None,
            now,
        )
        query = RequestQuery(
            since=since,
            until=until,
            codes=_words(params.get("service_request_id", "")),
            categories=_words(params.get("service_code", "")),
            statuses=public_statuses(params["status"]) if params.get("status") else frozenset(),
        )
        found = await run_in_threadpool(requests, store, query)
        return _listing(fmt, "service_requests", "request", [_record(ep, r) for r in found])

    async def one_request(request: Request, fmt: str) -> Response:
        ep.admit(_client(request, request.query_params.get("api_key")))
        code = str(request.path_params["code"])
        query = RequestQuery(since=wallclock.now(), until=wallclock.now(), codes=(code,))
        found = await run_in_threadpool(requests, store, query)
        if not found:
            raise Refused(404, ep.say("open311.no_request", code=code[:40]))
        return _listing(fmt, "service_requests", "request", [_record(ep, found[0])])

    routes = [
        Route("/discovery.{fmt}", call(discovery), methods=["GET"]),
        Route("/services.{fmt}", call(service_list), methods=["GET"]),
        Route("/services/{code}.{fmt}", call(definition), methods=["GET"]),
        Route("/requests.{fmt}", call(request_list), methods=["GET", "POST"]),
        Route("/requests/{code}.{fmt}", call(one_request), methods=["GET"]),
    ]

    async def no_call(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        return _error("xml", Refused(status, ep.say("open311.no_call", path=request.url.path[:80])))

    return Starlette(routes=routes, exception_handlers={404: no_call, 405: no_call})


def _words(value: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in value.split(",") if w.strip())


def _service(ref: Reference, ep: Endpoint, code: str) -> Any:
    info = ref.category_by_code.get(code)
    if info is None or not info.is_leaf:
        raise Refused(404, ep.say("open311.no_service", code=code[:40]))
    return info


def _record(ep: Endpoint, r: PublicRequest) -> Record:
    lang, own = ep.lang, own_words(r.source)
    is_open = public_status(r.status) is Public.OPEN
    photo = next((a for a in r.attachments if a.startswith(("https://", "http://"))), None)
    return {
        "service_request_id": r.code,
        "status": public_status(r.status).value,
        "status_notes": label("status", r.status, lang),
        "service_name": name_in(r.category, lang),
        "service_code": r.category.code,
        "description": r.description if own else None,
        "agency_responsible": name_in(r.lead_unit, lang) if r.lead_unit else None,
        "service_notice": None,
        "requested_datetime": _w3c(r.requested_at, ep.tz),
        # The spec: a closed request's update is its closing.
        "updated_datetime": _w3c(r.updated_at if is_open else r.closed_at or r.updated_at, ep.tz),
        # When the whole request is due (办结时限), not the step it stands at now.
        "expected_datetime": _w3c(r.due_at, ep.tz) if is_open else None,
        "address": r.address if own else name_in(r.grid, lang),
        "address_id": r.grid.code,
        "zipcode": None,
        "lat": r.lat if own else r.grid.lat,
        "long": r.lon if own else r.grid.lon,
        "media_url": photo if own else None,
    }


# --- POST a request -----------------------------------------------------------------------------


async def _form(ep: Endpoint, request: Request) -> dict[str, str]:
    """The POSTed form, refused (413) before it is read past BODY_MAX."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > BODY_MAX:
        raise Refused(413, ep.say("open311.too_large", most=BODY_MAX))
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > BODY_MAX:
            raise Refused(413, ep.say("open311.too_large", most=BODY_MAX))
    kind = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if body and kind != "application/x-www-form-urlencoded":
        raise Refused(400, ep.say("open311.not_a_form"))
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise Refused(400, ep.say("open311.not_utf8")) from None
    return {name: values[0] for name, values in fields.items()}


def _account(ep: Endpoint, api_key: str) -> str:
    """The service account an app's key proves; 403 for any other key."""
    if not api_key:
        raise Refused(403, ep.say("open311.no_key"))
    try:
        login = auth.holder(ep.store, api_key)
    except (auth.NotSignedIn, Forbidden):
        raise Refused(403, ep.say("open311.bad_key")) from None
    ref = reference(ep.store)
    if login not in ref.user_by_login:  # added since the reference was read
        ref = reference(ep.store, reload=True)
    if ref.user(login).kind is not UserKind.SERVICE:
        raise Refused(403, ep.say("open311.bad_key"))
    return login


def _place(
    ep: Endpoint, login: str, form: dict[str, str]
) -> tuple[AreaInfo, str, float | None, float | None]:
    """The grid a request lies in, its address, and its point when given."""
    ref = reference(ep.store)
    lat, lon = form.get("lat", "").strip(), form.get("long", "").strip()
    typed = form.get("address_string", "").strip()
    if lat or lon:
        point = coordinates(lat, lon)
        nearest = nearest_grid(ref, *point)
        if nearest is None or nearest[1] > NEAREST_GRID_M:
            raise Refused(400, ep.say("open311.outside", lat=point[0], lon=point[1]))
        grid = nearest[0]
        return grid, typed or f"{name_in(grid, ep.lang)} ({point[0]:.6f}, {point[1]:.6f})", *point
    if typed:
        # An address some grids of the account's own place answer is read there first; one
        # only another street's grids answer stays theirs, for the policy to refuse.
        actor = ref.actor(login)
        hits = lookup.areas(
            ref, typed, GRID_LEVELS, allowed=lambda a: _may_report(ref, actor, a)
        ) or lookup.areas(ref, typed, GRID_LEVELS)
        if not hits:
            raise Refused(400, ep.say("open311.no_address", address=typed[:80]))
        return ref.grid(hits[0].code), typed, None, None
    given = form.get("address_id", "").strip()
    if given:
        area = ref.area_by_code.get(given)
        if area is None or area.level not in GRID_LEVELS:
            raise Refused(400, ep.say("open311.no_address", address=given[:80]))
        return area, name_in(area, ep.lang), None, None
    raise Refused(400, ep.say("open311.no_location"))


def _may_report(ref: Reference, actor: Actor, grid: AreaInfo) -> bool:
    street = ref.areas[grid.street_id].code if grid.street_id else None
    community = ref.areas[grid.community_id].code if grid.community_id else None
    return may_report(actor, street=street, community=community, grid=grid.code)


async def _post(ep: Endpoint, request: Request, fmt: str) -> Response:
    form = await _form(ep, request)
    api_key = form.get("api_key") or request.query_params.get("api_key", "")
    ep.admit(_client(request, api_key))
    login = await run_in_threadpool(_account, ep, api_key)
    code = form.get("service_code", "").strip()
    if not code:
        raise Refused(400, ep.say("open311.no_service_code"))
    category = _service(reference(ep.store), ep, code)
    description = form.get("description", "")
    if len(description) > DESCRIPTION_MAX:
        raise Refused(400, ep.say("open311.too_long", most=DESCRIPTION_MAX))
    media = form.get("media_url", "").strip()
    if len(media) > PHOTO_REF_MAX or (media and not media.startswith(("https://", "http://"))):
        raise Refused(400, ep.say("open311.bad_media"))
    grid, address, lat, lon = _place(ep, login, form)
    new = NewCase(
        title=case_title(description, category.name),
        category=category.code,
        grid=grid.code,
        address=address,
        source=Source.APP,
        description=description,
        reporter_name=reporter_name(form.get("first_name", ""), form.get("last_name", "")),
        reporter_phone=form.get("phone", "") or None,
        lat=lat,
        lon=lon,
        attachments=(media,) if media else (),
        confidential=confidential_by_default(category.name),
    )
    try:
        made = await run_in_threadpool(create_case, ep.store, ep.clock, login, new)
    except NotFound as exc:
        raise Refused(400, say(exc, ep.lang, ep.tz)) from None
    except (Invalid, Forbidden) as exc:
        raise ep.refused(exc) from None
    answer = {"service_request_id": made.code, "service_notice": ep.say("open311.notice")}
    tree = ET.Element("service_requests")
    tree.append(_element("request", {**answer, "account_id": None}))
    return _answer(fmt, [{**answer, "account_id": None}], tree)


# --- the server ---------------------------------------------------------------------------------


class _Server(uvicorn.Server):
    """uvicorn's server, stopped by SIGTERM or ^C and then done: uvicorn raises the signal
    again once it has stopped, which would end the command as killed rather than exit 0."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._stop)
        try:
            yield
        finally:
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(sig)

    def _stop(self) -> None:
        self.should_exit = True


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, or Invalid naming the address."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise Invalid(
            "error.cannot_listen", address=f"{host}:{port}", detail=exc.strerror or str(exc)
        ) from exc
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(app: Starlette, sock: socket.socket, lang: str, said: Callable[[str], None]) -> None:
    """Serve until SIGTERM or ^C; `said` prints the address first."""
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    said(t("open311.listening", lang, url=f"http://{shown}:{port}/"))
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
    _Server(config).run(sockets=[sock])
