"""Cost buckets drain and refill by a clock the test moves; Redis shares them."""

import secrets

import pytest
from redis.asyncio import Redis

from graph.throttle import Buckets, MemoryBuckets, RedisBuckets
from tests.graph.conftest import Clock


@pytest.fixture(params=["memory", "redis"])
def buckets(request: pytest.FixtureRequest, clock: Clock) -> Buckets:
    if request.param == "memory":
        return MemoryBuckets(clock=clock)
    url = request.getfixturevalue("redis_url")
    return RedisBuckets(
        Redis.from_url(url), clock=clock, prefix=f"test:{secrets.token_hex(6)}:"
    )


async def test_a_bucket_starts_full_and_drains(buckets: Buckets) -> None:
    first = await buckets.take("key", 600)
    second = await buckets.take("key", 600)

    assert first.is_allowed
    assert first.status.currently_available == 400
    assert not second.is_allowed
    assert second.status.currently_available == 400
    assert second.status.seconds_until(600) == pytest.approx(4.0)


async def test_a_bucket_refills_at_its_rate_up_to_its_capacity(
    buckets: Buckets, clock: Clock
) -> None:
    await buckets.take("key", 1_000)

    clock.advance(2)
    after_two_seconds = await buckets.take("key", 0)
    clock.advance(3_600)
    after_an_hour = await buckets.take("key", 0)

    assert after_two_seconds.status.currently_available == pytest.approx(100)
    assert after_an_hour.status.currently_available == 1_000


async def test_points_given_back_return_at_once(buckets: Buckets) -> None:
    await buckets.take("key", 900)

    given_back = await buckets.take("key", -300)

    assert given_back.is_allowed
    assert given_back.status.currently_available == pytest.approx(400)


async def test_each_key_has_its_own_bucket(buckets: Buckets) -> None:
    await buckets.take("one", 1_000)

    other = await buckets.take("two", 1_000)

    assert other.is_allowed


async def test_a_clock_that_lags_mints_no_points(
    buckets: Buckets, clock: Clock
) -> None:
    await buckets.take("key", 1_000)

    clock.advance(-60)
    lagging = await buckets.take("key", 0)

    assert lagging.status.currently_available == 0


async def test_without_redis_each_process_keeps_its_own_buckets(
    clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    nowhere = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=1)
    buckets = RedisBuckets(nowhere, clock=clock)

    first = await buckets.take("key", 800)
    second = await buckets.take("key", 800)

    assert first.is_allowed
    assert not second.is_allowed
    assert "Redis did not answer" in caplog.text
