"""The rules a setting's value must keep, whether it comes from the config file or a flag.

A rule checks one value and gives back what the program uses (a list of "17:30" strings
becomes sorted times), or raises `Rule`: which rule was broken, as a catalogue key and its
values. The caller names where the value came from (`in_file`, `in_flag`) and collects every
problem before refusing, so an operator mends a file in one go, not one key per start.
The settings themselves, with their defaults and flags, are declared on `config.Settings`.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from console.domain.errors import Invalid


class Rule(Invalid):
    """The rule a value broke: `key` a `settings.rule.*` text, `params` what it names."""


class Problem(Invalid):
    """One bad value, where it came from and the rule it broke: one line for the operator."""


class SettingsInvalid(Invalid):
    """Every problem of a config file or a command line: nothing runs on half of them."""

    key = "settings.problems"

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(problems=tuple(problems))
        self.problems: tuple[Problem, ...] = tuple(problems)


def shown(value: object) -> str:
    """A value as the config file writes it: "fr" quoted, true, 1.5, ["08:30"]."""
    return json.dumps(value, ensure_ascii=False, default=str)


def in_file(path: Path, name: str, value: object, rule: Rule) -> Problem:
    return Problem("settings.in_file", path=str(path), name=name, value=shown(value), rule=rule)


def in_flag(flag: str, value: object, rule: Rule) -> Problem:
    return Problem("settings.in_flag", flag=flag, value=str(value), rule=rule)


def refuse(problems: Sequence[Problem]) -> None:
    if problems:
        raise SettingsInvalid(problems)


# --- rules ------------------------------------------------------------------------------------

Check = Callable[[object], Any]


def one_of(*allowed: str) -> Check:
    def check(value: object) -> str:
        if isinstance(value, str) and value in allowed:
            return value
        if len(allowed) == 2:
            raise Rule("settings.rule.either", first=allowed[0], second=allowed[1])
        raise Rule("settings.rule.one_of", allowed=allowed)

    return check


def text(value: object) -> str:
    if not isinstance(value, str):
        raise Rule("settings.rule.text")
    return value


def boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise Rule("settings.rule.boolean")
    return value


def share(value: object) -> float:
    """A share strictly between 0 and 1 (of a step's time, say)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
        raise Rule("settings.rule.share")
    return float(value)


def whole(value: object) -> int:
    """A count of at least one."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise Rule("settings.rule.whole")
    return value


def multiple(value: object) -> float:
    """A multiple of a time limit: 1 or more, or 0 for a rule switched off."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Rule("settings.rule.multiple")
    if value != 0 and value < 1:
        raise Rule("settings.rule.multiple")
    return float(value)


def weight(value: object) -> int:
    """A weight: a whole number from 0 (the part does not count) to 100."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise Rule("settings.rule.weight")
    return value


def time_zone(value: object) -> str:
    try:
        ZoneInfo(text(value))  # validate the zone name now, not mid-shift
    except (ZoneInfoNotFoundError, ValueError, Rule) as exc:
        raise Rule("settings.rule.time_zone") from exc
    return str(value)


def clock_times(value: object) -> tuple[time, ...]:
    """Local times written "HH:MM", 00:00 to 23:59, as a sorted tuple without repeats."""
    if not isinstance(value, list):
        raise Rule("settings.rule.times")
    times = [_clock_time(v) for v in value]
    if any(t is None for t in times):
        raise Rule("settings.rule.times")
    return tuple(sorted({t for t in times if t is not None}))


def _clock_time(value: object) -> time | None:
    if not isinstance(value, str):
        return None
    hours, colon, minutes = value.strip().partition(":")
    if not (colon and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        return None
    if int(hours) > 23 or int(minutes) > 59:
        return None
    return time(int(hours), int(minutes))


def keymap_table(value: object) -> dict[str, str]:
    """Binding id = "keys": whether the ids and keys exist is `keymap_problems`' to say."""
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise Rule("settings.rule.keymap")
    return value


@dataclass(frozen=True)
class Table:
    """A TOML table of settings, each key with its rule, built into one value."""

    rules: Mapping[str, Check]
    build: Callable[..., Any]


def read_table(
    data: Mapping[str, object], rules: Mapping[str, Check | Table], path: Path, prefix: str = ""
) -> tuple[dict[str, Any], list[Problem]]:
    """The table's values by the rules, and a problem for each value that breaks one."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, value in data.items():
        name = prefix + key
        rule = rules.get(key)
        if rule is None:
            unknown = Rule("settings.rule.unknown", known=tuple(rules))
            problems.append(in_file(path, name, value, unknown))
        elif isinstance(rule, Table):
            if not isinstance(value, dict):
                problems.append(in_file(path, name, value, Rule("settings.rule.table")))
                continue
            inner, found = read_table(value, rule.rules, path, prefix=f"{name}.")
            problems.extend(found)
            if not found:
                values[key] = rule.build(**inner)
        else:
            try:
                values[key] = rule(value)
            except Rule as broken:
                problems.append(in_file(path, name, value, broken))
    return values, problems


def flag_problems(*flags: tuple[str, object, Check]) -> list[Problem]:
    """The problems of flags given (None is a flag left out; a list, a repeated flag)."""
    problems: list[Problem] = []
    for flag, given, rule in flags:
        values = given if isinstance(given, list) else [] if given is None else [given]
        for value in values:
            try:
                rule(value)
            except Rule as broken:
                problems.append(in_flag(flag, value, broken))
    return problems


def refuse_flags(*flags: tuple[str, object, Check]) -> None:
    refuse(flag_problems(*flags))


# --- the keymap -------------------------------------------------------------------------------

Group = Sequence[tuple[str, str]]  # the bindings Textual resolves together: (id, "keys")


def keymap_problems(
    keymap: Mapping[str, str],
    groups: Iterable[Group],
    normal: Callable[[str], str | None],
    path: Path,
) -> list[Problem]:
    """What is wrong with a keymap against the console's bindings: an id no binding has, a
    key `normal` cannot read (it gives a key's one name, None for no key), two bindings of
    one screen on one key (Textual would silently take the key from one of them)."""
    groups = list(groups)
    known = sorted({binding for group in groups for binding, _ in group})
    problems: list[Problem] = []
    unreadable: set[str] = set()
    for binding, keys in keymap.items():
        name = f'keymap."{binding}"'
        if binding not in known:
            problems.append(in_file(path, name, keys, _unknown_binding(binding, known)))
        for key in keys.split(","):
            if normal(key.strip()) is None:
                unreadable.add(binding)
                problems.append(in_file(path, name, keys, Rule("settings.rule.key", press=key)))
    clashes: set[tuple[str, str]] = set()
    for group in groups:
        owners: dict[str, list[str]] = {}
        for binding, default in group:
            given: str = keymap.get(binding, default)
            if binding in unreadable:
                continue
            names = (normal(k.strip()) for k in given.split(","))
            for name in {n for n in names if n is not None}:
                if binding not in owners.setdefault(name, []):
                    owners[name].append(binding)
        for key, bindings in owners.items():
            moved = [b for b in bindings if b in keymap]
            if len(bindings) > 1 and moved and (moved[0], key) not in clashes:
                clashes.add((moved[0], key))
                others = tuple(b for b in bindings if b != moved[0])
                clash = Rule("settings.rule.clash", press=key, others=others)
                problems.append(in_file(path, f'keymap."{moved[0]}"', keymap[moved[0]], clash))
    return problems


def _unknown_binding(binding: str, known: Sequence[str]) -> Rule:
    close = difflib.get_close_matches(binding, known, n=3, cutoff=0.6)
    if close:
        return Rule("settings.rule.binding_close", close=tuple(close))
    # Ids are "screen.verb": the screen's own ids when it is known, else the screens.
    screen = binding.partition(".")[0]
    same = tuple(k for k in known if k.partition(".")[0] == screen)
    if same:
        return Rule("settings.rule.binding_close", close=same)
    groups = tuple(sorted({k.partition(".")[0] + ".…" for k in known}))
    return Rule("settings.rule.binding", groups=groups)
