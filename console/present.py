"""Plain renderings shared by the CLI and the console: times, time left, masked phones, JSON.

Nothing here builds markup: report text is untrusted, so it is only ever rendered as plain text.
Glyphs are the Unicode forms of the one table (`console.terminal`); a console on a terminal
without Unicode folds them to their ASCII forms on the way out.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from console.domain.actions import Action
from console.domain.enums import Light
from console.domain.handover import Section
from console.domain.limits import BIDI, CONTROLS, SURROGATES
from console.domain.policy import ReporterView
from console.domain.sla import SlaClock
from console.domain.whistle import Task, TaskState, to_json
from console.domain.workflow import STEP_OF, WITH_UNIT, due_light, reply_light, review_light
from console.i18n import label, t, when
from console.queries.cases import CaseDetail, CaseRow, TimelineEntry
from console.queries.handover import HandoverNote, OpenCase, OpenItems
from console.queries.reference import Reference, Segment, name_in
from console.queries.views import View
from console.terminal import UNICODE

# What typed text may not hold (console.domain.limits), a carriage return, and the
# direction marks: none reaches a terminal raw.
_UNSAFE = re.compile(f"[\r{CONTROLS}\u200e\u200f{BIDI}{SURROGATES}]")
_BYTE = range(0xDC80, 0xDD00)  # a byte that was not UTF-8, as Python's surrogateescape keeps it


def _shown(char: str) -> str:
    code = ord(char)
    return f"\\x{code - 0xDC00 if code in _BYTE else code:02x}"


def inert(text: str | None) -> str:
    """Untrusted text made inert for a terminal: control and bidi characters are shown as
    visible \\xNN escapes; newlines and tabs become spaces."""
    if not text:
        return ""
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return escaped(text)


def escaped(text: str) -> str:
    """`inert`, newlines and tabs kept: for text already laid out in lines."""
    return _UNSAFE.sub(lambda m: _shown(m.group()), text)


def json_text(data: Any) -> str:
    """JSON for a terminal or a pipe: every character but the unsafe ones as itself, those
    as \\uXXXX escapes (json.dumps keeps C1 controls and bidi overrides raw)."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def pasted(text: str) -> str:
    """Pasted text as a field takes it: line breaks kept as newlines, every other control
    character (an escape sequence's ESC, a bell, a bidi override) dropped, so that nothing
    pasted reads as a key or reaches the terminal."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE.sub("", text)


def cell_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clip(text: str, cells: int) -> str:
    """At most `cells` terminal cells of `text`, CJK-aware, with "…" where it was cut."""
    if cell_width(text) <= cells:
        return text
    kept = ""
    for ch in text:
        if cell_width(kept + ch) > cells - 1:
            break
        kept += ch
    return kept + "…"


def road_segment(segment: Segment, lang: str) -> str:
    """A stretch of a road, as a grid found by it is shown: 凤凰山路 1–60号."""
    return t("road.segment", lang, road=segment.road, first=segment.first, last=segment.last)


def time_left(row: CaseRow, now: datetime, lang: str) -> str:
    """'3h12m' left, or '-2d4h' overdue, in wall-clock terms an operator reads at a glance."""
    if row.deadline_at is None:
        return UNICODE.dash
    return until(row.deadline_at, now, lang)


def until(deadline: datetime, now: datetime, lang: str) -> str:
    """The time from `now` to `deadline` as `time_left` says it: '3h12m', '-2d4h' past it."""
    seconds = int((deadline - now).total_seconds())
    sign = "-" if seconds < 0 else ""
    minutes = abs(seconds) // 60
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    d, h, m = ("天", "时", "分") if lang == "zh" else ("d", "h", "m")
    if days >= 10:
        text = f"{days}{d}"
    elif days:
        text = f"{days}{d}{hours}{h}"
    elif hours:
        text = f"{hours}{h}{mins:02d}{m}"
    else:
        text = f"{mins}{m}"
    return sign + text


def status_text(row: CaseRow, lang: str) -> str:
    """A case's status as shown: a unit's request to give it back reads as such (退回待批)
    while the case waits with the unit for the centre's answer."""
    if row.return_reason is not None and row.status in WITH_UNIT:
        return t("case.return_requested", lang)
    return label("status", row.status, lang)


def review_due(
    d: CaseDetail, clock: SlaClock, now: datetime, lang: str
) -> tuple[Light, str] | None:
    """A shelved case's review day with its light (挂账复核): red once gone by, yellow on the
    day — and for a case shelved without a day, due at once; None unless suspended."""
    light = review_light(clock, d.state(), now)
    if light is Light.NONE:
        return None
    day = d.row.review_on.isoformat() if d.row.review_on else UNICODE.dash
    return light, f"{day}  {label('light', light, lang)}"


def step_due(d: CaseDetail, tz: ZoneInfo, lang: str) -> str | None:
    """The step's deadline as read in the pane and `case show`, saying so when the level
    holding the case timed it (an escalated case: that level's limit, not the category's)."""
    row = d.row
    if row.deadline_at is None:
        return None
    shown = when(row.deadline_at, tz)
    step = STEP_OF.get(row.status)
    if step is not None and d.level_limits and d.level_limits.for_step(step, row.urgency):
        shown += t("ui.level_limit", lang, level=label("level", row.level, lang))
    return shown


def overall_due(
    d: CaseDetail, clock: SlaClock, now: datetime, tz: ZoneInfo, lang: str
) -> tuple[Light, str] | None:
    """The overall deadline 办结时限 as read beside the step's: its light and "when, time
    left" (the hotline's own when it gave it), or what is left of it while suspended; None for
    a case without one."""
    if d.due_at is None:
        if d.paused_due_min is None:
            return None
        return Light.NONE, t("ui.due_paused", lang, minutes=f"{d.paused_due_min:,}")
    light = due_light(clock, d.state(), now)
    shown = when(d.due_at, tz)
    if light is not Light.NONE:
        shown += f"  {label('light', light, lang)} {until(d.due_at, now, lang)}"
    if d.due_given:
        shown += t("ui.due_given", lang)
    return light, shown


def reply_due(
    d: CaseDetail, clock: SlaClock, now: datetime, tz: ZoneInfo, lang: str
) -> tuple[Light, str] | None:
    """The reply an urge asked of the lead unit (督办回复): its light and "when, light, time
    left"; None when no reply is owed."""
    light = reply_light(clock, d.state(), now)
    if light is Light.NONE or d.reply_by is None:
        return None
    left = until(d.reply_by, now, lang)
    return light, f"{when(d.reply_by, tz)}  {label('light', light, lang)} {left}"


def overseen(d: CaseDetail, tz: ZoneInfo, lang: str) -> str | None:
    """Since when the case is a 督办件, raised to the supervisor; None when it is not one."""
    if d.overseen_at is None:
        return None
    return t("ui.overseen_since", lang, when=when(d.overseen_at, tz))


def rounded(value: float, places: int) -> Decimal:
    """Rounded half up, as Excel rounds what it shows: a score of 95.25 is 95.3 on paper as in
    the workbook (Python's round and format would make it 95.2)."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def percent(share: float | None) -> str:
    """A rate as read: "92.3%"; "—" for a rate with nothing to divide by."""
    return UNICODE.dash if share is None else f"{rounded(share * 100, 1)}%"


def mask_phone(phone: str | None) -> str:
    """138****5678: enough to confirm with the caller, not enough to copy."""
    if not phone:
        return UNICODE.dash
    digits = phone.strip()
    return digits[:3] + "****" + digits[-4:] if len(digits) >= 8 else "****"


def mask_name(name: str | None) -> str:
    """王* : the surname, enough to address the caller, not to name them."""
    name = (name or "").strip()
    return name[0] + "*" if name else UNICODE.dash


def reporter_parts(
    d: CaseDetail, view: ReporterView, revealed: str | None = None
) -> tuple[str | None, str | None]:
    """The reporter's name and phone as this reader may see them (None: not shown at all).
    In full: the name, and the phone masked until revealed (`revealed`, from the audited
    reveal); masked: the surname and the masked phone; hidden (a confidential reporter, to a
    unit): nothing. Raw text: a terminal shows it through `inert`."""
    if view is ReporterView.HIDDEN:
        return None, None
    if view is ReporterView.FULL:
        return d.reporter_name or None, revealed or mask_phone(d.reporter_phone)
    return mask_name(d.reporter_name), mask_phone(d.reporter_phone)


def reporter_text(
    d: CaseDetail, view: ReporterView, lang: str, revealed: str | None = None
) -> str | None:
    """The reporter on one line, "王女士  138****5678", or the word 保密 for a confidential one
    the reader may not see; None when the case names no reporter."""
    if not (d.reporter_name or d.reporter_phone):
        return None
    if view is ReporterView.HIDDEN:
        return t("ui.confidential", lang)
    name, phone = reporter_parts(d, view, revealed)
    return inert(f"{name or UNICODE.dash}  {phone}")


def row_json(row: CaseRow, ref: Reference, now: datetime) -> dict[str, Any]:
    unit = ref.units[row.lead_unit_id] if row.lead_unit_id else None
    return {
        "code": row.code,
        "title": row.title,
        "status": row.status.value,
        "urgency": row.urgency.value,
        "light": row.light(now).value,
        "category": ref.categories[row.category_id].code,
        "grid": ref.areas[row.grid_id].code,
        "street": ref.areas[row.street_id].code,
        "unit": unit.code if unit else None,
        "level": row.level.value,
        "source": row.source.value,
        "deadline_at": row.deadline_at.isoformat() if row.deadline_at else None,
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
        "version": row.version,
        "return_reason": row.return_reason,
        "review_on": row.review_on.isoformat() if row.review_on else None,
    }


def _event_json(e: TimelineEntry) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "at": e.at.isoformat(),
        "actor": e.actor,
        "action": e.action,
        "from": e.from_status.value if e.from_status else None,
        "to": e.to_status.value,
        "reason": e.reason,
        "payload": e.payload,
    }


def detail_json(
    d: CaseDetail,
    ref: Reference,
    now: datetime,
    view: ReporterView,
    clock: SlaClock,
    revealed: str | None = None,
) -> dict[str, Any]:
    """A case for scripts, its reporter as `view` lets the reader see them."""
    name, phone = reporter_parts(d, view, revealed)
    return row_json(d.row, ref, now) | {
        "due_at": d.due_at.isoformat() if d.due_at else None,
        "due_given": d.due_given,
        "due_light": due_light(clock, d.state(), now).value,
        "reply_by": d.reply_by.isoformat() if d.reply_by else None,
        "reply_light": reply_light(clock, d.state(), now).value,
        "overseen_at": d.overseen_at.isoformat() if d.overseen_at else None,
        "review_light": review_light(clock, d.state(), now).value,
        "kind": d.kind,
        "to_triage": d.to_triage,
        "description": d.description,
        "address": d.address,
        "reporter_view": view.value,
        "reporter_name": name,
        "reporter_phone": phone,
        "co_units": list(d.co_units),
        "returned_units": list(d.returned_units),
        "rework_count": d.rework_count,
        "urge_count": d.urge_count,
        "extension_requested_until": d.ext_until.isoformat() if d.ext_until else None,
        "duplicate_of": d.duplicate_of,
        "attachments": list(d.attachments),
        "result": d.result,
        "rating": d.rating.value if d.rating else None,
        "rating_comment": d.rating_comment,
        "closed_at": d.closed_at.isoformat() if d.closed_at else None,
        "tasks": [
            item | {"state": task.state.value, "light": task.light(now).value}
            for task, item in zip(d.tasks, to_json(d.tasks), strict=True)
        ],
        "timeline": [_event_json(e) for e in d.timeline],
    }


def task_parts(task: Task, ref: Reference, now: datetime, lang: str) -> tuple[str, str, str]:
    """A summoned department's task as the case pane and `case show` say it: the department's
    name, where its task stands, and the time to the deadline it owes next (its rating once
    it owes nothing, a dash before)."""
    unit = ref.unit_by_code.get(task.unit)
    name = name_in(unit, lang) if unit else task.unit
    state = task.state
    if state is TaskState.TO_CHECK_IN:
        left = until(task.check_in_by, now, lang)
    elif state is TaskState.CHECKED_IN:
        left = until(task.feedback_by, now, lang)
    else:
        left = label("unit_rating", task.rating, lang) if task.rating else UNICODE.dash
    return name, label("task_state", state, lang), left


def event_line(e: TimelineEntry, tz: ZoneInfo, lang: str) -> str:
    """One readable line of a timeline."""
    name = label("action", e.action, lang)
    if e.action == Action.RETURN.value and e.payload.get("requested"):
        name = t("case.return_requested", lang)  # asked of the centre, not yet given back
    parts = [when(e.at, tz), e.actor, name]
    if e.from_status is not None and e.from_status != e.to_status:
        old, new = label("status", e.from_status, lang), label("status", e.to_status, lang)
        parts.append(f"{old} {UNICODE.arrow} {new}")
    for key in (
        "rule",  # an urge by the system: the centre's rule it followed (automatic 督办)
        "unit",
        "missed",
        "result",
        "text",
        "instruction",
        "rating",
        "unit_rating",
        "comment",
        "other_case",
        "review_on",
    ):
        value = e.payload.get(key)
        if value:
            kind = key if key in ("rating", "unit_rating", "rule", "missed") else None
            parts.append(inert(label(kind, value, lang) if kind else str(value)))
    if e.payload.get("co_units"):
        parts.append("+" + ",".join(e.payload["co_units"]))
    if e.payload.get("level"):
        old, new = e.payload["level"]
        parts.append(f"{label('level', old, lang)} {UNICODE.arrow} {label('level', new, lang)}")
    if e.reason:
        parts.append(inert(e.reason))
    return "  ".join(parts)


def view_title(view: View, lang: str) -> str:
    """A queue view's name: the user's own for a saved one, else the default's in `lang`."""
    return (
        inert(view.name) if view.saved else t(view.title_key or f"view.default.{view.slot}", lang)
    )


# --- the shift handover (交接班) ------------------------------------------------------------------

TITLE_CELLS = 24  # a case's title in a handover's line: enough to tell cases apart
UNIT_CELLS = 16  # the unit that returned a case, in that line


def scope_name(ref: Reference, scope: str, lang: str) -> str:
    """A handover's scope by its place's name: "street:LJ01" → 江滨街道."""
    kind, _, code = scope.partition(":")
    area = ref.area_by_code.get(code) if kind in ("street", "community", "grid") else None
    unit = ref.unit_by_code.get(code) if kind == "unit" else None
    if area is not None:
        return name_in(area, lang)
    if unit is not None:
        return name_in(unit, lang)
    return code or t("handover.scope.district", lang)


def _open_line(
    c: OpenCase, section: Section, ref: Reference, now: datetime, tz: ZoneInfo, lang: str
) -> str:
    row = c.row
    if section is Section.URGENT:
        said = when(row.created_at, tz)
    elif section is Section.EXTENSIONS:
        said = t("handover.asked_until", lang, until=when(c.ext_until, tz))
    elif section is Section.RETURNED and c.returned_units:
        unit = ref.unit_by_code.get(c.returned_units[-1])
        name = clip(name_in(unit, lang), UNIT_CELLS) if unit else c.returned_units[-1]
        said = t("handover.returned_by", lang, unit=name)
    elif section is Section.TOUCHED and c.last_action:
        said = label("action", c.last_action, lang)
    else:
        said = time_left(row, now, lang)
    status = status_text(row, lang)
    title = clip(inert(row.title), TITLE_CELLS)
    return f"  {UNICODE.light(row.light(now))} {row.code}  {status}  {said}  {title}"


def handover_draft(items: OpenItems, ref: Reference, scope: str, tz: ZoneInfo, lang: str) -> str:
    """The note a shift is offered to edit: what it leaves open, section by section, the worst
    first and the rest counted, then a line for the operator's own words."""
    head = t(
        "handover.draft.title", lang, scope=scope_name(ref, scope, lang), when=when(items.now, tz)
    )
    if items.shift is not None:
        head += t("handover.draft.shift", lang, began=when(items.shift.at, tz))
    lines = [head]
    for part in items.sections:
        lines += [
            "",
            t(f"handover.section.{part.section}", lang, n=part.total, hours=items.urgent_hours),
        ]
        if not part.total:
            lines.append(t("handover.none", lang))
        lines += [_open_line(c, part.section, ref, items.now, tz, lang) for c in part.cases]
        if part.total > len(part.cases):
            lines.append(t("handover.more", lang, n=part.total - len(part.cases)))
    lines += ["", t("handover.notes", lang), ""]
    return "\n".join(lines)


def handover_byline(note: HandoverNote, tz: ZoneInfo, lang: str) -> str:
    """Who wrote a handover, when, and the shift it closed."""
    line = t(
        "handover.written",
        lang,
        name=inert(note.author_name),
        login=note.author,
        when=when(note.written_at, tz),
    )
    if note.shift_began is not None:
        line += t("handover.shift", lang, began=when(note.shift_began, tz))
    return line


def note_lines(body: str) -> list[str]:
    """A note's text, line by line, each made inert for a terminal."""
    return [inert(line) for line in body.splitlines()]


def handover_json(note: HandoverNote, ref: Reference, lang: str) -> dict[str, Any]:
    return {
        "id": note.id,
        "scope": note.scope,
        "scope_name": scope_name(ref, note.scope, lang),
        "author": note.author,
        "author_name": note.author_name,
        "written_at": note.written_at.isoformat(),
        "shift_began": note.shift_began.isoformat() if note.shift_began else None,
        "cases": list(note.cases),
        "body": note.body,
    }
