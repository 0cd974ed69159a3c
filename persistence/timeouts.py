"""Statement timeouts: the database stops a runaway statement by itself.

PostgreSQL gets ``statement_timeout`` as a setting of every connection the
API's engine opens, so it costs no round trip. SQLite has no such setting;
there the request timeout still answers the caller, while the statement
runs to its end in its thread.
"""

from typing import Any

from sqlalchemy.engine import make_url


def statement_timeout_options(database_url: str, milliseconds: int) -> dict[str, Any]:
    """Engine options that cancel statements running past ``milliseconds``."""
    if make_url(database_url).get_backend_name() != "postgresql":
        return {}
    settings = {"statement_timeout": str(milliseconds)}
    return {"connect_args": {"server_settings": settings}}
