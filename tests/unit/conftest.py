"""A small district for the pure tests: two streets, three communities, grids and a dedicated
grid, and a few categories of street order and drainage."""

from __future__ import annotations

import pytest

from console.domain.enums import AreaLevel, CaseKind, Step, UnitKind, Urgency
from console.domain.workflow import StepLimits
from console.queries.reference import AreaInfo, CategoryInfo, Reference

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
