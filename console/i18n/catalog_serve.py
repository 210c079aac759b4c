"""The night shift over SSH: keys, the server's words to its clients, the trail's events."""

SERVE: dict[str, tuple[str, str]] = {
    "trail.ssh-opened": ("SSH 会话开始", "SSH console opened"),
    "trail.ssh-detached": ("SSH 连接中断（会话保留）", "SSH link dropped (console kept)"),
    "trail.ssh-reattached": ("SSH 会话重新接入", "SSH console reattached"),
    "trail.ssh-ended": ("SSH 会话结束", "SSH console ended"),
    "error.console_bound": (
        "这个 SSH 会话属于 {login}，只有 {login} 能在此解锁；其他人请用自己的密钥连接",
        "this SSH console belongs to {login}: only they unlock it; others connect with their "
        "own key",
    ),
    "error.key_is_private": (
        "这是私钥，请给出公钥文件（.pub），私钥不要离开你的电脑",
        "that is a private key: give the public key file (.pub); the private one stays with you",
    ),
    "error.bad_public_key": (
        "不是 OpenSSH 公钥（如 id_ed25519.pub 的一行）：{detail}",
        "not an OpenSSH public key (one line, as in id_ed25519.pub): {detail}",
    ),
    "error.key_exists": (
        "公钥 {fingerprint} 已经登记过",
        "key {fingerprint} is registered already",
    ),
    "error.no_key": ("没有公钥 {fingerprint}", "no key {fingerprint}"),
    "cli.key_added": (
        "已为 {login} 登记公钥 {fingerprint}",
        "key {fingerprint} registered for {login}",
    ),
    "cli.key_removed": (
        "已删除 {login} 的公钥 {fingerprint}",
        "key {fingerprint} of {login} removed",
    ),
    "cli.key_dates": ("登记于 {added}，最近使用 {used}", "added {added}, last used {used}"),
    "error.cannot_listen": (
        "无法在 {address} 上监听：{detail}",
        "cannot listen on {address}: {detail}",
    ),
    "error.bad_host_key": (
        "主机密钥 {path} 无法读取：{detail}",
        "the host key {path} cannot be read: {detail}",
    ),
    "ssh.listening": (
        "Gridcall SSH 服务在 {host}:{port}，主机密钥 {fingerprint}（ed25519）",
        "Gridcall SSH on {host}:{port}, host key {fingerprint} (ed25519)",
    ),
    "ssh.full": (
        "服务器已有 {n} 个会话，已达上限；请稍后再连，或请管理员调高 --max-sessions",
        "the server has {n} consoles, its most; try again later, or ask for a higher "
        "--max-sessions",
    ),
    "ssh.attached_elsewhere": (
        "你的控制台正在 {where} 上使用（{since} 起）。\n"
        "  [t] 在这里接管    [n] 另开一个新的    [q] 退出",
        "Your console is open on {where} (since {since}).\n"
        "  [t] take it over here    [n] open a new one    [q] quit",
    ),
    "ssh.taken_over": (
        "你的控制台已在 {where} 被接管。",
        "Your console was taken over from {where}.",
    ),
    "ssh.server_stopped": (
        "Gridcall 服务器正在停止：已提交的操作都已保存。服务恢复后请重新连接。",
        "The Gridcall server is stopping: every action you committed is saved. Connect again "
        "when it is back.",
    ),
    "ssh.idle": (
        "{minutes} 分钟没有按键，连接已关闭；控制台保留 {keep} 分钟，重新连接即可回到原处。",
        "No key for {minutes} minutes: the link is closed. Your console is kept for {keep} "
        "minutes; connect again to find it as it was.",
    ),
    "ssh.distrusted": (
        "此地址登录失败次数过多，请稍后再试",
        "too many failed sign-ins from this address; try again later",
    ),
}
