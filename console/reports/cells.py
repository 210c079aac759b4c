"""What every writer does alike: text made safe to write, a cell shown as a reader sees it, a
section's number in the document's language."""

from __future__ import annotations

from typing import TypeGuard

from console.i18n import t
from console.present import pasted, percent, rounded
from console.reports.document import Cell, Kind
from console.terminal import UNICODE

# A cell a spreadsheet would read as a formula when it is opened or edited (CSV injection);
# a leading tab or carriage return is how such a cell hides its "=" from a quick look.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_DIGITS = "零一二三四五六七八九"


def clean(text: str) -> str:
    """Text as a writer takes it: control and bidi characters dropped, line breaks kept."""
    return pasted(text)


def line(text: str) -> str:
    """`clean`, on one line: for a cell, a column's title, a sheet's name."""
    return " ".join(clean(text).replace("\t", " ").split("\n"))


def formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def is_number(value: Cell) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def shown(value: Cell, kind: Kind) -> str:
    """A cell as printed: "92.3%", "1,234", "3.5", "—" for nothing."""
    if value is None:
        return UNICODE.dash
    if isinstance(value, str) or not is_number(value):
        return line(str(value))
    if kind is Kind.SHARE:
        return percent(value)
    if kind in (Kind.COUNT, Kind.MINUTES):
        return f"{rounded(value, 0):,}"
    if kind in (Kind.DAYS, Kind.SCORE):
        return str(rounded(value, 1))
    return str(value)


def numeral(n: int, lang: str) -> str:
    """1 → "一", 12 → "十二", 40 → "四十" in Chinese; the digits otherwise."""
    if lang != "zh" or not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def heading(n: int, title: str, lang: str) -> str:
    """A section's title with its number: "一、办件概况", "1. Cases"."""
    return t("report.heading", lang, n=numeral(n, lang), title=line(title))
