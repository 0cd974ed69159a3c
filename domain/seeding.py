"""The business rules demo and benchmark data follow, for ``persistence.seed``."""

from domain.notify import suppression_reason
from domain.permissions import BUILTIN_ROLES
from domain.settings import CLIENT_SETTINGS, default_notification_setting
from persistence.seed import BusinessRules


def seed_rules() -> BusinessRules:
    return BusinessRules(
        role_grants={role: sorted(grants) for role, grants in BUILTIN_ROLES.items()},
        notification_default=default_notification_setting,
        setting_defaults={item.key: item.default for item in CLIENT_SETTINGS},
        suppression_reason=suppression_reason,
    )
