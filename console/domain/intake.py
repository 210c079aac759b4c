"""A new case as reported: what an operator takes down from a call, or a grid worker reports."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from console.domain.enums import Source, Urgency
from console.domain.errors import Invalid
from console.domain.limits import (
    ADDRESS_MAX,
    DESCRIPTION_MAX,
    ORDER_NO_MAX,
    PHONE_MAX,
    PHOTO_REF_MAX,
    REPORTER_NAME_MAX,
    TITLE_MAX,
    check_text,
    phone_number,
)


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
    order_no: str | None = None  # the hotline's work order it came from (12345 工单编号)
    to_triage: bool = False  # its category or grid matched at low confidence: for an operator
    due_at: datetime | None = None  # the overall deadline given with it (a hotline's 办理时限)


# A tip (线索: drugs, gambling, fraud, illegal fundraising…) names someone who may retaliate:
# such categories are named "…线索" in the seeds, and their reporters are confidential
# unless the operator says otherwise.
TIP_SUFFIX = "线索"


def confidential_by_default(category_name: str) -> bool:
    return category_name.endswith(TIP_SUFFIX)


def check_new_case(new: NewCase) -> NewCase:
    """The case as it will be stored (trimmed, the phone in its stored form), or Invalid
    naming the first field that is missing, too long or not a phone number."""
    title, address = new.title.strip(), new.address.strip()
    for name, value in (("title", title), ("address", address)):
        if not value:
            raise Invalid("error.missing", action="new", fields=name)
    check_text("title", title, TITLE_MAX)
    check_text("description", new.description, DESCRIPTION_MAX, lines=True)
    check_text("address", address, ADDRESS_MAX)
    reporter = (new.reporter_name or "").strip() or None
    check_text("reporter", reporter, REPORTER_NAME_MAX)
    typed = (new.reporter_phone or "").strip()
    check_text("phone", typed, PHONE_MAX)
    phone = phone_number(typed)
    if phone is None:
        raise Invalid("error.bad_phone")
    for path in new.attachments:
        check_text("photo", path, PHOTO_REF_MAX)
    order_no = (new.order_no or "").strip() or None
    check_text("order_no", order_no, ORDER_NO_MAX)
    return replace(
        new,
        order_no=order_no,
        title=title,
        description=new.description.strip(),
        address=address,
        reporter_name=reporter,
        reporter_phone=phone or None,
    )
