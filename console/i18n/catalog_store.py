"""Words about the store and the command line's entry: what it is, where it is, what it refuses."""

STORE: dict[str, tuple[str, str]] = {
    "error.read_only": ("数据库只读，无法写入：{detail}", "the store is read-only: {detail}"),
    "error.newer_schema": (
        "此数据库由较新版本的 Gridcall 建立（结构 {found}；本版本只认识到 {knows}）："
        "请升级 Gridcall",
        "this store was made by a newer Gridcall (schema {found}; this one knows up to "
        "{knows}): upgrade Gridcall",
    ),
    "error.empty_url": (
        "数据库地址为空（{source}）：请给出 sqlite:///PATH 或 postgresql://…，或去掉它以使用演示库",
        "empty store URL ({source}): give sqlite:///PATH or postgresql://…, "
        "or leave it out for the demo store",
    ),
    "error.arg_not_utf8": (
        "参数不是有效的 UTF-8：{shown}",
        "an argument is not valid UTF-8: {shown}",
    ),
    "error.env_not_utf8": (
        "环境变量 {name} 不是有效的 UTF-8：{shown}",
        "the environment variable {name} is not valid UTF-8: {shown}",
    ),
    "error.internal_unlogged": ("内部错误：{detail}", "internal error: {detail}"),
    "error.data_dir_file": (
        "数据目录 {path} 是一个文件：请让 GRIDCALL_DATA_DIR 指向一个目录",
        "the data directory {path} is a file: point GRIDCALL_DATA_DIR at a directory",
    ),
    "error.cannot_make_dir": (
        "无法创建目录 {path}：{detail}",
        "cannot make the directory {path}: {detail}",
    ),
    "cli.seed_interrupted": (
        "生成已中断：数据库未载入任何内容",
        "seed interrupted: nothing was loaded",
    ),
    "cli.seed_interrupted_partly": (
        "生成已中断：数据库中有演示区县与 {cases} 件案件；gridcall seed --replace 可重新生成",
        "seed interrupted: the store holds the demo district and {cases} cases; "
        "`gridcall seed --replace` starts afresh",
    ),
}
