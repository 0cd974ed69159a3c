"""Money and the closed vocabularies, as the graph shows them."""

from decimal import Decimal

import strawberry

from graph.fields import EVERYONE, field
from persistence import enums

CURRENCY_EXPONENTS = {"JPY": 0, "KRW": 0, "BHD": 3, "KWD": 3}


@strawberry.type(
    description="An exact amount of money: never a float. `amount` is a decimal "
    'string ("125.50"), `minorUnits` the integer count of the currency\'s '
    "smallest unit (12550)."
)
class Money:
    amount: str = field(
        description='The amount as a decimal string, e.g. "125.50".',
        audiences=EVERYONE,
    )
    currency: str = field(
        description='ISO 4217 currency code, e.g. "USD".', audiences=EVERYONE
    )
    minor_units: int = field(
        description="The amount in the currency's minor units (cents for USD).",
    )

    @classmethod
    def of(cls, minor_units: int, currency: str) -> "Money":
        exponent = CURRENCY_EXPONENTS.get(currency, 2)
        amount = Decimal(minor_units).scaleb(-exponent)
        return cls(
            amount=f"{amount:.{exponent}f}", currency=currency, minor_units=minor_units
        )


strawberry.enum(enums.ClientType, description="What kind of client.")
ClientType = enums.ClientType
strawberry.enum(
    enums.AddressKind, description="Where containers go, or where bills go."
)
AddressKind = enums.AddressKind
strawberry.enum(
    enums.Channel, description="How a message travels: EMAIL or TEXT (SMS)."
)
Channel = enums.Channel
