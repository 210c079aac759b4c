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
    "view.default.escalated_community": ("上报至社区", "Escalated to us"),
    "error.not_escalated_here": (
        "{code} 在{level}级，由街道中心办理；社区只办理上报至社区的案件，不能{action}",
        "{code} is at {level} level, the street centre's: a community acts only on cases "
        "escalated to it, cannot {action}",
    ),
    "error.unit_beyond_community": (
        "{unit} 不在本社区：社区只能派给本社区的网格员和社区工作站，其他请上报街道（{code}）",
        "{unit} is not this community's: a community dispatches only to its own grid workers "
        "and team; escalate {code} to the street for others",
    ),
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
