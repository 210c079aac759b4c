"""The loop's mechanisms: escalation that routes to the level above, 自办自结 on the spot."""

LOOP: dict[str, tuple[str, str]] = {
    "error.held_above": (
        "{code} 已上报至{level}级平台，由其办理；本中心只读，不能{action}",
        "{code} was escalated and is held by the {level} platform: read only here, cannot {action}",
    ),
    "ui.held_above": (
        "已上报至{level}级平台，由其办理：本中心只读，可加备注",
        "held by the {level} platform: read only here; notes may be added",
    ),
    "view.default.escalated": ("上报至区级", "Escalated to us"),
    "action.self-close": ("自办自结", "handled on the spot"),
    "key.action.self-close": (
        "自办自结：网格员现场已处置（结果、照片）",
        "handled on the spot by the grid worker (result, photo)",
    ),
    "error.not_self_closable": (
        "{code}：类别 {category} 不能自办自结，请按流程交中心受理",
        "{code}: category {category} cannot be handled on the spot; leave it to the centre",
    ),
}
