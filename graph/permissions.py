"""The permission words fields declare; the vocabulary is ``domain.permissions``."""

from domain.permissions import Permission

CLIENTS_READ = Permission.CLIENTS_READ
BILLING_READ = Permission.BILLING_READ
PAYMENT_METHODS_READ = Permission.PAYMENT_METHODS_READ
WORK_READ = Permission.WORK_READ
DOCUMENTS_READ = Permission.DOCUMENTS_READ
MESSAGES_READ = Permission.MESSAGES_READ
PRICING_READ = Permission.PRICING_READ
NOTIFICATIONS_READ = Permission.NOTIFICATIONS_READ
NOTES_READ = Permission.NOTES_READ
SETTINGS_READ = Permission.SETTINGS_READ
