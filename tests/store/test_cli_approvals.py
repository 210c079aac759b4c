"""Returns waiting for the centre (退回待批) and shelved cases' review days (挂账复核), from the
command line: the verbs, the flags that list them, what `case show` says."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from console.db import Store
from tests.store.identity import give_password
from tests.store.test_cli_actions import OPERATOR, SECTION, as_, new_case, sign_in
from tests.store.test_cli_actions import db as db

SUPERVISOR = "sup.jiangbin"


@pytest.fixture(scope="module")
def desk(db: tuple[str, Path]) -> tuple[str, Path]:
    url, tmp = db
    store = Store(url)
    give_password(store, SUPERVISOR)
    store.dispose()
    sign_in(SUPERVISOR, url, tmp)
    return db


def _json(ran: object) -> dict[str, object]:
    assert ran.returncode == 0, ran.stderr  # type: ignore[attr-defined]
    return json.loads(ran.stdout)  # type: ignore[attr-defined,no-any-return]


def test_a_return_waits_for_the_centre_and_is_listed_with_its_reason(
    desk: tuple[str, Path],
) -> None:
    code = new_case(desk)
    as_(OPERATOR, "case", "accept", code, db=desk)
    as_(OPERATOR, "case", "dispatch", code, "--unit", "S-LJ01-CG", db=desk)
    asked = _json(
        as_(SECTION, "case", "return", code, "--reason", "非本科室职责", "--json", db=desk)
    )
    assert asked["status"] == "dispatched" and asked["unit"] == "S-LJ01-CG"
    assert asked["return_reason"] == "非本科室职责"
    again = as_(SECTION, "case", "return", code, "--reason", "再退", db=desk)
    assert again.returncode == 1 and "already asked to return" in again.stderr
    shown = as_(OPERATOR, "case", "show", code, db=desk)
    assert "return requested" in shown.stdout and "非本科室职责" in shown.stdout
    listed = as_(OPERATOR, "case", "list", "--return-requested", db=desk)
    line = next(x for x in listed.stdout.splitlines() if code in x)
    assert "return requested" in line and "非本科室职责" in line
    refused = as_(OPERATOR, "case", "refuse-return", code, db=desk)
    assert refused.returncode == 2 and "reason" in refused.stderr
    back = _json(as_(OPERATOR, "case", "approve-return", code, "--json", db=desk))
    assert back["status"] == "accepted" and back["returned_units"] == ["S-LJ01-CG"]
    listed = as_(OPERATOR, "case", "list", "--return-requested", db=desk)
    assert code not in listed.stdout


def test_a_suspension_names_its_review_day_and_a_review_sets_the_next(
    desk: tuple[str, Path],
) -> None:
    code = new_case(desk)
    as_(OPERATOR, "case", "accept", code, db=desk)
    bare = as_(SUPERVISOR, "case", "suspend", code, "--reason", "等待政策", db=desk)
    assert bare.returncode == 2 and "review on" in bare.stderr
    bad = as_(SUPERVISOR, "case", "suspend", code, "--reason", "x", "--review-on", "soon", db=desk)
    assert bad.returncode == 2 and "--review-on soon" in bad.stderr
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the centre's day
    past = as_(
        SUPERVISOR, "case", "suspend", code, "--reason", "x", "--review-on", str(today), db=desk
    )
    assert past.returncode == 2 and "after today" in past.stderr
    day = today + timedelta(days=10)
    shelved = _json(
        as_(SUPERVISOR, "case", "suspend", code, "--reason", "等待政策", "--review-on",
            str(day), "--json", db=desk)
    )  # fmt: skip
    assert shelved["status"] == "suspended" and shelved["review_on"] == str(day)
    assert shelved["review_light"] == "green"
    shown = as_(SUPERVISOR, "case", "show", code, db=desk)
    assert f"{day}  on time" in shown.stdout
    assert code not in as_(SUPERVISOR, "case", "list", "--review-due", db=desk).stdout
    later = today + timedelta(days=20)
    reviewed = _json(
        as_(SUPERVISOR, "case", "review", code, "--text", "仍待政策", "--review-on", str(later),
            "--json", db=desk)
    )  # fmt: skip
    assert reviewed["review_on"] == str(later) and reviewed["timeline"][0]["action"] == "review"
    operator = as_(OPERATOR, "case", "review", code, "--text", "x", "--review-on", str(later),
                   db=desk)  # fmt: skip
    assert operator.returncode == 1
