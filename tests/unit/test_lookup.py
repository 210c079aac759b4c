"""Finding categories and places as an operator types: CJK, codes, full-width input, English
names, addresses (console.queries.lookup)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from console.domain.enums import Role
from console.domain.policy import Actor
from console.domain.workflow import report_refusal
from console.queries.lookup import Hit, areas, category_path
from console.queries.lookup import categories as find_categories
from console.queries.reference import GRID_LEVELS, AreaInfo, Reference, Segment


def find_grids(ref: Reference, text: str, **within: object) -> list[Hit]:
    return areas(ref, text, GRID_LEVELS, **within)  # type: ignore[arg-type]


def codes(hits: list[Hit]) -> list[str]:
    return [h.code for h in hits]


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
        return report_refusal(operator, street=street, grid=grid.code) is None

    assert codes(find_grids(ref, "社区", allowed=allowed)) == [
        "LJ010101",
        "LJ010102",
        "LJ010201",
        "LJ01Z01",
    ]
    assert find_grids(ref, "潮鸣", allowed=allowed) == []


# --- roads --------------------------------------------------------------------------------------


@pytest.fixture
def on_roads(ref: Reference) -> Reference:
    """The small district with two roads: 凤凰山路 through three grids of 江滨街道 (two
    communities), 潮王路 through 望潮街道's one."""
    grid = {a.code: a.id for a in ref.areas.values()}
    roads = {
        "凤凰山路": [
            Segment("凤凰山路", 1, 60, grid["LJ010101"]),
            Segment("凤凰山路", 61, 140, grid["LJ010102"]),
            Segment("凤凰山路", 141, 200, grid["LJ010201"]),
        ],
        "潮王路": [Segment("潮王路", 1, 80, grid["LJ020101"])],
    }
    return replace(ref, roads=roads)


@pytest.mark.parametrize(
    "address", ["凤凰山路57号", "凤凰山路57", "凤凰山路 57号", "凤凰山路５７号"]
)
def test_a_road_and_number_find_the_grid_holding_the_number_first(
    on_roads: Reference, address: str
) -> None:
    hits = find_grids(on_roads, address)
    assert codes(hits) == ["LJ010101", "LJ010102", "LJ010201"]
    first = hits[0]
    assert first.in_address  # the form takes the text as the address
    assert first.segment is not None and (first.segment.first, first.segment.last) == (1, 60)
    assert codes(find_grids(on_roads, "凤凰山路100号"))[0] == "LJ010102"
    assert codes(find_grids(on_roads, "望江社区凤凰山路150号"))[0] == "LJ010201"


def test_a_road_alone_gives_the_grids_it_runs_through_along_it(on_roads: Reference) -> None:
    hits = find_grids(on_roads, "凤凰山路")
    assert codes(hits) == ["LJ010101", "LJ010102", "LJ010201"]
    assert [h.segment.first for h in hits if h.segment] == [1, 61, 141]
    # a number on no stretch of it: still the road's grids
    assert codes(find_grids(on_roads, "凤凰山路999号")) == ["LJ010101", "LJ010102", "LJ010201"]


def test_a_road_outside_the_operators_scope_finds_nothing(on_roads: Reference) -> None:
    operator = Actor("op", Role.OPERATOR, street="LJ01")

    def allowed(grid: AreaInfo) -> bool:
        assert grid.street_id is not None
        street = on_roads.areas[grid.street_id].code
        return report_refusal(operator, street=street, grid=grid.code) is None

    assert find_grids(on_roads, "潮王路12号", allowed=allowed) == []
    assert find_grids(on_roads, "潮王路12号", within="LJ01") == []
    assert codes(find_grids(on_roads, "潮王路12号")) == ["LJ020101"]
    # within a community, only the road's grids inside it
    assert codes(find_grids(on_roads, "凤凰山路150号", within="LJ0101")) == [
        "LJ010101",
        "LJ010102",
    ]
