"""How long what people type may be, and which characters it may hold: one set of limits,
checked before anything is written, and the same on both stores (the columns are made to fit
them: console/models.py). PostgreSQL refuses a value longer than its column, SQLite keeps it,
so without this check the two stores would disagree, and the refusal would come back as a
driver's error carrying the very values (a reporter's phone) it refused."""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta

from console.domain.errors import Invalid, Label

TITLE_MAX = 200  # cases.title
ADDRESS_MAX = 200  # cases.address
REPORTER_NAME_MAX = 64  # cases.reporter_name
PHONE_MAX = 32  # cases.reporter_phone, as typed, separators and all
DESCRIPTION_MAX = 4000  # cases.description (text): a call taken down, not a document
REMARK_MAX = 2000  # a reason, note, instruction, result or comment (text columns)
USER_NAME_MAX = 32  # users.name
VIEW_NAME_MAX = 32  # saved_views.name; a view bar has little more room anyway
SEARCH_MAX = 200  # words searched for: longer is no search a person types
CODE_MAX = 32  # a code (unit, category, case) typed to name one: the code columns' size
LOGIN_MAX = 32  # users.login
# A passphrase as long as anyone types or pastes from a password manager; argon2 takes any
# length, and a sign-in box must take every password that can be set.
PASSWORD_MAX = 256
# A moment or a day typed into a form (an ISO moment with its offset, and room to spare), and
# the hours of a reply: short typed values that are parsed, not kept as typed.
DATE_MAX = 40
# An extension moves a step's deadline at most a year ahead: work that needs longer (a
# building's repair waiting for a budget) is suspended, not extended, so that its light says
# so; and the clock need count no further than a year past today for any live deadline.
EXTENSION_HORIZON = timedelta(days=365)
PHOTO_REF_MAX = 1000  # a photo's path or address, kept in the case's attachments (JSON)
ORDER_NO_MAX = 40  # cases.order_no: a hotline's work-order number (12345 工单编号)
# A cell of an imported work-order file: no field of a case holds more (the description's
# 4,000 characters), so a larger one is refused before it is read any further.
IMPORT_CELL_MAX = DESCRIPTION_MAX

LOGIN = re.compile(rf"[A-Za-z0-9][A-Za-z0-9._-]{{0,{LOGIN_MAX - 1}}}")  # plain characters

# Loose on purpose: callers give mobiles, landlines with area codes and extensions, short
# service numbers; what matters is that the digits are there, not how they are grouped.
_PHONE_SEPARATORS = re.compile(r"[\s\-()/.]")
PHONE_DIGITS = (5, 15)  # 12345 is five digits; E.164 allows at most fifteen

# What no typed text may hold: C0 controls (a multi-line text keeps its newlines and tabs),
# DEL and C1 controls, the bidi overrides and isolates that reorder what a reader sees, and
# lone surrogates — the bytes of an argument that was not UTF-8, which no store can encode.
# The same classes are what a terminal must never be sent raw (console.present).
CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 but tab, LF and CR; DEL; C1
BIDI = "\u202a-\u202e\u2066-\u2069"
SURROGATES = "\ud800-\udfff"
_UNSAFE_LINE = re.compile(f"[\t\n\r{CONTROLS}{BIDI}{SURROGATES}]")
_UNSAFE_LINES = re.compile(f"[{CONTROLS}{BIDI}{SURROGATES}]")


def check_text(field: str, value: str | None, most: int, *, lines: bool = False) -> None:
    """Refuse `value` (Invalid, naming the field by its label) when it is longer than `most`
    characters or holds a character no typed text may; `lines`: newlines and tabs are text."""
    if not value:
        return
    name = Label("field", field)
    if len(value) > most:
        raise Invalid("error.too_long", field=name, max=most)
    bad = (_UNSAFE_LINES if lines else _UNSAFE_LINE).search(value)
    if bad is not None:
        char = bad.group()
        if "\ud800" <= char <= "\udfff":
            raise Invalid("error.not_utf8", field=name)
        raise Invalid("error.control_char", field=name, char=f"U+{ord(char):04X}")


def phone_number(text: str) -> str | None:
    """The number as stored (digits, a leading + kept), "" when none was given, None when what
    was typed is not a phone number."""
    compact = _PHONE_SEPARATORS.sub("", unicodedata.normalize("NFKC", text))
    if not compact:
        return ""
    digits = compact.removeprefix("+")
    low, high = PHONE_DIGITS
    if not (digits.isascii() and digits.isdigit()) or not low <= len(digits) <= high:
        return None
    return compact
