"""Configuration read from the environment, once, at start-up.

Every setting has a default that works on a fresh machine: an SQLite file in
the ``data`` folder of the working directory.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
SMTP_SECURITY = ("starttls", "tls", "none")
DEFAULT_SENDER = "no-reply@haulgraph.local"


@dataclass(frozen=True, slots=True)
class DeliveryConfig:
    """How email and texts leave: SMTP and a text provider, or local files.

    Without ``smtp_host`` emails are written as .eml files, and without
    ``text_api_url`` texts as .txt files, under the data folder: a person
    trying the product reads them there. Secrets are kept out of ``repr``.
    """

    mail_from: str = DEFAULT_SENDER
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_security: str = "starttls"
    smtp_username: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    text_api_url: str | None = None
    text_account_sid: str | None = None
    text_auth_token: str | None = field(default=None, repr=False)
    text_from: str | None = None
    text_status_callback_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    run_worker: bool = True

    @classmethod
    def from_environment(cls) -> "DeliveryConfig":
        security = os.environ.get("HAULGRAPH_SMTP_SECURITY", "starttls").lower()
        if security not in SMTP_SECURITY:
            raise ValueError(
                f"HAULGRAPH_SMTP_SECURITY is {security!r}; use one of "
                + ", ".join(SMTP_SECURITY)
                + "."
            )
        return cls(
            mail_from=os.environ.get("HAULGRAPH_MAIL_FROM", DEFAULT_SENDER),
            smtp_host=os.environ.get("HAULGRAPH_SMTP_HOST") or None,
            smtp_port=int(os.environ.get("HAULGRAPH_SMTP_PORT", "587")),
            smtp_security=security,
            smtp_username=os.environ.get("HAULGRAPH_SMTP_USERNAME") or None,
            smtp_password=os.environ.get("HAULGRAPH_SMTP_PASSWORD") or None,
            text_api_url=os.environ.get("HAULGRAPH_TEXT_API_URL") or None,
            text_account_sid=os.environ.get("HAULGRAPH_TEXT_ACCOUNT_SID") or None,
            text_auth_token=os.environ.get("HAULGRAPH_TEXT_AUTH_TOKEN") or None,
            text_from=os.environ.get("HAULGRAPH_TEXT_FROM") or None,
            text_status_callback_url=os.environ.get(
                "HAULGRAPH_TEXT_STATUS_CALLBACK_URL"
            )
            or None,
            webhook_secret=os.environ.get("HAULGRAPH_WEBHOOK_SECRET") or None,
            run_worker=os.environ.get("HAULGRAPH_WORKER", "on").lower()
            not in {"off", "0", "false", "no"},
        )


@dataclass(frozen=True, slots=True)
class Config:
    database_url: str
    data_dir: Path
    dashboard_url: str = "http://127.0.0.1:8001"
    cors_origins: tuple[str, ...] = ("http://127.0.0.1:8001",)
    # "production" runs only trusted documents on the dashboard route and
    # hides its introspection; anything else is development.
    environment: str = "development"
    # Partner cost buckets live in Redis when set, else in process memory.
    redis_url: str | None = None
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    delivery: DeliveryConfig = field(default_factory=DeliveryConfig)

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @classmethod
    def from_environment(cls) -> "Config":
        data_dir = Path(os.environ.get("HAULGRAPH_DATA_DIR", "data")).resolve()
        dashboard_url = os.environ.get(
            "HAULGRAPH_DASHBOARD_URL", "http://127.0.0.1:8001"
        )
        database_url = os.environ.get("DATABASE_URL") or sqlite_url(
            data_dir / "haulgraph.sqlite3"
        )
        return cls(
            database_url=normalise_database_url(database_url),
            data_dir=data_dir,
            dashboard_url=dashboard_url,
            cors_origins=allowed_origins(dashboard_url),
            environment=os.environ.get("HAULGRAPH_ENV", "development").lower(),
            redis_url=os.environ.get("REDIS_URL") or None,
            max_upload_bytes=int(
                os.environ.get("HAULGRAPH_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)
            ),
            delivery=DeliveryConfig.from_environment(),
        )


def allowed_origins(dashboard_url: str) -> tuple[str, ...]:
    """Browsers may call the API from the dashboard's origin and those listed."""
    listed = os.environ.get("HAULGRAPH_CORS_ORIGINS", "")
    origins = [origin.strip() for origin in listed.split(",") if origin.strip()]
    scheme, _, rest = dashboard_url.partition("://")
    dashboard_origin = f"{scheme}://{rest.split('/')[0]}"
    return tuple(dict.fromkeys([dashboard_origin, *origins]))


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def normalise_database_url(url: str) -> str:
    """Accept the URLs people paste (``postgres://``) and pick async drivers."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url.removeprefix(prefix)
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    return url
