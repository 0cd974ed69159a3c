"""Rentals: a container's stay at an address from delivery to final pickup,
with the tasks and statuses its dates imply."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from persistence.enums import TaskKind, TaskStatus
from persistence.seed.context import SeedContext
from persistence.seed.drafts import ClientDraft, RentalPlan, TaskDraft
from persistence.seed.pricing import Price, PriceBook, Rate
from persistence.seed.tasks import add_charge, add_task, booking_time, weigh_load
from persistence.seed.vocabulary import MATERIAL_LABELS

SIZES = (10, 15, 20, 30, 40)
SIZE_WEIGHTS = {
    "residential": (30, 30, 30, 8, 2),
    "contractor": (10, 10, 30, 30, 20),
    "commercial": (5, 10, 25, 30, 30),
}
MATERIALS = {
    "residential": (
        ("general_debris", "construction", "yard_waste", "roofing"),
        (40, 25, 20, 15),
    ),
    "contractor": (("construction", "roofing", "concrete", "dirt"), (45, 25, 15, 15)),
    "commercial": (("general_debris", "mixed_recycling", "construction"), (50, 30, 20)),
}
# Concrete and dirt are too heavy for anything but the smallest box.
HEAVY_MATERIALS = ("concrete", "dirt")
RENTALS_PER_MONTH = {"residential": 0.07, "contractor": 0.3, "commercial": 0.15}
MOST_RENTALS = 12
EXTRAS = ("none", TaskKind.EXCHANGE, TaskKind.DUMP_AND_RETURN, TaskKind.RELOCATE)
EXTRA_WEIGHTS = {
    "residential": (90, 3, 4, 3),
    "contractor": (60, 25, 10, 5),
    "commercial": (65, 20, 10, 5),
}
# Showcase clients' rentals as (days from today, rental days, extra days): one
# long finished, one just finished with extra days, one on site, one tomorrow.
SHOWCASE_RENTALS = ((-45, 14, 0), (-20, 7, 10), (-2, 7, 0), (1, 7, 0))
ITEM_FEES = (("mattress", 0.1, 3), ("tires", 0.05, 4), ("appliance", 0.05, 1))
LIVE_LOAD_DISCOUNT = 10_000


@dataclass
class Rental:
    """A rental being written: its plan, its rate, and its delivery once made."""

    ctx: SeedContext
    client: ClientDraft
    book: PriceBook
    plan: RentalPlan
    rate: Rate
    delivery: TaskDraft | None = None

    @property
    def end(self) -> date:
        days = self.plan.rental_days + self.plan.extra_days
        return self.plan.start + timedelta(days=days)

    def task(
        self, kind: TaskKind, status: TaskStatus, day: date | None, price: Price
    ) -> TaskDraft:
        first_day = (
            self.plan.start if self.delivery else self.plan.start - timedelta(days=10)
        )
        booked_at = booking_time(
            self.ctx, self.client, first_day, day or self.ctx.today
        )
        related_id = self.delivery.id if self.delivery else None
        return add_task(
            self.ctx,
            self.client,
            self.plan,
            kind,
            status,
            day,
            booked_at,
            price,
            related_id=related_id,
        )

    def charge(
        self, task: TaskDraft, line: str, price: Price, quantity: int = 1
    ) -> None:
        add_charge(self.client, self.plan, task, line, price, Decimal(quantity))


def plan_rentals(ctx: SeedContext, client: ClientDraft) -> None:
    months = (ctx.today - client.created_on).days / 30
    rate = RENTALS_PER_MONTH[client.client_type] * ctx.rng.uniform(0.5, 1.5)
    count = min(round(months * rate), MOST_RENTALS)
    if client.client_type == "residential" and not ctx.chance(0.15):
        count = max(count, 1)

    first_day = client.created_on + timedelta(days=1)
    for _ in range(count):
        start = ctx.day_between(first_day, ctx.today + timedelta(days=10))
        client.rentals.append(new_plan(ctx, client, start))

    if client.is_showcase:
        for offset, rental_days, extra_days in SHOWCASE_RENTALS:
            plan = new_plan(ctx, client, ctx.today + timedelta(days=offset))
            plan.rental_days, plan.extra_days = rental_days, extra_days
            plan.can_be_cancelled = False
            client.rentals.append(plan)


def new_plan(
    ctx: SeedContext, client: ClientDraft, start: date, job_id: int | None = None
) -> RentalPlan:
    materials, weights = MATERIALS[client.client_type]
    material = ctx.rng.choices(materials, weights)[0]
    size = ctx.rng.choices(SIZES, SIZE_WEIGHTS[client.client_type])[0]
    return RentalPlan(
        start=start,
        address=ctx.choice(client.addresses),
        size=10 if material in HEAVY_MATERIALS else size,
        material=material,
        rental_days=7 if ctx.chance(0.7) else 14,
        extra_days=0 if ctx.chance(0.7) else ctx.rng.randint(1, 10),
        job_id=job_id,
    )


def add_rentals(ctx: SeedContext, client: ClientDraft, book: PriceBook) -> None:
    client.rentals.sort(key=lambda plan: plan.start)
    for plan in client.rentals:
        rate = book.rate(client, plan.address.zone, plan.size, plan.rental_days)
        rental = Rental(ctx, client, book, plan, rate)
        if plan.start >= ctx.today:
            add_upcoming_delivery(rental)
        else:
            add_rental(rental)
    if client.client_type != "contractor" and (client.is_showcase or ctx.chance(0.1)):
        add_live_load(ctx, client, book)


def add_upcoming_delivery(rental: Rental) -> None:
    """A delivery from today on: today's is on the truck, later ones booked."""
    if rental.plan.start == rental.ctx.today:
        status = TaskStatus.IN_PROGRESS
    else:
        options = [TaskStatus.SCHEDULED, TaskStatus.UNSCHEDULED, TaskStatus.CANCELLED]
        if not rental.plan.can_be_cancelled:
            options.pop()
        status = rental.ctx.pick(
            "upcoming-delivery", options, (80, 15, 5)[: len(options)]
        )

    day = None if status is TaskStatus.UNSCHEDULED else rental.plan.start
    rental.task(TaskKind.DELIVERY, status, day, rental.rate.price)
    if status is not TaskStatus.CANCELLED:
        rental.client.open_groups.add(rental.plan.group)


def add_rental(rental: Rental) -> None:
    ctx, plan = rental.ctx, rental.plan
    status = TaskStatus.COMPLETED
    if plan.can_be_cancelled:
        options = [TaskStatus.COMPLETED, TaskStatus.CANCELLED]
        status = ctx.pick("past-delivery", options, (96, 4))
    delivery = rental.task(TaskKind.DELIVERY, status, plan.start, rental.rate.price)
    if status is TaskStatus.CANCELLED:
        return
    rental.delivery = delivery
    rental.charge(delivery, rental_line(plan), rental.rate.price)
    add_extra(rental)
    if rental.end < ctx.today:
        add_final_pickup(rental)
        return

    # Still on site: the pickup is booked, waiting for a call, or under way.
    rental.client.open_groups.add(plan.group)
    options = [TaskStatus.SCHEDULED, TaskStatus.UNSCHEDULED, TaskStatus.IN_PROGRESS]
    status = ctx.pick("active-pickup", options, (55, 35, 10))
    day = {
        TaskStatus.SCHEDULED: max(rental.end, ctx.today + timedelta(days=1)),
        TaskStatus.IN_PROGRESS: ctx.today,
    }.get(status)
    rental.task(TaskKind.PICKUP, status, day, rental.rate.priced(0, "included"))


def add_extra(rental: Rental) -> None:
    """A swap, dump-and-return or relocation while the container is on site."""
    ctx, plan = rental.ctx, rental.plan
    last_day = min(rental.end, ctx.today) - timedelta(days=1)
    if (last_day - plan.start).days < 3:
        return
    kind = ctx.pick("rental-extra", EXTRAS, EXTRA_WEIGHTS[rental.client.client_type])
    if kind == "none":
        return

    day = ctx.day_between(plan.start + timedelta(days=2), last_day)
    line, price = extra_price(rental, TaskKind(kind))
    task = rental.task(TaskKind(kind), TaskStatus.COMPLETED, day, price)
    rental.charge(task, line, price)
    if kind != TaskKind.RELOCATE:
        weigh_load(ctx, rental.client, plan, rental.rate, task)


def extra_price(rental: Rental, kind: TaskKind) -> tuple[str, Price]:
    size = rental.plan.size
    if kind is TaskKind.RELOCATE:
        price = rental.book.fee(rental.client, "relocation")
        return "Relocation (move the container on site)", price
    if kind is TaskKind.EXCHANGE:
        # A swap starts a new rental period at the rental's price.
        return f"Swap: {size} yd container", rental.rate.price
    amount = rental.rate.base_price * 80 // 10_000 * 100
    price = rental.rate.priced(amount, "80% of the rental price")
    return f"Dump and return: {size} yd container", price


def add_final_pickup(rental: Rental) -> None:
    """The pickup, sometimes after a failed attempt, and its closing charges."""
    ctx, plan, rate = rental.ctx, rental.plan, rental.rate
    day = rental.end
    outcome = "first try"
    if day + timedelta(days=3) < ctx.today:
        outcome = ctx.pick("pickup-attempt", ["first try", "failed"], (93, 7))
    if outcome == "failed":
        trip_charge = rental.book.fee(rental.client, "trip_charge")
        failed = rental.task(TaskKind.PICKUP, TaskStatus.FAILED, day, trip_charge)
        rental.charge(failed, "Trip charge: pickup blocked", trip_charge)
        day += timedelta(days=ctx.rng.randint(1, 2))

    pickup = rental.task(
        TaskKind.PICKUP, TaskStatus.COMPLETED, day, rate.priced(0, "included")
    )
    weigh_load(ctx, rental.client, plan, rate, pickup)
    if plan.extra_days:
        line = f"Extra rental days ({plan.extra_days} beyond {rate.included_days})"
        price = Price(rate.per_extra_day, rate.rule, rate.detail)
        rental.charge(pickup, line, price, plan.extra_days)
    for code, chance, most in ITEM_FEES:
        if ctx.chance(chance):
            price = rental.book.fee(rental.client, code)
            line = f"{code.title()} disposal"
            rental.charge(pickup, line, price, ctx.rng.randint(1, most))


def add_live_load(ctx: SeedContext, client: ClientDraft, book: PriceBook) -> None:
    """The truck waits while the client loads: no rental clock, one haul."""
    first_day = client.created_on + timedelta(days=1)
    if first_day >= ctx.yesterday:
        return
    plan = new_plan(ctx, client, ctx.day_between(first_day, ctx.yesterday))
    rate = book.rate(client, plan.address.zone, plan.size, 7)
    rental = Rental(ctx, client, book, plan, rate)

    amount = rate.base_price - LIVE_LOAD_DISCOUNT
    price = rate.priced(amount, "rental price less $100 for a live load")
    task = rental.task(TaskKind.LIVE_LOAD, TaskStatus.COMPLETED, plan.start, price)
    material = MATERIAL_LABELS[plan.material]
    rental.charge(task, f"Live load: {plan.size} yd ({material})", price)
    weigh_load(ctx, client, plan, rate, task)


def rental_line(plan: RentalPlan) -> str:
    material = MATERIAL_LABELS[plan.material]
    return f"{plan.size} yd dumpster rental, {plan.rental_days} days ({material})"
