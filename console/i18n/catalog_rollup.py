"""Strings of the figure cells (services.cells): key → (Simplified Chinese, English)."""

ROLLUP: dict[str, tuple[str, str]] = {
    "cli.cells_built": (
        "已由案件汇总出统计格（按上报日、社区、主办单位、办理人）",
        "summed the figure cells (per day reported, community, lead unit, handler) from the cases",
    ),
}
