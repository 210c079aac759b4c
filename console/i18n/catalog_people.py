"""Who acts: roles, signing in, users and the separation of duties."""

PEOPLE: dict[str, tuple[str, str]] = {
    "role.community": ("社区工作人员", "community operator"),
    "role.section": ("街道科室人员", "street section staff"),
    "role.leader": ("领导", "leader"),
    "trail.sign-in": ("登录", "signed in"),
    "trail.sign-out": ("退出登录", "signed out"),
    "trail.sign-in-failed": ("登录失败", "sign-in failed"),
    "trail.locked-out": ("账号锁定", "locked out"),
    "trail.idle-lock": ("闲置锁屏", "idle lock"),
    "trail.session-ended": ("会话被接替", "session taken over"),
    "trail.token-issued": ("发放令牌", "token issued"),
    "trail.user-changed": ("用户变更", "user changed"),
    "trail.reveal": ("查看报告人电话", "reporter's phone revealed"),
    "action.reveal": ("查看报告人电话", "reporter's phone revealed"),
    "error.separation": (
        "巡办分离：{login} 或其所在单位处置了 {code}，不能再核查它",
        "separation of duties: {login} or their unit handled {code} and may not verify it",
    ),
    "error.unit_out_of_reach": (
        "{unit} 不服务于 {code} 所在街道；派给其他街道的单位需由区级值班长操作",
        "{unit} does not serve the street of {code}; another street's units need a district "
        "supervisor",
    ),
    "error.sign_in_failed": ("用户名或密码错误", "wrong login or password"),
    "error.sign_in_locked": (
        "登录失败次数过多，账号已锁定，请 {minutes} 分钟后再试",
        "too many failed sign-ins: locked, try again in {minutes} min",
    ),
    "error.user_disabled": ("用户 {login} 已停用", "user {login} is disabled"),
    "error.not_signed_in": (
        "尚未登录：请先运行 gridcall login",
        "not signed in: run gridcall login first",
    ),
    "error.sign_in_expired": (
        "登录已过期（每班有效）：请重新运行 gridcall login",
        "your sign-in has expired (it lasts one shift): run gridcall login again",
    ),
    "error.password_short": ("密码至少 {min} 个字符", "a password needs at least {min} characters"),
}
