"""Everyone who acts in the demo district: a login for every grid, community, section and unit.

seeds/users.csv names the centre's own people (operators, supervisors, leaders, the named
liaisons, the admin); the hundreds of logins that stand for the district's places
are made here from its rows, so a grid added to grids.csv gets its worker's login with it.
The trainer and the trainees are no production demo's people: only a training store has
them (`console.demo.training`).

- `gw.<grid>`     the worker of a grid or a dedicated grid (named after the grid's staff row)
- `co.<community>` a community's operator (社区工作站)
- `sec.<unit>`    the staff of a street office's section
- `liaison.<unit>` a department's or company's liaison, where users.csv names none

Codes are lower-cased: `gw.lj010101`, `co.lj0101`, `sec.s-lj01-pa`, `liaison.hb`. Every demo
user signs in with the one documented password.
"""

from __future__ import annotations

import random

from console.demo.seedfiles import Seeds, UserRow
from console.domain.enums import Role, UnitKind

DEMO_PASSWORD = "gridcall-demo"  # stated in the README and on the demo's sign-in screen
# Names for the logins no staff row names come from the seeds' own lists, the same every load.
NAMES_SEED = "gridcall-demo-people"
LIAISON_PREFIX = "U-"  # a district unit's code, "U-HB", gives its liaison's login, "liaison.hb"


def demo_users(seeds: Seeds) -> list[UserRow]:
    """The named users of users.csv, then a login for every place and unit that has none."""
    rng = random.Random(NAMES_SEED)

    def name() -> str:
        given = "".join(rng.choice(seeds.names.given) for _ in range(rng.choice((1, 2))))
        return rng.choice(seeds.names.surnames) + given

    street_of = {c.code: c.street for c in seeds.communities}
    made = [
        UserRow(
            login=f"gw.{g.code.lower()}",
            name=g.worker_name,
            role=Role.GRID_WORKER,
            street=street_of[g.community],
            unit=None,
            grid=g.code,
        )
        for g in seeds.grids
    ]
    made += [
        UserRow(
            login=f"gw.{z.code.lower()}",
            name=name(),
            role=Role.GRID_WORKER,
            street=z.street,
            unit=None,
            grid=z.code,
        )
        for z in seeds.dedicated
    ]
    made += [
        UserRow(
            login=f"co.{c.code.lower()}",
            name=name(),
            role=Role.COMMUNITY,
            street=c.street,
            unit=None,
            grid=None,
            community=c.code,
        )
        for c in seeds.communities
    ]
    served = {u.unit for u in seeds.users if u.unit is not None}
    for unit in seeds.units:
        if unit.code in served:
            continue
        section = unit.kind is UnitKind.SECTION
        made.append(
            UserRow(
                login=f"sec.{unit.code.lower()}"
                if section
                else f"liaison.{unit.code.removeprefix(LIAISON_PREFIX).lower()}",
                name=name(),
                role=Role.SECTION if section else Role.LIAISON,
                street=unit.street,
                unit=unit.code,
                grid=None,
            )
        )
    named = {u.login for u in seeds.users}
    return [*seeds.users, *(u for u in made if u.login not in named)]
