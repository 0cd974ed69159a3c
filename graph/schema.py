"""The three audience schemas: staff, dashboard and partner.

Staff and partners share ``Query``; the dashboard has roots of its own that
lead only to the signed-in client. Each schema keeps the fields its audience
may see (``graph.audiences``).
"""

from collections.abc import Callable
from typing import Annotated, Any

import strawberry
from strawberry.schema.config import StrawberryConfig

from domain.permissions import Permission
from graph.audiences import AudienceSchema, is_visible_to
from graph.context import Info
from graph.fields import DASHBOARD_ONLY, STAFF_ONLY, Audience, field
from graph.nodes import Node, load_node, register_nodes
from graph.pagination import Connection
from graph.resolvers import clients, identity, roles
from graph.resolvers.dashboard.actions import DashboardActions
from graph.resolvers.documents import DocumentMutations
from graph.resolvers.estimates import EstimateMutations
from graph.resolvers.invoices import InvoiceMutations
from graph.resolvers.notification_settings import (
    NotificationSettingsMutations,
    NotificationSettingsQueries,
)
from graph.resolvers.notifications import NotificationMutations
from graph.resolvers.payments import PaymentMutations
from graph.resolvers.people import PeopleMutations
from graph.resolvers.preview import PreviewMutations
from graph.resolvers.pricing import PricingMutations, PricingQueries
from graph.resolvers.settings import SettingsMutations, SettingsQueries
from graph.resolvers.work import WorkMutations
from graph.types import billing, records, work
from graph.types.client import Client
from graph.types.identity import DashboardViewer, Viewer


@strawberry.type(description="Everything a staff user or partner can read.")
class Query(PricingQueries, SettingsQueries, NotificationSettingsQueries):
    client: Client | None = field(
        clients.resolve_client,
        description="A client of your account by ID; null when there is none.",
        permission=Permission.CLIENTS_READ,
    )
    clients: Connection[Client] | None = field(
        clients.resolve_clients,
        description="Your account's clients: search, filter and sort them, "
        "1 to 100 a page.",
        permission=Permission.CLIENTS_READ,
    )
    viewer: Viewer = field(
        identity.staff_viewer,
        description="Who you are: your account and permissions.",
        signed_in=True,
    )
    staff_roles: list[roles.StaffRole] | None = field(
        roles.list_roles,
        description="Your account's roles: the built-in ones, then custom ones.",
        audiences=STAFF_ONLY,
        permission=Permission.STAFF_MANAGE,
    )

    @field(
        description="Any record by its global ID; null when there is none in "
        "your account.",
        permission=Permission.CLIENTS_READ,
    )
    async def node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A global ID.")],
    ) -> Node | None:
        return await load_node(info, id)


@strawberry.type(description="Everything a staff user can change.")
class Mutation(
    PeopleMutations,
    PricingMutations,
    WorkMutations,
    EstimateMutations,
    DocumentMutations,
    InvoiceMutations,
    PaymentMutations,
    SettingsMutations,
    NotificationSettingsMutations,
    NotificationMutations,
    PreviewMutations,
):
    sign_in: identity.SignInPayload = field(
        identity.sign_in,
        description="Sign in with email and password; returns an access token.",
        audiences=STAFF_ONLY,
        public=True,
    )
    sign_out: identity.SignOutPayload = field(
        identity.sign_out,
        description="Revoke the access token this request was made with.",
        audiences=STAFF_ONLY,
        signed_in=True,
    )
    create_api_key: identity.CreateApiKeyPayload | None = field(
        identity.create_key,
        description="Issue a partner API key with scopes you hold yourself.",
        audiences=STAFF_ONLY,
        permission=Permission.API_KEYS_MANAGE,
    )
    create_staff_role: roles.StaffRolePayload | None = field(
        roles.create_staff_role,
        description="Define a custom role from the permission vocabulary.",
        audiences=STAFF_ONLY,
        permission=Permission.STAFF_MANAGE,
    )
    update_staff_role: roles.StaffRolePayload | None = field(
        roles.update_staff_role,
        description="Replace a custom role's permissions; its staff hold the new "
        "ones at once. Built-in roles cannot be changed.",
        audiences=STAFF_ONLY,
        permission=Permission.STAFF_MANAGE,
    )
    assign_staff_role: roles.StaffRolePayload | None = field(
        roles.assign_staff_role,
        description="Give a staff user a role (built-in or custom).",
        audiences=STAFF_ONLY,
        permission=Permission.STAFF_MANAGE,
    )
    revoke_api_key: identity.RevokeApiKeyPayload | None = field(
        identity.revoke_key,
        description="Revoke a partner API key; it stops working at once.",
        audiences=STAFF_ONLY,
        permission=Permission.API_KEYS_MANAGE,
    )


@strawberry.type(description="What a signed-in client can read.")
class DashboardQuery:
    viewer: DashboardViewer = field(
        identity.dashboard_viewer,
        description="You: your business, your client profile and dashboard.",
        audiences=DASHBOARD_ONLY,
        signed_in=True,
    )


@strawberry.type(
    description="Signing in to the client dashboard, and what a client changes from it."
)
class DashboardMutation(DashboardActions):
    request_sign_in_link: identity.RequestSignInLinkPayload = field(
        identity.request_link,
        description="Email a one-time sign-in link to this address, if it may sign "
        "in. The answer is the same either way.",
        audiences=DASHBOARD_ONLY,
        public=True,
    )
    sign_in_with_link: identity.SignInWithLinkPayload = field(
        identity.link_sign_in,
        description="Exchange a sign-in link's token for an access token.",
        audiences=DASHBOARD_ONLY,
        public=True,
    )
    sign_out: identity.SignOutPayload = field(
        identity.sign_out,
        description="Revoke the access token this request was made with.",
        audiences=DASHBOARD_ONLY,
        signed_in=True,
    )


def ignoring_info(from_row: Callable[[Any], Any]) -> Callable[[Info, Any], Any]:
    def build(info: Info, row: Any) -> Any:
        return from_row(row)

    return build


def register_section_nodes(*sections: dict[str, tuple[Any, Any]]) -> list[type]:
    """Make each section's record types findable by ``node(id)``."""
    node_classes: list[type] = [Client]
    for section in sections:
        for name, (table, from_row) in section.items():
            register_nodes({name: (table, ignoring_info(from_row))})
            node_classes.append(from_row.__self__)
    return node_classes


CONFIG = StrawberryConfig(disable_field_suggestions=True)
# Types reachable only through the Node interface must be named explicitly.
NODE_TYPES = register_section_nodes(
    billing.NODE_TYPES, work.NODE_TYPES, records.NODE_TYPES
)


def node_types_for(audience: Audience) -> list[type]:
    """Node types with a field the audience sees; others do not exist for it."""
    return [
        node_type
        for node_type in NODE_TYPES
        if any(
            is_visible_to(audience, field)
            for field in node_type.__strawberry_definition__.fields  # type: ignore[attr-defined]
            if field.name != "id"
        )
    ]


staff_schema = AudienceSchema(
    Audience.STAFF,
    query=Query,
    mutation=Mutation,
    config=CONFIG,
    types=node_types_for(Audience.STAFF),
)
partner_schema = AudienceSchema(
    Audience.PARTNER,
    query=Query,
    config=CONFIG,
    types=node_types_for(Audience.PARTNER),
)
dashboard_schema = AudienceSchema(
    Audience.DASHBOARD,
    query=DashboardQuery,
    mutation=DashboardMutation,
    config=CONFIG,
)
schema = staff_schema

SCHEMAS = {
    Audience.STAFF: staff_schema,
    Audience.DASHBOARD: dashboard_schema,
    Audience.PARTNER: partner_schema,
}
SDL_FILES = {
    Audience.STAFF: "schema.graphql",
    Audience.DASHBOARD: "schema.dashboard.graphql",
    Audience.PARTNER: "schema.partner.graphql",
}
