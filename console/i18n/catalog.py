"""The catalogue: key → (Simplified Chinese, English). One place for every user-facing string."""

from console.i18n.catalog_actions import ACTIONS
from console.i18n.catalog_approvals import APPROVALS
from console.i18n.catalog_audit import AUDIT
from console.i18n.catalog_console import CONSOLE
from console.i18n.catalog_dashboard import DASHBOARD
from console.i18n.catalog_debrief import DEBRIEF
from console.i18n.catalog_export import EXPORT
from console.i18n.catalog_fields import FIELDS
from console.i18n.catalog_figures import FIGURES
from console.i18n.catalog_find import FIND
from console.i18n.catalog_handover import HANDOVER
from console.i18n.catalog_hotline import HOTLINE
from console.i18n.catalog_input import INPUT
from console.i18n.catalog_intake import INTAKE
from console.i18n.catalog_levels import LEVELS
from console.i18n.catalog_loop import LOOP
from console.i18n.catalog_open311 import OPEN311
from console.i18n.catalog_overall import OVERALL
from console.i18n.catalog_oversight import OVERSIGHT
from console.i18n.catalog_people import PEOPLE
from console.i18n.catalog_period import PERIOD
from console.i18n.catalog_personal import PERSONAL
from console.i18n.catalog_render import RENDER
from console.i18n.catalog_roads import ROADS
from console.i18n.catalog_rollup import ROLLUP
from console.i18n.catalog_scenario import SCENARIO
from console.i18n.catalog_serve import SERVE
from console.i18n.catalog_settings import SETTINGS
from console.i18n.catalog_signin import SIGN_IN
from console.i18n.catalog_store import STORE
from console.i18n.catalog_tour import TOUR
from console.i18n.catalog_trainer import TRAINER
from console.i18n.catalog_training import TRAINING
from console.i18n.catalog_whistle import WHISTLE

CATALOG: dict[str, tuple[str, str]] = {
    # statuses
    "status.reported": ("待受理", "reported"),
    "status.accepted": ("已受理", "accepted"),
    "status.dispatched": ("已派遣", "dispatched"),
    "status.in_progress": ("处置中", "in progress"),
    "status.handled": ("已处置", "handled"),
    "status.verifying": ("核查中", "verifying"),
    "status.closed": ("已结案", "closed"),
    "status.invalid": ("已作废", "invalid"),
    "status.duplicate": ("重复件", "duplicate"),
    "status.suspended": ("已挂起", "suspended"),
    # actions
    "action.new": ("登记", "register"),
    "action.accept": ("受理", "accept"),
    "action.reject": ("作废", "reject"),
    "action.duplicate": ("合并重复", "mark duplicate"),
    "action.dispatch": ("派遣", "dispatch"),
    "action.whistle": ("吹哨", "whistle"),
    "action.escalate": ("上报", "escalate"),
    "action.deescalate": ("下派", "de-escalate"),
    "action.sign": ("签收", "sign for"),
    "action.return": ("退回", "return"),
    "action.handled": ("处置反馈", "report handled"),
    "action.send-verify": ("派核查", "send to verify"),
    "action.verify": ("核查", "verify"),
    "action.urge": ("督办", "urge"),
    "action.extend": ("申请延期", "request extension"),
    "action.approve-extension": ("批准延期", "approve extension"),
    "action.refuse-extension": ("驳回延期", "refuse extension"),
    "action.suspend": ("挂起", "suspend"),
    "action.resume": ("恢复", "resume"),
    "action.rate": ("回访", "follow up"),
    "action.reopen": ("重新办理", "reopen"),
    "action.note": ("备注", "note"),
    "action.set-urgency": ("改紧急程度", "set urgency"),
    "action.set-category": ("改类别", "set category"),
    # fields of actions
    "field.reason": ("原因", "reason"),
    "field.text": ("内容", "text"),
    "field.unit": ("处置单位", "unit"),
    "field.co_units": ("协办单位", "co-handling units"),
    "field.result": ("处置结果", "result"),
    "field.passed": ("核查结论", "verification outcome"),
    "field.rating": ("满意度", "rating"),
    "field.other_case": ("原案件编号", "original case code"),
    "field.until": ("延期至", "new deadline"),
    "field.urgency": ("紧急程度", "urgency"),
    "field.category": ("类别", "category"),
    "field.title": ("标题", "title"),
    "field.address": ("地址", "address"),
    # other coded values
    "urgency.normal": ("一般", "normal"),
    "urgency.urgent": ("紧急", "urgent"),
    "level.grid": ("网格", "grid"),
    "level.community": ("社区", "community"),
    "level.street": ("街道", "street"),
    "level.district": ("区", "district"),
    "source.patrol": ("网格巡查", "grid patrol"),
    "source.hotline_12345": ("12345热线", "12345 hotline"),
    "source.line_8890": ("8890专线", "8890 line"),
    "source.app": ("随手拍", "residents' app"),
    "source.sensor": ("视频感知", "camera/sensor"),
    "source.leader": ("领导交办", "leader's assignment"),
    "source.referral": ("部门转办", "department referral"),
    "role.operator": ("调度员", "operator"),
    "role.supervisor": ("值班长", "supervisor"),
    "role.liaison": ("部门联络员", "department liaison"),
    "role.grid_worker": ("网格员", "grid worker"),
    "role.trainer": ("培训师", "trainer"),
    "role.admin": ("管理员", "admin"),
    "rating.satisfied": ("满意", "satisfied"),
    "rating.basic": ("基本满意", "basically satisfied"),
    "rating.dissatisfied": ("不满意", "dissatisfied"),
    "light.green": ("正常", "on time"),
    "light.yellow": ("预警", "warning"),
    "light.red": ("超期", "overdue"),
    "light.none": ("—", "—"),
    "grade.routine": ("日常管理", "routine"),
    "grade.general": ("一般防范", "general prevention"),
    "grade.key": ("重点关注", "key attention"),
    "grade.strict": ("严密管控", "strict control"),
    "kind.event": ("事件", "event"),
    "kind.component": ("部件", "component"),
    # errors
    "error.generic": ("操作失败", "the action failed"),
    "error.illegal": ("{code} 当前为{status}，不能{action}", "{code} is {status}: cannot {action}"),
    "error.illegal_final": (
        "{code} 状态为{status}，不能{action}；如需重新办理请联系值班长",
        "{code} is {status}; a supervisor can reopen it",
    ),
    "error.forbidden": ("无权执行此操作", "not allowed"),
    "error.forbidden_action": (
        "{login}（{role}）无权对 {code} 执行「{action}」",
        "{login} ({role}) may not {action} {code}",
    ),
    "error.forbidden_new": (
        "{login}（{role}）无权在此登记案件",
        "{login} ({role}) may not register a case here",
    ),
    "error.conflict": (
        "{code} 已被 {who} 于 {when} 修改，请刷新后重试",
        "{code} was changed by {who} at {when}; reload and try again",
    ),
    "error.conflict_unknown": (
        "{code} 已被他人修改，请刷新后重试",
        "{code} was changed by someone else; reload",
    ),
    "error.not_found": ("未找到", "not found"),
    "error.no_case": ("没有案件 {code}", "no case {code}"),
    "error.no_user": ("没有用户 {login}", "no user {login}"),
    "error.no_area": ("没有区域 {code}", "no area {code}"),
    "error.not_a_grid": ("{code} 不是网格", "{code} is not a grid"),
    "error.no_unit": ("没有处置单位 {code}", "no unit {code}"),
    "error.no_category": ("没有类别 {code}", "no category {code}"),
    "error.category_not_leaf": (
        "{code} 是大类，请选择具体小类",
        "{code} is a group: choose a subcategory",
    ),
    "error.invalid": ("输入有误", "invalid input"),
    "error.missing": ("{action}需要填写：{fields}", "{action} needs: {fields}"),
    "error.too_long": ("{field}不能超过 {max} 个字", "{field} is longer than {max} characters"),
    "error.naive_time": ("时间须带时区", "times must carry a time zone"),
    "error.bad_time": (
        "无法识别的时间 {value}（例：2026-12-01 17:30）",
        "cannot read the time {value} (e.g. 2026-12-01 17:30)",
    ),
    "error.duplicate_self": ("{code} 不能标记为自身的重复件", "{code} cannot duplicate itself"),
    "error.whistle_needs_units": (
        "吹哨需要牵头单位以外至少一个报到部门",
        "a whistle needs at least one department besides the lead unit",
    ),
    "error.top_level": ("{code} 已在区级，不能再上报", "{code} is at district level already"),
    "error.bottom_level": ("{code} 已在网格级", "{code} is at grid level already"),
    "error.extension_pending": (
        "{code} 已有待审批的延期申请",
        "{code} already has an extension awaiting approval",
    ),
    "error.no_extension": ("{code} 没有待审批的延期申请", "{code} has no pending extension"),
    "error.extension_not_later": (
        "延期时间须晚于当前期限",
        "the new deadline must be later than the current one",
    ),
    "error.already_rated": ("{code} 已回访", "{code} has been followed up already"),
    "error.reopen_needs_dissatisfied": (
        "只有回访不满意的案件可以重新办理",
        "only a case rated dissatisfied can be reopened",
    ),
    "error.no_unit_on_case": ("{code} 没有处置单位", "{code} has no unit"),
    "error.use_open_case": ("请用登记功能新建案件", "use `new` to register a case"),
    "error.internal": (
        "内部错误：{detail}（详情见 {log}）",
        "internal error: {detail} (details in {log})",
    ),
    "error.store": ("数据库不可用", "the store is unavailable"),
    "error.store_failed": ("数据库出错：{detail}", "the store failed: {detail}"),
    "error.bad_url": ("无法识别的数据库地址：{url}", "not a database URL: {url}"),
    "error.bad_backend": (
        "不支持的数据库：{url}（Gridcall 支持 sqlite 与 postgresql+psycopg：sqlite:///PATH 或 "
        "postgresql://…）",
        "unsupported store {url}: Gridcall speaks sqlite and postgresql+psycopg "
        "(sqlite:///PATH or postgresql://…)",
    ),
    "error.no_dir": ("目录不存在：{path}", "no such directory: {path}"),
    "error.unreachable": (
        "无法连接数据库 {url}：{detail}",
        "cannot reach the store {url}: {detail}",
    ),
    "error.lost_during_commit": (
        "提交时与数据库 {url} 断开，操作可能已生效，请刷新查看后再决定是否重试",
        "lost the store {url} during commit: the action may have taken effect; "
        "reload and look before retrying",
    ),
    "error.no_store_file": (
        "没有数据库文件 {path}：请先运行 gridcall init --db sqlite:///{path}",
        "no store file {path}: run `gridcall init --db sqlite:///{path}` first",
    ),
    "error.no_schema": (
        "数据库 {url} 尚未初始化，请先运行 gridcall init",
        "the store {url} has no schema: run `gridcall init` first",
    ),
    "error.old_schema": (
        "数据库 {url} 的结构版本较旧，请先运行 gridcall init 升级",
        "the store {url} has an older schema: run `gridcall init` to upgrade it",
    ),
    "error.bad_option": ("选项有误：{detail}", "bad option: {detail}"),
    "error.config": ("配置文件 {path} 有误：{detail}", "bad config file {path}: {detail}"),
    "error.seed_nonempty": (
        "数据库已有 {n} 件案件；加 --replace 先清空再生成",
        "the store already holds {n} cases; add --replace to start afresh",
    ),
    # CLI messages
    "cli.first_run": (
        "首次运行：已在 {path} 创建演示数据库（{cases} 件案件）",
        "First run: created the demo store at {path} with {cases} cases",
    ),
    "cli.init_done": ("数据库已就绪：{url}", "Schema is up to date: {url}"),
    "cli.seed_done": (
        "已载入演示区县与 {cases} 件案件（{seconds:.1f} 秒）",
        "Loaded the demo district and {cases} cases in {seconds:.1f} s",
    ),
    # the console
    "ui.centre": ("网格化管理中心", " command centre"),
    "ui.new": ("新件", "new"),
    "ui.red": ("超期", "red"),
    "ui.mine": ("待我办", "mine"),
    "ui.live_on": ("实时", "live"),  # after the live glyph (console.terminal)
    "ui.live_off": ("断开，只读", "offline, read-only"),
    "ui.category": ("类别", "category"),
    "ui.source": ("来源", "source"),
    "ui.address": ("地址", "address"),
    "ui.reporter": ("反映人", "reporter"),
    "ui.handling": ("处置", "handling"),
    "ui.deadline": ("本环节时限", "step due"),
    "ui.extension": ("申请延期至", "extension asked to"),
    "ui.rework": ("返工", "rework"),
    "ui.urged": ("督办", "urged"),
    "ui.duplicate_of": ("重复于", "duplicate of"),
    "ui.result": ("处置结果", "result"),
    "ui.attachment": ("附件", "attachment"),
    "ui.timeline": ("办理过程", "Timeline"),
    "ui.grid_card": ("网格信息", "Grid"),
    "ui.grade": ("管理等级", "grade"),
    "ui.households": ("户数", "households"),
    "ui.population": ("人口", "population"),
    "ui.worker": ("网格员", "grid worker"),
    "ui.leader": ("网格长", "grid leader"),
    "ui.open_cases": ("在办案件", "open cases"),
    "ui.overdue": ("超期", "overdue"),
    "ui.last_30_days": ("近30天案件类别", "last 30 days by category"),
    "ui.key": ("按键", "key"),
    "ui.does": ("作用", "does"),
    "col.light": ("灯", "●"),
    "col.code": ("编号", "code"),
    "col.urgency": ("紧急", "urg."),
    "col.status": ("状态", "status"),
    "col.title": ("标题", "title"),
    "col.left": ("剩余", "left"),
    "col.grid": ("网格", "grid"),
    "col.category": ("类别", "category"),
    "col.unit": ("处置单位", "unit"),
    "key.queue.down": ("下一件", "next case"),
    "key.queue.up": ("上一件", "previous case"),
    "key.queue.pagedown": ("下一页", "page down"),
    "key.queue.pageup": ("上一页", "page up"),
    "key.queue.top": ("到顶", "top"),
    "key.queue.bottom": ("到底", "bottom"),
    "key.queue.open": ("打开", "open"),
    "key.queue.mark": ("标记（批量操作）", "mark for bulk action"),
    "key.main.help": ("帮助", "help"),
    "key.main.reload": ("刷新", "reload"),
    "key.main.quit": ("退出", "quit"),
    "key.app.palette": ("命令面板", "palette"),
    "key.app.next_field": ("下一栏", "next field"),
    "key.app.previous_field": ("上一栏", "previous field"),
    "ui.too_small": (
        "控制台需要至少 {needs} 的终端窗口（现在 {now}）。放大窗口后，一切照旧。",
        "The console needs a terminal of at least {needs} (now {now}). Enlarge it and the "
        "console returns as it was.",
    ),
    "ui.palette": ("搜索操作、视图、排序…", "Search actions, views, sorts…"),
    "key.case.back": ("返回", "back"),
    "key.help.close": ("关闭", "close"),
}
# Screens keep their strings in catalogue modules of their own, merged here.
for _part in (
    CONSOLE,
    ACTIONS,
    FIND,
    INTAKE,
    INPUT,
    PEOPLE,
    SIGN_IN,
    PERSONAL,
    SERVE,
    HANDOVER,
    AUDIT,
    SETTINGS,
    STORE,
    ROADS,
    FIGURES,
    ROLLUP,
    RENDER,
    PERIOD,
    DASHBOARD,
    HOTLINE,
    OPEN311,
    EXPORT,
    OVERALL,
    OVERSIGHT,
    LOOP,
    TRAINING,
    TRAINER,
    TOUR,
    SCENARIO,
    WHISTLE,
    APPROVALS,
    DEBRIEF,
    LEVELS,
    FIELDS,
):
    CATALOG.update(_part)
