"""The vocabulary of the domain: every coded value a case, a user or a place can take.

Values are stable strings: they are stored in the database, printed by `--json` and read from
the seed files, so renaming one is a migration.
"""

from enum import StrEnum


class Status(StrEnum):
    REPORTED = "reported"  # awaiting acceptance
    ACCEPTED = "accepted"
    DISPATCHED = "dispatched"
    IN_PROGRESS = "in_progress"  # signed for by the unit
    HANDLED = "handled"  # the unit reported back
    VERIFYING = "verifying"  # sent for an on-site check
    CLOSED = "closed"
    INVALID = "invalid"
    DUPLICATE = "duplicate"
    SUSPENDED = "suspended"


OPEN_STATUSES = frozenset(
    {
        Status.REPORTED,
        Status.ACCEPTED,
        Status.DISPATCHED,
        Status.IN_PROGRESS,
        Status.HANDLED,
        Status.VERIFYING,
        Status.SUSPENDED,
    }
)
FINAL_STATUSES = frozenset({Status.CLOSED, Status.INVALID, Status.DUPLICATE})


class Step(StrEnum):
    """A timed step of the loop; each has its own limit per category and urgency."""

    ACCEPT = "accept"
    DISPATCH = "dispatch"
    SIGN = "sign"
    HANDLE = "handle"
    VERIFY = "verify"


class Urgency(StrEnum):
    NORMAL = "normal"  # counted in working time
    URGENT = "urgent"  # counted in wall-clock time


class Level(StrEnum):
    GRID = "grid"
    COMMUNITY = "community"
    STREET = "street"
    DISTRICT = "district"


LEVEL_LADDER: tuple[Level, ...] = (Level.GRID, Level.COMMUNITY, Level.STREET, Level.DISTRICT)


class Source(StrEnum):
    PATROL = "patrol"  # grid worker's patrol
    HOTLINE = "hotline_12345"
    LINE_8890 = "line_8890"
    APP = "app"  # residents' "snap and report"
    SENSOR = "sensor"  # camera, IoT
    LEADER = "leader"  # leader's assignment
    REFERRAL = "referral"  # from a department


class Role(StrEnum):
    """Who a user is to the centre; what each may read and do is `console.domain.policy`."""

    OPERATOR = "operator"  # a street centre's operator (受理员)
    COMMUNITY = "community"  # a community's operator (社区工作站)
    SUPERVISOR = "supervisor"  # a street's or the district's supervisor (值班长)
    LIAISON = "liaison"  # a district department's or company's liaison
    SECTION = "section"  # staff of a street office's section (街道科室)
    GRID_WORKER = "grid_worker"
    LEADER = "leader"  # reads a street or the district, acts on nothing
    TRAINER = "trainer"  # acts only in a training store
    ADMIN = "admin"  # users and settings; no case actions


class UserKind(StrEnum):
    PERSON = "person"  # signs in with a password
    SERVICE = "service"  # a script (imports, feeds): an API token, no password


class Rating(StrEnum):
    SATISFIED = "satisfied"
    BASIC = "basic"  # basically satisfied
    DISSATISFIED = "dissatisfied"


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    NONE = "none"  # no running clock: final, or suspended


class AreaLevel(StrEnum):
    DISTRICT = "district"
    STREET = "street"
    COMMUNITY = "community"
    GRID = "grid"
    MICRO = "micro"  # micro-grid
    DEDICATED = "dedicated"  # dedicated grid: one kind of place


class Grade(StrEnum):
    ROUTINE = "routine"
    GENERAL = "general"  # general prevention
    KEY = "key"  # key attention
    STRICT = "strict"  # strict control


class DedicatedKind(StrEnum):
    SCHOOL = "school"
    HOSPITAL = "hospital"
    MARKET = "market"
    OFFICE = "office"
    PARK = "park"
    RIVER = "river"
    FRONTAGE = "frontage"


class UnitKind(StrEnum):
    GRID = "grid"  # the grid worker handles it on the spot
    COMMUNITY = "community"
    SECTION = "section"  # a section of the street office
    DEPARTMENT = "department"  # a functional department of the district
    COMPANY = "company"  # property management, utilities


class CaseKind(StrEnum):
    EVENT = "event"  # 事件: a situation
    COMPONENT = "component"  # 部件: a physical asset


class StaffRole(StrEnum):
    GRID_WORKER = "grid_worker"
    GRID_LEADER = "grid_leader"
    MICRO_HEAD = "micro_head"
    GRID_POLICE = "grid_police"
    SUPERVISOR = "supervisor"
