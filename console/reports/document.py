"""A bulletin as a document: sections of paragraphs and tables whose cells keep their kind
(a count, a share, minutes, days), so that each format writes them its own way — a percent
cell in xlsx, "92.3%" in Markdown, 0.923 in json. What the figures are is decided before this;
how they look on paper is decided after it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"
    COUNT = "count"  # a whole number of cases, urges…
    SHARE = "share"  # a fraction 0…1, shown as a percent; None when its denominator is 0
    MINUTES = "minutes"  # working minutes
    DAYS = "days"  # days, one decimal
    SCORE = "score"  # an assessment score 0…100, one decimal


Cell = str | int | float | None


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = Kind.TEXT


@dataclass(frozen=True)
class Table:
    name: str  # a short id, the same in every language: a json key
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""  # the rule a ranking or score used, printed under the table
    sheet: str = ""  # an xlsx sheet's name in the document's language (else `name`)


@dataclass(frozen=True)
class Section:
    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True)
class Document:
    title: str  # 望潮街道综合指挥中心周通报（2026年第48周）
    subtitle: str  # the period and the scope
    issuer: str  # who issues it and when: the line a printed bulletin carries
    lang: str
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def tables(self) -> tuple[Table, ...]:
        return tuple(t for s in self.sections for t in s.tables)
