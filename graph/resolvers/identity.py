"""Signing in and out, the viewer, and partner API keys."""

from datetime import datetime
from enum import Enum

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.api_keys import create_api_key, revoke_api_key
from domain.identity.dashboard import (
    DashboardSignIn,
    LinkProblem,
    request_sign_in_link,
    sign_in_with_link,
)
from domain.identity.staff import sign_in_staff
from domain.identity.tokens import revoke_token
from domain.identity.viewer import ViewerKind as Kind
from domain.permissions import Permission
from graph.context import Info
from graph.errors import Unauthenticated
from graph.fields import DASHBOARD_ONLY, EVERYONE, STAFF_ONLY, field
from graph.ids import InvalidGlobalId, decode_global_id
from graph.mutations import MutationInput, UserError, input_path
from graph.types.identity import ApiKey, DashboardViewer, Viewer, ViewerKind
from persistence.models import ApiKey as ApiKeyRow

MAX_SCOPES = 50


def staff_viewer(info: Info) -> Viewer:
    viewer = info.context.signed_in_viewer
    return Viewer(
        kind=ViewerKind(viewer.kind.value),
        permissions=sorted(viewer.permissions),
        staff_user_id=viewer.staff_user_id,
    )


def dashboard_viewer(info: Info) -> DashboardViewer:
    viewer = info.context.signed_in_viewer
    if viewer.client_id is None:
        raise Unauthenticated()
    return DashboardViewer(
        client_id=viewer.client_id,
        contact_id=viewer.contact_id,
        is_staff_preview=viewer.kind is Kind.STAFF_PREVIEW,
    )


@strawberry.input(description="Email and password of a staff user.")
class SignInInput:
    email: str = strawberry.field(description="The staff user's email.")
    password: str = strawberry.field(description="The staff user's password.")


@strawberry.enum(description="Why signing in failed.")
class SignInErrorCode(Enum):
    INVALID_CREDENTIALS = "invalid_credentials"


@strawberry.type(description="A reason signing in failed.")
class SignInError(UserError):
    code: SignInErrorCode = field(description="What went wrong.", audiences=EVERYONE)


@strawberry.type(description="The result of signing in.")
class SignInPayload:
    access_token: str | None = field(
        description="Send as `Authorization: Bearer <accessToken>`.",
        audiences=EVERYONE,
    )
    expires_at: datetime | None = field(
        description="When the token stops working.", audiences=EVERYONE
    )
    user_errors: list[SignInError] = field(
        description="Problems with the input; empty on success.", audiences=EVERYONE
    )


async def sign_in(info: Info, input: MutationInput[SignInInput]) -> SignInPayload:
    now = info.context.services.clock()

    async def work(session: AsyncSession) -> SignInPayload:
        issued = await sign_in_staff(session, input.email, input.password, now)
        if issued is None:
            return SignInPayload(
                access_token=None,
                expires_at=None,
                user_errors=[
                    SignInError(
                        field=input_path("password"),
                        code=SignInErrorCode.INVALID_CREDENTIALS,
                        message="That email and password do not match.",
                    )
                ],
            )
        return SignInPayload(
            access_token=issued.token, expires_at=issued.expires_at, user_errors=[]
        )

    return await info.context.db.write(work)


@strawberry.type(description="The result of signing out.")
class SignOutPayload:
    is_signed_out: bool = field(
        description="The token no longer works.", audiences=EVERYONE
    )


async def sign_out(info: Info) -> SignOutPayload:
    viewer = info.context.viewer
    if viewer is None or viewer.token_id is None:
        return SignOutPayload(is_signed_out=False)
    token_id, now = viewer.token_id, info.context.services.clock()

    async def work(session: AsyncSession) -> SignOutPayload:
        await revoke_token(session, token_id, now)
        return SignOutPayload(is_signed_out=True)

    return await info.context.db.write(work)


@strawberry.input(description="The email of a client's contact.")
class RequestSignInLinkInput:
    email: str = strawberry.field(description="Where to send the sign-in link.")


@strawberry.type(description="The request was taken; the answer never says more.")
class RequestSignInLinkPayload:
    is_requested: bool = field(
        description="Always true: if the address may sign in, a link is on its way.",
        audiences=DASHBOARD_ONLY,
    )


async def request_link(
    info: Info, input: MutationInput[RequestSignInLinkInput]
) -> RequestSignInLinkPayload:
    services = info.context.services
    now = services.clock()

    async def work(session: AsyncSession) -> RequestSignInLinkPayload:
        await request_sign_in_link(session, input.email, now)
        return RequestSignInLinkPayload(is_requested=True)

    return await info.context.db.write(work)


@strawberry.input(description="The token from a sign-in link.")
class SignInWithLinkInput:
    token: str = strawberry.field(description="The `token` part of the link.")


@strawberry.enum(description="Why a sign-in link did not work.")
class SignInWithLinkErrorCode(Enum):
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"
    ACCESS_OFF = "access_off"


LINK_MESSAGES = {
    LinkProblem.INVALID: "This link is not valid. Ask for a new one.",
    LinkProblem.EXPIRED: "This link has expired. Ask for a new one.",
    LinkProblem.USED: "This link was already used. Ask for a new one.",
    LinkProblem.ACCESS_OFF: "Dashboard access is turned off for your account; "
    "contact the business.",
}


@strawberry.type(description="A reason a sign-in link did not work.")
class SignInWithLinkError(UserError):
    code: SignInWithLinkErrorCode = field(
        description="What went wrong.", audiences=DASHBOARD_ONLY
    )


@strawberry.type(description="The result of opening a sign-in link.")
class SignInWithLinkPayload:
    access_token: str | None = field(
        description="Send as `Authorization: Bearer <accessToken>`.",
        audiences=DASHBOARD_ONLY,
    )
    expires_at: datetime | None = field(
        description="When the token stops working.", audiences=DASHBOARD_ONLY
    )
    user_errors: list[SignInWithLinkError] = field(
        description="Problems with the link; empty on success.",
        audiences=DASHBOARD_ONLY,
    )


async def link_sign_in(
    info: Info, input: MutationInput[SignInWithLinkInput]
) -> SignInWithLinkPayload:
    now = info.context.services.clock()

    async def work(session: AsyncSession) -> SignInWithLinkPayload:
        result = await sign_in_with_link(session, input.token, now)
        if isinstance(result, DashboardSignIn):
            return SignInWithLinkPayload(
                access_token=result.token.token,
                expires_at=result.token.expires_at,
                user_errors=[],
            )
        error = SignInWithLinkError(
            field=input_path("token"),
            code=SignInWithLinkErrorCode(result.value),
            message=LINK_MESSAGES[result],
        )
        return SignInWithLinkPayload(
            access_token=None, expires_at=None, user_errors=[error]
        )

    return await info.context.db.write(work)


@strawberry.input(description="A new partner API key.")
class CreateApiKeyInput:
    name: str = strawberry.field(
        description="What the key is for, 1 to 100 characters."
    )
    scopes: list[str] = strawberry.field(
        description='Permissions it grants, e.g. ["clients:read"]; at most 50.'
    )


@strawberry.enum(description="Why a key could not be created.")
class CreateApiKeyErrorCode(Enum):
    NAME_INVALID = "name_invalid"
    UNKNOWN_SCOPE = "unknown_scope"
    SCOPE_NOT_HELD = "scope_not_held"


@strawberry.type(description="A reason a key could not be created.")
class CreateApiKeyError(UserError):
    code: CreateApiKeyErrorCode = field(
        description="What went wrong.", audiences=STAFF_ONLY
    )


@strawberry.type(description="The new key; its secret is shown here only.")
class CreateApiKeyPayload:
    api_key: ApiKey | None = field(
        description="The key's record.", audiences=STAFF_ONLY
    )
    secret: str | None = field(
        description="The key itself. Store it now: it is never shown again.",
        audiences=STAFF_ONLY,
    )
    user_errors: list[CreateApiKeyError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


def api_key_errors(info: Info, input: CreateApiKeyInput) -> list[CreateApiKeyError]:
    errors = []
    if not 1 <= len(input.name.strip()) <= 100:
        errors.append(
            CreateApiKeyError(
                field=input_path("name"),
                code=CreateApiKeyErrorCode.NAME_INVALID,
                message="Give the key a name of 1 to 100 characters.",
            )
        )
    known = {permission.value for permission in Permission}
    held = info.context.viewer.permissions if info.context.viewer else frozenset()
    for position, scope in enumerate(input.scopes[:MAX_SCOPES]):
        if scope not in known:
            code, message = CreateApiKeyErrorCode.UNKNOWN_SCOPE, f"No scope {scope!r}."
        elif Permission(scope) not in held:
            code = CreateApiKeyErrorCode.SCOPE_NOT_HELD
            message = f"You cannot grant {scope!r}: you do not hold it."
        else:
            continue
        errors.append(
            CreateApiKeyError(
                field=input_path("scopes", str(position)), code=code, message=message
            )
        )
    return errors


async def create_key(
    info: Info, input: MutationInput[CreateApiKeyInput]
) -> CreateApiKeyPayload:
    errors = api_key_errors(info, input)
    if errors:
        return CreateApiKeyPayload(api_key=None, secret=None, user_errors=errors)
    viewer = info.context.signed_in_viewer
    scopes = frozenset(Permission(scope) for scope in input.scopes)
    now = info.context.services.clock()

    async def work(session: AsyncSession) -> CreateApiKeyPayload:
        issued = await create_api_key(
            session, viewer.account_id, input.name, scopes, now, viewer.staff_user_id
        )
        return CreateApiKeyPayload(
            api_key=ApiKey.from_row(issued.row), secret=issued.key, user_errors=[]
        )

    return await info.context.db.write(work)


@strawberry.input(description="The key to revoke.")
class RevokeApiKeyInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the key.")


@strawberry.enum(description="Why a key could not be revoked.")
class RevokeApiKeyErrorCode(Enum):
    NOT_FOUND = "not_found"


@strawberry.type(description="A reason a key could not be revoked.")
class RevokeApiKeyError(UserError):
    code: RevokeApiKeyErrorCode = field(
        description="What went wrong.", audiences=STAFF_ONLY
    )


@strawberry.type(description="The result of revoking a key.")
class RevokeApiKeyPayload:
    is_revoked: bool = field(
        description="The key no longer works.", audiences=STAFF_ONLY
    )
    user_errors: list[RevokeApiKeyError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


async def revoke_key(
    info: Info, input: MutationInput[RevokeApiKeyInput]
) -> RevokeApiKeyPayload:
    not_found = RevokeApiKeyPayload(
        is_revoked=False,
        user_errors=[
            RevokeApiKeyError(
                field=input_path("id"),
                code=RevokeApiKeyErrorCode.NOT_FOUND,
                message="No active key of your account has that ID.",
            )
        ],
    )
    try:
        type_name, public_id = decode_global_id(input.id)
    except InvalidGlobalId:
        return not_found
    if type_name != "ApiKey":
        return not_found
    account_id, now = info.context.account_id, info.context.services.clock()

    async def work(session: AsyncSession) -> bool:
        key_id = await session.scalar(
            select(ApiKeyRow.id).where(
                ApiKeyRow.public_id == public_id, ApiKeyRow.account_id == account_id
            )
        )
        return key_id is not None and await revoke_api_key(
            session, account_id, key_id, now
        )

    if not await info.context.db.write(work):
        return not_found
    return RevokeApiKeyPayload(is_revoked=True, user_errors=[])
