"""Strings of automatic 督办 and the reply an urge asks for: key → (Simplified Chinese, English)."""

OVERSIGHT: dict[str, tuple[str, str]] = {
    # the lead unit's reply to an urge
    "action.reply": ("回复督办", "reply to the urge"),
    "key.action.reply": ("回复督办：向中心说明办理情况", "reply to the urge: tell the centre"),
    "act.reply_text": ("回复内容", "reply"),
    "field.reply_hours": ("回复时限（小时）", "reply within (hours)"),
    "ui.reply_by": ("督办回复", "reply due"),
    "ui.overseen": ("督办件", "overseen"),
    "ui.overseen_since": ("{when} 起由值班长督办", "raised to the supervisor {when}"),
    # the rules, as the trail and `gridcall oversee` name them
    "rule.urge_when_red": ("亮红灯自动督办", "urged when red"),
    "rule.supervisor_after": ("超时升级值班长督办", "raised to the supervisor"),
    "rule.urge_late_departments": ("部门逾期自动督办", "late department urged"),
    "missed.check_in": ("报到", "check-in"),
    "missed.feedback": ("反馈", "feedback"),
    "oversee.none": ("无需督办", "nothing to urge"),
    "oversee.issued": ("已督办 {n} 次", "{n} urges issued"),
    "oversee.would": ("将督办 {n} 次（演练，未写入）", "{n} urges due (dry run: nothing written)"),
    # the filter's chips
    "filter.oversight": ("督办", "urges"),
    "find.reply_late": ("督办回复超时", "reply late"),
    "find.overseen": ("督办件", "overseen"),
    "find.urged": ("待回复督办", "urged, reply owed"),
    "settings.rule.multiple": (
        "须是不小于 1 的倍数，或 0（关闭）",
        "must be a multiple of 1 or more, or 0 (off)",
    ),
    # refusals
    "error.no_reply_owed": (
        "案件 {code} 没有待回复的督办",
        "no urge on {code} is waiting for a reply",
    ),
    "error.reply_hours": (
        "回复时限 {hours} 小时不可用：须在 1 至 {most} 小时之间",
        "a reply within {hours} hours cannot be asked: 1 to {most} hours",
    ),
    "error.unknown_rule": ("未知的督办规则：{rule}", "no such oversight rule: {rule}"),
    "error.system_login": (
        "登录名 {login} 留给系统自动督办使用",
        "the login {login} is the system's own, for its automatic urges",
    ),
}
