"""What the checks of typed input say: the fields they name, and why a value is refused."""

INPUT: dict[str, tuple[str, str]] = {
    "field.description": ("描述", "description"),
    "field.reporter": ("反映人", "reporter's name"),
    "field.phone": ("电话", "phone"),
    "field.search": ("搜索词", "search text"),
    "field.view_name": ("视图名称", "view name"),
    "intake.too_long": (
        "{field}最多 {max} 个字，超出的内容未录入",
        "{field} takes at most {max} characters: what would pass them was not taken",
    ),
    # `gridcall case show`: the names the console's pane has no line of its own for
    "cli.light": ("时限", "clock"),
    "cli.level": ("层级", "level"),
    "error.control_char": (
        "{field}含有不可见的控制字符（{char}），请删去后重试",
        "{field} holds an invisible control character ({char}): remove it and try again",
    ),
    "error.not_utf8": (
        "{field}不是有效的 UTF-8 文本",
        "{field} is not valid UTF-8 text",
    ),
    "error.bad_phone": (
        "电话号码应为 5 至 15 位数字，另外只能含 + - ( ) . / 和空格",
        "a phone number holds 5 to 15 digits, with only + - ( ) . / and spaces besides",
    ),
    "error.photo_address": (
        "照片地址须以 http:// 或 https:// 开头：{photo}",
        "a photo's address starts with http:// or https://: {photo}",
    ),
    "error.photo_missing": ("找不到照片文件：{photo}", "no photo file {photo}"),
    "error.photo_unreadable": (
        "无法读取照片 {photo}：{detail}",
        "cannot read the photo {photo}: {detail}",
    ),
    "error.photo_too_big": (
        "照片 {photo} 超过 {mb} MB",
        "the photo {photo} is larger than {mb} MB",
    ),
    "error.photo_not_image": (
        "{photo} 不是照片（JPEG、PNG、WebP 或 HEIC）",
        "{photo} is not a photo (JPEG, PNG, WebP or HEIC)",
    ),
    "error.extension_past": (
        "{code} 的延期时间已经过去，请填写将来的时间",
        "the extension of {code} must end in the future",
    ),
    "error.extension_too_far": (
        "{code} 的延期不能超过 {days} 天；更久的事项请挂起（批准时可驳回）",
        "the extension of {code} may reach at most {days} days ahead; longer work is suspended"
        " (a request asking more can only be refused)",
    ),
}
