"""Pause, resume, single-step and stop long work from another thread: the one state machine.

The training loop (engine.train.fit) polls it before each batch; the UI's worker
(ui.worker.TaskState) drives the same object, so a run and any other long task obey the
same pause, step and stop. No torch, no Qt: anything may import it.
"""

from __future__ import annotations

import threading


class TrainControl:
    """Pause, resume, single-step and stop a run from another thread.

    The loop looks at ``attention`` (one attribute read) before each batch and only takes the
    lock when something was asked; a paused loop sleeps on a condition, not in a busy loop.
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._paused = False
        self._stop = False
        self._steps = 0
        self.attention = False

    def pause(self) -> None:
        with self._condition:
            self._paused = True
            self.attention = True

    def resume(self) -> None:
        with self._condition:
            self._paused = False
            self._steps = 0
            self.attention = self._stop
            self._condition.notify_all()

    def step(self) -> None:
        """Run exactly one more batch, then pause (pauses a running loop after one batch)."""
        with self._condition:
            self._paused = True
            self._steps = 1
            self.attention = True
            self._condition.notify_all()

    def stop(self) -> None:
        with self._condition:
            self._stop = True
            self.attention = True
            self._condition.notify_all()

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def stopped(self) -> bool:
        return self._stop

    def poll(self) -> str:
        """Before a batch: "go" (taking a granted step), "stop", or "wait" (paused)."""
        with self._condition:
            if self._stop:
                return "stop"
            if not self._paused:
                return "go"
            if self._steps > 0:
                self._steps -= 1
                return "go"
            return "wait"

    def wait(self, timeout: float | None = None) -> None:
        """Sleep until resumed, stepped or stopped (or the timeout passes)."""
        with self._condition:
            self._condition.wait_for(lambda: self._stop or not self._paused or self._steps > 0,
                                     timeout)
