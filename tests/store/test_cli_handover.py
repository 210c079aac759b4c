"""`gridcall handover list | show` as the signed-in user, within their scope: exit 0 with the
notes, 1 for a note they may not read or none yet, 2 for a number that is not one."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from console.db import Store
from console.services.handover import save_handover
from tests.services.helpers import NOW
from tests.store.identity import Desk

READER = "op.jiangbin2"  # the next shift of op.jiangbin1's street


def test_the_street_lists_and_shows_its_own_handovers(district: Store, tmp_path: Path) -> None:
    desk = Desk(district, tmp_path)
    older = save_handover(district, "op.jiangbin1", "江滨：早班无事", now=NOW).note
    ours = save_handover(
        district,
        "op.jiangbin1",
        "江滨：E2026-0000001 今晚回电\n井盖已报修",
        shift_began=NOW,
        now=NOW + timedelta(hours=9),
    ).note
    theirs = save_handover(district, "op.wangchao1", "望潮：注意积水", now=NOW).note

    listed = desk.ok(READER, "handover", "list")
    assert isinstance(listed, list)
    assert [n["id"] for n in listed] == [ours.id, older.id]  # newest first, their street's only
    assert listed[0]["cases"] == ["E2026-0000001"] and listed[0]["scope"] == "street:LJ01"
    assert [n["id"] for n in desk.ok(READER, "handover", "list", "--limit", "1")] == [ours.id]
    table = desk(READER, "handover", "list").out
    assert f"{ours.id}    11-18 19:00  op.jiangbin1" in table and "望潮" not in table

    assert desk.ok(READER, "handover", "show")["id"] == ours.id  # the latest of their scope
    shown = desk(READER, "handover", "show", str(ours.id))
    assert shown.code == 0, shown.err
    assert shown.out.splitlines() == [
        f"#{ours.id}  Handover · Jiangbin Street",
        "written by 潘嘉怡 (op.jiangbin1) at 11-18 19:00, shift from 11-18 10:00",
        "",
        "江滨：E2026-0000001 今晚回电",
        "井盖已报修",
    ]
    zh = desk(READER, "--lang", "zh", "handover", "show", str(ours.id))
    assert zh.out.splitlines()[:2] == [
        f"#{ours.id}  交接班 · 江滨街道",
        "潘嘉怡（op.jiangbin1）写于 11-18 19:00，本班自 11-18 10:00",
    ]
    # Another street's note reads exactly like one that is not there.
    desk.refused(READER, "handover", "show", str(theirs.id), says=f"no handover {theirs.id}")
    desk.refused(READER, "handover", "show", "999999", says="no handover 999999")

    district_wide = desk.ok("sup.district1", "handover", "list")
    assert isinstance(district_wide, list)
    assert {ours.id, older.id, theirs.id} <= {n["id"] for n in district_wide}
    assert desk.ok("sup.district1", "handover", "show", str(theirs.id))["body"] == "望潮：注意积水"


def test_none_yet_and_a_bad_number(district: Store, tmp_path: Path) -> None:
    desk = Desk(district, tmp_path)
    desk.refused("op.fengqi1", "handover", "show", says="no handover yet for Fengqi Street")
    assert desk("op.fengqi1", "handover", "list").out.strip() == "no handovers to read yet"
    desk.sign_in(READER)
    before = desk.events()
    bad = desk(READER, "handover", "show", "abc")
    assert bad.code == 2
    assert bad.err.strip() == "a handover's number is a whole number, not abc"
    assert desk.events() == before
