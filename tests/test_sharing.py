"""The lock a Searcher's threads share: searches together, a refresh alone."""

from __future__ import annotations

import threading

from search.sharing import SharedLock

WAIT = 10.0  # seconds: only a hang would use them


def test_sharers_hold_it_together() -> None:
    lock = SharedLock()
    inside = threading.Barrier(3, timeout=WAIT)

    def share() -> None:
        with lock.shared():
            inside.wait()  # passes only when all three are inside at once

    threads = [threading.Thread(target=share) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert not inside.broken


def test_exclusive_waits_for_the_sharers_and_goes_before_later_ones() -> None:
    lock = SharedLock()
    order: list[str] = []
    sharing, release = threading.Event(), threading.Event()

    def first_sharer() -> None:
        with lock.shared():
            order.append("shared 1")
            sharing.set()
            release.wait(WAIT)
            order.append("shared 1 ends")

    def refresher() -> None:
        with lock.exclusive():
            order.append("exclusive")

    def late_sharer() -> None:
        with lock.shared():
            order.append("shared 2")

    one = threading.Thread(target=first_sharer)
    one.start()
    sharing.wait(WAIT)
    refresh = threading.Thread(target=refresher)
    refresh.start()
    while not lock._waiting:  # the refresh is queued behind the first sharer
        threading.Event().wait(0.001)
    late = threading.Thread(target=late_sharer)
    late.start()
    release.set()
    for thread in (one, refresh, late):
        thread.join(WAIT)
    assert order == ["shared 1", "shared 1 ends", "exclusive", "shared 2"]


def test_the_exclusive_holder_may_take_it_again_and_share_it() -> None:
    lock = SharedLock()
    with lock.exclusive(), lock.exclusive(), lock.shared():
        pass
    done = threading.Event()

    def other() -> None:
        with lock.exclusive():
            done.set()

    thread = threading.Thread(target=other)
    thread.start()
    thread.join(WAIT)
    assert done.is_set()  # released: nothing of the nested holds is left over
