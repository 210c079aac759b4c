"""Personal data: who sees the reporter, masking, revealing a phone, confidential reporters."""

PERSONAL: dict[str, tuple[str, str]] = {
    "ui.confidential": ("保密", "confidential"),
    "key.case.reveal": ("显示反映人电话（留痕）", "reveal the reporter's phone (audited)"),
    "act.revealed": (
        "已显示 {code} 的反映人电话，已记入痕迹",
        "reporter's phone of {code} shown; the trail records it",
    ),
    "error.reveal_masked": (
        "{code} 的反映人电话只对本街道的接线员、值班长和承办单位显示",
        "the reporter's phone of {code} is for the street's operators and supervisors and "
        "the lead unit only",
    ),
    "error.reveal_hidden": (
        "{code} 的反映人保密，不向处置单位显示",
        "the reporter of {code} is confidential: not shown to units",
    ),
    "error.no_phone": ("{code} 没有反映人电话", "{code} has no reporter's phone"),
    "intake.field.confidential": ("反映人保密", "Confidential"),
    "intake.confidential.no": ("否", "no"),
    "intake.confidential.yes": ("是（处置单位看不到反映人）", "yes (units do not see who)"),
}
