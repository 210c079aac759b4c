"""Finding a subcategory or a grid from what an operator types: names, codes, an address.

Pure functions over the reference data — no I/O, no Textual — so the intake form can search on
every key press and tests can check the matching directly. Text is compared NFKC-folded: a
Chinese input method may produce full-width digits and letters (０１０２, ＬＪ), which fold to
ASCII; CJK characters are unchanged, so 占道 finds 占道经营.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from console.domain.enums import AreaLevel
from console.queries.reference import AreaInfo, CategoryInfo, Reference

GRID_LEVELS = (AreaLevel.GRID, AreaLevel.DEDICATED)
DEDICATED_MARK = "◆"  # how a dedicated grid (a school, a market…) is told from a grid in lists
# A grid or area code as typed: letters then digits (LJ0101, lj010101).
_AREA_CODE = re.compile(r"[a-z]{2}\d+")
# Suffixes dropped to find a community inside an address: "望江社区" is often said "望江".
_PLACE_SUFFIXES = ("社区", "村", "街道", "镇")
# Matches returned at most: a few screens of the list; typing one more character is quicker
# than scrolling further, and a long list costs time to draw on every key.
LIMIT = 20


def fold(text: str) -> str:
    """Text as compared: NFKC-normalised and casefolded."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


def _names(*infos: AreaInfo | CategoryInfo) -> str:
    return " ".join(fold(n) for i in infos for n in (i.name, i.name_en or "") if n)


# --- categories ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryHit:
    info: CategoryInfo  # a subcategory: the only level a case can be registered under
    path: tuple[CategoryInfo, ...]  # its module and category


def category_path(ref: Reference, info: CategoryInfo) -> tuple[CategoryInfo, ...]:
    """The module and category above a subcategory, top first."""
    out: list[CategoryInfo] = []
    parent = info.parent_id
    while parent is not None:
        above = ref.categories[parent]
        out.append(above)
        parent = above.parent_id
    return tuple(reversed(out))


def find_categories(ref: Reference, query: str, *, limit: int = LIMIT) -> list[CategoryHit]:
    """Subcategories matching every word typed: a digit word is a code prefix (0102 gives the
    subcategories of street order), any other word a part of a name in the subcategory or the
    module and category above it. Best first: code, own name, then the path's names."""
    words = fold(query).split()
    if not words:
        return []
    whole = "".join(words)
    ranked: list[tuple[int, str, CategoryHit]] = []
    for info in ref.categories.values():
        if not info.is_leaf:
            continue
        path = category_path(ref, info)
        own = _names(info)
        above = _names(*path)
        rank = 4
        for word in words:
            if word.isdigit():
                if not info.code.startswith(word):
                    break
                rank = min(rank, 0 if word == info.code else 1)
            elif word in own:
                rank = min(rank, 2 if fold(info.name).startswith(whole) else 3)
            elif word not in above:
                break
        else:
            ranked.append((rank, info.code, CategoryHit(info, path)))
    ranked.sort(key=lambda r: (r[0], r[1]))
    return [hit for _, _, hit in ranked[:limit]]


# --- grids --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GridHit:
    grid: AreaInfo  # a grid or a dedicated grid: where a case is registered
    path: tuple[AreaInfo, ...]  # street, community, grid
    in_address: bool = False  # found named inside the text typed: that text is an address


Ranked = tuple[int, str, GridHit]


def _short(name: str) -> str:
    for suffix in _PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _forward(words: list[str], whole: str, grid: AreaInfo, path: list[AreaInfo]) -> int | None:
    """How well a grid answers the words typed (lower is better), None if it does not: every
    word is found in its code (a prefix) or in its own, its community's or its street's names."""
    code = fold(grid.code)
    own = _names(grid)
    around = _names(*(a for a in path if a is not grid))
    rank = 6
    for word in words:
        if _AREA_CODE.fullmatch(word):
            if not code.startswith(word):
                return None
            rank = min(rank, 0 if word == code else 3)
        elif word in own:
            rank = min(rank, 1 if fold(grid.name) == whole else 2)
        elif word in around:
            rank = min(rank, 4)
        else:
            return None
    return rank


def _backward(whole: str, grid: AreaInfo, path: list[AreaInfo]) -> int | None:
    """For an address typed or pasted whole ("望江社区清泰街12号"): the text holds the grid's
    name (rank 1), or its community's name, also without 社区/村 (rank 5)."""
    if fold(grid.name) in whole:
        return 1
    for area in path:
        if area.level is AreaLevel.COMMUNITY:
            name = fold(area.name)
            if name in whole or _short(name) in whole:
                return 5
    return None


def find_grids(
    ref: Reference,
    query: str,
    *,
    allowed: Callable[[AreaInfo], bool] = lambda _: True,
    limit: int = LIMIT,
) -> list[GridHit]:
    """Grids and dedicated grids for a query: a grid's name or code, a community's or a street's
    name (narrows to their grids); when nothing answers that, the query is read as an address
    and the grids or communities it names are found in it. `allowed` drops the grids this user
    may not register in. Best first; then by code."""
    words = fold(query).split()
    if not words:
        return []
    whole = "".join(words)
    grids = [
        (grid, ref.path(grid.id))
        for grid in ref.areas.values()
        if grid.level in GRID_LEVELS and allowed(grid)
    ]

    def ranked_by(
        rank_of: Callable[[AreaInfo, list[AreaInfo]], int | None], in_address: bool
    ) -> list[Ranked]:
        out = []
        for grid, path in grids:
            rank = rank_of(grid, path)
            if rank is not None:
                out.append((rank, grid.code, GridHit(grid, tuple(path), in_address)))
        return out

    ranked = ranked_by(lambda g, p: _forward(words, whole, g, p), False) or ranked_by(
        lambda g, p: _backward(whole, g, p), True
    )
    ranked.sort(key=lambda r: (r[0], r[1]))
    return [hit for _, _, hit in ranked[:limit]]
