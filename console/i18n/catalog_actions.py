"""Strings of the console's actions screens: key → (Simplified Chinese, English)."""

ACTIONS: dict[str, tuple[str, str]] = {
    # what each key does, for the help screen (the footer shows the action's name)
    "key.action.accept": ("受理（直接执行）", "accept (at once)"),
    "key.action.reject": ("作废（填写原因，需确认）", "reject as invalid (reason, confirmed)"),
    "key.action.duplicate": ("合并为重复件（需确认）", "mark as a duplicate (confirmed)"),
    "key.action.dispatch": ("派遣给处置单位", "dispatch to a unit"),
    "key.action.whistle": ("吹哨：牵头单位与报到部门", "whistle: a lead and summoned departments"),
    "key.action.escalate": ("上报上一级", "escalate one level"),
    "key.action.deescalate": ("下派下一级", "de-escalate one level"),
    "key.action.sign": ("签收", "sign for the case"),
    "key.action.return": ("退回（非本单位职责）", "return (not ours)"),
    "key.action.handled": ("处置反馈", "report handled"),
    "key.action.send-verify": ("派网格员核查", "send for on-site verification"),
    "key.action.verify": ("核查：通过结案或不通过返工", "verify: pass closes, fail sends back"),
    "key.action.urge": ("督办", "urge the unit"),
    "key.action.extend": ("申请延期", "request an extension"),
    "key.action.approve-extension": ("批准延期申请", "approve the extension"),
    "key.action.refuse-extension": ("驳回延期申请", "refuse the extension"),
    "key.action.suspend": ("挂起（需确认）", "suspend (confirmed)"),
    "key.action.resume": ("恢复办理", "resume"),
    "key.action.rate": ("回访满意度", "follow up: the resident's rating"),
    "key.action.reopen": ("重新办理", "reopen"),
    "key.action.note": ("添加备注", "add a note"),
    "key.action.set-urgency": ("改紧急程度", "set urgency"),
    "key.action.set-category": ("改类别", "set category"),
    "key.action.menu": ("可执行操作列表", "every action allowed here"),
    "key.form.cancel": ("取消", "cancel"),
    "key.confirm.yes": ("确定", "yes"),
    "key.confirm.enter": (
        "确定（作废、合并、挂起须按 y）",
        "yes (reject, duplicate, suspend take y)",
    ),
    "key.confirm.no": ("取消", "no"),
    "key.conflict.reload": ("刷新", "reload"),
    "key.conflict.cancel": ("取消", "cancel"),
    "key.menu.close": ("关闭", "close"),
    # the footer's name for the menu key
    "act.menu": ("操作", "actions"),
    # fields the table leaves optional
    "field.instruction": ("派遣意见", "instruction"),
    "field.comment": ("回访意见", "comment"),
    "field.photo": ("现场照片", "photo"),
    # forms
    "act.optional": ("（可选）", " (optional)"),
    "act.if_fail": ("（不通过时必填）", " (needed to fail it)"),
    "act.lead_unit": ("牵头单位", "lead unit"),
    "act.summoned": ("报到部门", "summoned units"),
    "act.required": ("请填写{field}", "{field} is required"),
    "act.bulk_title": ("{action} {n} 件已标记案件", "{action} {n} marked cases"),
    "act.bulk_about": (
        "按光标所在案件推荐单位，所选单位用于全部标记案件",
        "units ranked for the case under the cursor, used for all marked",
    ),
    "act.filter": ("输入筛选…", "type to filter…"),
    "act.hint_form": (
        "Enter 确定 · Tab 下一项 · Esc 取消",
        "Enter confirm · Tab next · Esc cancel",
    ),
    "act.hint_multi": (
        "输入筛选后按 Enter 添加或移除高亮单位",
        "type to filter, Enter adds or removes the highlighted unit",
    ),
    "act.until_format": ("格式：2026-12-01 17:30", "as 2026-12-01 17:30"),
    "act.pass": ("通过：结案", "pass: close the case"),
    "act.fail": ("不通过：返工", "fail: send back for rework"),
    "act.unit_default": ("该类别默认", "category default"),
    "act.unit_returned": ("曾退回本案", "returned this case"),
    "act.unit_grid": ("本网格", "this grid"),
    "act.unit_community": ("本社区", "this community"),
    "act.unit_street": ("本街道", "this street"),
    # confirmations
    "act.confirm_hint": ("y 确定 · n 取消", "y yes · n no"),
    "act.confirm": ("对 {code} 执行「{action}」？", "{action} {code}?"),
    "act.confirm_bulk": ("对 {n} 件已标记案件执行「{action}」？", "{action} {n} marked cases?"),
    "act.confirm_bulk_some": (
        "对 {n} 件已标记案件中的 {able} 件执行「{action}」？"
        "（{refused} 件不能{action}：{reasons}）",
        "{action} {able} of {n} marked cases? ({refused} cannot be done: {reasons})",
    ),
    "act.bulk_none": (
        "{n} 件已标记案件都不能{action}（{reasons}）",
        "{action}: none of the {n} marked cases allows it ({reasons})",
    ),
    "act.confirm_reject": (
        "作废 {code}？案件将结束，不再办理。",
        "Reject {code}? The case ends and will not be handled.",
    ),
    "act.confirm_duplicate": (
        "把 {code} 合并为 {other} 的重复件？案件将结束。",
        "Close {code} as a duplicate of {other}?",
    ),
    "act.confirm_suspend": (
        "挂起 {code}？计时将暂停，直到恢复办理。",
        "Suspend {code}? Its clock stops until it is resumed.",
    ),
    # results
    "act.done": ("{code} 已{action}", "{code}: {action} done"),
    "act.left_view": (
        "{code} 已{action}，已不在此视图；光标移到 {landed}",
        "{code}: {action} done, and it left this view; cursor on {landed}",
    ),
    "act.left_view_empty": (
        "{code} 已{action}，已不在此视图；此视图已无案件",
        "{code}: {action} done, and it left this view; the view is empty",
    ),
    "act.bulk_done": ("{action}：{done} 件完成", "{action}: {done} done"),
    "act.bulk_refused": (
        "{action}：{done} 件完成，{refused} 件未执行（{reasons}）",
        "{action}: {done} done, {refused} refused ({reasons})",
    ),
    "act.failed": ("操作未完成：{detail}", "the action did not complete: {detail}"),
    "act.conflict_title": ("案件已被他人修改", "Changed by someone else"),
    "act.conflict_hint": ("r 刷新后再操作 · Esc 取消", "r reload, then act again · Esc cancel"),
    "act.menu_title": ("{code} 可执行的操作", "What you can do with {code}"),
    "act.cmd_help": ("当前案件，按键 {shortcut}", "the current case; key {shortcut}"),
    "act.cmd_bulk": ("作用于 {n} 件已标记案件", "on the {n} marked cases"),
}
