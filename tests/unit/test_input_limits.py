"""Typed input (#20): one set of limits that fits the columns, checked before the store; text
made inert on the way out; extensions within a horizon; a clock that answers for any time."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import String

from console.domain import limits
from console.domain.actions import Action
from console.domain.enums import Source, Status
from console.domain.errors import Invalid
from console.domain.intake import NewCase, check_new_case
from console.domain.photos import image_kind, is_address
from console.domain.sla import SlaClock
from console.domain.workflow import Params, check_params, decide, replay
from console.models import Case, SavedView, User
from console.present import escaped, inert, json_text
from tests.conftest import refused
from tests.unit.test_workflow import CTX, LIAISON, NOW, SUPERVISOR, state_in

CASE = NewCase(
    title="占道经营", category="010203", grid="LJ010101", address="江滨路12号", source=Source.APP
)
UNSAFE = ("\x1b", "\x00", "\x9b", "\u202e", "\u2066", "\udcff")


@pytest.mark.parametrize(
    "column, most",
    [
        (Case.__table__.c.title, limits.TITLE_MAX),
        (Case.__table__.c.address, limits.ADDRESS_MAX),
        (Case.__table__.c.reporter_name, limits.REPORTER_NAME_MAX),
        (Case.__table__.c.reporter_phone, limits.PHONE_MAX),
        (User.__table__.c.name, limits.USER_NAME_MAX),
        (SavedView.__table__.c.name, limits.VIEW_NAME_MAX),
    ],
)
def test_every_limit_fits_its_column(column, most: int) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(column.type, String) and column.type.length == most


@pytest.mark.parametrize(
    "change, says",
    [
        ({"title": "长" * 201}, "title is longer than 200"),
        ({"address": "号" * 201}, "address is longer than 200"),
        ({"address": "号" * 1_000_000}, "address is longer than 200"),
        ({"reporter_name": "王" * 65}, "reporter's name is longer than 64"),
        ({"reporter_phone": "1" * 33}, "phone is longer than 32"),
        ({"reporter_phone": "139-0000-1111 ext"}, "phone number holds 5 to 15 digits"),
        ({"reporter_phone": "1234"}, "phone number holds 5 to 15 digits"),
        ({"description": "说" * 4001}, "description is longer than 4000"),
        (
            {"title": "标题\x1b]2;pwned\x07"},
            r"title holds an invisible control character \(U\+001B\)",
        ),
        ({"title": "反转\u202e文字"}, r"U\+202E"),
        ({"address": "江滨路\x00"}, r"address holds .* \(U\+0000\)"),
        ({"description": "C1 \x9b31m"}, r"U\+009B"),
        ({"title": "bad \udcff bytes"}, "title is not valid UTF-8"),
    ],
)
def test_a_new_case_is_refused_naming_the_field(change: dict[str, str], says: str) -> None:
    with refused(Invalid, says):
        check_new_case(replace(CASE, **change))


def test_a_new_case_is_stored_trimmed_with_its_phone_compact() -> None:
    checked = check_new_case(
        replace(
            CASE,
            title=" 占道 ",
            description="第一行\n第二行\t完",
            reporter_name="  ",
            reporter_phone="(0571) 8888-1234",
        )
    )
    assert (checked.title, checked.reporter_name, checked.reporter_phone) == (
        "占道",
        None,
        "057188881234",
    )
    assert checked.description == "第一行\n第二行\t完"  # a multi-line text keeps its lines
    zh = "标题不能超过 200 个字"
    with refused(Invalid, zh, "zh"):
        check_new_case(replace(CASE, title="长" * 201))


@pytest.mark.parametrize(
    "params, says",
    [
        (Params(text="注" * 2001), "text is longer than 2000"),
        (Params(reason="\x1b[2J"), "reason holds an invisible control character"),
        (Params(result="ok\x00"), "result holds"),
        (Params(comment="\u2067"), "comment holds"),
        (Params(instruction="\udcc3"), "instruction is not valid UTF-8"),
        (Params(unit="U-\x00"), "unit holds"),
        (Params(other_case="E" * 33), "original case code is longer than 32"),
        (Params(photo="x" * 1001), "photo is longer than 1000"),
    ],
)
def test_an_actions_texts_are_checked(params: Params, says: str) -> None:
    with refused(Invalid, says):
        check_params(params)


def test_a_note_may_run_over_lines() -> None:
    check_params(Params(text="第一行\n第二行"))


@pytest.mark.parametrize(
    "head, kind",
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "png"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "webp"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "heic"),
        (b"GIF89a", None),
        (b"%PDF-1.7", None),
        (b"", None),
    ],
)
def test_a_photo_is_told_by_its_first_bytes(head: bytes, kind: str | None) -> None:
    assert image_kind(head) == kind


def test_a_photo_address_needs_a_host() -> None:
    assert is_address("https://img.example.org/cases/1.jpg")
    assert not is_address("https://")
    assert not is_address("ftp://img.example.org/1.jpg")
    assert not is_address("/photos/1.jpg")


def test_output_is_inert_and_json_escapes_what_json_dumps_keeps() -> None:
    hostile = "标题\x1b]2;T\x1b\\ \x9b31m \u202e反 \u2066 \x00 \udcff"
    for shown in (inert(hostile), escaped(hostile), json_text({"title": hostile})):
        assert not any(ch in shown for ch in UNSAFE), repr(shown)
    assert "\\xff" in escaped(hostile)  # a byte that was not UTF-8 shows as that byte
    assert escaped("两行\n\t缩进") == "两行\n\t缩进"
    text = json_text({"title": hostile})
    assert "\\u009b" in text and "\\u202e" in text and "标题" in text


def test_an_extension_ends_ahead_and_within_a_year() -> None:
    overdue = replace(state_in(Status.IN_PROGRESS), deadline_at=NOW - timedelta(days=3))
    for until, says in (
        (NOW - timedelta(days=1), "must end in the future"),
        (NOW + timedelta(days=366), "at most 365 days ahead"),
        (datetime(9999, 12, 31, 15, 59, tzinfo=UTC), "at most 365 days ahead"),
    ):
        with refused(Invalid, says):
            decide(overdue, LIAISON, Action.EXTEND, Params(reason="需协调", until=until), CTX)
    asked = decide(
        overdue,
        LIAISON,
        Action.EXTEND,
        Params(reason="需协调", until=NOW + timedelta(days=365)),
        CTX,
    )
    assert asked.state.ext_until == NOW + timedelta(days=365)


def test_a_stored_extension_beyond_the_horizon_can_be_refused_not_approved() -> None:
    far = datetime(9999, 12, 31, 15, 59, tzinfo=UTC)
    stuck = replace(state_in(Status.IN_PROGRESS), ext_until=far, ext_reason="旧版本写入")
    with refused(Invalid, "at most 365 days ahead"):
        decide(stuck, SUPERVISOR, Action.APPROVE_EXTENSION, Params(), CTX)
    freed = decide(stuck, SUPERVISOR, Action.REFUSE_EXTENSION, Params(reason="太久"), CTX)
    assert freed.state.ext_until is None
    # The trail of an older release may hold such a request, or one into the past: replaying
    # it (gridcall audit verify) must not fail on a rule it was not asked under.
    past = NOW + timedelta(hours=6)
    later = replace(CTX, now=NOW + timedelta(days=30))
    replayed = replay(
        state_in(Status.IN_PROGRESS), Action.EXTEND, Params("r", until=past), later, "x"
    )
    assert replayed.state.ext_until == past


@pytest.mark.parametrize(
    "start, end",
    [
        (
            datetime(2026, 12, 1, tzinfo=UTC),
            datetime(9999, 12, 31, 23, 59, tzinfo=ZoneInfo("Asia/Shanghai")),
        ),
        (datetime(1, 1, 2, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)),
        (datetime(9999, 12, 30, tzinfo=UTC), datetime(9999, 12, 31, tzinfo=UTC)),
    ],
)
def test_the_clock_answers_for_any_stored_time(start: datetime, end: datetime) -> None:
    clock = SlaClock()
    for working in (True, False):
        warn = clock.warn_at(start, end, working=working)
        assert warn <= end
        assert clock.remaining(start, end, working=working) >= 0
        assert clock.elapsed(start, end, working=working) >= 0
    clock.add(end, 600, working=True)  # from a time far ahead, too, an answer
