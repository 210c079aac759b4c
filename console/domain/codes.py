"""Case codes: E2026-0001234 for events, C2026-0001234 for components; never reused."""

import re

from console.domain.enums import CaseKind

PREFIX = {CaseKind.EVENT: "E", CaseKind.COMPONENT: "C"}
# A code as it stands in free text (a handover note), also right after a Chinese character,
# where `\b` would not find it: prefix, year, seven digits.
CODE_PATTERN = r"(?<![A-Za-z0-9])[EC]\d{4}-\d{7}(?!\d)"


def is_case_code(text: str) -> bool:
    return re.fullmatch(r"[EC]\d{4}-\d{7}", text) is not None


def format_code(kind: CaseKind, year: int, number: int) -> str:
    return f"{PREFIX[kind]}{year}-{number:07d}"
