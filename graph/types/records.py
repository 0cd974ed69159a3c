"""The profile's records: documents, messages, notes and files, special
pricing, the notification log, and notification and client settings."""

import strawberry


@strawberry.type(description="Client fields: records, pricing and settings.")
class RecordsSection:
    row_id: strawberry.Private[int]
