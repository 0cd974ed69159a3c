"""The payment processor behind a small interface, and a local sandbox of it.

A card or bank account reaches us as a one-time token from the processor's
own form; ``attach`` turns it into a reusable token with the brand or bank
and the last four digits, which is all we keep. ``charge`` and ``refund``
move money by that token. Production swaps in a real processor's adapter;
development and tests use ``SandboxGateway``, whose test tokens behave the
same way every time.
"""

import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from persistence.enums import StoredMethodKind


class GatewayFailure(StrEnum):
    """Why the processor refused: the words the domain turns into problems."""

    INVALID_TOKEN = "invalid_token"
    DECLINED = "declined"
    INSUFFICIENT_FUNDS = "insufficient_funds"


@dataclass(frozen=True, slots=True)
class AttachedMethod:
    """What the processor tells us about a method it now holds for us."""

    kind: StoredMethodKind
    processor_token: str
    last_four: str
    brand: str | None = None
    bank_name: str | None = None
    exp_month: int | None = None
    exp_year: int | None = None


@dataclass(frozen=True, slots=True)
class GatewayResult:
    """The outcome of a charge or refund: a reference, or why it failed."""

    reference: str | None
    failure: GatewayFailure | None = None
    message: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.failure is None


class AttachRefused(Exception):
    def __init__(self, failure: GatewayFailure, message: str) -> None:
        self.failure = failure
        super().__init__(message)


class PaymentGateway(Protocol):
    """What the domain needs from a payment processor."""

    name: str

    async def attach(self, kind: StoredMethodKind, token: str) -> AttachedMethod:
        """Exchange a one-time token for a reusable one; ``AttachRefused`` if
        the processor does not accept it."""
        ...

    async def charge(
        self, processor_token: str, amount: int, currency: str, idempotency_key: str
    ) -> GatewayResult: ...

    async def refund(
        self, reference: str, amount: int, currency: str, idempotency_key: str
    ) -> GatewayResult: ...


@dataclass(frozen=True, slots=True)
class SandboxBehaviour:
    kind: StoredMethodKind
    last_four: str
    brand: str | None = None
    bank_name: str | None = None
    failure: GatewayFailure | None = None


# The test tokens: attaching always works, charging does what the name says.
SANDBOX_TOKENS = {
    "tok_visa": SandboxBehaviour(StoredMethodKind.CARD, "4242", brand="Visa"),
    "tok_mastercard": SandboxBehaviour(
        StoredMethodKind.CARD, "4444", brand="Mastercard"
    ),
    "tok_chargeDeclined": SandboxBehaviour(
        StoredMethodKind.CARD, "0002", brand="Visa", failure=GatewayFailure.DECLINED
    ),
    "tok_insufficientFunds": SandboxBehaviour(
        StoredMethodKind.CARD,
        "9995",
        brand="Visa",
        failure=GatewayFailure.INSUFFICIENT_FUNDS,
    ),
    "btok_success": SandboxBehaviour(
        StoredMethodKind.ACH, "6789", bank_name="Sandbox Bank"
    ),
    "btok_accountClosed": SandboxBehaviour(
        StoredMethodKind.ACH,
        "0000",
        bank_name="Sandbox Bank",
        failure=GatewayFailure.DECLINED,
    ),
    "btok_insufficientFunds": SandboxBehaviour(
        StoredMethodKind.ACH,
        "1116",
        bank_name="Sandbox Bank",
        failure=GatewayFailure.INSUFFICIENT_FUNDS,
    ),
}
SANDBOX_EXPIRY = (12, 2034)
FAILURE_MESSAGES = {
    GatewayFailure.DECLINED: "The processor declined the charge.",
    GatewayFailure.INSUFFICIENT_FUNDS: "The account has insufficient funds.",
}


def reference_for(prefix: str, idempotency_key: str) -> str:
    """The same key gets the same reference, like a processor's replay."""
    return f"{prefix}_{hashlib.sha256(idempotency_key.encode()).hexdigest()[:24]}"


class SandboxGateway:
    """A processor in memory that never moves money, for development and tests.

    The reusable token carries the test token's name, so charges behave the
    same in every process without shared state.
    """

    name = "sandbox"

    async def attach(self, kind: StoredMethodKind, token: str) -> AttachedMethod:
        behaviour = SANDBOX_TOKENS.get(token)
        if behaviour is None or behaviour.kind is not kind:
            raise AttachRefused(
                GatewayFailure.INVALID_TOKEN,
                f"The sandbox has no {kind.value} test token called {token!r}.",
            )

        is_card = kind is StoredMethodKind.CARD
        exp_month, exp_year = SANDBOX_EXPIRY if is_card else (None, None)
        return AttachedMethod(
            kind=kind,
            processor_token=f"pm_{token}_{secrets.token_hex(8)}",
            last_four=behaviour.last_four,
            brand=behaviour.brand,
            bank_name=behaviour.bank_name,
            exp_month=exp_month,
            exp_year=exp_year,
        )

    async def charge(
        self, processor_token: str, amount: int, currency: str, idempotency_key: str
    ) -> GatewayResult:
        test_token = processor_token.removeprefix("pm_").rpartition("_")[0]
        behaviour = SANDBOX_TOKENS.get(test_token)
        if behaviour is None:
            return GatewayResult(
                None, GatewayFailure.INVALID_TOKEN, "The sandbox has no such method."
            )
        if behaviour.failure is not None:
            return GatewayResult(
                None, behaviour.failure, FAILURE_MESSAGES[behaviour.failure]
            )
        return GatewayResult(reference_for("ch", idempotency_key))

    async def refund(
        self, reference: str, amount: int, currency: str, idempotency_key: str
    ) -> GatewayResult:
        return GatewayResult(reference_for("re", idempotency_key))
