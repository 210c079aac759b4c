"""A bulletin written to files: the words the writers add around the document's own."""

RENDER: dict[str, tuple[str, str]] = {
    "report.heading": ("{n}、{title}", "{n}. {title}"),
    "report.summary_sheet": ("概况", "Summary"),
    "report.table_sheet": ("表{n}", "Table {n}"),
    "report.see_sheet": ("{title}：见工作表“{sheet}”", "{title}: see sheet “{sheet}”"),
    "error.report_format": (
        "无法输出为 {fmt}：可选格式为 {formats}",
        "cannot write {fmt}: the formats are {formats}",
    ),
}
