"""Reading the demo district's seed files (seeds/*.toml, seeds/*.csv) into typed rows.

The files are data, written by hand or by a throwaway script; this module is the only place that
knows their columns. `load_seeds` converts every value to its type (ints, floats, the enums of
`console.domain.enums`, empty cells to None) and checks every reference between the files, so a
broken seed fails here, naming the file and the line, and not half-way through a store load.
"""

from __future__ import annotations

import csv
import string
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeVar

from console.domain.enums import (
    CaseKind,
    DedicatedKind,
    Grade,
    Level,
    Rating,
    Role,
    Step,
    UnitKind,
    Urgency,
)
from console.domain.workflow import LevelLimits

# The repository's seeds/ folder, which pyproject.toml maps into the package as console.seeds:
# asked of the import system, it is found in a wheel and an editable checkout alike.
SEEDS_DIR: Path = Path(str(files("console.seeds")))

PLACEHOLDERS: frozenset[str] = frozenset({"road", "n", "estate", "building", "community", "place"})
LEVELS: tuple[str, ...] = ("module", "category", "sub")
SECTION_WILDCARD = "S-*-"  # "S-*-CG": the CG section of the case's own street


class SeedError(ValueError):
    """A seed file is missing, malformed, or refers to something that does not exist."""


# ---------------------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class DistrictRow:
    code: str
    name: str
    name_en: str
    timezone: str
    households: int
    population: int
    lat: float
    lon: float


@dataclass(frozen=True)
class StreetRow:
    code: str
    name: str
    name_en: str
    lat: float
    lon: float


@dataclass(frozen=True)
class CommunityRow:
    code: str
    street: str
    name: str
    name_en: str
    lat: float
    lon: float
    micro_grids: bool


@dataclass(frozen=True)
class GridRow:
    code: str
    name: str
    community: str
    grade: Grade
    households: int
    population: int
    lat: float
    lon: float
    worker_name: str
    worker_phone: str
    leader_name: str
    leader_phone: str


@dataclass(frozen=True)
class MicroGridRow:
    code: str
    name: str
    grid: str
    households: int
    head_name: str
    head_phone: str


@dataclass(frozen=True)
class DedicatedRow:
    code: str
    name: str
    kind: DedicatedKind
    street: str
    community: str | None
    grade: Grade
    lat: float
    lon: float


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    name_en: str | None
    kind: UnitKind
    street: str | None
    phone: str | None


@dataclass(frozen=True)
class CategoryRow:
    code: str
    parent: str | None
    level: str  # "module" | "category" | "sub"
    name: str
    name_en: str | None
    kind: CaseKind | None  # sub only
    unit_kind: UnitKind | None  # sub only: the default handling unit's kind
    unit: str | None  # a unit code, "S-*-XX" for a street section, None for grid/community
    urgency: Urgency | None  # sub only: the default urgency
    normal_limits: dict[Step, int] | None  # working minutes per step
    urgent_limits: dict[Step, int] | None  # wall-clock minutes per step


@dataclass(frozen=True)
class UserRow:
    login: str
    name: str
    role: Role
    street: str | None
    unit: str | None
    grid: str | None
    community: str | None = None  # a community operator's community


@dataclass(frozen=True)
class NameLists:
    surnames: list[str]
    given: list[str]
    roads: list[str]
    estates: list[str]
    places: list[str]
    reject_reasons: list[str]
    return_reasons: list[str]


@dataclass(frozen=True)
class Whistle:
    """Whom the street summons (吹哨) for a subcategory: the lead unit and the co-units, as
    unit codes or a section of the case's street ("S-*-CG")."""

    lead: str
    co: tuple[str, ...]


@dataclass(frozen=True)
class Handling:
    """How cases of each subcategory are handled (seeds/handling.toml), resolved per
    subcategory code: a category's entries and the common ones are already merged in."""

    mix: dict[str, float]  # the subcategory's weight among generated cases
    instructions: dict[str, list[str]]  # what a dispatch asks of the unit
    whistle: dict[str, Whistle]  # only the subcategories a street whistles for
    results: dict[str, list[str]]
    # What a grid worker does on the spot (自办自结), for the subcategories they may close.
    spot_results: dict[str, list[str]]
    # The street's section an escalated case of the subcategory goes to ("S-*-CG").
    sections: dict[str, str]
    comments: dict[str, dict[Rating, list[str]]]  # the resident's words, by rating
    # Why the loop turns: a street sends a case up to the district platform, the platform
    # hands one back down, a supervisor releases a summoned department; and what a unit says
    # to an urge.
    district_reasons: list[str]
    back_down_reasons: list[str]
    waive_reasons: list[str]
    replies: list[str]  # a unit's answer to an automatic urge (回复督办)


@dataclass(frozen=True)
class Seeds:
    district: DistrictRow
    streets: list[StreetRow]
    communities: list[CommunityRow]
    grids: list[GridRow]
    micro_grids: list[MicroGridRow]
    dedicated: list[DedicatedRow]
    units: list[UnitRow]
    categories: list[CategoryRow]
    users: list[UserRow]
    # sub code -> (title, description, what a camera saw or None: templates)
    texts: dict[str, list[tuple[str, str, str | None]]]
    names: NameLists
    handling: Handling
    # The time limits of the levels a case is escalated to (seeds/levels.toml).
    level_limits: dict[Level, LevelLimits]


# ------------------------------------------------------------------------------------ templates


def placeholders(template: str) -> set[str]:
    """The placeholder names a template uses; raises ValueError on a malformed template."""
    found: set[str] = set()
    for _literal, field, spec, conversion in string.Formatter().parse(template):
        if field is None:
            continue
        if spec or conversion:
            raise ValueError(f"placeholder {{{field}}} may not carry a format spec or conversion")
        found.add(field)
    return found


def fill(template: str, **slots: str) -> str:
    """Substitute `{road}`, `{n}`, `{estate}`, `{building}`, `{community}`, `{place}`."""
    unknown = set(slots) - PLACEHOLDERS
    if unknown:
        raise ValueError(f"unknown placeholder(s): {', '.join(sorted(unknown))}")
    return template.format_map(slots)


def resolve_unit(unit: str, street: str) -> str:
    """A category's default unit for a case in `street`: "S-*-CG" becomes "S-LJ01-CG"."""
    return unit.replace("*", street, 1) if unit.startswith(SECTION_WILDCARD) else unit


# -------------------------------------------------------------------------------------- reading

E = TypeVar("E")


class _Row:
    """One record of a file, with converters that name the file and line on failure."""

    def __init__(self, file: str, where: str, data: Mapping[str, Any]) -> None:
        self.file, self.where, self.data = file, where, data

    def fail(self, message: str) -> SeedError:
        return SeedError(f"{self.file} {self.where}: {message}")

    def raw(self, key: str) -> Any:
        if key not in self.data:
            raise self.fail(f"missing column/key {key!r}")
        value = self.data[key]
        return value.strip() if isinstance(value, str) else value

    def text(self, key: str) -> str:
        value = self.raw(key)
        if value is None or value == "":
            raise self.fail(f"{key} is empty")
        return str(value)

    def opt(self, key: str) -> str | None:
        value = self.raw(key)
        return None if value is None or value == "" else str(value)

    def integer(self, key: str) -> int:
        value = self.raw(key)
        try:
            if isinstance(value, bool):
                raise ValueError
            return int(value)
        except (TypeError, ValueError):
            raise self.fail(f"{key} = {value!r} is not an integer") from None

    def number(self, key: str) -> float:
        value = self.raw(key)
        try:
            return float(value)
        except (TypeError, ValueError):
            raise self.fail(f"{key} = {value!r} is not a number") from None

    def flag(self, key: str) -> bool:
        value = self.raw(key)
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "1", "yes"):
            return True
        if str(value).lower() in ("false", "0", "no", ""):
            return False
        raise self.fail(f"{key} = {value!r} is not a boolean")

    def enum(self, key: str, enum: Callable[[str], E]) -> E:
        value = self.text(key)
        try:
            return enum(value)
        except ValueError:
            raise self.fail(f"{key} = {value!r} is not a valid value") from None

    def opt_enum(self, key: str, enum: Callable[[str], E]) -> E | None:
        return None if self.opt(key) is None else self.enum(key, enum)


def _toml(root: Path, name: str) -> dict[str, Any]:
    path = root / name
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise SeedError(f"{name}: file not found in {root}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SeedError(f"{name}: {exc}") from None


def _csv(root: Path, name: str, header: str) -> Iterator[_Row]:
    path = root / name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SeedError(f"{name}: file not found in {root}") from None
    reader = csv.DictReader(text.splitlines())
    expected = header.split(",")
    if reader.fieldnames != expected:
        raise SeedError(f"{name} line 1: header must be {header!r}, got {reader.fieldnames!r}")
    for record in reader:
        row = _Row(name, f"line {reader.line_num}", record)
        if None in record or any(v is None for v in record.values()):
            raise row.fail(f"expected {len(expected)} columns")
        yield row


def _table_rows(file: str, data: dict[str, Any], key: str) -> Iterator[_Row]:
    items = data.get(key)
    if not isinstance(items, list) or not items:
        raise SeedError(f"{file}: no [[{key}]] tables")
    for i, item in enumerate(items, 1):
        yield _Row(file, f"[[{key}]] #{i}", item)


def _unique(rows: list[Any], file: str, attr: str = "code") -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for row in rows:
        key = getattr(row, attr)
        if key in seen:
            raise SeedError(f"{file}: duplicate {attr} {key!r}")
        seen[key] = row
    return seen


def _str_list(file: str, data: dict[str, Any], key: str, minimum: int = 1) -> list[str]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise SeedError(f"{file}: {key} must be a list of non-empty strings")
    if len(value) < minimum:
        raise SeedError(f"{file}: {key} needs at least {minimum} entries, has {len(value)}")
    return list(value)


# ---------------------------------------------------------------------------------------- files

LIMIT_STEPS: tuple[Step, ...] = (Step.ACCEPT, Step.DISPATCH, Step.SIGN, Step.HANDLE, Step.VERIFY)


def _district(root: Path) -> tuple[DistrictRow, list[StreetRow], list[CommunityRow]]:
    file = "district.toml"
    data = _toml(root, file)
    if not isinstance(data.get("district"), dict):
        raise SeedError(f"{file}: missing [district] table")
    d = _Row(file, "[district]", data["district"])
    district = DistrictRow(
        d.text("code"),
        d.text("name"),
        d.text("name_en"),
        d.text("timezone"),
        d.integer("households"),
        d.integer("population"),
        d.number("lat"),
        d.number("lon"),
    )
    streets = [
        StreetRow(
            r.text("code"), r.text("name"), r.text("name_en"), r.number("lat"), r.number("lon")
        )
        for r in _table_rows(file, data, "streets")
    ]
    street_codes = _unique(streets, file)
    communities = []
    for r in _table_rows(file, data, "communities"):
        row = CommunityRow(
            r.text("code"),
            r.text("street"),
            r.text("name"),
            r.text("name_en"),
            r.number("lat"),
            r.number("lon"),
            r.flag("micro_grids"),
        )
        if row.street not in street_codes:
            raise r.fail(f"street {row.street!r} is not a street of the district")
        communities.append(row)
    _unique(communities, file)
    for s in streets:
        if not s.code.startswith(district.code):
            raise SeedError(f"{file}: street {s.code!r} does not start with {district.code!r}")
    return district, streets, communities


def _grids(root: Path, communities: dict[str, CommunityRow]) -> list[GridRow]:
    file = "grids.csv"
    header = (
        "code,name,community,grade,households,population,lat,lon,"
        "worker_name,worker_phone,leader_name,leader_phone"
    )
    grids: list[GridRow] = []
    workers: dict[str, str] = {}
    leaders: dict[str, str] = {}
    for r in _csv(root, file, header):
        g = GridRow(
            r.text("code"),
            r.text("name"),
            r.text("community"),
            r.enum("grade", Grade),
            r.integer("households"),
            r.integer("population"),
            r.number("lat"),
            r.number("lon"),
            r.text("worker_name"),
            r.text("worker_phone"),
            r.text("leader_name"),
            r.text("leader_phone"),
        )
        if g.community not in communities:
            raise r.fail(f"community {g.community!r} does not exist")
        if not g.code.startswith(g.community):
            raise r.fail(f"code {g.code!r} does not start with its community {g.community!r}")
        if g.worker_phone in workers:
            raise r.fail(f"worker {g.worker_name} already works grid {workers[g.worker_phone]}")
        workers[g.worker_phone] = g.code
        if leaders.setdefault(g.leader_phone, g.community) != g.community:
            raise r.fail(f"leader {g.leader_name} also leads grids of another community")
        grids.append(g)
    _unique(grids, file)
    return grids


def _micro_grids(
    root: Path, grids: dict[str, GridRow], communities: dict[str, CommunityRow]
) -> list[MicroGridRow]:
    file = "micro_grids.csv"
    rows: list[MicroGridRow] = []
    for r in _csv(root, file, "code,name,grid,households,head_name,head_phone"):
        m = MicroGridRow(
            r.text("code"),
            r.text("name"),
            r.text("grid"),
            r.integer("households"),
            r.text("head_name"),
            r.text("head_phone"),
        )
        grid = grids.get(m.grid)
        if grid is None:
            raise r.fail(f"grid {m.grid!r} does not exist")
        if not communities[grid.community].micro_grids:
            raise r.fail(f"community {grid.community!r} does not have micro_grids = true")
        if not m.code.startswith(m.grid):
            raise r.fail(f"code {m.code!r} does not start with its grid {m.grid!r}")
        rows.append(m)
    _unique(rows, file)
    return rows


def _dedicated(
    root: Path, streets: dict[str, StreetRow], communities: dict[str, CommunityRow]
) -> list[DedicatedRow]:
    file = "dedicated.csv"
    rows: list[DedicatedRow] = []
    for r in _csv(root, file, "code,name,kind,street,community,grade,lat,lon"):
        z = DedicatedRow(
            r.text("code"),
            r.text("name"),
            r.enum("kind", DedicatedKind),
            r.text("street"),
            r.opt("community"),
            r.enum("grade", Grade),
            r.number("lat"),
            r.number("lon"),
        )
        if z.street not in streets:
            raise r.fail(f"street {z.street!r} does not exist")
        if z.community is not None:
            community = communities.get(z.community)
            if community is None:
                raise r.fail(f"community {z.community!r} does not exist")
            if community.street != z.street:
                raise r.fail(f"community {z.community!r} is not in street {z.street!r}")
        rows.append(z)
    _unique(rows, file)
    return rows


def _units(root: Path, streets: dict[str, StreetRow]) -> list[UnitRow]:
    file = "units.csv"
    rows: list[UnitRow] = []
    for r in _csv(root, file, "code,name,name_en,kind,street,phone"):
        u = UnitRow(
            r.text("code"),
            r.text("name"),
            r.opt("name_en"),
            r.enum("kind", UnitKind),
            r.opt("street"),
            r.opt("phone"),
        )
        if u.kind in (UnitKind.GRID, UnitKind.COMMUNITY):
            raise r.fail(f"kind {u.kind.value!r}: grid and community units are implied")
        if u.kind is UnitKind.SECTION:
            if u.street is None or u.street not in streets:
                raise r.fail(f"section needs an existing street, got {u.street!r}")
            if not u.code.startswith(f"S-{u.street}-"):
                raise r.fail(f"section code {u.code!r} must look like S-{u.street}-XX")
        elif u.street is not None:
            raise r.fail(f"a {u.kind.value} has no street, got {u.street!r}")
        rows.append(u)
    _unique(rows, file)
    return rows


def _limits(r: _Row, prefix: str) -> dict[Step, int] | None:
    cells = {step: r.opt(f"{prefix}_{step.value}") for step in LIMIT_STEPS}
    if all(v is None for v in cells.values()):
        return None
    limits = {step: r.integer(f"{prefix}_{step.value}") for step in LIMIT_STEPS}
    for step, minutes in limits.items():
        if minutes <= 0:
            raise r.fail(f"{prefix}_{step.value} must be positive, got {minutes}")
    return limits


def _categories(
    root: Path, units: dict[str, UnitRow], streets: dict[str, StreetRow]
) -> list[CategoryRow]:
    file = "categories.csv"
    header = (
        "code,parent,level,name,name_en,kind,unit_kind,unit,urgency,n_accept,n_dispatch,"
        "n_sign,n_handle,n_verify,u_accept,u_dispatch,u_sign,u_handle,u_verify"
    )
    rows: list[CategoryRow] = []
    by_code: dict[str, CategoryRow] = {}
    for r in _csv(root, file, header):
        level = r.text("level")
        if level not in LEVELS:
            raise r.fail(f"level {level!r} must be one of {', '.join(LEVELS)}")
        depth = LEVELS.index(level)
        c = CategoryRow(
            r.text("code"),
            r.opt("parent"),
            level,
            r.text("name"),
            r.opt("name_en"),
            r.opt_enum("kind", CaseKind),
            r.opt_enum("unit_kind", UnitKind),
            r.opt("unit"),
            r.opt_enum("urgency", Urgency),
            _limits(r, "n"),
            _limits(r, "u"),
        )
        if len(c.code) != 2 * (depth + 1) or not c.code.isdigit():
            raise r.fail(f"code {c.code!r}: a {level} code has {2 * (depth + 1)} digits")
        if c.code in by_code:
            raise r.fail(f"duplicate code {c.code!r}")
        if depth == 0:
            if c.parent is not None:
                raise r.fail("a module has no parent")
        else:
            parent = by_code.get(c.parent or "")
            if parent is None:
                raise r.fail(f"parent {c.parent!r} does not exist (parents come first)")
            if parent.level != LEVELS[depth - 1] or not c.code.startswith(parent.code):
                raise r.fail(f"parent {c.parent!r} is not this {level}'s {LEVELS[depth - 1]}")
        if level == "sub":
            _check_sub(r, c, units, streets)
        elif any(
            v is not None
            for v in (c.kind, c.unit_kind, c.unit, c.urgency, c.normal_limits, c.urgent_limits)
        ):
            raise r.fail(f"a {level} leaves kind, unit and limits empty")
        by_code[c.code] = c
        rows.append(c)
    return rows


def _check_sub(
    r: _Row, c: CategoryRow, units: dict[str, UnitRow], streets: dict[str, StreetRow]
) -> None:
    for key in ("kind", "unit_kind", "urgency"):
        if getattr(c, key) is None:
            raise r.fail(f"a subcategory needs {key}")
    assert c.unit_kind is not None  # checked with the others just above
    if c.normal_limits is None or c.urgent_limits is None:
        raise r.fail("a subcategory needs all ten limits (n_* and u_*)")
    if c.unit_kind in (UnitKind.GRID, UnitKind.COMMUNITY):
        if c.unit is not None:
            raise r.fail(f"unit must be empty for unit_kind {c.unit_kind.value}")
    elif c.unit is None:
        raise r.fail(f"unit_kind {c.unit_kind.value} needs a unit")
    elif c.unit_kind is UnitKind.SECTION:
        if not c.unit.startswith(SECTION_WILDCARD):
            raise r.fail(f"a section unit is written {SECTION_WILDCARD}XX, got {c.unit!r}")
        for street in streets:
            code = resolve_unit(c.unit, street)
            if code not in units:
                raise r.fail(f"unit {c.unit!r}: street {street} has no section {code!r}")
    else:
        unit = units.get(c.unit)
        if unit is None:
            raise r.fail(f"unit {c.unit!r} does not exist in units.csv")
        if unit.kind is not c.unit_kind:
            raise r.fail(f"unit {c.unit!r} is a {unit.kind.value}, not a {c.unit_kind.value}")


def _users(
    root: Path,
    streets: dict[str, StreetRow],
    units: dict[str, UnitRow],
    grids: dict[str, GridRow],
    communities: dict[str, CommunityRow],
) -> list[UserRow]:
    file = "users.csv"
    rows: list[UserRow] = []
    for r in _csv(root, file, "login,name,role,street,unit,grid"):
        u = UserRow(
            r.text("login"),
            r.text("name"),
            r.enum("role", Role),
            r.opt("street"),
            r.opt("unit"),
            r.opt("grid"),
        )
        if u.street is not None and u.street not in streets:
            raise r.fail(f"street {u.street!r} does not exist")
        if u.unit is not None and u.unit not in units:
            raise r.fail(f"unit {u.unit!r} does not exist in units.csv")
        if u.grid is not None:
            grid = grids.get(u.grid)
            if grid is None:
                raise r.fail(f"grid {u.grid!r} does not exist")
            if u.street is not None and communities[grid.community].street != u.street:
                raise r.fail(f"grid {u.grid!r} is not in street {u.street!r}")
        if u.role is Role.OPERATOR and u.street is None:
            raise r.fail("an operator needs a street")
        if u.role is Role.LIAISON and u.unit is None:
            raise r.fail("a liaison needs a unit")
        if u.role is Role.GRID_WORKER:
            if u.grid is None:
                raise r.fail("a grid worker needs a grid")
            if grids[u.grid].worker_name != u.name:
                raise r.fail(f"{u.name} is not the worker of grid {u.grid}")
        rows.append(u)
    _unique(rows, file, "login")
    return rows


def _texts(
    root: Path, categories: list[CategoryRow]
) -> dict[str, list[tuple[str, str, str | None]]]:
    file = "case_texts.toml"
    data = _toml(root, file).get("c")
    if not isinstance(data, dict):
        raise SeedError(f'{file}: no [[c."<code>"]] tables')
    subs = {c.code for c in categories if c.level == "sub"}
    texts: dict[str, list[tuple[str, str, str | None]]] = {}
    for code, entries in data.items():
        if code not in subs:
            raise SeedError(f"{file}: {code!r} is not a subcategory code")
        if not isinstance(entries, list):
            raise SeedError(f"{file}: c.{code} must be an array of tables")
        pairs = []
        for i, entry in enumerate(entries, 1):
            r = _Row(file, f'[[c."{code}"]] #{i}', entry)
            title, description = r.text("title"), r.text("description")
            camera = r.opt("camera") if "camera" in entry else None
            checked = [("title", title), ("description", description)]
            for key, template in [*checked, *([("camera", camera)] if camera else [])]:
                try:
                    used = placeholders(template)
                except ValueError as exc:
                    raise r.fail(f"{key}: {exc}") from None
                if used - PLACEHOLDERS:
                    bad = ", ".join(sorted(used - PLACEHOLDERS))
                    raise r.fail(f"{key} uses unknown placeholder(s): {bad}")
            pairs.append((title, description, camera))
        texts[code] = pairs
    for code in sorted(subs):
        if len(texts.get(code, ())) < 2:
            raise SeedError(f"{file}: subcategory {code} needs at least 2 texts")
    return texts


def _names(root: Path) -> NameLists:
    file = "names.toml"
    data = _toml(root, file)

    def lst(key: str, minimum: int = 1) -> list[str]:
        return _str_list(file, data, key, minimum)

    return NameLists(
        surnames=lst("surnames"),
        given=lst("given"),
        roads=lst("roads"),
        estates=lst("estates"),
        places=lst("places"),
        reject_reasons=lst("reject_reasons"),
        return_reasons=lst("return_reasons"),
    )


def _table(file: str, data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise SeedError(f"{file}: [{key}] must be a table")
    return value


def _handling(
    root: Path, categories: list[CategoryRow], units: dict[str, UnitRow], streets: list[str]
) -> Handling:
    """seeds/handling.toml, resolved per subcategory: a subcategory's own entry, else its
    category's (the code's first four digits), with the common entries added to the lists."""
    file = "handling.toml"
    data = _toml(root, file)
    subs = sorted(c.code for c in categories if c.level == "sub")
    groups = {c.code for c in categories if c.level == "category"}

    def known(table: str, keys: list[str], allowed: set[str]) -> None:
        for key in keys:
            if key not in allowed:
                raise SeedError(f"{file}: [{table}] {key!r} is not a category code it may name")

    mix = _table(file, data, "mix")
    known("mix", [k for k in mix if k != "default"], set(subs))
    weights: dict[str, float] = {}
    for sub in subs:
        weight = mix.get(sub, mix.get("default"))
        if not isinstance(weight, int | float) or weight <= 0:
            raise SeedError(f"{file}: [mix] needs a positive weight for {sub} (or a default)")
        weights[sub] = float(weight)

    results = _table(file, data, "results")
    known("results", list(results), set(subs))
    missing = [s for s in subs if s not in results]
    if missing:
        raise SeedError(f"{file}: [results] has no list for subcategory {', '.join(missing)}")

    closable = {c.code for c in categories if c.level == "sub" and c.unit_kind is UnitKind.GRID}
    spot = _table(file, data, "spot_results")
    known("spot_results", list(spot), closable)
    missing = sorted(closable - set(spot))
    if missing:
        raise SeedError(f"{file}: [spot_results] has no list for subcategory {', '.join(missing)}")

    sections = _table(file, data, "sections")
    modules = {c.code for c in categories if c.level == "module"}
    known("sections", [k for k in sections if k != "default"], modules)
    for key, unit in sections.items():
        wildcard = isinstance(unit, str) and unit.startswith(SECTION_WILDCARD)
        if not wildcard or any(resolve_unit(unit, st) not in units for st in streets):
            raise SeedError(
                f"{file}: [sections] {key} = {unit!r} is not a section (S-*-…) of every street"
            )
        if units[resolve_unit(unit, streets[0])].kind is not UnitKind.SECTION:
            raise SeedError(f"{file}: [sections] {key} = {unit!r} is not a section")

    def section_of(sub: CategoryRow) -> str:
        if sub.unit and sub.unit.startswith(SECTION_WILDCARD):
            return sub.unit  # the section the category names
        unit = sections.get(sub.code[:2], sections.get("default"))
        if unit is None:
            raise SeedError(f"{file}: [sections] names no section for {sub.code} (or a default)")
        return str(unit)

    instructions = _table(file, data, "instructions")
    known("instructions", [k for k in instructions if k != "common"], groups)
    common = _str_list(file, instructions, "common")

    comments = _table(file, data, "comments")
    known("comments", [k for k in comments if k != "common"], groups)

    def said(key: str) -> dict[Rating, list[str]]:
        table = _table(file, comments, key)
        return {r: _str_list(f"{file} [comments.{key}]", table, r.name.lower()) for r in Rating}

    shared = said("common")
    whistle = _table(file, data, "whistle")
    known("whistle", list(whistle), groups | set(subs))
    named: dict[str, Whistle] = {}
    for key, entry in whistle.items():
        r = _Row(file, f"[whistle.{key}]", entry)
        co = tuple(_str_list(file, entry, "co"))
        w = Whistle(r.text("lead"), co)
        for unit in (w.lead, *w.co):
            if any(resolve_unit(unit, street) not in units for street in streets):
                raise r.fail(f"unit {unit!r} does not exist in units.csv for every street")
        if w.lead in w.co:
            raise r.fail("the lead unit is not its own co-unit")
        named[key] = w
    own = {g: said(g) for g in comments if g != "common"}
    reasons = _table(file, data, "reasons")
    per_sub = {s: named.get(s) or named.get(s[:4]) for s in subs}
    return Handling(
        mix=weights,
        instructions={
            s: common + _str_list(file, instructions, s[:4]) if s[:4] in instructions else common
            for s in subs
        },
        whistle={s: w for s, w in per_sub.items() if w is not None},
        results={s: _str_list(f"{file} [results]", results, s, 2) for s in subs},
        spot_results={s: _str_list(f"{file} [spot_results]", spot, s, 2) for s in closable},
        sections={c.code: section_of(c) for c in categories if c.level == "sub"},
        comments={
            s: {r: shared[r] + own[s[:4]][r] for r in Rating} if s[:4] in own else shared
            for s in subs
        },
        district_reasons=_str_list(f"{file} [reasons]", reasons, "district"),
        back_down_reasons=_str_list(f"{file} [reasons]", reasons, "back_down"),
        waive_reasons=_str_list(f"{file} [reasons]", reasons, "waive"),
        replies=_str_list(f"{file} [reasons]", reasons, "reply"),
    )


# The levels above the street's own that hold an escalated case; the street's limits (and the
# grid's, which the street times) are the categories'.
HOLDING_LEVELS: tuple[Level, ...] = (Level.COMMUNITY, Level.DISTRICT)
# The steps a holding level times: an escalated case is accepted already.
LEVEL_STEPS: tuple[Step, ...] = (Step.DISPATCH, Step.SIGN, Step.HANDLE, Step.VERIFY)


def _levels(root: Path) -> dict[Level, LevelLimits]:
    """seeds/levels.toml: per holding level, the steps it sets its own limits for."""
    file = "levels.toml"
    data = _toml(root, file)
    out: dict[Level, LevelLimits] = {}
    for key, table in data.items():
        level = next((lv for lv in HOLDING_LEVELS if lv.value == key), None)
        if level is None:
            allowed = ", ".join(lv.value for lv in HOLDING_LEVELS)
            raise SeedError(
                f"{file}: [{key}] is not a level that holds escalated cases ({allowed}); "
                "the street's limits are the categories' (categories.csv)"
            )
        if not isinstance(table, dict) or not table:
            raise SeedError(f"{file}: [{key}] must give the limit of at least one step")
        normal: dict[Step, int] = {}
        urgent: dict[Step, int] = {}
        for name, figures in table.items():
            step = next((st for st in LEVEL_STEPS if st.value == name), None)
            if step is None:
                steps = ", ".join(st.value for st in LEVEL_STEPS)
                raise SeedError(f"{file}: [{key}] {name!r} is not a step a level times ({steps})")
            r = _Row(file, f"[{key}] {name}", figures if isinstance(figures, dict) else {})
            if not isinstance(figures, dict) or set(figures) != {"normal", "urgent"}:
                raise r.fail("must be { normal = <working minutes>, urgent = <minutes> }")
            for urgency, into in (("normal", normal), ("urgent", urgent)):
                minutes = r.integer(urgency)
                if minutes <= 0:
                    raise r.fail(f"{urgency} must be positive, got {minutes}")
                into[step] = minutes
        out[level] = LevelLimits(normal=normal, urgent=urgent)
    return out


def load_seeds(root: Path = SEEDS_DIR) -> Seeds:
    """Read and check every seed file under `root`; raises SeedError naming file and line."""
    root = Path(root)
    district, streets, communities = _district(root)
    street_map = {s.code: s for s in streets}
    community_map = {c.code: c for c in communities}
    grids = _grids(root, community_map)
    grid_map = {g.code: g for g in grids}
    micro_grids = _micro_grids(root, grid_map, community_map)
    dedicated = _dedicated(root, street_map, community_map)
    units = _units(root, street_map)
    unit_map = {u.code: u for u in units}
    categories = _categories(root, unit_map, street_map)
    users = _users(root, street_map, unit_map, grid_map, community_map)
    texts = _texts(root, categories)
    return Seeds(
        district=district,
        streets=streets,
        communities=communities,
        grids=grids,
        micro_grids=micro_grids,
        dedicated=dedicated,
        units=units,
        categories=categories,
        users=users,
        texts=texts,
        names=_names(root),
        handling=_handling(root, categories, unit_map, list(street_map)),
        level_limits=_levels(root),
    )
