"""The headers every answer of the dashboard host carries.

The shell runs only the host's own modules (no inline script, no eval), may
call only the API's origin, and may be framed by no one. The app sets no
inline styles either, so styles come from the host's files alone.
"""

from urllib.parse import urlsplit


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of an absolute URL, as CSP and CORS compare it."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        raise ValueError(
            f"The API address {url!r} is not an absolute URL; give one like "
            "http://127.0.0.1:8000."
        )
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(api_origin: str) -> str:
    directives = {
        "default-src": "'none'",
        "script-src": "'self'",
        "style-src": "'self'",
        # Images arrive from the API as blobs fetched with the bearer token.
        "img-src": "'self' data: blob:",
        "font-src": "'self'",
        "connect-src": api_origin,
        "manifest-src": "'self'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
        "object-src": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def security_headers(api_origin: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(api_origin),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        # Sign-in links carry their token in the fragment, which is never
        # sent on; no referrer at all keeps page paths private as well.
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    }
