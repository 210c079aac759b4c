"""The trainer's console (培训师控制台): the drill's clock, scoreboard and timeline, and the
trainer's keys."""

TRAINER: dict[str, tuple[str, str]] = {
    "key.trainer.open": ("培训师控制台", "trainer's console"),
    "key.trainer.back": ("返回队列", "back to the queue"),
    "key.trainer.pause": ("暂停/继续", "pause/run"),
    "key.trainer.advance15": ("+15分钟", "+15 min"),
    "key.trainer.advance60": ("+1小时", "+1 h"),
    "key.trainer.next_event": ("到下一事件", "next event"),
    "key.trainer.reset": ("重新开始", "reset"),
    "trainer.paused": ("已暂停", "paused"),
    "trainer.clock": ("培训时钟 {at}", "training clock {at}"),
    "trainer.scores": ("学员成绩（满分 {total} 分）", "scoreboard (of {total} points)"),
    "trainer.col.trainee": ("学员", "trainee"),
    "trainer.col.points": ("得分", "points"),
    "trainer.col.steps": ("步骤", "steps"),
    "trainer.col.on_time": ("按时", "on time"),
    "trainer.col.late": ("超时", "late"),
    "trainer.col.wrong_unit": ("派错", "wrong unit"),
    "trainer.room_missed": (
        "全场漏做（过时无人办理）：{n} 步",
        "missed by the room (past due, nobody took it): {n}",
    ),
    "trainer.timeline": ("情景时间线", "the scenario's timeline"),
    "trainer.waiting": ("待发", "waiting"),
    "trainer.event.report": ("来报", "report"),
    "trainer.event.return": ("退回", "return"),
    "trainer.event.callback": ("回访来电", "callback"),
    "trainer.steps": ("各步骤至今的结果", "each expected step so far"),
    "trainer.verdict.waiting": ("待办", "waiting"),
    "trainer.no_scenario": (
        "培训库没有在演练情景：用 gridcall train --reset --scenario 名称 开始一个",
        "the training store plays no scenario: start one with gridcall train --reset "
        "--scenario NAME",
    ),
    "trainer.no_next": ("没有待发的事件了", "no event is waiting"),
    "trainer.fired": ("情景事件：{kind}「{case}」", "scenario event: {kind} '{case}'"),
    "trainer.reset_confirm": (
        "重新开始「{title}」？情景从头再演：时钟拨到下一次开始时并停住，事件重新发生，成绩清零；"
        "上一轮的案件留在库中作为记录，不再计分。",
        "Start '{title}' again? The scenario plays from its beginning: the clock moves on to its "
        "next start and stands still, the events come again, the scores start from nothing; the "
        "last run's cases stay in the store as history, scored no more.",
    ),
    "trainer.reset_done": (
        "「{title}」已重新开始，时钟停在 {at}",
        "'{title}' starts again, the clock still at {at}",
    ),
    "error.trainer_only": (
        "{login} 不是培训师：演练只由培训师在培训库中掌控",
        "{login} is no trainer: only the trainer drives a drill, in a training store",
    ),
}
