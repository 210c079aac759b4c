"""Strings of the centre's figures, bulletins and dashboard: key → (Simplified Chinese, English)."""

FIGURES: dict[str, tuple[str, str]] = {
    "cli.record_filled": (
        "已按留痕补全 {n} 件案件的统计记录",
        "filled the figures' record of {n} cases from their trails",
    ),
}
