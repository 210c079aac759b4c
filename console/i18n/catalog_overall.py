"""Strings of the case's overall deadline 办结时限: key → (Simplified Chinese, English)."""

OVERALL: dict[str, tuple[str, str]] = {
    "find.late_overall": ("办结超时", "late overall"),
    "ui.due": ("办结时限", "overall deadline"),
    "ui.due_given": ("（热线工单给定）", " (given by the hotline)"),
    "ui.due_paused": ("挂起中，余 {minutes} 分钟", "suspended, {minutes} min left"),
    "error.hotline_due_before_received": (
        "{field}早于{received}",
        "{field} is before {received}",
    ),
}
