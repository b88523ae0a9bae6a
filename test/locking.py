"""Tests that show a lock is really taken: hold it, and watch another thread wait.

The ``frequent_thread_switches`` fixture (in ``conftest.py``) makes races more likely in stress tests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, TypeVar

T = TypeVar("T")

#: How long a thread blocked on a lock is watched to show that it does not finish.
LOCK_WAIT_SECONDS = 0.1
#: Upper bound on waiting for a thread that should finish promptly.
JOIN_TIMEOUT_SECONDS = 5.0


def run_while_holding(
    lock: AbstractContextManager[Any],
    operation: Callable[[], T],
    what: str,
    while_held: Callable[[], None] = lambda: None,
) -> T:
    """Start ``operation`` in a thread while holding ``lock``; require that it waits, then finishes cleanly.

    :param lock: the lock the operation must take
    :param operation: what the other thread runs
    :param what: names the operation in assertion messages
    :param while_held: called while the lock is still held, after the wait (to look at the state then)
    :returns: the operation's result
    """
    finished = threading.Event()
    outcome: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(operation())
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            finished.set()

    worker = threading.Thread(target=run, daemon=True)
    with lock:
        worker.start()
        finished_while_held = finished.wait(LOCK_WAIT_SECONDS)
        while_held()
    worker.join(timeout=JOIN_TIMEOUT_SECONDS)
    assert not finished_while_held, f"{what} did not wait for the lock"
    assert finished.is_set(), f"{what} did not finish once the lock was released"
    assert errors == []
    return outcome[0]
