"""Errors callers can branch on: a GraphQL error with ``extensions.code``."""

from graphql import GraphQLError


class Unauthenticated(GraphQLError):
    def __init__(self) -> None:
        super().__init__(
            "Sign in first: send `Authorization: Bearer <token>`.",
            extensions={"code": "UNAUTHENTICATED"},
        )


class Forbidden(GraphQLError):
    def __init__(self, permission: str) -> None:
        super().__init__(
            f"You need the `{permission}` permission for this field; "
            "ask an admin of your account.",
            extensions={"code": "FORBIDDEN", "permission": permission},
        )


class NotFound(GraphQLError):
    def __init__(self, what: str = "record") -> None:
        super().__init__(
            f"No {what} with that ID exists.", extensions={"code": "NOT_FOUND"}
        )


class OnHold(GraphQLError):
    def __init__(self) -> None:
        super().__init__(
            "Your account is on hold: you can see why, pay what is due and update "
            "your payment methods. Contact the business to lift the hold.",
            extensions={"code": "ON_HOLD"},
        )
