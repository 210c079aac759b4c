"""The intake form's pure parts: finding categories and grids as an operator types (CJK, codes,
full-width input, addresses), the phone check, what stops a save, and the deadlines shown."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from console.domain.enums import AreaLevel, CaseKind, Role, Source, Step, UnitKind, Urgency
from console.domain.errors import Forbidden
from console.domain.sla import SlaClock
from console.domain.workflow import Actor, Context, StepLimits, new_refusal, open_case
from console.queries.reference import AreaInfo, CategoryInfo, Reference
from console.views.viewmodels.intake import (
    Draft,
    deadlines,
    phone_number,
    problem_text,
    span_text,
)
from console.views.viewmodels.lookup import category_path, find_categories, find_grids

FRIDAY_EVENING = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # 18:00 in Shanghai, after hours
LIMITS = StepLimits(
    normal={
        Step.ACCEPT: 60,
        Step.DISPATCH: 120,
        Step.SIGN: 240,
        Step.HANDLE: 1350,
        Step.VERIFY: 450,
    },
    urgent={Step.ACCEPT: 10, Step.DISPATCH: 15, Step.SIGN: 30, Step.HANDLE: 240, Step.VERIFY: 60},
)


def _area(
    id: int,
    code: str,
    name: str,
    level: AreaLevel,
    parent: int | None,
    street: int | None = None,
    community: int | None = None,
    name_en: str | None = None,
    kind: str | None = None,
) -> AreaInfo:
    return AreaInfo(
        id, code, name, name_en, level, parent, street, community, None, kind, 400, 1000, None, None
    )


def _category(
    id: int,
    code: str,
    name: str,
    name_en: str,
    parent: int | None,
    level: str,
    urgency: Urgency | None = None,
) -> CategoryInfo:
    leaf = level == "sub"
    return CategoryInfo(
        id,
        code,
        parent,
        level,
        name,
        name_en,
        CaseKind.EVENT if leaf else None,
        UnitKind.DEPARTMENT if leaf else None,
        "U-SW" if leaf else None,
        urgency,
        LIMITS if leaf else None,
    )


@pytest.fixture(scope="module")
def ref() -> Reference:
    A = AreaLevel
    areas = [
        _area(1, "LJ", "临江区", A.DISTRICT, None),
        _area(2, "LJ01", "江滨街道", A.STREET, 1, name_en="Jiangbin Street"),
        _area(3, "LJ02", "望潮街道", A.STREET, 1, name_en="Wangchao Street"),
        _area(4, "LJ0101", "望江社区", A.COMMUNITY, 2, 2, name_en="Wangjiang Community"),
        _area(5, "LJ0102", "江锦社区", A.COMMUNITY, 2, 2, name_en="Jiangjin Community"),
        _area(6, "LJ0201", "潮鸣社区", A.COMMUNITY, 3, 3, name_en="Chaoming Community"),
        _area(7, "LJ010101", "望江社区第1网格", A.GRID, 4, 2, 4),
        _area(8, "LJ010102", "望江社区第2网格", A.GRID, 4, 2, 4),
        _area(9, "LJ010201", "江锦社区第1网格", A.GRID, 5, 2, 5),
        _area(10, "LJ020101", "潮鸣社区第1网格", A.GRID, 6, 3, 6),
        _area(11, "LJ01Z01", "江滨中学", A.DEDICATED, 4, 2, 4, kind="school"),
        _area(12, "LJ01010101", "小营巷14号院", A.MICRO, 7, 2, 4),
    ]
    categories = [
        _category(1, "01", "城市管理", "Urban management", None, "module"),
        _category(2, "0101", "市政设施", "Municipal facilities", 1, "category"),
        _category(3, "010102", "井盖破损", "Damaged manhole cover", 2, "sub"),
        _category(4, "0102", "街面秩序", "Street order", 1, "category"),
        _category(5, "010201", "店外经营", "Trading outside the shopfront", 4, "sub"),
        _category(6, "010203", "占道经营", "Occupying the road for business", 4, "sub"),
        _category(7, "0107", "排水与河道", "Drainage and waterways", 1, "category"),
        _category(8, "010704", "道路积水", "Standing water on the road", 7, "sub"),
        _category(
            9, "010705", "下穿通道积水", "Flooded underpass", 7, "sub", urgency=Urgency.URGENT
        ),
    ]
    out = Reference(areas={a.id: a for a in areas}, categories={c.id: c for c in categories})
    out.area_by_code = {a.code: a for a in areas}
    out.category_by_code = {c.code: c for c in categories}
    return out


def codes(hits: list) -> list[str]:
    return [h.info.code if hasattr(h, "info") else h.grid.code for h in hits]


# --- categories ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("占道", ["010203"]),
        ("积水", ["010704", "010705"]),
        ("下穿", ["010705"]),
        # a code is a prefix: 0102 is street order, not the "0102" inside 010102
        ("0102", ["010201", "010203"]),
        ("０１０２", ["010201", "010203"]),  # full-width digits from a Chinese input method
        ("010705", ["010705"]),
        ("ROAD business", ["010203"]),  # English names, any case
        ("城市管理 积水", ["010704", "010705"]),  # the module's name narrows too
        ("排水 下穿", ["010705"]),
        ("街面秩序", ["010201", "010203"]),  # a category's name gives its subcategories
        ("火星", []),
        ("   ", []),
    ],
)
def test_categories_match_names_and_codes(ref: Reference, query: str, expected: list[str]) -> None:
    assert codes(find_categories(ref, query)) == expected


def test_categories_rank_a_code_and_a_name_prefix_first(ref: Reference) -> None:
    assert codes(find_categories(ref, "01"))[0] == "010102"  # every sub; by code
    # 道路积水 starts with 道路; 占道经营 only contains 道 — prefix first
    assert codes(find_categories(ref, "道"))[:2] == ["010704", "010203"]


def test_category_path_is_module_then_category(ref: Reference) -> None:
    hit = find_categories(ref, "占道")[0]
    assert [c.name for c in hit.path] == ["城市管理", "街面秩序"]
    assert category_path(ref, ref.category_by_code["010705"])[-1].code == "0107"


# --- grids --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # a community's name narrows to its grids, dedicated ones included
        ("望江社区", ["LJ010101", "LJ010102", "LJ01Z01"]),
        ("望江", ["LJ010101", "LJ010102", "LJ01Z01"]),
        ("望江社区第2网格", ["LJ010102"]),
        ("望江 2", ["LJ010102"]),
        ("江滨中学", ["LJ01Z01"]),
        ("LJ010101", ["LJ010101"]),
        ("lj0102", ["LJ010201"]),  # a code prefix, any case
        ("ＬＪ０２", ["LJ020101"]),  # full-width
        ("wangjiang", ["LJ010101", "LJ010102", "LJ01Z01"]),
        ("潮鸣", ["LJ020101"]),
        ("火星", []),
    ],
)
def test_grids_match_names_codes_and_communities(
    ref: Reference, query: str, expected: list[str]
) -> None:
    assert codes(find_grids(ref, query)) == expected


def test_an_address_typed_whole_narrows_to_its_community(ref: Reference) -> None:
    hits = find_grids(ref, "望江社区清泰街12号")
    assert codes(hits) == ["LJ010101", "LJ010102", "LJ01Z01"]
    assert all(h.in_address for h in hits)  # the form takes the text as the address
    assert not any(h.in_address for h in find_grids(ref, "望江社区"))
    assert codes(find_grids(ref, "望江清泰街12号3单元")) == ["LJ010101", "LJ010102", "LJ01Z01"]
    # an address naming the grid itself puts that grid first
    assert codes(find_grids(ref, "望江社区第2网格清泰街12号"))[0] == "LJ010102"


def test_a_street_gives_its_grids_and_micro_grids_never_show(ref: Reference) -> None:
    found = codes(find_grids(ref, "江滨街道"))
    assert found == ["LJ010101", "LJ010102", "LJ010201", "LJ01Z01"]
    assert "LJ01010101" not in codes(find_grids(ref, "小营巷"))


def test_grids_outside_what_the_user_may_register_are_left_out(ref: Reference) -> None:
    operator = Actor("op", Role.OPERATOR, street="LJ01")

    def allowed(grid: AreaInfo) -> bool:
        assert grid.street_id is not None
        street = ref.areas[grid.street_id].code
        return new_refusal(operator, street=street, grid=grid.code) is None

    assert codes(find_grids(ref, "社区", allowed=allowed)) == [
        "LJ010101",
        "LJ010102",
        "LJ010201",
        "LJ01Z01",
    ]
    assert find_grids(ref, "潮鸣", allowed=allowed) == []


def test_who_may_register_where() -> None:
    assert new_refusal(Actor("op", Role.OPERATOR, street="LJ01")) is None
    assert new_refusal(Actor("op", Role.OPERATOR, street="LJ01"), street="LJ01") is None
    assert isinstance(
        new_refusal(Actor("op", Role.OPERATOR, street="LJ01"), street="LJ02"), Forbidden
    )
    assert new_refusal(Actor("sup", Role.SUPERVISOR), street="LJ02") is None  # district-wide
    assert isinstance(new_refusal(Actor("cg", Role.LIAISON, unit="U-CG")), Forbidden)
    worker = Actor("gw", Role.GRID_WORKER, grid="LJ010101")
    assert new_refusal(worker, grid="LJ010101") is None
    assert isinstance(new_refusal(worker, grid="LJ010102"), Forbidden)


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
