"""What a signed-in client can change from its dashboard.

Every mutation acts for the viewer's own client, answers a staff preview
with READ_ONLY and a held client (except for payments, payment methods and
preferences) with ON_HOLD, and reports refusals with one error enum,
``DashboardErrorCode``.
"""

import strawberry

from graph.resolvers.dashboard.documents import DashboardDocumentMutations
from graph.resolvers.dashboard.estimates import DashboardEstimateMutations
from graph.resolvers.dashboard.payments import DashboardPaymentMutations
from graph.resolvers.dashboard.preferences import DashboardPreferenceMutations
from graph.resolvers.dashboard.rentals import DashboardRentalMutations
from graph.resolvers.dashboard.service_requests import (
    DashboardServiceRequestMutations,
)


@strawberry.type(description="Changes a client makes from its dashboard.")
class DashboardActions(
    DashboardEstimateMutations,
    DashboardPaymentMutations,
    DashboardDocumentMutations,
    DashboardPreferenceMutations,
    DashboardServiceRequestMutations,
    DashboardRentalMutations,
):
    pass
