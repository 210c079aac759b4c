"""Settings from the config file and the flags, through one schema: every bad value named on
a line of its own, where it came from, the rule it broke, in the reader's language; nothing
half-applied."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from console.app import check_keymap
from console.config import FLAGS, Settings, load_settings
from console.domain.oversight import OversightRules
from console.domain.whistle import WhistleRules
from console.i18n import say
from console.settings_schema import SettingsInvalid, flag_problems, one_of


def problems_of(tmp_path: Path, text: str, lang: str = "en") -> list[str]:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsInvalid) as caught:
        load_settings(path)
    return say(caught.value, lang).replace(f"{path}", "PATH").splitlines()


@pytest.mark.parametrize(
    ("line", "en", "zh"),
    [
        (
            'warn_ratio = "abc"',
            'warn_ratio = "abc": must be a number between 0 and 1',
            'warn_ratio = "abc"：须是大于 0、小于 1 的数',
        ),
        (
            "warn_ratio = 1.5",
            "warn_ratio = 1.5: must be a number between 0 and 1",
            "warn_ratio = 1.5：须是大于 0、小于 1 的数",
        ),
        ('lang = "fr"', 'lang = "fr": must be zh or en', 'lang = "fr"：只能是 zh 或 en'),
        (
            'bell = "yes"',
            'bell = "yes": must be true or false',
            'bell = "yes"：只能是 true 或 false',
        ),
        ("timezone = 8", "timezone = 8: must be a time zone name", "timezone = 8：须是时区名"),
        (
            'timezone = "Mars/Olympus"',
            'timezone = "Mars/Olympus": must be a time zone name such as "Asia/Shanghai"',
            'timezone = "Mars/Olympus"：须是时区名，如 "Asia/Shanghai"',
        ),
        (
            'theme = "neon"',
            'theme = "neon": must be one of dark, light, mono',
            'theme = "neon"：只能是以下之一：dark, light, mono',
        ),
        ("user = 7", "user = 7: must be text in quotes", "user = 7：须是加引号的文字"),
        (
            "keymap = { accept = 1 }",
            'keymap = {"accept": 1}: must be a table of binding = "keys"',
            'keymap = {"accept": 1}：须是一个表：绑定名 = "键"',
        ),
        (
            'keymap = "x"',
            'keymap = "x": must be a table of binding = "keys"',
            'keymap = "x"：须是一个表',
        ),
        (
            'colour = "red"',
            'colour = "red": no such setting; known: database_url, lang, user, theme,',
            'colour = "red"：没有这个设置；可用的有：database_url, lang, user, theme,',
        ),
        (
            "[sign_in]\nfailures = 0",
            "sign_in.failures = 0: must be a whole number, 1 or more",
            "sign_in.failures = 0：须是不小于 1 的整数",
        ),
        (
            "[sign_in]\nlock = 5",
            "sign_in.lock = 5: no such setting; known: failures, lock_minutes, idle_minutes,",
            "sign_in.lock = 5：没有这个设置；可用的有：failures, lock_minutes, idle_minutes,",
        ),
        ("sign_in = 5", "sign_in = 5: must be a table", "sign_in = 5：须是一个表"),
        (
            '[handover]\nshift_ends = "17:30"',
            'handover.shift_ends = "17:30": must be a list of times like ["08:30", "17:30"]',
            'handover.shift_ends = "17:30"：须是时刻的列表，如 ["08:30", "17:30"]',
        ),
        (
            '[handover]\nshift_ends = ["25:00"]',
            'handover.shift_ends = ["25:00"]: must be a list of times',
            'handover.shift_ends = ["25:00"]：须是时刻的列表',
        ),
        (
            "[handover]\nshift_ends = [1730]",
            "handover.shift_ends = [1730]: must be a list of times",
            "handover.shift_ends = [1730]：须是时刻的列表",
        ),
        (
            '[handover]\nurgent_hours = "8"',
            'handover.urgent_hours = "8": must be a whole number, 1 or more',
            'handover.urgent_hours = "8"：须是不小于 1 的整数',
        ),
        (
            "[handover]\nshift_end = []",
            "handover.shift_end = []: no such setting; known: shift_ends, urgent_hours",
            "handover.shift_end = []：没有这个设置；可用的有：shift_ends, urgent_hours",
        ),
        (
            "[whistle]\ncheck_in_hours = 0",
            "whistle.check_in_hours = 0: must be a whole number, 1 or more",
            "whistle.check_in_hours = 0：须是不小于 1 的整数",
        ),
        (
            '[whistle]\nfeedback_hours = "24"',
            'whistle.feedback_hours = "24": must be a whole number, 1 or more',
            'whistle.feedback_hours = "24"：须是不小于 1 的整数',
        ),
        (
            "[oversight]\nsupervisor_after = 0.5",
            "oversight.supervisor_after = 0.5: must be a multiple of 1 or more, or 0 (off)",
            "oversight.supervisor_after = 0.5：须是不小于 1 的倍数，或 0（关闭）",
        ),
        (
            '[oversight]\nurge_when_red = "yes"',
            'oversight.urge_when_red = "yes": must be true or false',
            'oversight.urge_when_red = "yes"：只能是 true 或 false',
        ),
        (
            "[oversight]\nreply_hours = 0",
            "oversight.reply_hours = 0: must be a whole number, 1 or more",
            "oversight.reply_hours = 0：须是不小于 1 的整数",
        ),
    ],
)
def test_a_bad_setting_is_named_with_its_rule(tmp_path: Path, line: str, en: str, zh: str) -> None:
    [said] = problems_of(tmp_path, line + "\n", "en")
    assert said.startswith(f"config file PATH: {en}"), said
    [said] = problems_of(tmp_path, line + "\n", "zh")
    assert said.startswith(f"配置文件 PATH：{zh}"), said


def test_every_bad_key_is_named_on_its_own_line(tmp_path: Path) -> None:
    said = problems_of(
        tmp_path, 'lang = "fr"\ntheme = "neon"\nwarn_ratio = 2\n[sign_in]\nfailures = -1\n'
    )
    assert said == [
        'config file PATH: lang = "fr": must be zh or en',
        'config file PATH: theme = "neon": must be one of dark, light, mono',
        "config file PATH: warn_ratio = 2: must be a number between 0 and 1",
        "config file PATH: sign_in.failures = -1: must be a whole number, 1 or more",
    ]


def test_a_file_that_is_not_toml_is_placed_in_the_readers_language(tmp_path: Path) -> None:
    assert problems_of(tmp_path, "warn_ratio = \n", "zh") == [
        "配置文件 PATH：第 1 行第 14 列不是有效的 TOML（Invalid value）"
    ]
    assert problems_of(tmp_path, "warn_ratio = \n", "en") == [
        "config file PATH: not valid TOML at line 1, column 14 (Invalid value)"
    ]


@pytest.mark.parametrize(
    ("flags", "en", "zh"),
    [
        (
            ("--lang", "fr", FLAGS["--lang"]),
            "--lang fr: must be zh or en",
            "--lang fr：只能是 zh 或 en",
        ),
        (
            ("--theme", "neon", FLAGS["--theme"]),
            "--theme neon: must be one of dark, light, mono",
            "--theme neon：只能是以下之一：dark, light, mono",
        ),
        (
            ("--sort", "foo", one_of("deadline", "reported", "urgency")),
            "--sort foo: must be one of deadline, reported, urgency",
            "--sort foo：只能是以下之一：deadline, reported, urgency",
        ),
    ],
)
def test_a_bad_flag_is_named_as_a_flag(flags: tuple[str, str, object], en: str, zh: str) -> None:
    [problem] = flag_problems(flags)  # type: ignore[arg-type]
    assert (say(problem, "en"), say(problem, "zh")) == (en, zh)


def test_flags_left_out_or_good_have_no_problems() -> None:
    assert (
        flag_problems(("--lang", None, FLAGS["--lang"]), ("--theme", "mono", FLAGS["--theme"]))
        == []
    )
    statuses = one_of("new", "closed", "invalid")
    repeated = flag_problems(("--status", ["new", "closed", "gone", "lost"], statuses))
    assert [say(p, "en") for p in repeated] == [
        "--status gone: must be one of new, closed, invalid",
        "--status lost: must be one of new, closed, invalid",
    ]


def keymap_said(keymap: dict[str, str], lang: str = "en") -> list[str]:
    with pytest.raises(SettingsInvalid) as caught:
        check_keymap(Settings(keymap=keymap))
    return [line.split(": ", 1)[1] if lang == "en" else line.split("：", 1)[1]
            for line in say(caught.value, lang).splitlines()]  # fmt: skip


def test_a_key_given_to_two_bindings_of_a_screen_is_refused_naming_both() -> None:
    assert keymap_said({"action.dispatch": "a"}) == [
        'keymap."action.dispatch" = "a": a is also the key of action.accept on the same screen'
    ]
    assert keymap_said({"action.dispatch": "a"}, "zh") == [
        'keymap."action.dispatch" = "a"：a 在同一屏上已是 action.accept 的键'
    ]
    # "?" and question_mark are one key to Textual: the help key of the App itself.
    assert keymap_said({"app.sign_out": "?"}) == [
        'keymap."app.sign_out" = "?": question_mark is also the key of main.help on the same screen'
    ]


def test_an_unknown_binding_names_the_closest_or_the_known_ones() -> None:
    assert keymap_said({"action.acept": "K"}) == [
        'keymap."action.acept" = "K": no binding has this id; the nearest: action.accept, '
        "action.rate, action.waive"
    ]
    assert keymap_said({"grids.collapse_everything": "K"}) == [
        'keymap."grids.collapse_everything" = "K": no binding has this id; the nearest: '
        "grids.back, grids.open, grids.reload"
    ]
    [said] = keymap_said({"zzz": "K"}, "zh")
    assert said.startswith('keymap."zzz" = "K"：没有这个绑定；绑定名以这些开头：action.…, app.…,')


def test_a_key_textual_cannot_read_is_refused() -> None:
    assert keymap_said({"queue.down": "down,j,ctrl+foo"}) == [
        'keymap."queue.down" = "down,j,ctrl+foo": "ctrl+foo" is not a key (e.g. a, A, ctrl+s, '
        "f5, question_mark)"
    ]
    assert keymap_said({"queue.down": "hyper+"}, "zh") == [
        'keymap."queue.down" = "hyper+"：“hyper+”不是键名（如 a、A、ctrl+s、f5、question_mark）'
    ]


def test_a_good_keymap_passes() -> None:
    check_keymap(Settings(keymap={"action.accept": "J", "queue.down": "down,j,ctrl+n"}))
    # Swapping two keys of one screen is no clash: each takes the other's.
    check_keymap(Settings(keymap={"action.accept": "d", "action.dispatch": "a"}))


def test_good_settings_are_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'lang = "en"\nwarn_ratio = 0.8\nbell = true\n[sign_in]\nidle_minutes = 5\n'
        'lock_minutes = 3\n[keymap]\n"action.accept" = "K"\n',
        encoding="utf-8",
    )
    settings = load_settings(path)
    assert (settings.lang, settings.warn_ratio, settings.bell) == ("en", 0.8, True)
    assert (settings.lockout.idle_minutes, settings.lockout.minutes) == (5, 3)
    assert settings.keymap == {"action.accept": "K"}
    assert settings.handover.shift_ends == () and settings.handover.urgent_hours == 8
    path.write_text(
        '[handover]\nshift_ends = ["17:30", "08:30"]\nurgent_hours = 6\n', encoding="utf-8"
    )
    handover = load_settings(path).handover
    assert handover.shift_ends == (time(8, 30), time(17, 30)) and handover.urgent_hours == 6
    assert load_settings(path).whistle == WhistleRules(check_in_hours=2, feedback_hours=24)
    path.write_text("[whistle]\ncheck_in_hours = 1\nfeedback_hours = 8\n", encoding="utf-8")
    assert load_settings(path).whistle == WhistleRules(check_in_hours=1, feedback_hours=8)
    assert load_settings(path).oversight == OversightRules()
    path.write_text(
        "[oversight]\nurge_when_red = false\nreply_hours = 8\nsupervisor_after = 0\n"
        "urge_late_departments = false\n",
        encoding="utf-8",
    )
    assert load_settings(path).oversight == OversightRules(False, 8, 0.0, False)
    path.write_text("[oversight]\nsupervisor_after = 3\n", encoding="utf-8")
    assert load_settings(path).oversight.supervisor_after == 3.0
    assert load_settings(tmp_path / "none.toml") == Settings()
