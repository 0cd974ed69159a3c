"""Leaky buckets of query-cost points, one per partner key.

A bucket holds up to ``capacity`` points and refills at ``restore_rate``
points a second. A query takes its requested cost up front (or is refused,
with the seconds until enough points are back) and gives back what it did
not use once its actual cost is known.

Buckets live in process memory by default. With Redis (``REDIS_URL``) every
API process shares them: one Lua script reads, refills and takes atomically,
so two processes can never spend the same points. The clock is the caller's
(wall-clock seconds), so processes must keep their clocks in step (NTP) and
tests can move time by hand.
"""

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

logger = logging.getLogger(__name__)

CAPACITY = 1_000
RESTORE_RATE = 50.0

Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class ThrottleStatus:
    """A bucket as a caller sees it, in points and points per second."""

    maximum_available: float
    currently_available: float
    restore_rate: float

    def seconds_until(self, points: float) -> float:
        """How long until ``points`` are available again."""
        missing = max(points - self.currently_available, 0.0)
        return missing / self.restore_rate

    def as_json(self) -> dict[str, float]:
        return {
            "maximumAvailable": self.maximum_available,
            "currentlyAvailable": round(self.currently_available, 2),
            "restoreRate": self.restore_rate,
        }


@dataclass(frozen=True, slots=True)
class Taken:
    """The answer to taking points: whether they were there, and what is left."""

    is_allowed: bool
    status: ThrottleStatus


class Buckets(Protocol):
    """Where buckets live; ``take`` a negative amount to give points back."""

    capacity: int
    restore_rate: float

    async def take(self, key: str, amount: float) -> Taken: ...


def refilled(
    available: float, elapsed: float, capacity: float, restore_rate: float
) -> float:
    return min(capacity, available + max(elapsed, 0.0) * restore_rate)


class MemoryBuckets:
    """Buckets in this process's memory (one API process, or tests)."""

    def __init__(
        self,
        capacity: int = CAPACITY,
        restore_rate: float = RESTORE_RATE,
        clock: Clock = time.monotonic,
    ) -> None:
        self.capacity = capacity
        self.restore_rate = restore_rate
        self.clock = clock
        self.levels: dict[str, tuple[float, float]] = {}

    async def take(self, key: str, amount: float) -> Taken:
        # No await between reading and writing: a single event loop is atomic.
        now = self.clock()
        available, updated = self.levels.get(key, (float(self.capacity), now))
        available = refilled(available, now - updated, self.capacity, self.restore_rate)
        is_allowed = amount <= available
        if is_allowed:
            available = min(available - amount, self.capacity)
        self.levels[key] = (available, max(now, updated))
        return Taken(is_allowed, self.status(available))

    def status(self, available: float) -> ThrottleStatus:
        return ThrottleStatus(float(self.capacity), available, self.restore_rate)


# KEYS[1]: the bucket. ARGV: capacity, restore rate, now (seconds), amount.
# Returns {1 if taken else 0, points left as a string (Lua numbers would be
# truncated to integers on the way out)}. The time never moves backwards for
# a bucket, so a process whose clock lags cannot mint points.
TAKE_SCRIPT = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local amount = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'available', 'updated')
local available = tonumber(state[1]) or capacity
local updated = tonumber(state[2]) or now
if now > updated then
  available = math.min(capacity, available + (now - updated) * rate)
  updated = now
end
local taken = 0
if amount <= available then
  available = math.min(capacity, available - amount)
  taken = 1
end
redis.call('HSET', KEYS[1], 'available', tostring(available),
  'updated', tostring(updated))
redis.call('EXPIRE', KEYS[1], math.ceil(capacity / rate) + 60)
return {taken, tostring(available)}
"""


class RedisBuckets:
    """Buckets in Redis, shared by every API process that names the same server.

    While Redis does not answer, each process keeps buckets of its own, so
    partners are still limited (per process) and still served.
    """

    def __init__(
        self,
        redis: Any,
        capacity: int = CAPACITY,
        restore_rate: float = RESTORE_RATE,
        clock: Clock = time.time,
        prefix: str = "haulgraph:bucket:",
    ) -> None:
        self.capacity = capacity
        self.restore_rate = restore_rate
        self.clock = clock
        self.prefix = prefix
        self.script = redis.register_script(TAKE_SCRIPT)
        self.fallback = MemoryBuckets(capacity, restore_rate, clock)

    async def take(self, key: str, amount: float) -> Taken:
        from redis.exceptions import RedisError

        arguments = [self.capacity, self.restore_rate, repr(self.clock()), amount]
        try:
            taken, available = await self.script(
                keys=[self.prefix + key], args=arguments
            )
        except (RedisError, OSError) as error:
            logger.warning(
                "Redis did not answer (%s); this process keeps its own cost "
                "buckets until it does",
                type(error).__name__,
            )
            return await self.fallback.take(key, amount)
        status = ThrottleStatus(
            float(self.capacity), float(available), self.restore_rate
        )
        return Taken(bool(int(taken)), status)


def buckets_from_url(redis_url: str | None, clock: Clock | None = None) -> Buckets:
    """Redis buckets when a URL is configured, else memory."""
    if not redis_url:
        return MemoryBuckets(clock=clock or time.monotonic)
    from redis.asyncio import Redis

    return RedisBuckets(Redis.from_url(redis_url), clock=clock or time.time)


def retry_after_seconds(status: ThrottleStatus, points: float) -> int:
    """Whole seconds to wait (at least one) before ``points`` are back."""
    return max(1, math.ceil(status.seconds_until(points)))
