"""Case codes: E2026-0001234 for events, C2026-0001234 for components; never reused."""

from console.domain.enums import CaseKind

PREFIX = {CaseKind.EVENT: "E", CaseKind.COMPONENT: "C"}


def format_code(kind: CaseKind, year: int, number: int) -> str:
    return f"{PREFIX[kind]}{year}-{number:07d}"
