"""The closed vocabularies of the business, stored as strings with checks.

Values are lower-case words; the GraphQL layer maps them to its enums.
"""

from enum import IntEnum, StrEnum


class ClientType(StrEnum):
    RESIDENTIAL = "residential"
    COMMERCIAL = "commercial"
    CONTRACTOR = "contractor"


class AddressKind(StrEnum):
    SERVICE = "service"
    BILLING = "billing"


class ContainerSize(IntEnum):
    """Roll-off container sizes in cubic yards."""

    YD10 = 10
    YD15 = 15
    YD20 = 20
    YD30 = 30
    YD40 = 40


class InvoiceStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    OVERDUE = "overdue"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    VOID = "void"


class PaymentMethodKind(StrEnum):
    CASH = "cash"
    CHECK = "check"
    CARD = "card"
    ACH = "ach"


class PaymentStatus(StrEnum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class StoredMethodKind(StrEnum):
    """Payment methods kept on file: tokens only, never numbers."""

    CARD = "card"
    ACH = "ach"


class RecurrenceInterval(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


class Channel(StrEnum):
    EMAIL = "email"
    TEXT = "text"


class EstimateStatus(StrEnum):
    DRAFT = "draft"
    NO_RESPONSE = "no_response"
    READ = "read"
    REVIEWED = "reviewed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"


class ActorKind(StrEnum):
    STAFF = "staff"
    CLIENT = "client"
    PARTNER = "partner"
    SYSTEM = "system"


class JobKind(StrEnum):
    JUNK_REMOVAL = "junk_removal"
    MATERIAL_DELIVERY = "material_delivery"
    PROJECT = "project"


class JobStatus(StrEnum):
    UNSCHEDULED = "unscheduled"
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class TaskKind(StrEnum):
    DELIVERY = "delivery"
    PICKUP = "pickup"
    EXCHANGE = "exchange"
    DUMP_AND_RETURN = "dump_and_return"
    RELOCATE = "relocate"
    LIVE_LOAD = "live_load"


class TaskStatus(StrEnum):
    UNSCHEDULED = "unscheduled"
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Material(StrEnum):
    GENERAL_DEBRIS = "general_debris"
    CONSTRUCTION = "construction"
    ROOFING = "roofing"
    CONCRETE = "concrete"
    DIRT = "dirt"
    YARD_WASTE = "yard_waste"
    MIXED_RECYCLING = "mixed_recycling"


class PriceRule(StrEnum):
    """Which pricing rule produced a price, highest precedence first."""

    CLIENT_SPECIAL_PRICING = "client_special_pricing"
    SERVICE_ADDRESS_PRICING = "service_address_pricing"
    CLIENT_TYPE_PRICING = "client_type_pricing"
    ACCOUNT_STANDARD = "account_standard"
    MANUAL = "manual"


class SpecialPriceKind(StrEnum):
    CONTAINER = "container"
    FEE = "fee"


class DocumentKind(StrEnum):
    RENTAL_AGREEMENT = "rental_agreement"
    TERMS_AND_CONDITIONS = "terms_and_conditions"
    ESTIMATE_SIGNATURE = "estimate_signature"
    INVOICE_SIGNATURE = "invoice_signature"
    OTHER = "other"


class MessageDirection(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class MessageStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    RECEIVED = "received"


class NotificationEvent(StrEnum):
    ESTIMATE_SENT = "estimate_sent"
    INVOICE_SENT = "invoice_sent"
    PAYMENT_REQUEST = "payment_request"
    PAYMENT_RECEIPT = "payment_receipt"
    TASK_SCHEDULED = "task_scheduled"
    TASK_REMINDER = "task_reminder"
    TASK_COMPLETED = "task_completed"
    DOCUMENT_TO_SIGN = "document_to_sign"
    DASHBOARD_INVITATION = "dashboard_invitation"
    HOLD_PLACED = "hold_placed"


class NotificationTrigger(StrEnum):
    AUTOMATIC = "automatic"
    MANUAL = "manual"


class NotificationStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    SUPPRESSED = "suppressed"


class HoldRule(StrEnum):
    MANUAL = "manual"
    FAILED_PAYMENTS = "failed_payments"
    BALANCE_THRESHOLD = "balance_threshold"
    DAYS_PAST_DUE = "days_past_due"


class ServiceRequestKind(StrEnum):
    DELIVERY = "delivery"
    PICKUP = "pickup"
    EXCHANGE = "exchange"
    JUNK_REMOVAL = "junk_removal"
    OTHER = "other"


class ServiceRequestStatus(StrEnum):
    NEW = "new"
    SCHEDULED = "scheduled"
    DECLINED = "declined"
    DONE = "done"
