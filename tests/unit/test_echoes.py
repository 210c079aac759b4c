"""Telling the echo of a console's own write from another console's change, when the notice
comes back before the write is marked."""

from console.live import Echoes


def test_the_echo_of_a_write_already_marked_needs_no_reload() -> None:
    echoes = Echoes()
    echoes.writing()
    assert echoes.written(41) is None
    assert echoes.judge(41) is False
    assert echoes.judge(42) is True, "another console's change after it"
    assert echoes.judge(40) is False, "a late notice of what a reload has already shown"


def test_a_notice_that_overtakes_the_mark_is_judged_once_the_write_is_marked() -> None:
    echoes = Echoes()
    echoes.writing()
    assert echoes.judge(41) is None, "held while the write is in flight"
    held = echoes.written(41)
    assert held == 41
    assert echoes.judge(held) is False


def test_a_held_notice_of_a_newer_change_still_reloads() -> None:
    echoes = Echoes()
    echoes.writing()
    assert echoes.judge(42) is None
    assert echoes.written(41) == 42
    assert echoes.judge(42) is True


def test_a_failed_write_lets_the_held_notice_through() -> None:
    echoes = Echoes()
    echoes.writing()
    assert echoes.judge(7) is None
    assert echoes.written(None) == 7
    assert echoes.judge(7) is True


def test_a_notice_is_held_until_the_last_write_in_flight_is_marked() -> None:
    echoes = Echoes()
    echoes.writing()
    echoes.writing()
    assert echoes.judge(41) is None
    assert echoes.written(41) is None, "another write is still in flight"
    assert echoes.judge(42) is None
    assert echoes.written(42) == 42
    assert echoes.judge(42) is False


def test_a_notice_of_unknown_news_always_reloads() -> None:
    echoes = Echoes()
    echoes.writing()
    assert echoes.judge(None) is True
