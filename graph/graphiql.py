"""GraphiQL under a strict Content-Security-Policy.

The page loads React and GraphiQL from a CDN (pinned versions, with
subresource integrity) and carries inline scripts and styles of its own.
Each page gets a fresh nonce on every inline and external tag, and the
policy allows exactly those tags plus the CDN files the page names, its
own origin for queries, and nothing else: no other script, frame, form or
plugin, wherever it came from.
"""

import re
import secrets

from starlette.responses import HTMLResponse

OPENING_TAG = re.compile(r"<(script|style|link)\b")
SCRIPT_FILE = re.compile(r'<script\b[^>]*?\bsrc="(https://[^"]+)"', re.DOTALL)
STYLE_FILE = re.compile(r'<link\b[^>]*?\bhref="(https://[^"]+)"', re.DOTALL)


def content_security_policy(nonce: str, html: str) -> str:
    scripts = " ".join(sorted(set(SCRIPT_FILE.findall(html))))
    styles = " ".join(sorted(set(STYLE_FILE.findall(html))))
    directives = [
        "default-src 'none'",
        f"script-src 'nonce-{nonce}' {scripts}",
        f"style-src 'nonce-{nonce}' {styles}",
        # GraphiQL's editor positions itself with style attributes.
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


def graphiql_page(html: str) -> HTMLResponse:
    """The page with a nonce on each tag and the policy that allows only them."""
    nonce = secrets.token_urlsafe(18)
    page = OPENING_TAG.sub(lambda match: f'{match.group(0)} nonce="{nonce}"', html)
    headers = {
        "Content-Security-Policy": content_security_policy(nonce, html),
        "Cache-Control": "no-store",
    }
    return HTMLResponse(page, headers=headers)
