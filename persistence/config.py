"""Configuration read from the environment, once, at start-up.

Every setting has a default that works on a fresh machine: an SQLite file in
the ``data`` folder of the working directory.
"""

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024


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
