"""`gridcall serve open311` for real: the command on a free port over a seeded store, httpx as
a residents' app, every GeoReport v2 call in JSON and XML."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import text

from console import wallclock
from console.app import GridcallApp
from console.db import Store
from console.domain.enums import Role, Source, UserKind
from console.live import ChangeWatcher
from console.queries import cases as case_queries
from console.queries.reference import reference
from console.services import users
from console.terminal import Terminal
from console.views.widgets.queue import QueueView
from tests.conftest import StoreFactory, trail_findings
from tests.tui.conftest import session

LISTENING = re.compile(r"http://127\.0\.0\.1:(\d+)/")
WAIT = 20.0
APP = "app.residents"  # a service account of street LJ01 (江滨街道)
OPERATOR = "op.jiangbin1"  # an operator of LJ01
HOME = (30.271286, 120.195657)  # the centre of grid LJ010101, in LJ01
ELSEWHERE = (30.295945, 120.178273)  # the centre of LJ020101, in street LJ02
SERVICE = "010103"  # 路灯不亮, Street lamp out


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    log: Path
    port: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(WAIT)


def start(url: str, home: Path, config: str) -> Server:
    (home / "config.toml").write_text(config, encoding="utf-8")
    log = home / f"server-{time.monotonic_ns()}.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "console.launch", "serve", "open311", "--db", url,
         "--listen", "127.0.0.1:0"],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        env=os.environ | {"GRIDCALL_CONFIG": str(home / "config.toml"), "LANG": "en_US.UTF-8"},
    )  # fmt: skip
    server = Server(proc, log)
    until = time.monotonic() + WAIT
    while time.monotonic() < until:
        found = LISTENING.search(log.read_text(encoding="utf-8", errors="replace"))
        if found:
            server.port = int(found.group(1))
            return server
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    raise AssertionError(f"the server did not start:\n{log.read_text()}")


@dataclass
class Site:
    store: Store
    server: Server
    key: str
    home: Path


@pytest.fixture(scope="module", params=["sqlite", "pg"])
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    home = tmp_path_factory.mktemp("open311")
    factory = StoreFactory(request.param, home)
    store = factory.seeded()
    scope = users.Scope(street="LJ01")
    users.add_user(store, "admin", APP, "居民随手拍", Role.OPERATOR, scope, kind=UserKind.SERVICE)
    key = users.new_api_token(store, "admin", APP)
    server = start(store.url, home, 'lang = "zh"\n[open311]\nper_minute = 1000\n')
    try:
        yield Site(store, server, key, home)
    finally:
        server.stop()
        factory.close()


def both(site: Site, path: str, **params: str) -> tuple[httpx.Response, httpx.Response]:
    """The same GET in JSON and in XML."""
    return tuple(  # type: ignore[return-value]
        httpx.get(f"{site.server.base}{path}.{fmt}", params=params, timeout=WAIT)
        for fmt in ("json", "xml")
    )


def post(site: Site, fmt: str = "json", **form: str) -> httpx.Response:
    return httpx.post(f"{site.server.base}/requests.{fmt}", data=form, timeout=WAIT)


def xml_of(response: httpx.Response) -> ET.Element:
    assert response.headers["content-type"].startswith("text/xml"), response.headers
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def spec_error(response: httpx.Response, status: int, says: str) -> None:
    """The spec's error list, in the format asked for."""
    assert response.status_code == status, response.text
    if response.headers["content-type"].startswith("application/json"):
        [error] = response.json()
        assert error["code"] == status
        assert re.search(says, error["description"]), error
    else:
        root = xml_of(response)
        assert root.tag == "errors"
        [error_node] = root.findall("error")
        assert error_node.findtext("code") == str(status)
        assert re.search(says, error_node.findtext("description") or ""), response.text


def test_services_list_every_subcategory_in_both_formats(site: Site) -> None:
    as_json, as_xml = both(site, "/services")
    services = as_json.json()
    lamp = next(s for s in services if s["service_code"] == SERVICE)
    assert lamp == {
        "service_code": SERVICE,
        "service_name": "路灯不亮",
        "description": "城市管理 › 市政设施 › 路灯不亮",
        "metadata": False,
        "type": "realtime",
        "keywords": "城市管理, 市政设施",
        "group": "城市管理",
    }
    leaves = [c for c in reference(site.store).categories.values() if c.is_leaf]
    assert len(services) == len(leaves)
    nodes = xml_of(as_xml).findall("service")
    assert len(nodes) == len(leaves)
    node = next(n for n in nodes if n.findtext("service_code") == SERVICE)
    assert node.findtext("service_name") == "路灯不亮"
    assert node.findtext("metadata") == "false"
    assert node.findtext("keywords") == "城市管理, 市政设施"


def test_the_discovery_file_names_the_endpoint(site: Site) -> None:
    as_json, as_xml = both(site, "/discovery")
    found = as_json.json()
    assert found["key_service"].startswith("应用密钥")
    [endpoint] = found["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == site.server.base
    assert (endpoint["type"], endpoint["formats"]) == (
        "production",
        ["text/xml", "application/json"],
    )
    root = xml_of(as_xml)
    assert root.tag == "discovery" and root.findtext("changeset") == found["changeset"]
    assert [f.text for f in root.iterfind("endpoints/endpoint/formats/format")] == endpoint[
        "formats"
    ]


def test_a_service_definition_has_no_attributes(site: Site) -> None:
    as_json, as_xml = both(site, f"/services/{SERVICE}")
    assert as_json.json() == {"service_code": SERVICE, "attributes": []}
    root = xml_of(as_xml)
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == SERVICE
    assert root.find("attributes") is not None and len(root.find("attributes") or []) == 0
    for response in both(site, "/services/999999"):
        spec_error(response, 404, "service_code.*999999")


def test_a_posted_request_is_a_case_of_the_app_in_the_operators_queue(site: Site) -> None:
    watcher = ChangeWatcher(site.store.engine.url)
    watcher.connect()
    try:
        posted = post(
            site,
            api_key=site.key,
            service_code=SERVICE,
            lat=str(HOME[0]),
            long=str(HOME[1]),
            description="清泰街口路灯整晚不亮\n已经三天了",
            first_name="芳",
            last_name="王",
            phone="13812345678",
            media_url="https://example.org/lamp.jpg",
        )
        assert posted.status_code == 200, posted.text
        [answer] = posted.json()
        code = answer["service_request_id"]
        assert answer["service_notice"] == "已收到，街道指挥中心将尽快受理"
        # A running console is told within a second: the change notice its queue reloads on.
        assert watcher.wait(1.0) is not None
    finally:
        watcher.close()

    actor = reference(site.store, reload=True).actor(OPERATOR)
    rows = case_queries.page(
        site.store, actor, case_queries.QueueFilter(), case_queries.Sort.REPORTED,
        limit=50, now=wallclock.now(),
    )  # fmt: skip
    row = next(r for r in rows if r.code == code)
    assert row.source is Source.APP
    detail = case_queries.detail(site.store, actor, code)
    assert (detail.grid_code, detail.reporter_name, detail.reporter_phone) == (
        "LJ010101", "王芳", "13812345678",
    )  # fmt: skip
    assert detail.timeline[0].actor == APP
    assert trail_findings(site.store) == []

    as_json, as_xml = both(site, f"/requests/{code}")
    [shown] = as_json.json()
    assert shown["service_request_id"] == code
    assert (shown["status"], shown["status_notes"]) == ("open", "待受理")
    assert shown["service_code"] == SERVICE and shown["service_name"] == "路灯不亮"
    assert shown["description"].startswith("清泰街口路灯整晚不亮")
    assert (shown["lat"], shown["long"]) == HOME
    assert shown["media_url"] == "https://example.org/lamp.jpg"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", shown["requested_datetime"])
    # Expected when the whole case is due (its overall deadline), not its first step.
    assert detail.due_at is not None
    due = detail.due_at.astimezone(ZoneInfo("Asia/Shanghai")).replace(microsecond=0)
    assert shown["expected_datetime"] == due.isoformat()
    assert "王" not in as_json.text and "13812345678" not in as_json.text
    node = xml_of(as_xml).find("request")
    assert node is not None and node.findtext("service_request_id") == code
    assert node.findtext("status") == "open"

    listed_json, listed_xml = both(site, "/requests", service_code=SERVICE, status="open")
    assert code in [r["service_request_id"] for r in listed_json.json()]
    assert all(r["status"] == "open" for r in listed_json.json())
    assert "13812345678" not in listed_json.text
    ids = [n.findtext("service_request_id") for n in xml_of(listed_xml).findall("request")]
    assert code in ids
    by_id, _ = both(site, "/requests", service_request_id=f"{code},E0000")
    assert [r["service_request_id"] for r in by_id.json()] == [code]


async def test_a_posted_request_shows_in_a_running_console_within_a_second(site: Site) -> None:
    app = GridcallApp(
        session(site.store, OPERATOR, "en"), live=True, testing=True, terminal=Terminal()
    )
    async with app.run_test(size=(100, 30)) as pilot:
        queue = app.screen.query_one(QueueView)
        deadline = time.monotonic() + WAIT
        while not (app.caught_up and queue.model.pending is None):
            assert time.monotonic() < deadline, "the console never followed the store"
            await pilot.pause(0.05)
        before = queue.model.total
        form = {"service_code": SERVICE, "lat": str(HOME[0]), "long": str(HOME[1])}
        posted = await asyncio.to_thread(post, site, api_key=site.key, **form)
        assert posted.status_code == 200, posted.text
        answered = time.monotonic()
        while queue.model.total != before + 1 or queue.model.pending is not None:
            assert time.monotonic() - answered < 1.0, "not in the console's queue within 1 s"
            await pilot.pause(0.02)


def test_a_request_by_address_lands_in_the_named_grid(site: Site) -> None:
    posted = post(
        site, "xml", api_key=site.key, service_code=SERVICE, address_string="望江社区第2网格"
    )
    assert posted.status_code == 200, posted.text
    code = xml_of(posted).findtext("request/service_request_id")
    assert code
    detail = case_queries.detail(site.store, case_queries.DISTRICT_WIDE, code)
    assert (detail.grid_code, detail.address) == ("LJ010102", "望江社区第2网格")


def test_keys_are_refused_in_the_specs_format(site: Site) -> None:
    form = {"service_code": SERVICE, "lat": str(HOME[0]), "long": str(HOME[1])}
    for fmt in ("json", "xml"):
        spec_error(post(site, fmt, api_key="not-a-key", **form), 403, "api_key")
        spec_error(post(site, fmt, **form), 403, "api_key")
    # The account's street is LJ01: the policy refuses it another street's grid.
    away = {"service_code": SERVICE, "lat": str(ELSEWHERE[0]), "long": str(ELSEWHERE[1])}
    spec_error(post(site, api_key=site.key, **away), 403, ".")
    elsewhere = {"service_code": SERVICE, "address_string": "望潮社区第1网格"}  # LJ020101
    spec_error(post(site, "xml", api_key=site.key, **elsewhere), 403, ".")


def test_bad_input_is_refused_in_the_specs_format(site: Site) -> None:
    form = {"api_key": site.key, "service_code": SERVICE, "lat": str(HOME[0])}
    for fmt in ("json", "xml"):
        spec_error(post(site, fmt, **form, long=str(HOME[1]), description="灯" * 4001), 400, "4000")
        spec_error(post(site, fmt, **form, long="east"), 400, "lat/long")
        spec_error(
            post(site, fmt, api_key=site.key, service_code=SERVICE, lat="0", long="0"), 400, "0.0"
        )
        spec_error(post(site, fmt, **{**form, "service_code": ""}, long="1"), 400, "service_code")
        spec_error(post(site, fmt, **{**form, "service_code": "99"}, long="1"), 404, "99")
        spec_error(post(site, fmt, api_key=site.key, service_code=SERVICE), 400, "lat")
    for response in both(site, "/requests", start_date="2026-12-01"):
        spec_error(response, 400, "start_date")
    long_span = {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00+08:00"}
    for response in both(site, "/requests", **long_span):
        spec_error(response, 400, "90")
    spec_error(
        httpx.post(f"{site.server.base}/requests.json", content=b"x" * 70_000, timeout=WAIT),
        413,
        ".",
    )
    spec_error(httpx.get(f"{site.server.base}/requests/E2026999999.xml"), 404, "E2026999999")
    spec_error(httpx.get(f"{site.server.base}/requests.csv"), 404, "xml")
    spec_error(httpx.get(f"{site.server.base}/tickets.json"), 404, "/tickets.json")
    spec_error(httpx.delete(f"{site.server.base}/requests.json"), 405, "/requests.json")


def test_public_reads_keep_tips_and_callers_out(site: Site) -> None:
    tip = post(
        site,
        api_key=site.key,
        service_code="030204",  # 黄赌毒线索: a tip, its reporter confidential
        lat=str(HOME[0]),
        long=str(HOME[1]),
        description="某出租屋夜间聚赌",
        first_name="伟",
        last_name="张",
        phone="13900001111",
    )
    assert tip.status_code == 200, tip.text
    code = tip.json()[0]["service_request_id"]
    assert case_queries.detail(site.store, case_queries.DISTRICT_WIDE, code).confidential
    for response in both(site, f"/requests/{code}"):
        spec_error(response, 404, code)
    with site.store.read() as s:
        called = set(
            s.execute(text("SELECT reporter_phone FROM cases WHERE reporter_phone IS NOT NULL"))
            .scalars()
            .all()
        )
    assert "13900001111" in called
    for listed in both(site, "/requests"):
        assert listed.status_code == 200
        assert code not in listed.text and "聚赌" not in listed.text
        assert not any(phone in listed.text for phone in called)


def test_the_rate_limit_and_a_clean_stop(site: Site) -> None:
    server = start(site.store.url, site.home, "[open311]\nper_minute = 3\n")
    try:
        answers = [httpx.get(f"{server.base}/services.json", timeout=WAIT) for _ in range(4)]
        assert [a.status_code for a in answers[:3]] == [200, 200, 200]
        spec_error(answers[3], 429, "3 a minute")
    finally:
        assert server.stop() == 0


def test_a_bad_listen_value_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "console.launch", "serve", "open311", "--listen", "nowhere"],
        capture_output=True, text=True, timeout=WAIT,
        env=os.environ | {"GRIDCALL_CONFIG": str(tmp_path / "none.toml"), "LANG": "en_US.UTF-8"},
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == ["bad option: --listen 'nowhere': use HOST:PORT"]
