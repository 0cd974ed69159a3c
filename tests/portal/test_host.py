"""The dashboard host in-process: its shell, headers, modules and operations."""

import ast
import json
import re
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from portal_host import PortalConfig, create_portal_app
from portal_host.operations import (
    OPERATIONS_DIR,
    OperationsError,
    operation_ids,
    operation_name,
)
from portal_host.security import content_security_policy, origin_of

PORTAL = Path(__file__).resolve().parents[2] / "portal_host"
API = "https://api.example.com:8443"
API_PACKAGES = {"graph", "domain", "persistence"}
Script = tuple[dict[str, str | None], str]


class Scripts(HTMLParser):
    """Every <script> of a page: its attributes and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[Script] = []
        self.is_inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.is_inside = True
            self.found.append((dict(attrs), ""))

    def handle_data(self, data: str) -> None:
        if self.is_inside:
            attributes, text = self.found[-1]
            self.found[-1] = (attributes, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.is_inside = False


@pytest.fixture
async def host() -> AsyncIterator[httpx.AsyncClient]:
    app = create_portal_app(PortalConfig(api_url=API))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


def scripts_of(html: str) -> list[Script]:
    parser = Scripts()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("path", ["/", "/estimates", "/invoices/SW52b2ljZTph", "/x/y"])
async def test_every_page_path_answers_the_shell(
    host: httpx.AsyncClient, path: str
) -> None:
    response = await host.get(path)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-store"
    assert '<main id="main"' in response.text


async def test_the_shell_carries_the_api_address_and_operation_ids(
    host: httpx.AsyncClient,
) -> None:
    response = await host.get("/")

    configs = [
        text
        for attributes, text in scripts_of(response.text)
        if attributes.get("type") == "application/json"
    ]
    assert len(configs) == 1
    assert json.loads(configs[0]) == {
        "graphqlUrl": f"{API}/dashboard/graphql",
        "operations": operation_ids(),
    }


async def test_the_shell_runs_no_inline_script(host: httpx.AsyncClient) -> None:
    response = await host.get("/")

    runnable = [
        (attributes, text)
        for attributes, text in scripts_of(response.text)
        if attributes.get("type") in (None, "module", "text/javascript")
    ]
    assert [attributes.get("src") for attributes, _ in runnable] == ["/static/app.js"]
    assert [text.strip() for _, text in runnable] == [""]


async def test_answers_carry_a_strict_content_security_policy(
    host: httpx.AsyncClient,
) -> None:
    for path in ("/", "/static/app.js", "/healthz"):
        response = await host.get(path)
        policy = dict(
            directive.strip().split(" ", 1)
            for directive in response.headers["content-security-policy"].split(";")
        )

        assert policy["default-src"] == "'none'"
        assert policy["script-src"] == "'self'"
        assert policy["connect-src"] == API
        assert policy["frame-ancestors"] == "'none'"
        assert policy["base-uri"] == "'none'"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"


async def test_modules_are_served_as_javascript_and_revalidated(
    host: httpx.AsyncClient,
) -> None:
    response = await host.get("/static/app.js")

    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]
    assert response.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("path", ["/favicon.ico", "/static/missing.js", "/robots.txt"])
async def test_a_missing_file_is_not_found_not_the_shell(
    host: httpx.AsyncClient, path: str
) -> None:
    response = await host.get(path)

    assert response.status_code == 404


def operations_the_app_runs() -> set[str]:
    """Names passed to ``api.run`` or ``api.mutate`` anywhere in the modules."""
    calls = re.compile(r"\.(?:run|mutate)\(\s*'([A-Za-z_]\w*)'")
    return {
        name
        for path in (PORTAL / "static").rglob("*.js")
        for name in calls.findall(path.read_text("utf-8"))
    }


def test_the_app_sends_only_registered_operations_and_uses_them_all() -> None:
    assert operations_the_app_runs() == set(operation_ids())


def test_each_operation_file_is_named_after_its_operation() -> None:
    for path in OPERATIONS_DIR.glob("*.graphql"):
        assert operation_name(path.read_text("utf-8")) == path.stem


def test_a_document_must_hold_exactly_one_named_operation() -> None:
    with pytest.raises(OperationsError):
        operation_name("query A { viewer { isStaffPreview } }\nquery B { x }")
    with pytest.raises(OperationsError):
        operation_name("{ viewer { isStaffPreview } }")


def test_two_documents_of_one_name_are_refused(tmp_path: Path) -> None:
    manifest = {"sha256:a": "query Same { a }", "sha256:b": "query Same { b }"}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))

    with pytest.raises(OperationsError):
        operation_ids(tmp_path)


def test_the_api_address_must_be_absolute() -> None:
    assert origin_of("http://127.0.0.1:8000/some/path") == "http://127.0.0.1:8000"
    with pytest.raises(ValueError, match="absolute URL"):
        origin_of("/dashboard/graphql")
    assert "connect-src http://a.test;" in content_security_policy("http://a.test")


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names.append(node.module or "")
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    return names


def test_the_host_imports_nothing_from_the_api() -> None:
    for path in PORTAL.rglob("*.py"):
        roots = {name.split(".")[0] for name in imported_modules(path)}

        assert not roots & API_PACKAGES, path
