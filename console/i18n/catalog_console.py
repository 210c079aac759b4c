"""Strings of the console's modals and screens: key → (Simplified Chinese, English)."""

CONSOLE: dict[str, tuple[str, str]] = {
    # the search picker of every find-as-you-type field (views/widgets/picker.py)
    "picker.none_chosen": ("—", "—"),
    "picker.no_match": ("没有匹配项", "nothing matches"),
    "picker.more": ("…… 另有 {n} 项，继续输入以缩小范围", "… {n} more: type to narrow"),
    "key.picker.up": ("上一项", "previous entry"),
    "key.picker.down": ("下一项", "next entry"),
    "key.picker.pageup": ("上一页", "page up"),
    "key.picker.pagedown": ("下一页", "page down"),
    "key.picker.close": ("收起列表", "close the list"),
    # a form sent while the store is away keeps what was typed
    "form.kept": ("{reason}；已输入的内容保留，请重试", "{reason}; your text is kept, try again"),
    # the header's user: a name, and the role in the language's own brackets
    "ui.who": ("{name}{open}{role}{close}", "{name} ({role})"),
    # the command palette, when nothing matches what was typed
    "ui.palette_none": ("没有匹配的命令", "No matches found"),
    # a description longer than the case pane draws
    "ui.description_more": (
        "（另有 {n} 个字符未显示；gridcall case show {code} 显示全文）",
        "({n} more characters; gridcall case show {code} shows the whole)",
    ),
}
