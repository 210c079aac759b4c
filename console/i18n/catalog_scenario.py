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
    "error.no_scenario_playing": (
        "{url} 没有在演练情景：用 gridcall train --reset --scenario 名称 开始一个",
        "{url} plays no scenario: start one with gridcall train --reset --scenario NAME",
    ),
    "train.board_head": (
        "| 学员 | 得分 | 步骤 | 按时 | 超时 | 单位错误 |",
        "| trainee | score | steps | on time | late | wrong unit |",
    ),
    "train.steps_head": (
        "| 案件 · 步骤 | 要求 | 由谁 | 结果 | 得分 |",
        "| case · step | expected | by | verdict | points |",
    ),
    "train.verdict.on_time": ("按时", "on time"),
    "train.verdict.late": ("超时", "late"),
    "train.verdict.wrong_unit": ("单位或案件错误", "wrong unit or case"),
    "train.verdict.missed": ("未做", "missed"),
    "train.next": ("下一步", "next"),
}
