"""A contact's point-group scores (mautic-api.md section 2)."""

from __future__ import annotations

from typing import Any

import pytest
from aioresponses import aioresponses

from mautic_async import GroupScore, MauticClient, NotFoundError, ScoreGroup, ServerError

from .conftest import API, only_call

SCORES = API + "contacts/3/points/groups"


def score_json(score: Any = 16, **group: Any) -> dict[str, Any]:
    return {"score": score, "group": {"id": 1, "name": "Group A", **group}}


async def test_list(client: MauticClient, mock_http: aioresponses) -> None:
    mock_http.get(
        SCORES,
        payload={
            "total": 2,
            "groupScores": [
                score_json(16, description=""),
                {"score": 21, "group": {"id": 2, "name": "Group B"}},
            ],
        },
    )
    scores = await client.contacts.point_group_scores(3).list()
    assert scores == [
        GroupScore(16, ScoreGroup(id=1, name="Group A", description="")),
        GroupScore(21, ScoreGroup(id=2, name="Group B")),
    ]
    call = only_call(mock_http)
    assert (call.method, str(call.url)) == ("GET", SCORES)


async def test_list_of_a_contact_without_scores(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.get(SCORES, payload={"total": 0, "groupScores": []})
    assert await client.contacts.point_group_scores(3).list() == []


async def test_get(client: MauticClient, mock_http: aioresponses) -> None:
    mock_http.get(f"{SCORES}/1", payload={"groupScore": score_json("16")})
    score = await client.contacts.point_group_scores(3).get(1)
    assert score == GroupScore(16, ScoreGroup(id=1, name="Group A"))
    assert str(only_call(mock_http).url) == f"{SCORES}/1"


async def test_get_without_a_score_yet_is_none(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.get(f"{SCORES}/1", body="[]")
    assert await client.contacts.point_group_scores(3).get(1) is None


async def test_get_of_a_missing_group_is_not_found(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.get(
        f"{SCORES}/9",
        status=404,
        payload={
            "errors": [
                {
                    "code": 404,
                    "message": "The specified point group was not found.",
                    "details": [],
                    "type": None,
                }
            ]
        },
    )
    with pytest.raises(NotFoundError) as caught:
        await client.contacts.point_group_scores(3).get(9)
    assert caught.value.message == "The specified point group was not found."
    assert caught.value.path == "/api/contacts/3/points/groups/9"


@pytest.mark.parametrize("operator", ["plus", "minus", "times", "set"])
@pytest.mark.parametrize("value", [2, -5])
async def test_each_adjustment_posts_operator_and_value(
    client: MauticClient, mock_http: aioresponses, operator: str, value: int
) -> None:
    mock_http.post(f"{SCORES}/1/{operator}/{value}", payload={"groupScore": score_json(8)})
    scores = client.contacts.point_group_scores(3)
    result = await getattr(scores, operator)(1, value)
    assert result.score == 8
    call = only_call(mock_http)
    assert (call.method, str(call.url), call.body) == (
        "POST",
        f"{SCORES}/1/{operator}/{value}",
        None,
    )
    assert "Content-Type" not in call.headers


@pytest.mark.parametrize("value", [2, -5])
async def test_divide_reads_the_score_then_posts(
    client: MauticClient, mock_http: aioresponses, value: int
) -> None:
    mock_http.get(f"{SCORES}/1", payload={"groupScore": score_json(10)})
    mock_http.post(f"{SCORES}/1/divide/{value}", payload={"groupScore": score_json(10 // value)})
    result = await client.contacts.point_group_scores(3).divide(1, value)
    assert result.score == 10 // value
    assert [(method, str(url)) for method, url in mock_http.requests] == [
        ("GET", f"{SCORES}/1"),
        ("POST", f"{SCORES}/1/divide/{value}"),
    ]


@pytest.mark.parametrize(("score", "value"), [(5, 2), (-7, 2), (7, -2), (1, 3)])
async def test_divide_with_a_remainder_is_refused_before_posting(
    client: MauticClient, mock_http: aioresponses, score: int, value: int
) -> None:
    mock_http.get(f"{SCORES}/1", payload={"groupScore": score_json(score)})
    with pytest.raises(ValueError, match=rf"^value: .* is {score}, which {value} does not divide"):
        await client.contacts.point_group_scores(3).divide(1, value)
    assert [method for method, _url in mock_http.requests] == ["GET"]


async def test_divide_of_no_score_yet_is_sent(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.get(f"{SCORES}/1", payload=[])  # no score: Mautic starts from 0
    mock_http.post(f"{SCORES}/1/divide/3", payload={"groupScore": score_json(0)})
    assert (await client.contacts.point_group_scores(3).divide(1, 3)).score == 0


@pytest.mark.parametrize(
    ("names", "body"),
    [
        ({"event_name": "Webinar"}, {"eventName": "Webinar"}),
        ({"action_name": "Attended"}, {"actionName": "Attended"}),
        (
            {"event_name": "Webinar", "action_name": "Attended <b>"},
            {"eventName": "Webinar", "actionName": "Attended <b>"},
        ),
    ],
)
async def test_adjustment_sends_event_and_action_names(
    client: MauticClient, mock_http: aioresponses, names: dict[str, str], body: dict[str, str]
) -> None:
    mock_http.post(f"{SCORES}/1/plus/10", payload={"groupScore": score_json(10)})
    result = await client.contacts.point_group_scores(3).plus(1, 10, **names)
    assert result.score == 10
    call = only_call(mock_http)
    assert call.json == body
    assert call.headers["Content-Type"] == "application/json"


async def test_adjust_with_an_operator_argument(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.post(f"{SCORES}/4/set/21", payload={"groupScore": score_json(21, id=4)})
    result = await client.contacts.point_group_scores(3).adjust(4, "set", 21, event_name="E")
    assert result == GroupScore(21, ScoreGroup(id=4, name="Group A"))
    assert only_call(mock_http).json == {"eventName": "E"}


async def test_an_adjustment_is_not_retried_after_a_500(
    client: MauticClient, mock_http: aioresponses
) -> None:
    # A POST with an unknown outcome is never repeated: plus would add twice.
    mock_http.post(f"{SCORES}/1/plus/10", status=500, payload={"errors": []}, repeat=True)
    with pytest.raises(ServerError):
        await client.contacts.point_group_scores(3).plus(1, 10)
    assert only_call(mock_http).method == "POST"


def test_scores_repr_and_contact_id() -> None:
    scores = MauticClient("https://mautic.example.com").contacts.point_group_scores(3)
    assert scores.contact_id == 3
    assert repr(scores) == "<ContactPointGroupScores contact_id=3>"


# -- the Contacts resource itself (data is a plain mapping of field aliases) ----------------

CONTACTS = API + "contacts"
CONTACT = {"id": 3, "points": 0, "dateAdded": "2024-10-24T15:54:35+00:00", "dateModified": None}


async def test_contact_create_sends_the_mapping_as_given(
    client: MauticClient, mock_http: aioresponses
) -> None:
    answer = {"contact": {**CONTACT, "fields": {"all": {"email": "a@example.com"}}}}
    mock_http.post(f"{CONTACTS}/new", status=201, payload=answer)
    contact = await client.contacts.create({"email": "a@example.com", "firstname": "Ann"})
    assert (contact.id, contact.points, contact.email) == (3, 0, "a@example.com")
    assert only_call(mock_http).json == {"email": "a@example.com", "firstname": "Ann"}


async def test_contact_list_is_id_keyed(client: MauticClient, mock_http: aioresponses) -> None:
    contacts = {
        "7": {**CONTACT, "id": 7, "fields": []},
        "3": {**CONTACT, "id": "3", "fields": {"all": {}}},
    }
    mock_http.get(CONTACTS, payload={"total": "2", "contacts": contacts})
    page = await client.contacts.list()
    assert (page.total, [c.id for c in page]) == (2, [7, 3])


async def test_contact_data_must_be_a_mapping(
    client: MauticClient, mock_http: aioresponses
) -> None:
    with pytest.raises(TypeError, match="data must be a mapping, not list"):
        await client.contacts.create([("email", "a@example.com")])  # type: ignore[arg-type]
    assert mock_http.requests == {}
