"""Strings of 吹哨报到, the summoned departments' tasks: key → (Simplified Chinese, English)."""

WHISTLE: dict[str, tuple[str, str]] = {
    # actions
    "action.check-in": ("报到", "check in"),
    "action.feedback": ("部门反馈", "file feedback"),
    "action.waive": ("免报到/免反馈", "waive"),
    "action.rate-unit": ("评价部门", "rate a department"),
    "key.action.check-in": ("报到：本部门已到场", "check in: our department reports for duty"),
    "key.action.feedback": ("本部门反馈", "file our department's feedback"),
    "key.action.waive": (
        "免除某部门的报到与反馈（填写原因）",
        "waive a department's check-in and feedback (reason)",
    ),
    "key.action.rate-unit": (
        "评价被吹哨部门的响应",
        "rate a summoned department's response",
    ),
    # fields
    "act.summoned_unit": ("吹哨部门", "summoned department"),
    "act.feedback_text": ("本部门反馈", "our department's feedback"),
    "field.unit_rating": ("部门评价", "department rating"),
    "field.task_hours": ("报到与反馈时限", "check-in and feedback hours"),
    # the street's rating of a department's response
    "unit_rating.timely": ("及时", "timely"),
    "unit_rating.adequate": ("一般", "adequate"),
    "unit_rating.poor": ("较差", "poor"),
    # where a department's task stands
    "task_state.to_check_in": ("待报到", "to check in"),
    "task_state.checked_in": ("已报到", "checked in"),
    "task_state.fed_back": ("已反馈", "fed back"),
    "task_state.waived": ("已免除", "waived"),
    # the case's tasks, in `case show` and the case pane
    "task.heading": ("吹哨报到", "Summoned departments"),
    # the assessment's table of summoned departments (`gridcall report`)
    "report.table.assess_summoned": ("吹哨报到部门考核", "Departments summoned by a whistle"),
    "report.sheet.assess_summoned": ("吹哨报到", "Summoned"),
    "report.note.summoned": (
        "按本期上报案件中吹哨召集的部门统计：报到率、反馈率 = 时限内报到、反馈的次数 ÷ "
        "（召集次数 − 免除次数）；评价为街道对部门响应的评价",
        "Over the whistles on the period's cases: check-in and feedback rates = those made by "
        "their deadlines ÷ (times summoned − times released); ratings are the street's of each "
        "department's response",
    ),
    "figure.summoned": ("召集次数", "summoned"),
    "figure.summoned_waived": ("免除", "released"),
    "figure.check_in_rate": ("按时报到率", "checked in on time"),
    "figure.feedback_rate": ("按时反馈率", "fed back on time"),
    # refusals
    "error.not_summoned": (
        "{unit} 不是案件 {code} 吹哨报到的部门",
        "{unit} is not a department the whistle on {code} summoned",
    ),
    "error.checked_in_already": (
        "{unit} 已在案件 {code} 报到",
        "{unit} has checked in on {code} already",
    ),
    "error.feedback_done": (
        "{unit} 在案件 {code} 上已反馈或已免除",
        "{unit} has fed back on {code} already, or was released from it",
    ),
    "error.unit_not_done": (
        "{unit} 尚未在案件 {code} 上反馈，暂不能评价",
        "{unit} has not fed back on {code} yet: there is nothing to rate",
    ),
    "error.unit_rated": (
        "案件 {code} 上的 {unit} 已评价",
        "{unit} has been rated on {code} already",
    ),
    "error.feedback_owed": (
        "案件 {code} 还有吹哨部门未反馈：{units}（待其反馈，或由值班长免除）",
        "departments summoned on {code} still owe their feedback: {units} "
        "(wait for it, or have a supervisor waive it)",
    ),
    "error.nothing_owed": (
        "案件 {code} 的吹哨部门均已反馈或已免除",
        "every department summoned on {code} has fed back or been released",
    ),
    "error.nothing_to_rate": (
        "案件 {code} 没有待评价的吹哨部门",
        "no department summoned on {code} is waiting to be rated",
    ),
    "error.no_tasks": (
        "案件 {code} 没有吹哨报到的部门",
        "no department was summoned by a whistle on {code}",
    ),
}
