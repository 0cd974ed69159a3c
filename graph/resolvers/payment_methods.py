"""Cards and bank accounts on file (the payments add-on)."""

from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain import payment_methods as methods
from domain.payment_methods import NewPaymentMethod, PaymentMethodProblem
from domain.permissions import Permission
from domain.problems import Problem
from graph.context import Info
from graph.fields import STAFF_ONLY, field
from graph.mutations import MutationInput, UserError, perform, user_errors
from graph.resolvers.invoice_inputs import public_id_of
from graph.resolvers.invoices import clock
from graph.types.billing.collection import PaymentMethod
from persistence.enums import StoredMethodKind
from persistence.models import PaymentMethod as PaymentMethodRow

strawberry.enum(
    PaymentMethodProblem,
    name="PaymentMethodErrorCode",
    description="Why a change to methods on file was refused.",
)


@strawberry.type(description="A reason a change to methods on file was refused.")
class PaymentMethodError(UserError):
    code: PaymentMethodProblem = field(
        description="What went wrong.", audiences=STAFF_ONLY
    )


@strawberry.input(
    description="A card or bank account to keep on file, as the processor's "
    "one-time token from its own form: never a card or account number."
)
class AddPaymentMethodInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    kind: StoredMethodKind = strawberry.field(description="CARD or ACH.")
    token: str = strawberry.field(
        description="The processor's one-time token. In the sandbox: tok_visa, "
        "tok_mastercard, tok_chargeDeclined, tok_insufficientFunds (cards); "
        "btok_success, btok_accountClosed, btok_insufficientFunds (ACH)."
    )
    holder_name: str | None = strawberry.field(
        default=None, description="The name on the card or account."
    )
    make_default: bool = strawberry.field(
        default=False,
        description="Make it the client's default; the first method always is.",
    )


@strawberry.input(description="A method on file, by ID.")
class PaymentMethodIdInput:
    payment_method_id: strawberry.ID = strawberry.field(
        description="The payment method's ID."
    )


@strawberry.input(description="The method to make the client's default.")
class SetDefaultPaymentMethodInput(PaymentMethodIdInput):
    pass


@strawberry.input(description="The method to take off file.")
class RemovePaymentMethodInput(PaymentMethodIdInput):
    pass


@strawberry.type(description="The method on file after the change.")
class PaymentMethodPayload:
    """The shape of the payment-method payloads; each mutation names its own."""

    payment_method: PaymentMethod | None = field(
        description="The method; null on failure.", audiences=STAFF_ONLY
    )
    user_errors: list[PaymentMethodError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


@strawberry.type(description="The method added.")
class AddPaymentMethodPayload(PaymentMethodPayload):
    pass


@strawberry.type(description="The method that is now the default.")
class SetDefaultPaymentMethodPayload(PaymentMethodPayload):
    pass


@strawberry.type(description="The method taken off file.")
class RemovePaymentMethodPayload(PaymentMethodPayload):
    pass


def payload(
    kind: type[PaymentMethodPayload],
    row: PaymentMethodRow | None,
    problems: tuple[Problem, ...],
) -> Any:
    return kind(
        payment_method=PaymentMethod.from_row(row) if row is not None else None,
        user_errors=user_errors(PaymentMethodError, problems),
    )


async def add_payment_method(
    info: Info, input: MutationInput[AddPaymentMethodInput]
) -> AddPaymentMethodPayload:
    viewer = info.context.signed_in_viewer
    gateway = info.context.services.gateway
    entry = NewPaymentMethod(
        client=public_id_of(input.client_id, "Client"),
        kind=input.kind,
        token=input.token,
        holder_name=input.holder_name,
        make_default=input.make_default,
    )

    async def work(session: AsyncSession) -> PaymentMethodRow:
        return await methods.add_payment_method(session, viewer, gateway, entry)

    outcome = await perform(info, work)
    return payload(AddPaymentMethodPayload, outcome.result, outcome.problems)


async def set_default_payment_method(
    info: Info, input: MutationInput[SetDefaultPaymentMethodInput]
) -> SetDefaultPaymentMethodPayload:
    viewer = info.context.signed_in_viewer
    method_id = public_id_of(input.payment_method_id, "PaymentMethod")

    async def work(session: AsyncSession) -> PaymentMethodRow:
        return await methods.set_default_payment_method(session, viewer, method_id)

    outcome = await perform(info, work)
    return payload(SetDefaultPaymentMethodPayload, outcome.result, outcome.problems)


async def remove_payment_method(
    info: Info, input: MutationInput[RemovePaymentMethodInput]
) -> RemovePaymentMethodPayload:
    viewer = info.context.signed_in_viewer
    method_id = public_id_of(input.payment_method_id, "PaymentMethod")
    moment = clock(info)

    async def work(session: AsyncSession) -> PaymentMethodRow:
        return await methods.remove_payment_method(session, viewer, method_id, moment)

    outcome = await perform(info, work)
    return payload(RemovePaymentMethodPayload, outcome.result, outcome.problems)


@strawberry.type(description="Cards and bank accounts on file.")
class PaymentMethodMutations:
    add_payment_method: AddPaymentMethodPayload | None = field(
        add_payment_method,
        description="Keep a card or bank account on file as a processor token "
        "(brand or bank and last four only). Needs payment_methods:write and the "
        "payments add-on. Errors: ADDON_REQUIRED, CLIENT_NOT_FOUND, INVALID_TOKEN, "
        "HOLDER_NAME_TOO_LONG.",
        audiences=STAFF_ONLY,
        permission=Permission.PAYMENT_METHODS_WRITE,
    )
    set_default_payment_method: SetDefaultPaymentMethodPayload | None = field(
        set_default_payment_method,
        description="Make a method the client's default, the only one. Needs "
        "payment_methods:write. Errors: PAYMENT_METHOD_NOT_FOUND.",
        audiences=STAFF_ONLY,
        permission=Permission.PAYMENT_METHODS_WRITE,
    )
    remove_payment_method: RemovePaymentMethodPayload | None = field(
        remove_payment_method,
        description="Take a method off file; past payments keep naming it and no "
        "other method becomes the default by itself. Needs payment_methods:write. "
        "Errors: PAYMENT_METHOD_NOT_FOUND.",
        audiences=STAFF_ONLY,
        permission=Permission.PAYMENT_METHODS_WRITE,
    )
