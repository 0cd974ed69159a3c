"""Response headers every answer of the API carries."""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS = [
    # Responses are data: never sniffed as something else, never framed.
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]
# Answers are JSON: they may load nothing and be framed by no one. GraphiQL's
# page brings a policy of its own (``graph.graphiql``) and keeps it.
DEFAULT_POLICY = (
    b"content-security-policy",
    b"default-src 'none'; frame-ancestors 'none'",
)


class SecurityHeaders:
    """Adds ``SECURITY_HEADERS`` to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), *SECURITY_HEADERS]
                if not any(name.lower() == DEFAULT_POLICY[0] for name, _ in headers):
                    headers.append(DEFAULT_POLICY)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
