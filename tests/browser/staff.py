"""The staff API of the running stack, signed in as the demo admin: where the
browser tests check what a client's action changed for the business."""

from dataclasses import dataclass
from typing import Any

import httpx

from tests.browser.servers import Stack

ADMIN = ("admin@demo.haulgraph.test", "haulgraph-demo")
SIGN_IN = """
mutation SignIn($email: String!, $password: String!) {
  signIn(input: {email: $email, password: $password}) { accessToken }
}
"""
CLIENT_BY_EMAIL = """
query ClientByEmail($email: String!) {
  clients(first: 1, filter: {search: $email}) { nodes { id displayName } }
}
"""


@dataclass
class StaffApi:
    url: str
    token: str

    async def run(self, document: str, variables: dict[str, Any] | None = None) -> Any:
        async with httpx.AsyncClient(timeout=30) as http:
            response = await http.post(
                self.url,
                json={"query": document, "variables": variables or {}},
                headers={"Authorization": f"Bearer {self.token}"},
            )
        body = response.json()
        assert "errors" not in body, body
        return body["data"]

    async def client_id(self, email: str) -> str:
        data = await self.run(CLIENT_BY_EMAIL, {"email": email})
        (client,) = data["clients"]["nodes"]
        return str(client["id"])


async def staff_api(stack: Stack) -> StaffApi:
    url = f"{stack.api.url}/graphql"
    email, password = ADMIN
    variables = {"email": email, "password": password}
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(url, json={"query": SIGN_IN, "variables": variables})
    token = response.json()["data"]["signIn"]["accessToken"]
    assert token, response.text
    return StaffApi(url, token)
