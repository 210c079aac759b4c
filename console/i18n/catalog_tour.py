"""The tour a trainee sees at their first sign-in to a training store (views/screens/tour.py)."""

TOUR: dict[str, tuple[str, str]] = {
    "tour.title": ("导览 {n}/{of}", "Tour {n}/{of}"),
    "key.tour.next": ("下一页", "next page"),
    "key.tour.back": ("上一页", "previous page"),
    "key.tour.close": ("跳过导览", "leave the tour"),
    "key.tour.open": ("培训导览", "training tour"),
    "tour.keys": (
        "→ 或回车 下一页 · ← 上一页 · esc 跳过",
        "→ or enter next · ← back · esc leave the tour",
    ),
    "tour.welcome.title": ("欢迎来到培训中心", "Welcome to the training centre"),
    "tour.welcome.text": (
        "这是一个培训库：右上角的「培训」标志始终可见，这里做的一切都不会进入正式库。"
        "时间由培训师掌控——时钟停止时，时限灯也停着；培训师拨快时钟，案件会按培训时间变黄、变红。"
        "你的每一步操作都记入审计记录，培训结束后据此评分。",
        "This is a training store: the TRAINING mark stays at the top right, and nothing done "
        "here reaches the production store. The trainer drives the time: while the clock stands "
        "still the deadline lights stand still; as the trainer moves it on, cases turn yellow "
        "and red in training time. Every step you take goes into the audit trail, and the "
        "score is read from it at the end.",
    ),
    "tour.queue.title": ("左边：待办队列", "On the left: the queue"),
    "tour.queue.text": (
        "最急的案件排在最上面；每行的灯是本环节时限：绿色尚早、黄色将到、红色已超时。"
        "数字键切换视图（待受理、上报至本级……），搜索和筛选缩小队列。",
        "The most urgent case is on top; each row's light is its step's deadline: green in "
        "time, yellow nearly due, red late. The number keys switch views (to accept, "
        "escalated to us …); search and filter narrow the queue.",
    ),
    "tour.case.title": ("右边：选中的案件", "On the right: the case"),
    "tour.case.text": (
        "状态、两个时限（本环节、办结）、报告人和经过。底部一行列出此刻这件案子能做的操作，"
        "按键即做；需要填写的操作会弹出表单，需要确认的会先问一句。",
        "Its status, both deadlines (this step's and the overall one), who reported it and "
        "what happened so far. The bottom line lists what may be done to this case now, a key "
        "each; an action with fields opens a form, one that needs confirming asks first.",
    ),
    "tour.help.title": ("随时求助", "Help at any time"),
    "tour.help.text": (
        "引导模式下，底部上方的绿色一行提示场景的下一步。帮助页列出当前屏幕的全部按键；"
        "命令面板按名称查找任何操作。祝顺利！",
        "In guided mode the green line above the bottom names the scenario's next step. The "
        "help screen lists every key of the screen you are on; the palette finds any action "
        "by its name. Good luck!",
    ),
}
