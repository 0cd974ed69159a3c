"""The state of one seeding pass: randomness, the clock, ids, numbers and rows."""

import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from random import Random
from typing import Any, TypeVar

from persistence.enums import Channel, NotificationEvent
from persistence.seed.writer import IdAllocator, Row, RowBuffer

T = TypeVar("T")

# Business hours in Denver (08:00-17:30 MDT) as minutes after midnight UTC.
FIRST_MINUTE = 14 * 60
LAST_MINUTE = 23 * 60 + 30


class NumberSequence:
    """Invoice or estimate numbers, handed out in order of their date.

    The planning pass counts the numbers taken on each day; after ``freeze``
    the writing pass gets numbers that rise with the date across the account.
    Both passes must take the same numbers, which ``check_complete`` verifies.
    """

    def __init__(self, start: int) -> None:
        self.start = start
        self.per_day: Counter[date] = Counter()
        self.offsets: dict[date, int] | None = None
        self.taken: Counter[date] = Counter()

    def take(self, day: date) -> int:
        if self.offsets is None:
            self.per_day[day] += 1
            return self.start
        if self.taken[day] >= self.per_day[day]:
            raise RuntimeError(f"More numbers were taken on {day} than planned.")
        number = self.start + self.offsets[day] + self.taken[day]
        self.taken[day] += 1
        return number

    def freeze(self) -> None:
        running, self.offsets = 0, {}
        for day in sorted(self.per_day):
            self.offsets[day] = running
            running += self.per_day[day]

    def check_complete(self) -> None:
        if self.taken != self.per_day:
            raise RuntimeError("The writing pass took other numbers than planned.")

    @property
    def next_free(self) -> int:
        return self.start + sum(self.per_day.values())


@dataclass
class StaffDirectory:
    """The seeded staff users by role, and their names for messages."""

    admin: int = 0
    office: list[int] = field(default_factory=list)
    dispatcher: int = 0
    accountant: int = 0
    drivers: list[int] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)

    @property
    def desk(self) -> list[int]:
        """Staff who work with clients from the office."""
        return [self.admin, *self.office, self.dispatcher]


@dataclass(frozen=True, slots=True)
class BusinessRules:
    """The business rules the generated data follows, handed in by the caller.

    The vocabulary lives in ``domain``; persistence does not import it, so the
    seed is told the built-in roles' grants, the notification defaults, the
    client settings' defaults and the words of suppressed notifications.
    """

    role_grants: Mapping[str, Sequence[str]]
    notification_default: Callable[[NotificationEvent, Channel], bool]
    setting_defaults: Mapping[str, Any]
    # Why a message was suppressed, in the log's words: (cause, event, channel).
    suppression_reason: Callable[[str, NotificationEvent, Channel], str]


@dataclass
class SeedContext:
    """Everything a generator needs; one instance per pass, so passes agree."""

    rng: Random
    today: date
    ids: IdAllocator
    buffer: RowBuffer
    invoice_numbers: NumberSequence
    estimate_numbers: NumberSequence
    rules: BusinessRules
    account_id: int = 0
    account_name: str = ""
    account_phone: str = ""
    slug: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    staff: StaffDirectory = field(default_factory=StaffDirectory)
    templates: dict[tuple[str, str | None], tuple[int, str]] = field(
        default_factory=dict
    )
    seen: dict[str, set[Any]] = field(default_factory=dict)
    now: datetime = field(init=False)
    yesterday: date = field(init=False)

    def __post_init__(self) -> None:
        # Noon in Denver: every timestamp of the run is at or before it.
        self.now = datetime.combine(self.today, time(18, 0), UTC)
        self.yesterday = self.today - timedelta(days=1)

    def add(self, table: str, row: Row) -> Row:
        return self.buffer.add(table, row)

    def new_id(self, table: str) -> int:
        return self.ids.take(table)

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def hex(self, length: int) -> str:
        return f"{self.rng.getrandbits(length * 4):0{length}x}"

    def digits(self, length: int) -> str:
        return f"{self.rng.randrange(10**length):0{length}d}"

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def choice(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]

    def pick(self, key: str, options: Sequence[T], weights: Sequence[float]) -> T:
        """A weighted choice that first hands out every option not yet seen.

        Callers pass only the options that fit the moment, so forcing an
        unseen one keeps the data coherent while guaranteeing coverage.
        """
        seen = self.seen.setdefault(key, set())
        for option in options:
            if option not in seen:
                seen.add(option)
                return option
        return self.rng.choices(options, weights)[0]

    def day_between(self, first: date, last: date) -> date:
        if last <= first:
            return first
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def moment(self, day: date) -> datetime:
        """A time during business hours on ``day``, never later than now."""
        minutes = self.rng.randint(FIRST_MINUTE, LAST_MINUTE)
        value = datetime.combine(day, time(), UTC) + timedelta(minutes=minutes)
        return min(value, self.now - timedelta(minutes=10))

    def later(self, start: datetime, low_minutes: int, high_minutes: int) -> datetime:
        """A time shortly after ``start``, never later than now."""
        value = start + timedelta(minutes=self.rng.randint(low_minutes, high_minutes))
        return max(start, min(value, self.now - timedelta(minutes=1)))

    def hundredths(self, low: float, high: float) -> Decimal:
        """A decimal with two places between ``low`` and ``high``."""
        value = self.rng.randint(round(low * 100), round(high * 100))
        return Decimal(value).scaleb(-2)


def line_amount(quantity: Decimal, unit_price: int) -> int:
    return int((quantity * unit_price).quantize(Decimal(1), ROUND_HALF_UP))


def tax_on(taxable: int, rate_bps: int) -> int:
    """Sales tax in minor units, rounded half up."""
    return (taxable * rate_bps + 5_000) // 10_000


def dollars(amount: int) -> int:
    return amount * 100


def money_text(minor_units: int) -> str:
    return f"${minor_units // 100:,}.{minor_units % 100:02d}"


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
