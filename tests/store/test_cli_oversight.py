"""Automatic 督办 from the command line: `case urge --reply-within`, the lead unit's `case
reply`, the reply deadline in `case show` and its JSON, `case list --reply-late`, and
`gridcall oversee` as cron runs it over a seeded store — urges once, the trail verifying."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from console.db import Store
from console.domain.enums import Status
from console.queries.cases import detail
from console.queries.reference import reference
from console.wallclock import now
from tests.services.helpers import cast, walk
from tests.store.identity import add_section_user, give_password
from tests.store.test_cli_actions import CASE, as_, sign_in
from tests.store.test_cli_store import gridcall

OPERATOR = "op.jiangbin1"
SECTION = "t.section.lj01cg"  # the lead: Jiangbin's urban management section


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    tmp = tmp_path_factory.mktemp("cli_oversight")
    url = f"sqlite:///{tmp / 'cli.db'}"
    assert gridcall("init", "--db", url, tmp=tmp).returncode == 0
    seeded = gridcall("seed", "--db", url, "--cases", "0", tmp=tmp)
    assert seeded.returncode == 0, seeded.stderr
    store = Store(url)
    give_password(store, OPERATOR)
    add_section_user(store, SECTION, "S-LJ01-CG")
    store.dispose()
    for login in (OPERATOR, SECTION):
        sign_in(login, url, tmp)
    return url, tmp


def test_an_urge_asks_for_a_reply_the_lead_unit_gives(db: tuple[str, Path]) -> None:
    made = as_(OPERATOR, "case", "new", *CASE, "--json", db=db)
    code = json.loads(made.stdout)["code"]
    for step in (["accept"], ["dispatch", "--unit", "S-LJ01-CG"]):
        assert as_(OPERATOR, "case", step[0], code, *step[1:], db=db).returncode == 0
    refused = as_(SECTION, "case", "reply", code, "--text", "收到", db=db)
    assert refused.returncode == 1 and "waiting for a reply" in refused.stderr
    urged = as_(OPERATOR, "case", "urge", code, "--reply-within", "2", "--json", db=db)
    assert urged.returncode == 0, urged.stderr
    shown = json.loads(urged.stdout)
    assert shown["reply_light"] == "green" and shown["reply_by"] and not shown["overseen_at"]
    assert shown["timeline"][0]["payload"]["reply_hours"] == 2
    text = as_(OPERATOR, "case", "show", code, db=db).stdout
    assert "reply due" in text and "on time" in text
    listed = as_(OPERATOR, "case", "list", "--reply-late", "--json", db=db)
    assert code not in [r["code"] for r in json.loads(listed.stdout)]
    assert as_(OPERATOR, "case", "reply", code, db=db).returncode == 1  # the text is needed
    replied = as_(SECTION, "case", "reply", code, "--text", "今日处理", "--json", db=db)
    assert replied.returncode == 0, replied.stderr
    assert json.loads(replied.stdout)["reply_light"] == "none"
    assert "reply-within" in gridcall("case", "urge", "--help", tmp=db[1]).stdout


def test_oversee_urges_the_red_cases_once_as_the_system(db: tuple[str, Path]) -> None:
    url, tmp = db
    store = Store(url)  # a case dispatched three days ago: red by now
    start = now() - timedelta(days=3)
    red = walk(store, cast(store), Status.DISPATCHED, first_code="x", start=start)
    store.dispose()
    assert "cron" in gridcall("oversee", "--help", tmp=tmp).stdout
    due = gridcall("oversee", "--db", url, "--dry-run", "--json", tmp=tmp)
    assert due.returncode == 0, due.stderr
    planned = json.loads(due.stdout)
    assert planned and {i["rule"] for i in planned} <= {
        "urge_when_red",
        "supervisor_after",
        "urge_late_departments",
    }
    issued = gridcall("oversee", "--db", url, "--json", tmp=tmp)
    assert issued.returncode == 0, issued.stderr
    done = json.loads(issued.stdout)
    # What the dry run listed, and no more (the clock moved on a little in between).
    assert [(i["code"], i["rule"]) for i in planned] == [
        (i["code"], i["rule"]) for i in done[: len(planned)]
    ]
    again = gridcall("oversee", "--db", url, tmp=tmp)
    assert again.returncode == 0 and "nothing to urge" in again.stdout
    code = done[0]["code"]
    assert code == red.code and done[0]["rule"] == "urge_when_red"
    store = Store(url)
    c = cast(store)
    d = detail(store, reference(store).actor(c.operator), code)
    store.dispose()
    # Red for three days: urged, then raised to the supervisor — each once, by the system.
    assert [(e.actor, e.action, e.payload["rule"]) for e in d.timeline[:2]] == [
        ("system", "urge", "supervisor_after"),
        ("system", "urge", "urge_when_red"),
    ]
    assert d.reply_by is not None and d.overseen_at is not None
    verified = gridcall("audit", "verify", "--db", url, tmp=tmp)
    assert verified.returncode == 0, verified.stdout + verified.stderr
