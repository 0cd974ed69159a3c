"""The billing section of the profile: balance, hold, invoices, the activity
feed of the ledger, recurring invoices, charges, payment requests and methods."""

from graph.types.billing.section import NODE_TYPES, Billing, BillingSection

__all__ = ["NODE_TYPES", "Billing", "BillingSection"]
