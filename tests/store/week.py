"""A week of cases whose histories are written by hand (times from NOW, Wednesday 18 Nov
2026, 10:00 in Shanghai), for the figures worked out by hand beside them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from console.db import Store
from console.domain.actions import Action
from console.domain.enums import Rating
from console.domain.sla import SlaClock
from console.domain.workflow import Params
from console.queries import figures as fq
from console.services.cases import act
from tests.services.helpers import NOW, REVIEW_ON, cast, new_case

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEEK = fq.Span.days(date(2026, 11, 16), date(2026, 11, 22), SHANGHAI)  # Mon–Sun; NOW is Wed
DAY = timedelta(days=1)  # Wednesday to Thursday, same hour: 450 working minutes
LATER = NOW + timedelta(days=60)  # when the figures are read
M = timedelta(minutes=7)


class Week:
    """Ten cases, their histories by hand (times from NOW, Wed 18 Nov 10:00 in Shanghai)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.c = c = cast(store)
        self.codes: dict[str, str] = {}
        op, sup, staff = c.operator, c.supervisor, c.section_staff
        dept = c.departments[0]
        self.dept = dept
        self.closed_path = [
            (op, Action.ACCEPT, Params()),
            (op, Action.DISPATCH, Params(unit=c.section)),
            (staff, Action.SIGN, Params()),
            (staff, Action.HANDLED, Params(result="已劝离摊贩")),
            (op, Action.SEND_VERIFY, Params()),
            (op, Action.VERIFY, Params(passed=True)),
        ]
        # A: round the loop in 7-minute steps, rated satisfied.
        self.case("A", NOW, self.closed_path, (op, Action.RATE, Params(rating=Rating.SATISFIED)))
        # B: accepted a working day late, then the same; the resident is dissatisfied.
        self.case("B", NOW, [])
        self.steps("B", NOW + DAY, self.closed_path)
        self.steps(
            "B",
            NOW + DAY + 7 * M,
            [(op, Action.RATE, Params(rating=Rating.DISSATISFIED, comment="摊贩第二天又来了"))],
        )
        # C rejected, D a duplicate of A, I and J never accepted (J just after local midnight).
        self.case("C", NOW, [(op, Action.REJECT, Params(reason="信息不全"))])
        self.case("D", NOW, [(op, Action.DUPLICATE, Params(other_case=self.codes["A"]))])
        self.case("I", NOW, [])
        self.case("J", datetime(2026, 11, 19, 16, 30, tzinfo=UTC), [])  # 20 Nov 00:30 local
        # E: accepted, then set aside (缓办).
        self.case(
            "E",
            NOW,
            [
                (op, Action.ACCEPT, Params()),
                (sup, Action.SUSPEND, Params(reason="等待政策", review_on=REVIEW_ON)),
            ],
        )
        # F: returned by the section, sent to a department, signed, urged once; never handled.
        self.case(
            "F",
            NOW,
            [
                (op, Action.ACCEPT, Params()),
                (op, Action.DISPATCH, Params(unit=c.section)),
                (staff, Action.RETURN, Params(reason="不属本单位")),
                (op, Action.APPROVE_RETURN, Params()),
                (op, Action.DISPATCH, Params(unit=dept)),
                (c.staff[dept], Action.SIGN, Params()),
                (op, Action.URGE, Params(text="请加快")),
            ],
        )
        # G: extended, urged twice, suspended overnight, failed verification once, rated basic.
        until = NOW + timedelta(days=20)
        self.case(
            "G",
            NOW,
            [
                (op, Action.ACCEPT, Params()),
                (op, Action.DISPATCH, Params(unit=c.section)),
                (staff, Action.SIGN, Params()),
                (staff, Action.EXTEND, Params(until=until, reason="需采购配件")),
                (sup, Action.APPROVE_EXTENSION, Params()),
                (op, Action.URGE, Params()),
                (op, Action.URGE, Params()),
                (sup, Action.SUSPEND, Params(reason="等待业主", review_on=REVIEW_ON)),
            ],
        )
        self.steps(
            "G",
            NOW + 8 * M + DAY,
            [
                (sup, Action.RESUME, Params()),
                (staff, Action.HANDLED, Params(result="已修复")),
                (op, Action.SEND_VERIFY, Params()),
                (op, Action.VERIFY, Params(passed=False, reason="仍有破损")),
                (staff, Action.HANDLED, Params(result="已重新修复")),
                (op, Action.SEND_VERIFY, Params()),
                (op, Action.VERIFY, Params(passed=True)),
                (op, Action.RATE, Params(rating=Rating.BASIC)),
            ],
        )
        # H: the week before — not this week's.
        self.case("H", NOW - timedelta(days=7), [])

    def case(
        self,
        name: str,
        at: datetime,
        path: list[tuple[str, Action, Params]],
        *more: tuple[str, Action, Params],
    ) -> None:
        self.codes[name] = new_case(self.store, self.c, at, title=f"案件{name}").code
        self.steps(name, at + M, [*path, *more])

    def steps(self, name: str, at: datetime, path: list[tuple[str, Action, Params]]) -> None:
        for login, action, params in path:
            act(self.store, SlaClock(), login, self.codes[name], action, params, now=at)
            at += M
