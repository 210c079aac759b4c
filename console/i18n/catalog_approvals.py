"""Strings of returns waiting for approval (退回待批) and shelved cases' reviews (挂账复核):
key → (Simplified Chinese, English)."""

APPROVALS: dict[str, tuple[str, str]] = {
    "action.approve-return": ("批准退回", "approve return"),
    "action.refuse-return": ("驳回退回", "refuse return"),
    "action.review": ("复核", "review"),
    "key.action.approve-return": ("批准单位的退回申请", "approve the unit's return"),
    "key.action.refuse-return": (
        "驳回退回申请（填写原因，单位继续办理）",
        "refuse the return (reason; the unit keeps the case)",
    ),
    "key.action.review": (
        "复核挂起案件（意见与下次复核日期）",
        "review a suspended case (note and next review day)",
    ),
    "field.review_on": ("复核日期", "review on"),
    "act.review_text": ("复核意见", "review note"),
    "act.review_format": ("年-月-日，如 2026-12-31", "YYYY-MM-DD, e.g. 2026-12-31"),
    "case.return_requested": ("退回待批", "return requested"),
    "ui.return_reason": ("退回理由", "return asked"),
    "ui.review_on": ("复核日期", "review on"),
    "find.return_requested": ("退回待批", "return requested"),
    "find.review_due": ("待复核", "review due"),
    "sort.review": ("按复核日期", "by review day"),
    "error.return_pending": (
        "{code} 已申请退回，待中心审批",
        "{code} is already asked to return, awaiting the centre's decision",
    ),
    "error.no_return": ("{code} 没有待审批的退回申请", "{code} has no return request waiting"),
    "error.review_not_later": (
        "{code} 的复核日期须晚于今天（{today}）",
        "the review day of {code} must fall after today ({today})",
    ),
    "error.review_too_far": (
        "{code} 的复核日期不能超过 {days} 天之后",
        "the review day of {code} may be at most {days} days ahead",
    ),
}
