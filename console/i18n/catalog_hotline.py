"""What the hotline's work orders say: `gridcall import`, the "to triage" filter, the replies."""

HOTLINE: dict[str, tuple[str, str]] = {
    "cli.audit_stage.import": ("导入工单", "importing work orders"),
    "find.triage": ("待分拣", "to triage"),
    "field.order_no": ("工单编号", "order number"),
    "hotline.row": ("行号", "row"),
    "hotline.reason": ("原因", "reason"),
    "hotline.summary": (
        "新增 {added}，待分拣 {triage}，拒收 {rejected}，已存在 {already}",
        "added {added}, to triage {triage}, rejected {rejected}, already there {already}",
    ),
    "hotline.summary_dry": (
        "试导入（未写入）：新增 {added}，待分拣 {triage}，拒收 {rejected}，已存在 {already}",
        "dry run (nothing written): added {added}, to triage {triage}, rejected {rejected},"
        " already there {already}",
    ),
    "hotline.rejects_at": ("拒收的行及原因见 {path}", "the rejected rows and why: {path}"),
    "hotline.replies_written": ("已导出 {n} 条回复", "{n} replies written"),
    "error.hotline_xlsx_needs_file": (
        "xlsx 须写入文件：请给出 -o FILE",
        "an xlsx is written to a file: give -o FILE",
    ),
    "error.hotline_format": (
        "无法判断 {path} 的格式：请用 --format csv、xlsx 或 json",
        "cannot tell the format of {path}: give --format csv, xlsx or json",
    ),
    "error.hotline_unreadable": ("无法读取 {path}：{detail}", "cannot read {path}: {detail}"),
    "error.hotline_mapping": (
        "映射文件有误：{detail}",
        "the mapping file is wrong: {detail}",
    ),
    "error.hotline_encoding": (
        "{path} 第 {line} 行无法按 {encoding} 读取（文件混有两种编码？）：请转换文件，"
        "或用 --encoding 指定其编码",
        "line {line} of {path} cannot be read as {encoding} (a file mixing two encodings?): "
        "convert the file, or name its encoding with --encoding",
    ),
    "error.hotline_unknown_encoding": (
        "不认识的编码 {encoding}：请用 utf-8、gbk 或 gb18030 等 Python 认识的编码名",
        "no encoding is called {encoding}: name one Python knows, such as utf-8, gbk or gb18030",
    ),
    "error.hotline_unsorted": (
        "映射文件的 triage.category {code} 不是本库的小类：无法判断分类的工单须有一个待分拣的小类",
        "the mapping's triage.category {code} is no subcategory of this store: orders no "
        "category fits need one to wait under",
    ),
    "error.hotline_columns": (
        "文件缺少必需的列：{columns}",
        "the file has no column for: {columns}",
    ),
    "error.hotline_missing": ("缺少{field}", "no {field}"),
    "error.hotline_bad_time": ("{field} 不是时间：{value}", "{field} is not a time: {value}"),
    "error.hotline_cell_too_big": (
        "有单元格超过 {max} 个字，整行未导入",
        "a cell holds more than {max} characters: the row was not imported",
    ),
    "error.hotline_duplicate": (
        "工单编号 {order_no} 在文件中重复",
        "order number {order_no} is in the file twice",
    ),
    "error.hotline_no_place": (
        "地址找不到对应的网格：{address}",
        "the address names no grid of the district: {address}",
    ),
}
