"""The handover's rules, without a store: whose note it is, who reads it, what it may hold,
and when a configured shift end has come."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from console.domain.enums import Role
from console.domain.errors import Forbidden, Invalid
from console.domain.handover import (
    BODY_MAX,
    checked_body,
    codes_in,
    hands_over,
    may_read,
    scope_key,
    shift_end_between,
    write_refusal,
)
from console.domain.policy import Actor
from console.i18n import say

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("actor", "key", "writes"),
    [
        (Actor("op", Role.OPERATOR, street="LJ01"), "street:LJ01", True),
        (Actor("sup", Role.SUPERVISOR, street="LJ01"), "street:LJ01", True),
        (Actor("sup.d", Role.SUPERVISOR), "district", True),
        (Actor("lead", Role.LEADER, street="LJ01"), "street:LJ01", False),
        (Actor("lead.d", Role.LEADER), "district", False),
        (Actor("co", Role.COMMUNITY, community="LJ0101"), "community:LJ0101", True),
        (Actor("gw", Role.GRID_WORKER, grid="LJ010101"), "grid:LJ010101", False),
        (Actor("sec", Role.SECTION, unit="S-LJ01-CG"), "unit:S-LJ01-CG", False),
        (Actor("li", Role.LIAISON, unit="CG"), "unit:CG", False),
        (Actor("trainer", Role.TRAINER), "district", False),
        (Actor("admin", Role.ADMIN), "district", False),
        (Actor("gw.none", Role.GRID_WORKER), None, False),
        (Actor("co.none", Role.COMMUNITY), None, False),
    ],
)
def test_each_role_hands_over_to_its_own_place(actor: Actor, key: str | None, writes: bool) -> None:
    assert scope_key(actor) == key
    assert hands_over(actor) is writes
    assert (write_refusal(actor) is None) is writes


def test_a_trainer_hands_over_nothing_even_in_a_training_store() -> None:
    refusal = write_refusal(Actor("trainer", Role.TRAINER, training=True))
    assert isinstance(refusal, Forbidden)
    assert say(refusal, "en") == "trainer (trainer) writes no handover"


def test_a_street_reads_its_own_handovers_and_the_district_reads_all() -> None:
    operator = Actor("op", Role.OPERATOR, street="LJ01")
    leader = Actor("lead", Role.LEADER, street="LJ01")
    district = Actor("sup.d", Role.SUPERVISOR)
    for reader in (operator, leader):
        assert may_read(reader, "street:LJ01")
        assert not may_read(reader, "street:LJ02")
        assert not may_read(reader, "district")
    assert all(may_read(district, s) for s in ("street:LJ02", "community:LJ0101", "district"))
    community = Actor("co", Role.COMMUNITY, community="LJ0101")
    assert may_read(community, "community:LJ0101") and not may_read(community, "street:LJ01")


def test_the_body_is_kept_without_trailing_blanks_and_refused_when_empty_or_too_long() -> None:
    assert (
        checked_body("  \n交班说明：  \n 盯紧 E2026-0000001   \n\n")
        == "交班说明：\n 盯紧 E2026-0000001"
    )
    with pytest.raises(Invalid) as empty:
        checked_body(" \n\t\n")
    assert say(empty.value, "en").startswith("the handover is empty")
    with pytest.raises(Invalid) as long:
        checked_body("字" * (BODY_MAX + 1))
    assert say(long.value, "en") == (
        f"a handover holds at most {BODY_MAX} characters; this one has {BODY_MAX + 1}"
    )
    assert say(long.value, "zh") == f"交接班最多 {BODY_MAX} 个字，现有 {BODY_MAX + 1} 个字"


@pytest.mark.parametrize("bad", ["\x1b]2;pwned\x07", "反转\u202e", "C1 \x9b31m", "NUL\x00"])
def test_the_body_holds_no_escape_bidi_or_control_character(bad: str) -> None:
    # The next shift reads it on their terminal; only the console's paste door kept these out.
    with pytest.raises(Invalid) as refused:
        checked_body(f"交班说明：{bad}")
    assert say(refused.value, "en").startswith("handover note")
    assert checked_body("交班：\n\t盯紧") == "交班：\n\t盯紧"  # lines and tabs are text


def test_the_codes_a_note_names_are_found_among_chinese_text() -> None:
    body = (
        "超期：E2026-0000123 已督办；C2026-0000042 待派遣。再提 E2026-0000123，E2026-00001234 不是"
    )
    assert codes_in(body) == ["E2026-0000123", "C2026-0000042"]


def _local(hour: int, minute: int, day: int = 3) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)


ENDS = (time(8, 30), time(17, 30))


def test_a_shift_end_is_found_once_as_the_clock_passes_it() -> None:
    assert shift_end_between(_local(17, 29), _local(17, 30), ENDS, SHANGHAI) == time(17, 30)
    # The next look, from where the last one ended: nothing more.
    assert shift_end_between(_local(17, 30), _local(17, 31), ENDS, SHANGHAI) is None
    assert shift_end_between(_local(9, 0), _local(17, 0), ENDS, SHANGHAI) is None
    # Across midnight, in UTC instants as the console holds them.
    since = _local(23, 0).astimezone(UTC)
    assert shift_end_between(since, since + timedelta(hours=10), ENDS, SHANGHAI) == time(8, 30)
    assert shift_end_between(_local(17, 0), _local(18, 0), (), SHANGHAI) is None
