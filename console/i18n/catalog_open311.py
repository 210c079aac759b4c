"""The Open311 GeoReport v2 endpoint (`gridcall serve open311`): its answers to residents' apps."""

OPEN311: dict[str, tuple[str, str]] = {
    "open311.listening": (
        "Gridcall Open311 (GeoReport v2) 服务在 {url}（按 Ctrl-C 停止）",
        "Gridcall Open311 (GeoReport v2) on {url} (Ctrl-C stops it)",
    ),
    "open311.notice": (
        "已收到，街道指挥中心将尽快受理",
        "received: the street's command centre will take it up shortly",
    ),
    "open311.contact": (
        "本区网格化服务管理指挥中心",
        "the district's grid-governance command centre",
    ),
    "open311.key_service": (
        "应用密钥由指挥中心管理员发放（gridcall user token）",
        "an app's key is given by the command centre's administrators (gridcall user token)",
    ),
    "open311.no_format": (
        "只提供 .xml 和 .json 两种格式",
        "only the .xml and .json formats are served",
    ),
    "open311.no_call": (
        "没有这个调用：{path}（见 /services.xml 与 /requests.xml）",
        "no such call: {path} (see /services.xml and /requests.xml)",
    ),
    "open311.no_key": (
        "缺少 api_key：请向指挥中心申请应用密钥",
        "api_key was not provided: ask the command centre for an app key",
    ),
    "open311.bad_key": (
        "api_key 无效或已停用",
        "api_key is not valid, or has ended",
    ),
    "open311.too_many": (
        "请求过于频繁：每个客户端每分钟最多 {per_minute} 次",
        "too many requests: at most {per_minute} a minute for each client",
    ),
    "open311.too_large": (
        "请求体过大：最多 {most} 字节",
        "the request body is too large: {most} bytes at most",
    ),
    "open311.not_a_form": (
        "请求体须为 application/x-www-form-urlencoded 表单",
        "the body must be an application/x-www-form-urlencoded form",
    ),
    "open311.not_utf8": (
        "表单不是有效的 UTF-8 编码",
        "the form is not valid UTF-8",
    ),
    "open311.no_service_code": (
        "缺少 service_code",
        "service_code was not provided",
    ),
    "open311.no_service": (
        "没有这个 service_code：{code}",
        "no service with service_code {code}",
    ),
    "open311.too_long": (
        "description 过长：最多 {most} 个字符",
        "description is too long: {most} characters at most",
    ),
    "open311.bad_media": (
        "media_url 须是 http(s) 地址",
        "media_url must be an http(s) address",
    ),
    "open311.bad_location": (
        "lat/long 须是十进制度数（WGS84）：{lat}, {lon}",
        "lat/long must be decimal degrees (WGS84): {lat}, {lon}",
    ),
    "open311.outside": (
        "位置 {lat}, {lon} 不在本区任何网格内",
        "the point {lat}, {lon} lies in none of the district's grids",
    ),
    "open311.no_address": (
        "找不到地址所在的网格：{address}",
        "no grid found for the address: {address}",
    ),
    "open311.no_location": (
        "缺少位置：请给出 lat 和 long，或 address_string，或 address_id",
        "no location: give lat and long, or address_string, or address_id",
    ),
    "open311.bad_time": (
        "{name} 须是带时区的 W3C 时间，如 2026-12-01T08:00:00+08:00：{value}",
        "{name} must be a W3C date-time with its offset, e.g. 2026-12-01T08:00:00+08:00: {value}",
    ),
    "open311.bad_window": (
        "start_date 晚于 end_date",
        "start_date is after end_date",
    ),
    "open311.long_window": (
        "start_date 到 end_date 不能超过 {days} 天",
        "start_date to end_date may not span more than {days} days",
    ),
    "open311.bad_status": (
        "status 只能是 open 或 closed：{value}",
        "status is open or closed: {value}",
    ),
    "open311.no_request": (
        "没有这个 service_request_id：{code}",
        "no request with service_request_id {code}",
    ),
}
