"""The client's communication preferences and the contact's text consent."""

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.dashboard import preferences
from graph.context import Info
from graph.fields import DASHBOARD_ONLY, field
from graph.mutations import MutationInput
from graph.resolvers.dashboard.errors import ERRORS_DESCRIPTION, DashboardError, act
from graph.resolvers.notification_settings import notification_setting_now
from graph.types.notifications import NotificationSetting
from graph.types.people import Contact
from persistence.enums import Channel, NotificationEvent
from persistence.models import Contact as ContactRow


@strawberry.input(
    description="Whether you get one kind of notification on one channel."
)
class SetCommunicationPreferenceInput:
    event: NotificationEvent = strawberry.field(description="The kind of notification.")
    channel: Channel = strawberry.field(description="EMAIL or TEXT.")
    is_enabled: bool = strawberry.field(description="Send it (true) or not.")


@strawberry.input(description="Your consent to text messages.")
class SetTextConsentInput:
    consent: bool = strawberry.field(
        description="True: you agree to get text messages; false: you withdraw it."
    )


@strawberry.type(description="The preference as it now applies.")
class SetCommunicationPreferencePayload:
    setting: NotificationSetting | None = field(
        description="The setting, now your own choice; null when refused.",
        audiences=DASHBOARD_ONLY,
    )
    user_errors: list[DashboardError] = field(
        description=ERRORS_DESCRIPTION, audiences=DASHBOARD_ONLY
    )


@strawberry.type(description="You, with your consent as it now stands.")
class SetTextConsentPayload:
    contact: Contact | None = field(
        description="The signed-in contact; null when refused.",
        audiences=DASHBOARD_ONLY,
    )
    user_errors: list[DashboardError] = field(
        description=ERRORS_DESCRIPTION, audiences=DASHBOARD_ONLY
    )


async def set_communication_preference(
    info: Info, input: MutationInput[SetCommunicationPreferenceInput]
) -> SetCommunicationPreferencePayload:
    viewer = info.context.signed_in_viewer
    event, channel = input.event, input.channel

    async def work(session: AsyncSession) -> NotificationSetting:
        client = await preferences.set_preference(
            session, viewer, event, channel, input.is_enabled
        )
        return await notification_setting_now(session, client, event, channel)

    setting, errors = await act(info, work)
    return SetCommunicationPreferencePayload(setting=setting, user_errors=errors)


async def set_text_consent(
    info: Info, input: MutationInput[SetTextConsentInput]
) -> SetTextConsentPayload:
    viewer, now = info.context.signed_in_viewer, info.context.services.clock()

    async def work(session: AsyncSession) -> ContactRow:
        return await preferences.set_own_text_consent(
            session, viewer, input.consent, now
        )

    row, errors = await act(info, work)
    contact = Contact.from_row(row) if row is not None else None
    return SetTextConsentPayload(contact=contact, user_errors=errors)


@strawberry.type(description="Communication preferences.")
class DashboardPreferenceMutations:
    set_communication_preference: SetCommunicationPreferencePayload = field(
        set_communication_preference,
        description="Turn one kind of notification on or off on one channel for "
        "your account; it overrides the business's default. Turning a text "
        "notification on needs the primary contact's consent to texts. Allowed "
        "while on hold. Errors: TEXT_CONSENT_REQUIRED, READ_ONLY.",
        audiences=DASHBOARD_ONLY,
        signed_in=True,
    )
    set_text_consent: SetTextConsentPayload = field(
        set_text_consent,
        description="Give or withdraw your consent to text messages (you, the "
        "person signed in). Allowed while on hold. Errors: PHONE_REQUIRED, "
        "NOT_FOUND, READ_ONLY.",
        audiences=DASHBOARD_ONLY,
        signed_in=True,
    )
