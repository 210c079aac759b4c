"""Strings of the case's overall deadline 办结时限: key → (Simplified Chinese, English)."""

OVERALL: dict[str, tuple[str, str]] = {
    "ui.due": ("办结时限", "overall deadline"),
    "ui.due_given": ("（热线工单给定）", " (given by the hotline)"),
    "ui.due_paused": ("办结时限（挂起，余 {left}）", "overall deadline (paused, {left} left)"),
    "error.hotline_due_before_received": (
        "{field}早于{received}",
        "{field} is before {received}",
    ),
}
