"""The actions a case can take: the CLI's verbs and the rows of the transition table."""

from enum import StrEnum


class Action(StrEnum):
    """Values are the CLI's verbs: `gridcall case ACTION CODE`."""

    NEW = "new"
    ACCEPT = "accept"
    REJECT = "reject"
    DUPLICATE = "duplicate"
    DISPATCH = "dispatch"
    WHISTLE = "whistle"
    ESCALATE = "escalate"
    DEESCALATE = "deescalate"
    SIGN = "sign"
    RETURN = "return"  # a unit asks to give the case back (退回): the centre decides
    APPROVE_RETURN = "approve-return"
    REFUSE_RETURN = "refuse-return"
    HANDLED = "handled"
    SEND_VERIFY = "send-verify"
    VERIFY = "verify"
    URGE = "urge"
    EXTEND = "extend"
    APPROVE_EXTENSION = "approve-extension"
    REFUSE_EXTENSION = "refuse-extension"
    SUSPEND = "suspend"
    RESUME = "resume"
    REVIEW = "review"  # 复核: a supervisor reviews a shelved case and sets its next review date
    RATE = "rate"
    REOPEN = "reopen"
    NOTE = "note"
    SET_URGENCY = "set-urgency"
    SET_CATEGORY = "set-category"
    SELF_CLOSE = "self-close"  # 自办自结: a grid worker reports a case handled on the spot
    CHECK_IN = "check-in"  # 报到: a department a whistle summoned reports for duty
    FEEDBACK = "feedback"  # 反馈: and files its own feedback
    WAIVE = "waive"  # 免报到/免反馈: a supervisor releases a department from what it owes
    RATE_UNIT = "rate-unit"  # the street rates a summoned department's response
    REPLY = "reply"  # 回复督办: the lead unit answers an urge that asked for a reply
