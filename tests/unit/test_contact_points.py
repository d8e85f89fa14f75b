"""A contact's main points (``/api/contacts/{id}/points/{op}/{delta}``), answers faked
(mautic-points-api.md §4), and the score operations declared once."""

from __future__ import annotations

from typing import Any

import pytest
from aioresponses import aioresponses

from mautic_async import MauticClient, NotFoundError, UnexpectedResponseError, ValidationError
from mautic_async.resources.contacts import ContactPointGroupScores

from .conftest import API, only_call

POINTS = API + "contacts/3/points"


async def test_add_points(client: MauticClient, mock_http: aioresponses) -> None:
    mock_http.post(f"{POINTS}/plus/5", payload={"success": 1})
    assert await client.contacts.add_points(3, 5) is None
    call = only_call(mock_http)
    assert (call.method, call.path, call.body) == ("POST", "/api/contacts/3/points/plus/5", None)


async def test_subtract_points_with_log_texts(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.post(f"{POINTS}/minus/2", payload={"success": 1})
    await client.contacts.subtract_points(3, 2, event_name="Refund", action_name="Shop")
    assert only_call(mock_http).json == {"eventName": "Refund", "actionName": "Shop"}


@pytest.mark.parametrize("operator", ["plus", "minus", "times", "divide"])
async def test_adjust_points_operators(
    client: MauticClient, mock_http: aioresponses, operator: Any
) -> None:
    mock_http.post(f"{POINTS}/{operator}/3", payload={"success": 1})
    await client.contacts.adjust_points(3, operator, 3)
    assert only_call(mock_http).path == f"/api/contacts/3/points/{operator}/3"


async def test_set_is_refused_before_sending(client: MauticClient, mock_http: aioresponses) -> None:
    with pytest.raises(ValueError, match="no 'set' operator"):
        await client.contacts.adjust_points(3, "set", 5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="operator must be one of plus, minus, times, divide"):
        await client.contacts.adjust_points(3, "pow", 5)  # type: ignore[arg-type]
    assert not mock_http.requests


async def test_delta_zero_sends_nothing(client: MauticClient, mock_http: aioresponses) -> None:
    await client.contacts.add_points(3, 0)
    await client.contacts.adjust_points(3, "divide", 0)
    assert not mock_http.requests


@pytest.mark.parametrize(
    ("args", "error"),
    [((0, 5), ValueError), (("3", 5), TypeError), ((3, "5"), TypeError), ((3, True), TypeError)],
)
async def test_bad_ids_and_deltas(
    client: MauticClient, mock_http: aioresponses, args: Any, error: type
) -> None:
    with pytest.raises(error):
        await client.contacts.add_points(*args)
    assert not mock_http.requests


async def test_missing_contact_carries_mauticss_message(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.post(
        API + "contacts/99/points/plus/5",
        status=404,
        payload={"errors": [{"code": 404, "message": "Contact not found.", "details": []}]},
    )
    with pytest.raises(NotFoundError, match=r"Contact not found\."):
        await client.contacts.add_points(99, 5)


async def test_invalid_operator_answer_is_a_validation_error(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.post(
        f"{POINTS}/times/5",
        status=400,
        payload={"errors": [{"code": 400, "message": "Invalid operator", "details": []}]},
    )
    with pytest.raises(ValidationError, match="Invalid operator"):
        await client.contacts.adjust_points(3, "times", 5)


async def test_an_answer_without_success_is_unexpected(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.post(f"{POINTS}/plus/5", payload={"success": 0})
    with pytest.raises(UnexpectedResponseError, match="success"):
        await client.contacts.add_points(3, 5)


def test_score_operations_are_one_declaration_with_docs() -> None:
    for name in ("plus", "minus", "times", "divide", "set"):
        operation = ContactPointGroupScores.__dict__[name]
        assert operation.operator == name
        assert operation.__doc__
