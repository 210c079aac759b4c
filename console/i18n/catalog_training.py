"""Training mode (培训): the training store, its console and the trainer's clock."""

TRAINING: dict[str, tuple[str, str]] = {
    "ui.training": ("培训", "TRAINING"),
    "cli.training_ready": (
        "培训库已就绪（{url}，用时 {seconds:.1f} 秒）：培训师 {trainer}，学员 {trainees}，密码 "
        "gridcall-demo；培训时钟停在 {at}。培训师控制台（计分板、时钟）：gridcall train run --user "
        "{trainer}；学员控制台：gridcall train run --user 学员登录名",
        "training store ready ({url}, {seconds:.1f} s): trainer {trainer}, trainees {trainees}, "
        "password gridcall-demo; the training clock stands still at {at}. The trainer's console "
        "(scoreboard, clock): gridcall train run --user {trainer}; a trainee's: gridcall train "
        "run --user LOGIN",
    ),
    "cli.training_frozen": ("培训时钟停在 {at}", "the training clock stands still at {at}"),
    "cli.training_running": (
        "培训时钟 {at}，以 {rate} 倍速运行",
        "the training clock reads {at}, running at ×{rate}",
    ),
    "error.training_store_in_production": (
        "{url} 是培训库：请用 gridcall train run 打开，生产控制台不打开培训库",
        "{url} is a training store: open it with gridcall train run; the production console "
        "does not open one",
    ),
    "error.not_training_store": (
        "{url} 不是培训库：培训不在生产库中进行（gridcall train 会新建培训库）",
        "{url} is not a training store: training never happens in a production store "
        "(gridcall train makes one)",
    ),
    "error.training_exists": (
        "{url} 已是一个培训库：加 --reset 重建（其中的培训记录将被清空）",
        "{url} holds a training already: add --reset to make it afresh (its training is lost)",
    ),
    "error.trainees": ("学员人数应为 1 到 {most}，而不是 {n}", "trainees: 1 to {most}, not {n}"),
    "error.training_rate": (
        "倍速应为 {low} 到 {high}，而不是 {rate}",
        "rate: {low} to {high}, not {rate}",
    ),
    "error.training_advance": (
        "时钟只能向前拨，一次最多 {days} 天",
        "the clock moves only forward, at most {days} days at a time",
    ),
    "error.training_duration": (
        "时长「{value}」看不懂：请写成 15m、1h、1h30m 或 2d",
        "cannot read the length '{value}': write 15m, 1h, 1h30m or 2d",
    ),
}
