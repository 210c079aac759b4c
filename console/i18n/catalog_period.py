"""Strings of a period of report times (`case list --from --to`, the filter form's dates):
key → (Simplified Chinese, English)."""

PERIOD: dict[str, tuple[str, str]] = {
    "error.bad_bound": (
        "{name} {value}：无法识别的日期（例：2026-12-01，或 2026-12-01T08:00+08:00）",
        "{name} {value}: not a date (e.g. 2026-12-01, or 2026-12-01T08:00+08:00)",
    ),
    "error.period_reversed": (
        "{start_name} {start} 晚于 {end_name} {end}",
        "{start_name} {start} is later than {end_name} {end}",
    ),
    # the filter form: one row, two dates
    "filter.reported": ("上报时间", "reported"),
    "filter.from": ("起始日期", "from"),
    "filter.to": ("截止日期", "to"),
    "filter.until": ("至", "to"),
    "filter.day": ("年-月-日", "YYYY-MM-DD"),
    # the view bar
    "find.reported_on": ("{day} 上报", "reported {day}"),
    "find.reported_between": ("{start} 至 {end} 上报", "reported {start} to {end}"),
    "find.reported_since": ("{start} 起上报", "reported from {start}"),
    "find.reported_until": ("截至 {end} 上报", "reported to {end}"),
}
