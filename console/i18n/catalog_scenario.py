"""Training scenarios (培训情景): the files, the director, the report."""

SCENARIO: dict[str, tuple[str, str]] = {
    "error.scenario_invalid": (
        "{file} 第 {line} 行：{field}：{why}",
        "{file} line {line}: {field}: {why}",
    ),
    "error.no_scenario": (
        "没有培训情景「{name}」：内置的有 {known}，也可给出 .toml 文件路径",
        "no training scenario '{name}': the built-in ones are {known}, or give a .toml file",
    ),
}
