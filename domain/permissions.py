"""The permission vocabulary and the built-in staff roles.

A permission is ``section:verb``. Staff roles grant a set of them; partner
keys carry a subset of the same words as scopes. ``*`` grants everything.
"""

from enum import StrEnum


class Permission(StrEnum):
    CLIENTS_READ = "clients:read"
    CLIENTS_WRITE = "clients:write"
    BILLING_READ = "billing:read"
    BILLING_WRITE = "billing:write"
    PAYMENTS_COLLECT = "payments:collect"
    PAYMENT_METHODS_READ = "payment_methods:read"
    PAYMENT_METHODS_WRITE = "payment_methods:write"
    WORK_READ = "work:read"
    WORK_WRITE = "work:write"
    DOCUMENTS_READ = "documents:read"
    DOCUMENTS_WRITE = "documents:write"
    MESSAGES_READ = "messages:read"
    MESSAGES_SEND = "messages:send"
    PRICING_READ = "pricing:read"
    PRICING_WRITE = "pricing:write"
    NOTIFICATIONS_READ = "notifications:read"
    NOTIFICATIONS_RESEND = "notifications:resend"
    NOTES_READ = "notes:read"
    NOTES_WRITE = "notes:write"
    SETTINGS_READ = "settings:read"
    SETTINGS_WRITE = "settings:write"
    HOLDS_OVERRIDE = "holds:override"
    DASHBOARD_OPEN = "dashboard:open"
    STAFF_MANAGE = "staff:manage"
    API_KEYS_MANAGE = "api_keys:manage"


ALL = frozenset(Permission)
EVERYTHING = "*"

READ_ALL = frozenset(p for p in Permission if p.value.endswith(":read"))

BUILTIN_ROLES: dict[str, frozenset[Permission]] = {
    "admin": ALL,
    "office": ALL - {Permission.STAFF_MANAGE, Permission.API_KEYS_MANAGE},
    "dispatcher": frozenset(
        {
            Permission.CLIENTS_READ,
            Permission.WORK_READ,
            Permission.WORK_WRITE,
            Permission.DOCUMENTS_READ,
            Permission.MESSAGES_READ,
            Permission.MESSAGES_SEND,
            Permission.PRICING_READ,
            Permission.NOTIFICATIONS_READ,
            Permission.NOTES_READ,
            Permission.NOTES_WRITE,
        }
    ),
    "driver": frozenset(
        {Permission.CLIENTS_READ, Permission.WORK_READ, Permission.NOTES_READ}
    ),
    "accountant": READ_ALL
    | {
        Permission.BILLING_WRITE,
        Permission.PAYMENTS_COLLECT,
        Permission.PAYMENT_METHODS_WRITE,
    },
}


def permissions_of(granted: list[str]) -> frozenset[Permission]:
    """The permissions a role's or key's stored list grants (unknown words drop)."""
    if EVERYTHING in granted:
        return ALL
    known = {permission.value for permission in Permission}
    return frozenset(Permission(word) for word in granted if word in known)
