"""Fixed-window API rate limiting (noxlogic/ratelimit-bundle as Mautic configures it)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PERIOD", "RateLimiter", "Window"]

PERIOD = 3600
"""Window length in seconds (``path_limits: [{path: '/api', period: 3600}]``)."""


@dataclass
class Window:
    """One bucket's counter: ``calls`` made since the window opened, ``reset`` time."""

    calls: int
    reset: int

    def headers(self, limit: int) -> dict[str, str]:
        """``X-RateLimit-*`` headers sent on every rate-limited ``/api`` response."""
        return {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(max(0, limit - self.calls)),
            "X-RateLimit-Reset": str(self.reset),
        }


class RateLimiter:
    """Buckets keyed by access token, or one shared key for every Basic caller.

    The first call opens ``{calls: 1, reset: now + 3600}``; each later call increments
    ``calls`` (also past the limit); ``calls > limit`` is answered 429. The window
    starts over once ``now >= reset``.
    """

    def __init__(self) -> None:
        self.windows: dict[str, Window] = {}

    def hit(self, bucket: str, now: float) -> Window:
        """Count one call in ``bucket`` and return its window."""
        window = self.windows.get(bucket)
        if window is None or now >= window.reset:
            window = Window(calls=0, reset=int(now) + PERIOD)
            self.windows[bucket] = window
        window.calls += 1
        return window

    def clear(self) -> None:
        """Forget every window."""
        self.windows.clear()
