"""The client dashboard's own host: a shell page and static ES modules.

It serves the single-page app and nothing else; the app talks to the API over
HTTP only, so nothing here imports the API's code.
"""

from portal_host.app import PortalConfig, create_portal_app

__all__ = ["PortalConfig", "create_portal_app"]
