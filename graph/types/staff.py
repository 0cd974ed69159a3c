"""Staff users as other records show them: a name, never more."""

from typing import Self

import strawberry

from graph.context import Info
from graph.fields import field
from graph.ids import encode_global_id
from graph.loaders import row_loader
from persistence.models import StaffUser

staff_users = StaffUser.__table__


@strawberry.type(description="A member of the business's staff, by name.")
class StaffMember:
    id: strawberry.ID = field(description="Global ID of the staff user.")
    name: str = field(description="Full name.")

    @classmethod
    async def load(cls, info: Info, staff_user_id: int | None) -> Self | None:
        """The staff member with this row id, batched per request."""
        if staff_user_id is None:
            return None
        row = await row_loader(info.context, staff_users, "id").load(staff_user_id)
        if row is None:
            return None
        return cls(
            id=strawberry.ID(encode_global_id("StaffMember", row.public_id)),
            name=row.name,
        )
