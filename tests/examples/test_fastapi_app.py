"""examples/fastapi_app.py against the emulator, in the test's own event loop."""

from __future__ import annotations

import importlib.util
import socket
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from mautic_async import BasicAuth, MauticClient
from mautic_async.testing import MauticEmulator

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "fastapi_app.py"


@pytest.fixture(scope="module")
def example() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("fastapi_app", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fastapi_app"] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules["fastapi_app"]


@pytest.fixture
def app(example: ModuleType) -> Iterator[Any]:
    yield example.app
    example.app.dependency_overrides.clear()


def http_client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://app")


async def test_lifespan_client_against_mautic_url(
    app: Any, mautic_emulator: MauticEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAUTIC_URL", mautic_emulator.url)
    monkeypatch.setenv("MAUTIC_USERNAME", "admin")
    monkeypatch.setenv("MAUTIC_PASSWORD", "secret")
    contact = mautic_emulator.add_contact("ann@example.com")
    async with app.router.lifespan_context(app), http_client(app) as http:
        mautic = app.state.mautic
        created = await http.post("/point-groups", json={"name": "Readers", "description": "R"})
        assert created.status_code == 201
        assert created.json() == {
            "id": 1,
            "name": "Readers",
            "description": "R",
            "is_published": True,
        }
        await http.post("/point-groups", json={"name": "Buyers", "is_published": False})

        listed = await http.get("/point-groups", params={"published_only": "true"})
        assert listed.status_code == 200
        assert listed.json() == {"total": 1, "items": [created.json()]}
        assert (await http.get("/point-groups", params={"limit": 1})).json()["total"] == 2

        url = f"/contacts/{contact}/point-groups/1/score"
        assert (await http.post(url, json={"operator": "plus", "value": 10})).json() == {
            "contact_id": contact,
            "group_id": 1,
            "score": 10,
        }
        adjusted = await http.post(url, json={"operator": "times", "value": 3})
        assert adjusted.json()["score"] == 30
        assert mautic_emulator.scores == {(contact, 1): 30}

        # Every request used the one client from the lifespan.
        assert app.state.mautic is mautic
        assert not mautic.closed
    assert mautic.closed  # and shutdown closed it
    assert {r.headers["Authorization"] for r in mautic_emulator.requests} == {
        "Basic YWRtaW46c2VjcmV0"
    }


async def test_lifespan_without_mautic_url_starts_the_emulator(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MAUTIC_URL", raising=False)
    async with app.router.lifespan_context(app), http_client(app) as http:
        assert app.state.mautic.base_url.startswith("http://127.0.0.1:")
        assert (await http.post("/point-groups", json={"name": "A"})).status_code == 201
        assert (await http.get("/point-groups")).json()["total"] == 1


@pytest.fixture
async def override(
    app: Any, example: ModuleType, mautic_emulator: MauticEmulator
) -> AsyncIterator[MauticClient]:
    """The dependency swapped for a client of our own (no lifespan, no retries)."""
    async with MauticClient(
        mautic_emulator.url, auth=BasicAuth("admin", "secret"), max_retries=0, timeout=0.5
    ) as mautic:
        app.dependency_overrides[example.get_mautic] = lambda: mautic
        yield mautic


async def test_dependency_override(
    app: Any, override: MauticClient, mautic_emulator: MauticEmulator
) -> None:
    mautic_emulator.add_point_group("Seeded")
    async with http_client(app) as http:
        listed = await http.get("/point-groups", params={"search": "Seed"})
    assert listed.json()["items"][0]["name"] == "Seeded"
    assert mautic_emulator.requests[-1].query["search"] == "Seed"


async def test_background_sync_uses_the_app_client(
    app: Any, override: MauticClient, mautic_emulator: MauticEmulator
) -> None:
    async with http_client(app) as http:
        accepted = await http.post("/point-groups/sync", json=["A", "B", "A2"])
    assert (accepted.status_code, accepted.json()) == (202, {"accepted": 3})
    # The ASGI call ends after the background task: the groups exist now.
    assert sorted(g["name"] for g in mautic_emulator.point_groups.values()) == ["A", "A2", "B"]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    ("method", "path", "body", "fault", "status", "detail"),
    [
        ("get", "/point-groups", None, {"status": 429, "retry_after": 7.2}, 503, "rate limit"),
        ("get", "/point-groups", None, {"status": 500}, 502, "Mautic failed to answer properly"),
        ("get", "/point-groups", None, {"status": 502, "html": True}, 502, "failed to answer"),
        ("get", "/point-groups", None, {"delay": 1.0}, 504, "Mautic did not answer in time"),
        ("get", "/point-groups", None, {"drop": "before"}, 502, "Mautic is unreachable"),
        ("post", "/point-groups", {"name": "<b></b>"}, None, 422, "name: A name is required."),
        (
            "post",
            "/contacts/99/point-groups/1/score",
            {"operator": "plus", "value": 1},
            None,
            404,
            "Contact could not be found.",
        ),
    ],
)
async def test_mautic_errors_become_http_answers(
    app: Any,
    override: MauticClient,
    mautic_emulator: MauticEmulator,
    method: str,
    path: str,
    body: Any,
    fault: dict[str, Any] | None,
    status: int,
    detail: str,
) -> None:
    if fault is not None:
        mautic_emulator.faults.add("*", "/api/*", **fault)
    async with http_client(app) as http:
        answer = await http.request(method.upper(), path, json=body)
    assert answer.status_code == status, answer.text
    assert detail in answer.json()["detail"]
    if status == 503:
        assert answer.headers["Retry-After"] == "8"
    if status == 422:
        assert answer.json()["errors"] == {"name": ["A name is required."]}


async def test_refused_credentials_are_a_bad_gateway(
    app: Any, example: ModuleType, mautic_emulator: MauticEmulator
) -> None:
    async with MauticClient(mautic_emulator.url, auth=BasicAuth("admin", "wrong")) as mautic:
        app.dependency_overrides[example.get_mautic] = lambda: mautic
        async with http_client(app) as http:
            answer = await http.get("/point-groups")
    assert (answer.status_code, answer.json()) == (
        502,
        {"detail": "Mautic refused our credentials"},
    )
    assert "wrong" not in answer.text


async def test_unreachable_mautic(app: Any, example: ModuleType) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    async with MauticClient(url, auth=BasicAuth("a", "b"), max_retries=0) as mautic:
        app.dependency_overrides[example.get_mautic] = lambda: mautic
        async with http_client(app) as http:
            answer = await http.get("/point-groups")
    assert (answer.status_code, answer.json()["detail"]) == (502, "Mautic is unreachable")


async def test_input_checks(
    app: Any, override: MauticClient, mautic_emulator: MauticEmulator
) -> None:
    mautic_emulator.add_point_group("G")
    contact = mautic_emulator.add_contact("a@example.com")
    async with http_client(app) as http:
        divide = await http.post(
            f"/contacts/{contact}/point-groups/1/score", json={"operator": "divide", "value": 0}
        )
        empty = await http.post("/point-groups", json={"name": ""})
        operator = await http.post(
            f"/contacts/{contact}/point-groups/1/score", json={"operator": "pow", "value": 2}
        )
    assert (divide.status_code, divide.json()) == (
        422,
        {"detail": "value: cannot divide a score by 0"},
    )
    assert empty.status_code == 422
    assert operator.status_code == 422
    assert len(mautic_emulator.requests) == 0


def field_errors(answer: httpx.Response) -> list[tuple[tuple[str, ...], str]]:
    """FastAPI's 422 body as (location, message) pairs: the field is named."""
    return [(tuple(e["loc"]), e["msg"]) for e in answer.json()["detail"]]


@pytest.mark.parametrize("name", ["   ", "\t\n"])
async def test_a_blank_name_is_a_422_naming_the_field(
    app: Any, override: MauticClient, mautic_emulator: MauticEmulator, name: str
) -> None:
    async with http_client(app) as http:
        answer = await http.post("/point-groups", json={"name": name})
    assert answer.status_code == 422
    assert field_errors(answer) == [(("body", "name"), "Value error, must not be blank")]
    assert len(mautic_emulator.requests) == 0


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/contacts/0/point-groups/1/score", "contact_id"),
        ("/contacts/1/point-groups/0/score", "group_id"),
        ("/contacts/-3/point-groups/1/score", "contact_id"),
    ],
)
async def test_an_id_of_0_is_a_422_naming_the_field(
    app: Any, override: MauticClient, mautic_emulator: MauticEmulator, path: str, field: str
) -> None:
    async with http_client(app) as http:
        answer = await http.post(path, json={"operator": "plus", "value": 1})
    assert answer.status_code == 422
    ((location, message),) = field_errors(answer)
    assert location == ("path", field)
    assert message == "Input should be greater than or equal to 1"
    assert len(mautic_emulator.requests) == 0


async def test_lifespan_reads_oauth2_settings_like_the_cli(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with MauticEmulator(oauth2_clients={"app-client": "app-secret"}) as emulator:
        monkeypatch.setenv("MAUTIC_URL", emulator.url)
        monkeypatch.delenv("MAUTIC_USERNAME", raising=False)
        monkeypatch.delenv("MAUTIC_PASSWORD", raising=False)
        monkeypatch.setenv("MAUTIC_CLIENT_ID", "app-client")
        monkeypatch.setenv("MAUTIC_CLIENT_SECRET", "app-secret")
        async with app.router.lifespan_context(app), http_client(app) as http:
            created = await http.post("/point-groups", json={"name": "Over OAuth2"})
        assert created.status_code == 201
        assert len(emulator.token_requests) == 1
        api = [r for r in emulator.requests if r.path.startswith("/api/")]
        assert [r.method for r in api] == ["POST"]
        assert api[0].headers["Authorization"].startswith("Bearer ")
