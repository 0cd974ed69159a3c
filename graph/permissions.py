"""The permission vocabulary: one word per section and verb.

Every field names one of these beside its definition (see ``graph.fields``).
"""

CLIENTS_READ = "clients:read"
BILLING_READ = "billing:read"
PAYMENT_METHODS_READ = "payment_methods:read"
WORK_READ = "work:read"
DOCUMENTS_READ = "documents:read"
MESSAGES_READ = "messages:read"
PRICING_READ = "pricing:read"
NOTIFICATIONS_READ = "notifications:read"
NOTES_READ = "notes:read"
SETTINGS_READ = "settings:read"
