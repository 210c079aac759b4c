"""Full collections wait for the operator's pause, or a breath between keys, but are not
stored up when neither comes."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from console import heap


class Node:
    me: Node | None = None


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """The monotonic clock, moved by hand; the collector's counts cleared first (earlier tests
    leave middle collections on them) and its thresholds put back afterwards."""
    now = [1000.0]
    monkeypatch.setattr(heap.time, "monotonic", lambda: now[0])
    gc.collect()
    thresholds = gc.get_threshold()
    yield now
    gc.set_threshold(*thresholds)


def _old_garbage() -> weakref.ref[Node]:
    """A cycle that outlived the young collections, then was dropped: only a full collection
    frees it."""
    node = Node()
    node.me = node
    gc.collect(1)
    return weakref.ref(node)


def test_a_pause_after_the_last_key_frees_old_cycles(clock: list[float]) -> None:
    tidy = heap.Tidy()
    dropped = _old_garbage()
    tidy.input()
    clock[0] += heap.QUIET / 2
    assert not tidy.tick()
    assert dropped() is not None, "collected while the operator was typing"
    clock[0] += heap.QUIET
    assert tidy.tick()
    assert dropped() is None


def _keys(tidy: heap.Tidy, clock: list[float], every: float, until: int) -> None:
    """Keys `every` seconds apart, each answered with a middle collection's worth of work,
    until `until` middle collections wait; a tick right after each key finds no gap."""
    while gc.get_count()[2] < until:
        clock[0] += every
        tidy.input()
        assert not tidy.tick()
        gc.collect(1)  # what the console's allocations do between two keys


def test_keys_without_a_pause_collect_in_a_breath_between_two(clock: list[float]) -> None:
    tidy = heap.Tidy()
    dropped = _old_garbage()
    _keys(tidy, clock, 0.1, heap.CADENCE)
    tidy.input()
    assert not tidy.tick(), "collected while a key was being answered"
    clock[0] += heap.BREATH + 0.001
    assert tidy.tick()
    assert dropped() is None


def test_a_key_held_down_does_not_store_up_full_collections(clock: list[float]) -> None:
    tidy = heap.Tidy()
    dropped = _old_garbage()
    _keys(tidy, clock, heap.BREATH / 2, heap.OVERDUE)  # never a breath between two keys
    tidy.input()
    assert tidy.tick()
    assert dropped() is None


def test_nothing_to_collect_means_no_collection(clock: list[float]) -> None:
    tidy = heap.Tidy()
    gc.collect()
    clock[0] += heap.QUIET * 2
    assert not tidy.tick()
