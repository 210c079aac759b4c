"""What the console's text fields say of their limits (tests/tui/test_hostile_fields.py)."""

FIELDS: dict[str, tuple[str, str]] = {
    "paste.too_long": (
        "粘贴的 {n} 个字未录入：此栏最多 {max} 个字",
        "the {n} characters pasted were not taken: this field takes at most {max}",
    ),
    "field.handover": ("交接班记录", "handover note"),
    "error.password_long": (
        "密码最多 {max} 个字符",
        "a password has at most {max} characters",
    ),
}
