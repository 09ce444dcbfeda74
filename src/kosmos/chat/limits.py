"""Per-user rate limit on sending (a token bucket per app, `app.state.send_limiter`): a burst of 20
messages, then one every 0.5 s on average. Enough for any person typing; it stops a
script flooding a group."""

from __future__ import annotations

import threading
import time

from kosmos.errors import TooManyRequests

BURST = 20
PER_SECOND = 2.0


class SendLimiter:
    def __init__(self, burst: int = BURST, per_second: float = PER_SECOND) -> None:
        self.burst, self.per_second = burst, per_second
        self._buckets: dict[int, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, user_id: int, now: float | None = None) -> None:
        moment = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.get(user_id, (float(self.burst), moment))
            tokens = min(float(self.burst), tokens + (moment - last) * self.per_second)
            if tokens < 1:
                wait = (1 - tokens) / self.per_second
                raise TooManyRequests(
                    "You are sending messages too fast. Wait a moment.",
                    extra={"retry_after": round(wait, 1)},
                )
            self._buckets[user_id] = (tokens - 1, moment)
