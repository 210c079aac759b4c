"""The shift handover (交接班): its draft, its screens, the offer at sign-out, its commands."""

HANDOVER: dict[str, tuple[str, str]] = {
    # the draft, as the next shift reads it
    "handover.draft.title": ("交接班 · {scope} · {when}", "Handover · {scope} · {when}"),
    "handover.draft.shift": ("（本班自 {began}）", " (shift from {began})"),
    "handover.section.red": ("超期 {n} 件：", "Overdue (red): {n}"),
    "handover.section.yellow": ("预警 {n} 件：", "Warning (yellow): {n}"),
    "handover.section.urgent": (
        "近 {hours} 小时紧急件 {n} 件：",
        "Urgent, reported in the last {hours} h: {n}",
    ),
    "handover.section.extensions": ("待审批延期 {n} 件：", "Extensions awaiting approval: {n}"),
    "handover.section.returned": (
        "单位退回、待重新派遣 {n} 件：",
        "Returned by their unit, awaiting dispatch: {n}",
    ),
    "handover.section.touched": (
        "本班经手、仍在办 {n} 件：",
        "Worked on this shift, still open: {n}",
    ),
    "handover.none": ("  无", "  none"),
    "handover.more": ("  ……另有 {n} 件", "  … and {n} more"),
    "handover.asked_until": ("申请延至 {until}", "until {until}"),
    "handover.returned_by": ("{unit} 退回", "returned by {unit}"),
    "handover.notes": ("交班说明：", "Notes for the next shift:"),
    "handover.scope.district": ("全区", "the district"),
    # the screens
    "handover.heading": ("交接班 · {scope}", "Handover · {scope}"),
    "handover.written": ("{name}（{login}）写于 {when}", "written by {name} ({login}) at {when}"),
    "handover.shift": ("，本班自 {began}", ", shift from {began}"),
    "handover.news": ("上一班留下的交接班", "the last shift's handover for you"),
    "handover.none_yet": ("{scope}还没有交接班。", "No handover yet for {scope}."),
    "handover.reading": ("正在读取…", "reading…"),
    "handover.last_one": ("没有更早的交接班", "no older handover"),
    "handover.write_heading": ("写交接班 · {scope}", "Write the handover · {scope}"),
    "handover.write_hint": (
        "已按本班未结事项预填，请修改补充后保存",
        "Prefilled with what the shift leaves open: edit it, then save",
    ),
    "handover.drafting": ("正在整理本班未结事项…", "gathering what the shift leaves open…"),
    "handover.saving": ("正在保存…", "saving…"),
    "handover.saved": ("交接班已保存（提及 {n} 件案件）", "Handover saved ({n} cases named)"),
    "handover.discard": (
        "放弃这份未保存的交接班？  y 放弃 · n 继续编辑",
        "Discard this unsaved handover?  y discard · n keep editing",
    ),
    "handover.shift_end": (
        "{time} 交班时间：{open} 再按 w 写交接班，或 {sign_out} 退出时写",
        "{time}, the shift ends: {open} then w writes the handover, or {sign_out} signs out "
        "with one",
    ),
    "handover.offer": (
        "退出登录前，给下一班写交接班？",
        "Before you sign out: write a handover for the next shift?",
    ),
    "handover.offer_keys": (
        "w 写交接班 · s 直接退出 · Esc 留下",
        "w write one · s sign out without · Esc stay",
    ),
    "handover.signed_out_saved": (
        "{name}已退出登录，交接班已保存",
        "{name} signed out; the handover is saved",
    ),
    # keys
    "key.handover.open": ("交接班", "handover"),
    "key.handover.write": ("写交接班", "write one"),
    "key.handover.older": ("更早", "older"),
    "key.handover.newer": ("更新", "newer"),
    "key.handover.back": ("返回", "back"),
    "key.handover.save": ("保存", "save"),
    "key.handover.leave": ("离开", "leave"),
    "key.offer.write": ("写交接班", "write one"),
    "key.offer.leave": ("直接退出", "sign out without"),
    "key.offer.stay": ("留下", "stay"),
    # errors
    "error.handover_forbidden": (
        "{login}（{role}）不写交接班",
        "{login} ({role}) writes no handover",
    ),
    "error.handover_empty": (
        "交接班是空的：请写下下一班需要知道的事",
        "the handover is empty: write what the next shift needs to know",
    ),
    "error.handover_long": (
        "交接班最多 {max} 个字，现有 {n} 个字",
        "a handover holds at most {max} characters; this one has {n}",
    ),
    "error.no_handover": ("没有交接班 {id}", "no handover {id}"),
    "error.no_handover_yet": ("{scope}还没有交接班", "no handover yet for {scope}"),
    "error.bad_handover_id": (
        "交接班编号须为整数，而不是 {value}",
        "a handover's number is a whole number, not {value}",
    ),
    # the command line
    "cli.handover_none": ("还没有可看的交接班", "no handovers to read yet"),
}
