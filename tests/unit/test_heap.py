"""Full collections wait for the operator's pause, but are not stored up when none comes."""

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


def test_keys_without_a_pause_do_not_store_up_full_collections(clock: list[float]) -> None:
    tidy = heap.Tidy()
    dropped = _old_garbage()
    while gc.get_count()[2] < heap.CADENCE:
        clock[0] += 0.1
        tidy.input()
        assert not tidy.tick()
        gc.collect(1)  # what the console's allocations do between two keys
    tidy.input()
    assert tidy.tick()
    assert dropped() is None


def test_nothing_to_collect_means_no_collection(clock: list[float]) -> None:
    tidy = heap.Tidy()
    gc.collect()
    clock[0] += heap.QUIET * 2
    assert not tidy.tick()
