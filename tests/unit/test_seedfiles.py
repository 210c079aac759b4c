"""The demo district's seed files: they load, they are the size promised, and they hang together."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from console.demo.seedfiles import (
    PLACEHOLDERS,
    SEEDS_DIR,
    SeedError,
    Seeds,
    fill,
    load_seeds,
    placeholders,
    resolve_unit,
)
from console.domain.enums import Grade, Level, Rating, Role, Step, UnitKind, Urgency


@pytest.fixture(scope="module")
def seeds() -> Seeds:
    return load_seeds()


def test_the_seed_files_load(seeds: Seeds) -> None:
    assert seeds.district.code == "LJ"
    assert seeds.district.timezone == "Asia/Shanghai"


def test_territory_sizes(seeds: Seeds) -> None:
    assert len(seeds.streets) == 8
    assert len(seeds.communities) == 60
    per_street = Counter(c.street for c in seeds.communities)
    assert all(6 <= n <= 9 for n in per_street.values())
    assert 680 <= len(seeds.grids) <= 720
    per_community = Counter(g.community for g in seeds.grids)
    assert set(per_community) == {c.code for c in seeds.communities}
    assert all(8 <= n <= 14 for n in per_community.values())
    assert len(seeds.dedicated) == 40
    assert {z.street for z in seeds.dedicated} == {s.code for s in seeds.streets}


def test_grids_are_realistic(seeds: Seeds) -> None:
    for g in seeds.grids:
        assert 300 <= g.households <= 500, g.code
        assert 2.3 * g.households - 1 <= g.population <= 2.9 * g.households + 1, g.code
    grades = Counter(g.grade for g in seeds.grids)
    assert grades[Grade.ROUTINE] + grades[Grade.GENERAL] > 0.75 * len(seeds.grids)
    assert grades[Grade.KEY] > 0 and grades[Grade.STRICT] > 0
    assert seeds.district.households == sum(g.households for g in seeds.grids)


def test_every_grid_has_one_worker_and_one_leader(seeds: Seeds) -> None:
    for g in seeds.grids:
        assert g.worker_name and g.leader_name, g.code
        for phone in (g.worker_phone, g.leader_phone):
            assert len(phone) == 11 and phone[:2] in ("13", "15", "18"), g.code
    workers = Counter(g.worker_phone for g in seeds.grids)
    assert max(workers.values()) == 1  # a worker has exactly one grid
    leader_communities: dict[str, set[str]] = {}
    for g in seeds.grids:
        leader_communities.setdefault(g.leader_phone, set()).add(g.community)
    assert all(len(c) == 1 for c in leader_communities.values())


def test_two_micro_grid_communities(seeds: Seeds) -> None:
    pilots = {c.code for c in seeds.communities if c.micro_grids}
    assert len(pilots) == 2
    grids = {g.code: g for g in seeds.grids}
    covered = {g.code for g in seeds.grids if g.community in pilots}
    per_grid = Counter(m.grid for m in seeds.micro_grids)
    assert set(per_grid) == covered
    assert all(5 <= n <= 10 for n in per_grid.values())
    for m in seeds.micro_grids:
        assert 30 <= m.households <= 100, m.code
        assert grids[m.grid].community in pilots


def test_units(seeds: Seeds) -> None:
    assert len(seeds.units) == 30
    kinds = Counter(u.kind for u in seeds.units)
    assert kinds[UnitKind.SECTION] and kinds[UnitKind.DEPARTMENT] and kinds[UnitKind.COMPANY]
    for u in seeds.units:
        assert u.phone and u.phone.startswith("0571-"), u.code


def test_category_tree(seeds: Seeds) -> None:
    modules = [c for c in seeds.categories if c.level == "module"]
    subs = [c for c in seeds.categories if c.level == "sub"]
    assert len(modules) == 10
    assert len(subs) >= 120
    assert {s.code[:2] for s in subs} == {m.code for m in modules}
    assert len({c.code for c in seeds.categories}) == len(seeds.categories)
    assert any(s.urgency is Urgency.URGENT for s in subs)


def test_limits_are_complete_and_urgent_is_faster(seeds: Seeds) -> None:
    for c in seeds.categories:
        if c.level != "sub":
            assert c.normal_limits is None and c.urgent_limits is None
            continue
        assert c.normal_limits is not None and c.urgent_limits is not None
        assert set(c.normal_limits) == set(Step) == set(c.urgent_limits), c.code
        assert c.urgent_limits[Step.HANDLE] < c.normal_limits[Step.HANDLE], c.code
        assert 450 <= c.normal_limits[Step.HANDLE] <= 6750, c.code


def test_section_defaults_resolve_for_every_street(seeds: Seeds) -> None:
    units = {u.code for u in seeds.units}
    for c in seeds.categories:
        if c.unit_kind is UnitKind.SECTION:
            assert c.unit is not None
            for s in seeds.streets:
                assert resolve_unit(c.unit, s.code) in units


def test_every_subcategory_has_texts_with_allowed_placeholders(seeds: Seeds) -> None:
    subs = {c.code for c in seeds.categories if c.level == "sub"}
    assert set(seeds.texts) == subs
    slots = {
        "road": "解放路",
        "n": "12",
        "estate": "滨江花园",
        "building": "3幢",
        "community": "望江社区",
        "place": "地铁站B口",
    }
    for code, pairs in seeds.texts.items():
        assert len(pairs) >= 2, code
        for title, description, camera in pairs:
            assert placeholders(title) <= PLACEHOLDERS, code
            assert placeholders(description) <= PLACEHOLDERS, code
            assert len(fill(title, **slots)) <= 24, (code, title)
            assert 30 <= len(fill(description, **slots)) <= 120, (code, description)
            if camera is not None:  # what a camera saw, told as a camera's report
                assert placeholders(camera) <= PLACEHOLDERS, code
                assert 30 <= len(fill(camera, **slots)) <= 120, (code, camera)
                assert "监控" in camera[:8], (code, camera)


def test_users_refer_to_real_places(seeds: Seeds) -> None:
    logins = {u.login for u in seeds.users}
    assert "admin" in logins
    # Trainers and trainees are made only in a training store (console.demo.training).
    assert not any(u.role is Role.TRAINER for u in seeds.users)
    workers = {g.code: g.worker_name for g in seeds.grids}
    for u in seeds.users:
        if u.grid:
            assert workers[u.grid] == u.name


def test_name_lists(seeds: Seeds) -> None:
    n = seeds.names
    assert len(set(n.surnames)) >= 80 and len(set(n.given)) >= 150
    assert len(n.roads) >= 60 and len(n.estates) >= 60 and len(n.places) >= 40
    # Results, comments and instructions per subcategory: tests/store/test_demo_consistency.py.
    h = seeds.handling
    assert all(len(h.comments[sub][r]) >= 3 for sub in h.comments for r in Rating)
    assert all(len(h.instructions[sub]) >= 3 for sub in h.instructions)


def test_fill() -> None:
    text = fill("{road}{n}号门口占道经营", road="解放路", n="8", place="地铁站B口")
    assert text == "解放路8号门口占道经营"
    with pytest.raises(ValueError, match="unknown placeholder"):
        fill("{road}", road="解放路", street="江滨")


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, root)
    return root


def _break_line(path: Path, line: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def test_a_broken_grid_reference_names_file_and_line(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    community = (root / "grids.csv").read_text(encoding="utf-8").splitlines()[3].split(",")[2]
    _break_line(root / "grids.csv", 4, f",{community},", ",LJ9999,")
    with pytest.raises(SeedError, match=r"grids\.csv line 4: community 'LJ9999'"):
        load_seeds(root)


def test_a_broken_category_unit_names_the_file(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "categories.csv"
    number = next(
        i
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ",department,U-CG," in line
    )
    _break_line(path, number, ",department,U-CG,", ",department,U-NOPE,")
    with pytest.raises(SeedError, match=rf"categories\.csv line {number}: unit 'U-NOPE'"):
        load_seeds(root)


def test_a_missing_text_names_the_file(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "case_texts.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('[[c."010203"]]', '[[c."999999"]]'),
        encoding="utf-8",
    )
    with pytest.raises(SeedError, match=r"case_texts\.toml"):
        load_seeds(root)


def test_a_whistle_naming_no_unit_or_a_missing_result_names_the_file(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "handling.toml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace('lead = "U-ZJ"', 'lead = "U-NOPE"', 1), encoding="utf-8")
    with pytest.raises(SeedError, match=r"handling\.toml \[whistle\.\w+\]: unit 'U-NOPE'"):
        load_seeds(root)
    path.write_text(original.replace('"010404" = [', '"999999" = [', 1), encoding="utf-8")
    with pytest.raises(SeedError, match=r"handling\.toml: \[results\] '999999'"):
        load_seeds(root)


def test_each_holding_level_has_its_own_limits(seeds: Seeds) -> None:
    community = seeds.level_limits[Level.COMMUNITY]
    district = seeds.level_limits[Level.DISTRICT]
    assert community.for_step(Step.DISPATCH, Urgency.NORMAL) == (225, True)
    assert district.for_step(Step.DISPATCH, Urgency.URGENT) == (20, False)
    assert district.for_step(Step.VERIFY, Urgency.NORMAL) == (1350, True)
    assert community.for_step(Step.HANDLE, Urgency.NORMAL) is None  # the category's
    assert set(seeds.level_limits) == {Level.COMMUNITY, Level.DISTRICT}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "dispatch = { normal = 180, urgent = 20 }",
            "dispatch = { normal = -5, urgent = 20 }",
            r"levels\.toml \[district\] dispatch: normal must be positive, got -5",
        ),
        (
            "dispatch = { normal = 180, urgent = 20 }",
            'dispatch = { normal = "two hours", urgent = 20 }',
            r"levels\.toml \[district\] dispatch: normal = 'two hours' is not an integer",
        ),
        (
            "dispatch = { normal = 180, urgent = 20 }",
            "dispatch = { normal = 180 }",
            r"levels\.toml \[district\] dispatch: must be \{ normal",
        ),
        (
            "dispatch = { normal = 180, urgent = 20 }",
            "accept = { normal = 180, urgent = 20 }",
            r"levels\.toml: \[district\] 'accept' is not a step a level times",
        ),
        ("[district]", "[street]", r"levels\.toml: \[street\] is not a level that holds"),
    ],
)
def test_a_bad_level_limit_names_the_file_and_key(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    root = _copy(tmp_path)
    path = root / "levels.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SeedError, match=message):
        load_seeds(root)
