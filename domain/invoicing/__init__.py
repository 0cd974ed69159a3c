"""Invoicing: charges, invoices from draft to void, and recurring invoices.

problems    the codes a refused change carries
lines       checking and pricing lines; totals and tax
terms       the client's effective tax and payment terms; who can be billed
drafting    choosing charges and writing an invoice's lines
charges     addCharge / removeCharge
invoices    createInvoice / updateInvoice (drafts)
lifecycle   issue, send, void
periods     the calendar of a recurring invoice
recurring   schedules: create, update, pause, resume, end
generation  issuing what schedules owe, once per period
"""
