"""Escalation that routes: the case held by the level above, read only below."""

ESCALATION: dict[str, tuple[str, str]] = {
    "error.held_above": (
        "{code} 已上报至{level}级平台，由其办理；本中心只读，不能{action}",
        "{code} was escalated and is held by the {level} platform: read only here, cannot {action}",
    ),
    "view.default.escalated": ("上报至区级", "Escalated to us"),
}
