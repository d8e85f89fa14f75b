"""The emulator's only time source: a clock that tests can move forward."""

from __future__ import annotations

import time

__all__ = ["Clock"]


class Clock:
    """Wall-clock time (Unix seconds) plus an offset that tests control.

    By default the clock follows real time (``time.time()`` plus the offset), so
    ``dateAdded`` values of consecutive saves differ as on a real server. With
    ``frozen=True`` it stands still at ``start`` until :meth:`advance` or :meth:`set`
    moves it. Token expiry, rate-limit windows, authorization-code expiry and the
    ``dateAdded``/``dateModified`` stamps all read :meth:`now`.
    """

    def __init__(self, start: float | None = None, *, frozen: bool = False) -> None:
        real = time.time()
        self._frozen = frozen
        self._offset = 0.0 if start is None else start - real
        self._frozen_at = real if start is None else start

    def now(self) -> float:
        """Current emulator time in Unix seconds."""
        if self._frozen:
            return self._frozen_at
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the clock forward (or backward, with a negative value)."""
        self._offset += seconds
        self._frozen_at += seconds

    def set(self, timestamp: float) -> None:
        """Jump to an absolute Unix time."""
        self.advance(timestamp - self.now())

    def __repr__(self) -> str:
        return f"Clock(now={self.now():.3f}, frozen={self._frozen})"
