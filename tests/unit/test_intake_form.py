"""The intake form's pure parts: who may register where, the phone check, what stops a save,
and the deadlines shown."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from console.domain.enums import Role, Source, UnitKind, Urgency
from console.domain.errors import Forbidden
from console.domain.policy import Actor
from console.domain.sla import SlaClock
from console.domain.workflow import Context, open_case, report_refusal
from console.queries.reference import Reference
from console.views.viewmodels.intake import (
    Draft,
    deadlines,
    phone_number,
    problem_text,
    span_text,
)
from tests.unit.conftest import LIMITS

FRIDAY_EVENING = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # 18:00 in Shanghai, after hours


def test_who_may_register_where() -> None:
    assert report_refusal(Actor("op", Role.OPERATOR, street="LJ01")) is None
    assert report_refusal(Actor("op", Role.OPERATOR, street="LJ01"), street="LJ01") is None
    assert isinstance(
        report_refusal(Actor("op", Role.OPERATOR, street="LJ01"), street="LJ02"), Forbidden
    )
    assert report_refusal(Actor("sup", Role.SUPERVISOR), street="LJ02") is None  # district-wide
    assert isinstance(report_refusal(Actor("cg", Role.LIAISON, unit="U-CG")), Forbidden)
    worker = Actor("gw", Role.GRID_WORKER, grid="LJ010101")
    assert report_refusal(worker, grid="LJ010101") is None
    assert isinstance(report_refusal(worker, grid="LJ010102"), Forbidden)


# --- the form -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("", ""),
        ("13800001111", "13800001111"),
        ("138 0000 1111", "13800001111"),
        ("+86 138-0000-1111", "+8613800001111"),
        ("(0571) 8765 4321", "057187654321"),
        ("１３８００００１１１１", "13800001111"),
        ("12345", "12345"),
        ("1234", None),
        ("call me", None),
        ("138 0000 1111 转 8", None),
        ("1" * 16, None),
    ],
)
def test_phone_numbers_are_checked_loosely(typed: str, stored: str | None) -> None:
    assert phone_number(typed) == stored


def _draft(**changes: object) -> Draft:
    values: dict[str, object] = {
        "source": Source.HOTLINE,
        "title": "下穿通道积水",
        "description": "",
        "category": "010705",
        "category_query": "010705 下穿通道积水",
        "urgency": None,
        "grid": "LJ010101",
        "grid_query": "望江社区第1网格 LJ010101",
        "address": "望江东路下穿通道",
        "reporter_name": "",
        "reporter_phone": "",
    }
    return Draft(**(values | changes))  # type: ignore[arg-type]


def test_a_complete_draft_has_no_problems_and_becomes_the_service_input() -> None:
    draft = _draft(reporter_name=" 张先生 ", reporter_phone="138 0000 1111", title=" 积水 ")
    assert draft.problems() == {}
    new = draft.new_case()
    assert (new.title, new.reporter_name, new.reporter_phone) == ("积水", "张先生", "13800001111")
    assert new.urgency is None and new.source is Source.HOTLINE
    assert _draft().new_case().reporter_name is None


def test_what_stops_a_save_is_named_per_field() -> None:
    empty = _draft(
        title=" ", category=None, category_query="", grid=None, grid_query="", address=""
    )
    assert empty.problems() == {
        "title": "intake.required",
        "category": "intake.required",
        "grid": "intake.required",
        "address": "intake.required",
    }
    typed = _draft(category=None, category_query="占", reporter_phone="12")
    assert typed.problems() == {"category": "intake.choose", "phone": "intake.bad_phone"}
    assert problem_text({"title": "intake.required"}, "zh") == "标题：必填"
    assert problem_text(typed.problems(), "en") == (
        "Category: choose one from the list · Phone: 5–15 digits"
    )


def test_the_deadlines_shown_are_the_ones_the_domain_gives_the_case(ref: Reference) -> None:
    clock = SlaClock()
    category = ref.category_by_code["010203"]
    due = deadlines(clock, category, None, FRIDAY_EVENING)
    ctx = Context(FRIDAY_EVENING, clock, lambda _c: LIMITS, lambda _u: UnitKind.DEPARTMENT)
    opened = open_case(
        Actor("op", Role.OPERATOR, street="LJ01"),
        code="E2026-0000001",
        street="LJ01",
        grid="LJ010101",
        category="010203",
        urgency=Urgency.NORMAL,
        ctx=ctx,
    )
    assert due.accept_by == opened.state.deadline_at
    # Friday 18:00 is after hours: the hour counts from Monday 08:30 in Shanghai
    assert due.accept_by == datetime(2026, 11, 23, 1, 30, tzinfo=UTC)
    assert (due.urgency, due.working, due.accept_minutes, due.handle_minutes) == (
        Urgency.NORMAL,
        True,
        60,
        1350,
    )
    assert due.handled_by == clock.add(FRIDAY_EVENING, 60 + 120 + 240 + 1350, working=True)


def test_an_urgent_category_runs_on_the_wall_clock_unless_the_operator_says_normal(
    ref: Reference,
) -> None:
    clock = SlaClock()
    underpass = ref.category_by_code["010705"]
    urgent = deadlines(clock, underpass, None, FRIDAY_EVENING)
    assert (urgent.urgency, urgent.working) == (Urgency.URGENT, False)
    assert urgent.accept_by == datetime(2026, 11, 20, 10, 10, tzinfo=UTC)
    assert urgent.handled_by == FRIDAY_EVENING + timedelta(minutes=10 + 15 + 30 + 240)
    normal = deadlines(clock, underpass, Urgency.NORMAL, FRIDAY_EVENING)
    assert (normal.urgency, normal.working, normal.accept_minutes) == (Urgency.NORMAL, True, 60)


@pytest.mark.parametrize(
    ("minutes", "working", "zh", "en"),
    [
        (1350, True, "3个工作日", "3 working day(s)"),
        (60, True, "1个工作小时", "1 working hour(s)"),
        (90, True, "90工作分钟", "90 working min"),
        (240, False, "4小时", "4 h"),
        (1440, False, "1天", "1 day(s)"),
        (10, False, "10分钟", "10 min"),
    ],
)
def test_limits_read_as_an_operator_says_them(
    minutes: int, working: bool, zh: str, en: str
) -> None:
    assert span_text(minutes, working, 450, "zh") == zh
    assert span_text(minutes, working, 450, "en") == en
