"""A request's query-cost budget: the per-query maximum and, for partners, the
key's bucket.

``charge`` runs before execution with the requested cost and answers the
error that refuses the operation, if any; ``settle`` runs after it with the
actual cost and gives the difference back to the bucket. The report is what
partners read in ``extensions.cost`` and in the rate-limit headers.
"""

import math
from dataclasses import dataclass, replace

from graphql import GraphQLError

from graph.throttle import Buckets, ThrottleStatus, retry_after_seconds

MAX_QUERY_COST = 1_000
# The staff app opens whole profiles, 100 records a section (about 6,500
# points); staff keys are few and trusted, so their ceiling only stops the
# absurd.
STAFF_MAX_QUERY_COST = 10_000


@dataclass(frozen=True, slots=True)
class CostReport:
    requested: int
    actual: int
    status: ThrottleStatus | None = None
    retry_after: int | None = None

    def as_json(self) -> dict[str, object]:
        report: dict[str, object] = {
            "requestedQueryCost": self.requested,
            "actualQueryCost": self.actual,
        }
        if self.status is not None:
            report["throttleStatus"] = self.status.as_json()
        return report


@dataclass
class Budget:
    """What one request may spend; ``key`` names its bucket, if it has one."""

    maximum_cost: int = MAX_QUERY_COST
    buckets: Buckets | None = None
    key: str | None = None
    report: CostReport | None = None

    @property
    def is_throttled(self) -> bool:
        return self.buckets is not None and self.key is not None

    async def charge(self, requested: int) -> GraphQLError | None:
        """Take ``requested`` points, or answer why the operation may not run."""
        if requested > self.maximum_cost:
            self.report = CostReport(requested, 0, await self.status_now())
            return GraphQLError(
                f"This query would cost {requested} points; one query may cost "
                f"at most {self.maximum_cost}. Ask for smaller pages "
                "(`first`/`last`) or fewer fields.",
                extensions={
                    "code": "MAX_COST_EXCEEDED",
                    "cost": {
                        "requestedQueryCost": requested,
                        "maximumQueryCost": self.maximum_cost,
                    },
                },
            )
        if self.buckets is None or self.key is None:
            self.report = CostReport(requested, requested)
            return None
        taken = await self.buckets.take(self.key, requested)
        if not taken.is_allowed:
            return self.refusal(requested, taken.status)
        self.report = CostReport(requested, requested, taken.status)
        return None

    def refusal(self, requested: int, status: ThrottleStatus) -> GraphQLError:
        retry_after = retry_after_seconds(status, requested)
        self.report = CostReport(requested, 0, status, retry_after)
        return GraphQLError(
            f"This query costs {requested} points and your API key has "
            f"{math.floor(status.currently_available)} left; they come back at "
            f"{status.restore_rate:g} a second. Retry in {retry_after} s.",
            extensions={
                "code": "THROTTLED",
                "retryAfter": retry_after,
                "cost": self.report.as_json(),
            },
        )

    async def status_now(self) -> ThrottleStatus | None:
        if self.buckets is None or self.key is None:
            return None
        return (await self.buckets.take(self.key, 0)).status

    async def settle(self, actual: int) -> None:
        """Give back what the operation did not use."""
        report = self.report
        if report is None or report.retry_after is not None:
            return
        status = report.status
        unused = report.requested - actual
        if unused > 0 and self.buckets is not None and self.key is not None:
            status = (await self.buckets.take(self.key, -unused)).status
        self.report = replace(report, actual=actual, status=status)

    async def final_report(self) -> CostReport | None:
        """The report to publish; an operation that never ran costs nothing."""
        if self.report is None and self.is_throttled:
            self.report = CostReport(0, 0, await self.status_now())
        return self.report

    def rate_limit_headers(self) -> dict[str, str]:
        """The bucket as headers, for clients that read them instead."""
        report = self.report
        if report is None or report.status is None:
            return {}
        status = report.status
        headers = {
            "RateLimit-Limit": str(int(status.maximum_available)),
            "RateLimit-Remaining": str(math.floor(status.currently_available)),
            "RateLimit-Reset": str(
                math.ceil(status.seconds_until(status.maximum_available))
            ),
        }
        if report.retry_after is not None:
            headers["Retry-After"] = str(report.retry_after)
        return headers
