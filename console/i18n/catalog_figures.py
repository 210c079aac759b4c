"""Strings of the centre's figures, bulletins and assessment: key → (Simplified Chinese,
English)."""

FIGURES: dict[str, tuple[str, str]] = {
    "cli.record_filled": (
        "已按留痕补全 {n} 件案件的统计记录",
        "filled the figures' record of {n} cases from their trails",
    ),
    # the figures (domain.figures)
    "figure.reported": ("上报", "reported"),
    "figure.accepted": ("受理", "accepted"),
    "figure.invalid": ("无效", "invalid"),
    "figure.duplicate": ("重复", "duplicate"),
    "figure.dispatched": ("派遣", "dispatched"),
    "figure.closed": ("结案", "closed"),
    "figure.closed_on_time": ("按期结案", "closed on time"),
    "figure.suspended": ("缓办", "suspended"),
    "figure.overdue_now": ("当前超期", "overdue now"),
    "figure.overdue_ever": ("曾超期", "overdue ever"),
    "figure.urges": ("督办", "urges"),
    "figure.closure_rate": ("结案率", "closure rate"),
    "figure.on_time_rate": ("按期结案率", "on-time closure rate"),
    "figure.rework_rate": ("返工率", "rework rate"),
    "figure.return_rate": ("回退率", "return rate"),
    "figure.extension_rate": ("延期率", "extension rate"),
    "figure.satisfaction": ("满意率", "satisfaction"),
    # the bulletin
    "report.title.weekly": (
        "{place}网格化服务管理周通报（{name}）",
        "{place} weekly bulletin ({name})",
    ),
    "report.title.monthly": (
        "{place}网格化服务管理月通报（{name}）",
        "{place} monthly bulletin ({name})",
    ),
    "report.title.range": ("{place}网格化服务管理情况通报（{name}）", "{place} bulletin ({name})"),
    "report.week_name": ("{year}年第{week}周", "{year}, week {week}"),
    "report.month_name": ("{year}年{month}月", "{month}/{year}"),
    "report.range_name": ("{first}至{last}", "{first} to {last}"),
    "report.subtitle": (
        "统计期：{first} 至 {last}（本期上报的案件，状态截至 {at}）",
        "Period: {first} to {last} (the cases reported in it, as they stand at {at})",
    ),
    "report.issuer": ("{place}综合指挥中心　{day}", "{place} command centre, {day}"),
    "report.section.overview": ("总体情况", "Overview"),
    "report.section.rankings": ("排名", "Rankings"),
    "report.section.red": ("红灯督办", "Red-light supervision"),
    "report.section.hotspots": ("高发问题", "Repeat hotspots"),
    "report.section.satisfaction": ("群众满意度", "Residents' satisfaction"),
    "report.section.urges": ("督办情况", "Urges issued"),
    "report.section.handling": ("处置用时", "Handling time"),
    "report.section.assessment": ("考核评价", "Assessment"),
    "report.summary": (
        "本期共上报案件 {reported} 件（上期 {before} 件），受理 {accepted} 件，"
        "结案 {closed} 件，结案率 {closure}，按期结案率 {on_time}；当前超期 {overdue} 件；"
        "群众满意率 {satisfaction}。",
        "{reported} cases were reported this period ({before} the period before); {accepted} "
        "accepted, {closed} closed: closure rate {closure}, on-time closure rate {on_time}. "
        "{overdue} are overdue now. Residents' satisfaction: {satisfaction}.",
    ),
    "report.table.counts": ("办件数量", "Cases"),
    "report.table.rates": ("办件质量", "Rates"),
    "report.col.figure": ("指标", "Figure"),
    "report.col.this": ("本期", "This period"),
    "report.col.before": ("上期", "Period before"),
    "report.col.change": ("变化", "Change"),
    "report.note.cohort": (
        "口径：本期上报的案件及其目前状态；受理 = 未作无效、重复处理且已受理的案件；"
        "应结案数 = 受理 − 缓办。",
        "Counted over the cases reported in the period, as they stand now; accepted = past "
        "acceptance, neither invalid nor a duplicate; due to close = accepted − suspended.",
    ),
    "report.note.rates": (
        "结案率 = 结案数 ÷ 应结案数；按期结案率 = 各环节均未超时的结案数 ÷ 应结案数；"
        "返工率、回退率、延期率以派遣数为分母；满意率 =（满意 + 基本满意）÷ 已回访数；"
        "比率的变化为百分点。",
        "Closure rate = closed ÷ due to close; on-time closure rate = closed with no step past "
        "its deadline ÷ due to close; rework, return and extension rates over cases dispatched; "
        "satisfaction = (satisfied + basically satisfied) ÷ rated; changes of rates in "
        "percentage points.",
    ),
    "report.col.rank": ("名次", "Rank"),
    "report.col.street": ("街道", "Street"),
    "report.col.community": ("社区", "Community"),
    "report.col.unit": ("单位", "Unit"),
    "report.table.streets": ("各街道按期结案率排名", "Streets by on-time closure"),
    "report.table.communities": ("各社区按期结案率排名", "Communities by on-time closure"),
    "report.table.units_best": ("处置单位前 {n} 名", "The best {n} units"),
    "report.table.units_last": ("处置单位后 {n} 名", "The last {n} units"),
    "report.note.ranking": (
        "按按期结案率从高到低排名，相同时依次比较结案率、上报数；"
        "受理不足 {minimum} 件的不排名（列于表末）。",
        "Ranked by on-time closure rate, then closure rate, then cases reported; fewer than "
        "{minimum} accepted cases are not ranked (listed last).",
    ),
    "report.no_unit": ("（未派遣）", "(no unit)"),
    "report.table.red_units": ("各单位当前超期案件", "Cases overdue now, by unit"),
    "report.col.red": ("超期件数", "Overdue"),
    "report.col.oldest": ("最长超期（天）", "Longest overdue (days)"),
    "report.note.red": (
        "当前环节已过时限、尚未办结的案件，不论上报于何时。",
        "Open cases whose current step is past its deadline, whenever they were reported.",
    ),
    "report.table.red_cases": ("超期最久的 {n} 件", "The {n} longest overdue"),
    "report.col.code": ("案件编号", "Case"),
    "report.col.title": ("标题", "Title"),
    "report.col.grid": ("网格", "Grid"),
    "report.col.overdue_days": ("超期（天）", "Overdue (days)"),
    "report.red_summary": (
        "当前超期案件 {n} 件，涉及 {units} 个单位，请相关单位限期办结。",
        "{n} cases are overdue now, with {units} units; they are asked to close them at once.",
    ),
    "report.table.hotspots": ("同一网格同类问题多次上报", "The same problem in the same grid"),
    "report.col.category": ("问题类别", "Category"),
    "report.col.cases": ("件数", "Cases"),
    "report.note.hotspots": (
        "本期同一网格、同一小类上报 3 件及以上。",
        "Three or more cases of one category in one grid in the period.",
    ),
    "report.satisfaction_summary": (
        "本期回访 {rated} 件：满意 {satisfied} 件，基本满意 {basic} 件，"
        "不满意 {dissatisfied} 件，满意率 {rate}。",
        "{rated} cases followed up: {satisfied} satisfied, {basic} basically satisfied, "
        "{dissatisfied} dissatisfied; satisfaction {rate}.",
    ),
    "report.table.dissatisfied": ("不满意件及群众意见", "Dissatisfied, in the residents' words"),
    "report.col.comment": ("群众意见", "Comment"),
    "report.table.urges": ("被督办单位", "Units urged"),
    "report.urges_summary": (
        "本期上报案件共督办 {n} 次，涉及 {units} 个单位。",
        "{n} urges were issued on the period's cases, to {units} units.",
    ),
    "report.table.handling": ("各环节用时（工作分钟）", "Time per step (working minutes)"),
    "report.col.step": ("环节", "Step"),
    "report.col.mean_min": ("平均", "Mean"),
    "report.col.p90_min": ("90% 案件不超过", "p90"),
    "report.step.accept": ("受理", "accept"),
    "report.step.dispatch": ("派遣", "dispatch"),
    "report.step.sign": ("签收", "sign"),
    "report.step.handle": ("处置", "handle"),
    "report.step.verify": ("核查", "verify"),
    "report.step.total": ("合计", "total"),
    "report.note.handling": (
        "本期上报且已结案的案件；按工作时间计（缓办期间不计），p90 按最近秩法。",
        "The period's closed cases; working time (time suspended not counted); p90 by "
        "nearest rank.",
    ),
    "report.table.assess_units": ("处置单位考核", "Units"),
    "report.table.assess_workers": ("网格员考核", "Grid workers"),
    "report.col.who": ("对象", "Who"),
    "report.col.score": ("得分", "Score"),
    "report.note.assessment": (
        "得分 = 按期结案率×{on_time} + 满意率×{satisfaction} + (1−返工率)×{rework} + "
        "(1−回退率)×{returns} + (1−每件督办次数)×{urges}，按可计算部分的权重折算为百分制；"
        "受理不足 {minimum} 件不考核。权重见配置文件 [assessment]。",
        "Score = on-time rate×{on_time} + satisfaction×{satisfaction} + (1−rework rate)×"
        "{rework} + (1−return rate)×{returns} + (1−urges per case)×{urges}, out of 100 over the "
        "weights of the parts measurable; fewer than {minimum} accepted cases are not scored. "
        "Weights: [assessment] in the config file.",
    ),
    "error.report_week": (
        "无法识别的周：{value}（应为 2026-W48 这样的 ISO 周）",
        "not a week: {value} (an ISO week such as 2026-W48)",
    ),
    "error.report_month": (
        "无法识别的月份：{value}（应为 2026-11 这样的年月）",
        "not a month: {value} (a year and month such as 2026-11)",
    ),
    "error.report_range": (
        "起始日期 {first} 晚于结束日期 {last}",
        "the first day {first} is after the last day {last}",
    ),
    "error.bad_day": (
        "{flag} {value}：应为 YYYY-MM-DD 这样的日期",
        "{flag} {value}: must be a day such as 2026-11-30 (YYYY-MM-DD)",
    ),
    "error.report_binary": (
        "{fmt} 是二进制文件，不能输出到终端：请用 -o 文件名",
        "{fmt} is a binary file and cannot go to the terminal: give -o FILE",
    ),
    "error.report_unwritable": ("无法写入 {path}：{why}", "cannot write {path}: {why}"),
    "error.no_street": ("没有这个街道：{value}", "no such street: {value}"),
    "cli.report_written": ("已写入 {path}（{size} 字节）", "wrote {path} ({size} bytes)"),
    # xlsx sheets, one per table
    "report.sheet.counts": ("办件数量", "Cases"),
    "report.sheet.rates": ("办件质量", "Rates"),
    "report.sheet.streets": ("街道排名", "Streets"),
    "report.sheet.communities": ("社区排名", "Communities"),
    "report.sheet.units_best": ("单位前列", "Best units"),
    "report.sheet.units_last": ("单位后列", "Last units"),
    "report.sheet.red_units": ("红灯单位", "Red units"),
    "report.sheet.red_cases": ("红灯案件", "Red cases"),
    "report.sheet.hotspots": ("高发问题", "Hotspots"),
    "report.sheet.dissatisfied": ("不满意件", "Dissatisfied"),
    "report.sheet.urges": ("督办", "Urges"),
    "report.sheet.handling": ("处置用时", "Handling time"),
    "report.sheet.assess_units": ("单位考核", "Unit scores"),
    "report.sheet.assess_workers": ("网格员考核", "Grid worker scores"),
}
