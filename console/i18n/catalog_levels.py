"""The loop's last pieces: each holding level's time limits, the queue's mark of an open 督办."""

LEVELS: dict[str, tuple[str, str]] = {
    "col.urged": ("督", "!"),
    "ui.level_limit": ("（按{level}级时限）", " (the {level} level's limit)"),
}
