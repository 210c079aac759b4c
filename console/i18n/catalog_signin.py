"""The console's door: the sign-in screen, the idle lock, signing out."""

# Both languages on one line, in both catalogues: whoever sits down at the demo can read it.
_DEMO = "演示库密码 / demo password: {password}"

SIGN_IN: dict[str, tuple[str, str]] = {
    "signin.title": ("网格呼叫 · 登录", "Gridcall · sign in"),
    "signin.store": ("数据库：{where}", "store: {where}"),
    "signin.login": ("用户名", "Login"),
    "signin.password": ("密码", "Password"),
    "signin.demo": (_DEMO, _DEMO),
    "signin.keys": (
        "Enter 登录 · Tab 切换输入框 · ctrl+q 退出",
        "Enter signs in · Tab moves between fields · ctrl+q quits",
    ),
    "signin.checking": ("正在验证…", "checking…"),
    "signin.need_login": ("请输入用户名", "type your login"),
    "signin.signed_out": ("{name}已退出登录", "{name} signed out"),
    "lock.title": ("网格呼叫 · 屏幕已锁定", "Gridcall · screen locked"),
    "lock.who": (
        "{name}（{login}）闲置超过 {minutes} 分钟，屏幕已锁定。",
        "{name} ({login}) was away for {minutes} min: the screen is locked.",
    ),
    "lock.hint": (
        "输入密码解锁，回到离开时的界面。其他用户在此登录将结束{name}的会话。",
        "Your password unlocks it, back where you left off. Another user signing in here ends "
        "{name}'s session.",
    ),
    "lock.keys": (
        "Enter 解锁 · Tab 切换输入框 · ctrl+q 退出",
        "Enter unlocks · Tab moves between fields · ctrl+q quits",
    ),
    "lock.took_over": ("{name} 的会话已结束", "{name}'s session has ended"),
    "key.app.sign_out": ("退出登录", "sign out"),
    "signin.cmd_help": ("按键 {shortcut}", "key {shortcut}"),
    "error.no_users": (
        "此数据库还没有用户：请运行 gridcall init --admin LOGIN",
        "this store has no users yet: run gridcall init --admin LOGIN",
    ),
}
