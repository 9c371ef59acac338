"""The collector pause used around bulk work (reading maps, building reports)."""

from __future__ import annotations

import gc
import threading

from graphsvc.gc_pause import gc_paused


def test_pauses_nest_and_the_last_one_out_restores_the_collector() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0  # filed with the old generation, nothing left frozen


def test_a_collector_disabled_before_stays_disabled() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_pauses_in_two_threads() -> None:
    inside, release = threading.Event(), threading.Event()

    def hold() -> None:
        with gc_paused():
            inside.set()
            release.wait(10)

    worker = threading.Thread(target=hold)
    worker.start()
    assert inside.wait(10)
    with gc_paused():
        pass
    assert not gc.isenabled()  # the other thread's pause is still on
    release.set()
    worker.join(10)
    assert gc.isenabled()


def test_objects_frozen_on_purpose_stay_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with gc_paused():
            kept = [[] for _ in range(10)]  # tracked containers made during the pause
        assert len(kept) == 10
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
