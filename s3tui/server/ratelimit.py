"""Sliding-window limits per client, token or link (in memory: one server process)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

MAX_KEYS = 100_000  # forget the oldest keys beyond this, so a flood cannot grow memory


class RateLimiter:
    """At most ``limit`` events per ``window`` seconds for each key (0 = no limit)."""

    def __init__(
        self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._events: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float]:
        events = self._events.get(key)
        if events is None:
            if len(self._events) >= MAX_KEYS:
                self._events.pop(next(iter(self._events)))
            events = self._events[key] = deque()
        while events and now - events[0] >= self.window:
            events.popleft()
        return events

    def blocked(self, key: str) -> bool:
        """True if ``key`` has used its allowance (without counting this check)."""
        if not self.limit:
            return False
        return len(self._recent(key, self.clock())) >= self.limit

    def hit(self, key: str) -> bool:
        """Count one event; False (and not counted) if over the limit."""
        if not self.limit:
            return True
        now = self.clock()
        events = self._recent(key, now)
        if len(events) >= self.limit:
            return False
        events.append(now)
        return True

    def retry_after(self, key: str) -> int:
        """Seconds until ``key`` may act again."""
        events = self._events.get(key)
        if not events:
            return 0
        return max(1, int(self.window - (self.clock() - events[0]) + 0.999))
