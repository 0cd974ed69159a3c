"""The profile's work: estimates, jobs, dumpster tasks and service requests."""

import strawberry


@strawberry.type(description="Client fields: estimates, jobs, tasks, requests.")
class WorkSection:
    row_id: strawberry.Private[int]
