"""A new case as reported: what an operator takes down from a call, or a grid worker reports."""

from __future__ import annotations

from dataclasses import dataclass, field

from console.domain.enums import Source, Urgency


@dataclass(frozen=True)
class NewCase:
    """What an operator takes down from a call, or a grid worker reports."""

    title: str
    category: str
    grid: str
    address: str
    source: Source
    description: str = ""
    urgency: Urgency | None = None  # None: the category's default
    reporter_name: str | None = None
    reporter_phone: str | None = None
    lat: float | None = None
    lon: float | None = None
    attachments: tuple[str, ...] = field(default=())
    confidential: bool = False  # 保密: units never see who reported it (tips, 线索)


# A tip (线索: drugs, gambling, fraud, illegal fundraising…) names someone who may retaliate:
# such categories are named "…线索" in the seeds, and their reporters are confidential
# unless the operator says otherwise.
TIP_SUFFIX = "线索"


def confidential_by_default(category_name: str) -> bool:
    return category_name.endswith(TIP_SUFFIX)
