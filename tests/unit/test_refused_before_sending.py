"""Values Mautic would refuse (or answer with a generic 500) are refused before
sending, with a ValueError naming the parameter; empty credentials at construction."""

from __future__ import annotations

import pytest
from aioresponses import aioresponses

from mautic_async import BasicAuth, MauticClient, OAuth2ClientCredentials, OAuth2Token


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: BasicAuth("", ""), "BasicAuth: username must not be empty"),
        (lambda: BasicAuth("admin", ""), "BasicAuth: password must not be empty"),
        (lambda: BasicAuth("", "secret"), "BasicAuth: username must not be empty"),
        (
            lambda: OAuth2ClientCredentials("", "s"),
            "OAuth2ClientCredentials: client_id must not be empty",
        ),
        (
            lambda: OAuth2ClientCredentials("id", ""),
            "OAuth2ClientCredentials: client_secret must not be empty",
        ),
        (
            lambda: OAuth2Token("id", "s", refresh_token=""),
            "OAuth2Token: refresh_token must be a non-empty str",
        ),
        (
            lambda: OAuth2Token("id", "s", access_token="", refresh_token="r"),
            "OAuth2Token: access_token must be a non-empty str or None",
        ),
        (lambda: OAuth2Token("", "s", refresh_token="r"), "OAuth2Token: client_id must not"),
    ],
)
def test_empty_credentials_are_refused_at_construction(make: object, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}"):
        make()  # type: ignore[operator]


@pytest.mark.parametrize("column", ["nmae", "email", "points", "pl.nmae", ["name", "bogus"]])
async def test_an_unknown_order_by_column_is_refused(
    client: MauticClient, mock_http: aioresponses, column: object
) -> None:
    with pytest.raises(ValueError, match=r"^order_by: '.*' is not a field Mautic can sort by"):
        await client.point_groups.list(order_by=column)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"use one of .*dateAdded, .*name"):
        async for _ in client.point_groups.iterate(order_by=column):  # type: ignore[arg-type]
            pass
    assert mock_http.requests == {}


@pytest.mark.parametrize(
    ("column", "sent"),
    [
        ("name", "name"),
        ("date_added", "dateAdded"),
        ("isPublished", "isPublished"),
        ("id", "id"),
        ("pl.date_added", "pl.dateAdded"),
    ],
)
def test_the_entity_columns_are_accepted(client: MauticClient, column: str, sent: str) -> None:
    assert ("orderBy", sent) in client.point_groups.list_request(order_by=column).params
