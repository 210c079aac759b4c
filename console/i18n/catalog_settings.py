"""The settings' problems: where a bad value came from (the config file or a flag) and the
rule it broke, one line each (console.settings_schema)."""

SETTINGS: dict[str, tuple[str, str]] = {
    "settings.problems": ("{problems}", "{problems}"),
    "settings.in_file": (
        "配置文件 {path}：{name} = {value}：{rule}",
        "config file {path}: {name} = {value}: {rule}",
    ),
    "settings.in_flag": ("{flag} {value}：{rule}", "{flag} {value}: {rule}"),
    "settings.not_toml": (
        "配置文件 {path}：第 {line} 行第 {column} 列不是有效的 TOML（{detail}）",
        "config file {path}: not valid TOML at line {line}, column {column} ({detail})",
    ),
    "settings.not_utf8": ("配置文件 {path}：不是 UTF-8 文本", "config file {path}: not UTF-8 text"),
    "settings.rule.either": ("只能是 {first} 或 {second}", "must be {first} or {second}"),
    "settings.rule.one_of": ("只能是以下之一：{allowed}", "must be one of {allowed}"),
    "settings.rule.text": ("须是加引号的文字", "must be text in quotes"),
    "settings.rule.boolean": ("只能是 true 或 false", "must be true or false"),
    "settings.rule.share": ("须是大于 0、小于 1 的数", "must be a number between 0 and 1"),
    "settings.rule.whole": ("须是不小于 1 的整数", "must be a whole number, 1 or more"),
    "settings.rule.weight": ("须是 0 到 100 的整数", "must be a whole number from 0 to 100"),
    "settings.rule.time_zone": (
        '须是时区名，如 "Asia/Shanghai"',
        'must be a time zone name such as "Asia/Shanghai"',
    ),
    "settings.rule.times": (
        '须是时刻的列表，如 ["08:30", "17:30"]（00:00 至 23:59）',
        'must be a list of times like ["08:30", "17:30"] (00:00 to 23:59)',
    ),
    "settings.rule.keymap": (
        '须是一个表：绑定名 = "键"，如 "action.dispatch" = "D"',
        'must be a table of binding = "keys", e.g. "action.dispatch" = "D"',
    ),
    "settings.rule.table": ("须是一个表（[节]）", "must be a table (a [section])"),
    "settings.rule.unknown": ("没有这个设置；可用的有：{known}", "no such setting; known: {known}"),
    "settings.rule.binding_close": (
        "没有这个绑定；相近的有：{close}",
        "no binding has this id; the nearest: {close}",
    ),
    "settings.rule.binding": (
        "没有这个绑定；绑定名以这些开头：{groups}",
        "no binding has this id; ids begin {groups}",
    ),
    "settings.rule.key": (
        "“{press}”不是键名（如 a、A、ctrl+s、f5、question_mark）",
        '"{press}" is not a key (e.g. a, A, ctrl+s, f5, question_mark)',
    ),
    "settings.rule.clash": (
        "{press} 在同一屏上已是 {others} 的键",
        "{press} is also the key of {others} on the same screen",
    ),
}
