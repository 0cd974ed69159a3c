"""Every table of Haulgraph, importable from one place.

Importing this package registers all tables on ``Base.metadata``.
"""

from persistence.models.base import Base
from persistence.models.billing import (
    Charge,
    Credit,
    Invoice,
    InvoiceLine,
    Payment,
    PaymentApplication,
    PaymentMethod,
    PaymentRequest,
    RecurringInvoice,
    RecurringInvoiceLine,
    Refund,
)
from persistence.models.client_rules import (
    ClientSettingOverride,
    Hold,
    NotificationLogEntry,
    NotificationPreferenceOverride,
    SpecialPrice,
)
from persistence.models.delivery import EmailTemplate, OutboxItem
from persistence.models.identity import AccessToken, ApiKey, SignInLink, TokenKind
from persistence.models.people import (
    Address,
    Client,
    ClientDashboard,
    ClientTag,
    Contact,
)
from persistence.models.records import (
    ActivityRecord,
    Attachment,
    Document,
    DocumentTemplate,
    Message,
    Note,
    ServiceRequest,
)
from persistence.models.tenancy import Account, Fee, PriceListItem, StaffRole, StaffUser
from persistence.models.work import (
    Estimate,
    EstimateEvent,
    EstimateLine,
    Job,
    JobLine,
    Task,
    WeightTicket,
)

__all__ = [
    "AccessToken",
    "Account",
    "ApiKey",
    "ActivityRecord",
    "Address",
    "Attachment",
    "Base",
    "Charge",
    "Client",
    "ClientDashboard",
    "ClientSettingOverride",
    "ClientTag",
    "Contact",
    "Credit",
    "Document",
    "EmailTemplate",
    "DocumentTemplate",
    "Estimate",
    "EstimateEvent",
    "EstimateLine",
    "Fee",
    "Hold",
    "Invoice",
    "InvoiceLine",
    "Job",
    "JobLine",
    "Message",
    "Note",
    "NotificationLogEntry",
    "NotificationPreferenceOverride",
    "OutboxItem",
    "Payment",
    "PaymentApplication",
    "PaymentMethod",
    "PaymentRequest",
    "PriceListItem",
    "RecurringInvoice",
    "RecurringInvoiceLine",
    "Refund",
    "ServiceRequest",
    "SignInLink",
    "SpecialPrice",
    "StaffRole",
    "StaffUser",
    "Task",
    "TokenKind",
    "WeightTicket",
]
