"""Who is asking: the result of authentication, used by every layer above."""

from dataclasses import dataclass, field
from enum import StrEnum

from domain.permissions import Permission


class ViewerKind(StrEnum):
    STAFF = "staff"
    DASHBOARD = "dashboard"
    STAFF_PREVIEW = "staff_preview"
    PARTNER = "partner"


@dataclass(frozen=True, slots=True)
class Viewer:
    """An authenticated caller, always of exactly one account.

    Dashboard viewers are bound to one client as well; a staff preview is a
    dashboard viewer that may read but never change anything.
    """

    account_id: int
    kind: ViewerKind = ViewerKind.STAFF
    permissions: frozenset[Permission] = field(default_factory=frozenset)
    staff_user_id: int | None = None
    client_id: int | None = None
    contact_id: int | None = None
    api_key_id: int | None = None
    token_id: int | None = None
    # A dashboard viewer whose client is on hold sees only what lets it pay.
    is_on_hold: bool = False

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    @property
    def sees_as_client(self) -> bool:
        """The client itself, or staff previewing its dashboard: drafts and
        internal records stay hidden."""
        return self.kind in (ViewerKind.DASHBOARD, ViewerKind.STAFF_PREVIEW)

    @property
    def is_read_only(self) -> bool:
        return self.kind is ViewerKind.STAFF_PREVIEW
