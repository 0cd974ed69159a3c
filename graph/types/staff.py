"""Staff users as other records show them: a name, never more."""

from typing import Any, Self

import strawberry

from graph.context import Info
from graph.fields import field
from graph.ids import encode_global_id
from graph.loaders import Reference, load_reference, row_loader
from persistence.models import StaffUser

staff_users = StaffUser.__table__


@strawberry.type(description="A member of the business's staff, by name.")
class StaffMember:
    id: strawberry.ID = field(description="Global ID of the staff user.")
    name: str = field(description="Full name.")

    @classmethod
    def of(cls, row: Any) -> Self:
        return cls(
            id=strawberry.ID(encode_global_id("StaffMember", row.public_id)),
            name=row.name,
        )

    @classmethod
    def load(cls, info: Info, staff_user_id: int | None) -> Reference[Self]:
        """The staff member with this row id, batched per request; None at
        once for no id."""
        loader = row_loader(info.context, staff_users, "id")
        return load_reference(loader, staff_user_id, cls.of)
