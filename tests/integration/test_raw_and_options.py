"""``with_raw_response`` and the per-call options, over real HTTP to the emulator."""

from __future__ import annotations

import json

import pytest

from mautic_async import (
    APIResponse,
    APITimeoutError,
    BatchResult,
    GroupScore,
    MauticClient,
    NotFoundError,
    Page,
    PointGroup,
    UnexpectedResponseError,
)
from mautic_async.testing import MauticEmulator

from .conftest import FakeSleep


async def test_raw_get_has_status_headers_url_content_and_parses_like_get(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    made = await mautic.point_groups.create({"name": "Raw", "is_published": True})
    response = await mautic.point_groups.with_raw_response.get(made.id)
    assert isinstance(response, APIResponse)
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["CONTENT-TYPE"] == response.headers["Content-Type"]
    assert "Mautic-Version" in response.headers
    assert response.url == f"{emulator.url}/api/points/groups/{made.id}"
    assert json.loads(response.content)["pointGroup"]["name"] == "Raw"
    group = response.parse()
    assert group == await mautic.point_groups.get(made.id)
    assert response.parse() is group  # parsed once
    assert repr(response) == f"<APIResponse [200] GET {response.url}>"


async def test_every_one_request_verb_has_a_raw_form(mautic: MauticClient) -> None:
    raw = mautic.point_groups.with_raw_response
    created = await raw.create({"name": "A"})
    assert created.status == 201
    group = created.parse()
    assert isinstance(group, PointGroup)
    assert (await raw.edit(group.id, {"description": "d"})).parse().description == "d"
    assert (await raw.replace(group.id, {"name": "B"})).parse().name == "B"
    page = await raw.list(search="B")
    assert page.status == 200
    assert isinstance(page.parse(), Page)
    assert [g.id for g in page.parse()] == [group.id]
    batch = await raw.create_batch([{"name": "C"}, {"name": "D"}])
    assert batch.status == 201
    made = batch.parse()
    assert isinstance(made, BatchResult)
    ids = [g.id for g in made.succeeded]
    assert len(ids) == 2
    edited = await raw.edit_batch([{"id": ids[0], "name": "C2"}])
    assert [g.name for g in edited.parse().succeeded] == ["C2"]
    replaced = await raw.replace_batch([{"id": ids[1], "name": "D2"}])
    assert [g.name for g in replaced.parse().succeeded] == ["D2"]
    deleted = await raw.delete_batch(ids)
    assert sorted(g.id for g in deleted.parse().succeeded) == sorted(ids)
    gone = await raw.delete(group.id)
    assert (gone.status, gone.parse().id) == (200, group.id)


async def test_raw_forms_of_contact_scores(mautic: MauticClient) -> None:
    group = await mautic.point_groups.create({"name": "Scored"})
    contact = await mautic.contacts.create({"email": "raw@example.com"})
    assert (await mautic.contacts.with_raw_response.get(contact.id)).parse().id == contact.id
    scores = mautic.contacts.point_group_scores(contact.id)
    raw = scores.with_raw_response
    none_yet = await raw.get(group.id)
    assert (none_yet.status, none_yet.content, none_yet.parse()) == (200, b"[]", None)
    plus = await raw.plus(group.id, 5)
    assert plus.status == 200
    assert plus.parse() == GroupScore(5, plus.parse().group)
    for adjust in (raw.times, raw.minus, raw.divide, raw.set):
        assert (await adjust(group.id, 1)).status == 200
    assert (await raw.adjust(group.id, "plus", 2)).parse().score == 3
    listed = await raw.list()
    assert [s.score for s in listed.parse()] == [3]


async def test_a_raw_call_still_raises_on_an_error_status(mautic: MauticClient) -> None:
    with pytest.raises(NotFoundError):
        await mautic.point_groups.with_raw_response.get(999)


async def test_parse_of_a_misshapen_body_raises_unexpected_response(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    made = await mautic.point_groups.create({"name": "A"})
    emulator.faults.add("GET", f"/api/points/groups/{made.id}", status=200, body={"x": 1})
    response = await mautic.point_groups.with_raw_response.get(made.id)
    assert response.status == 200
    with pytest.raises(UnexpectedResponseError, match="key 'pointGroup'"):
        response.parse()


async def test_an_empty_batch_has_no_raw_form(mautic: MauticClient) -> None:
    with pytest.raises(ValueError, match="sends no request"):
        await mautic.point_groups.with_raw_response.create_batch([])
    with pytest.raises(ValueError, match="sends no request"):
        await mautic.point_groups.with_raw_response.delete_batch([])
    assert (await mautic.point_groups.create_batch([])).items == ()


async def test_a_missing_required_key_names_the_key_and_the_endpoint(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    made = await mautic.point_groups.create({"name": "A"})
    body = {"pointGroup": {"id": made.id, "name": "A", "isPublished": True}}
    emulator.faults.add("GET", f"/api/points/groups/{made.id}", status=200, body=body)
    with pytest.raises(UnexpectedResponseError) as caught:
        await mautic.point_groups.get(made.id)
    assert str(caught.value).startswith(
        f"GET /api/points/groups/{made.id}: cannot read PointGroup: "
        "required key 'dateAdded' is missing"
    )


# -- per-call options --------------------------------------------------------------------


async def test_extra_headers_and_query_go_with_the_one_request(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    made = await mautic.point_groups.create(
        {"name": "A"}, extra_headers={"X-Trace": "t1"}, extra_query={"tag": "x"}
    )
    sent = emulator.requests[-1]
    assert (sent.headers["X-Trace"], sent.query["tag"]) == ("t1", "x")
    assert sent.headers["Content-Type"] == "application/json"
    await mautic.point_groups.get(made.id)
    assert "X-Trace" not in emulator.requests[-1].headers  # only that call
    assert "tag" not in emulator.requests[-1].query


async def test_extra_query_wins_over_the_calls_own_parameters(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    await mautic.point_groups.create_batch([{"name": n} for n in "ABC"])
    page = await mautic.point_groups.list(limit=1, extra_query={"limit": 2})
    assert len(page) == 2
    assert emulator.requests[-1].query.getall("limit") == ["1", "2"]


async def test_options_reach_every_request_of_iterate_and_sync(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    await mautic.point_groups.create_batch([{"name": n} for n in "ABCDE"])
    emulator.requests.clear()
    names = [
        g.name
        async for g in mautic.point_groups.iterate(
            page_size=2, extra_headers={"X-Job": "scan"}, extra_query={"job": "1"}
        )
    ]
    assert names == list("ABCDE")
    assert len(emulator.requests) == 3
    assert all(r.headers["X-Job"] == "scan" and r.query["job"] == "1" for r in emulator.requests)

    emulator.requests.clear()
    report = await mautic.point_groups.sync(
        [{"name": "A"}, {"name": "F"}], extra_headers={"X-Job": "sync"}
    )
    assert report.counts()["created"] == 1
    assert len(emulator.requests) >= 2
    assert all(r.headers["X-Job"] == "sync" for r in emulator.requests)


async def test_options_on_score_calls(mautic: MauticClient, emulator: MauticEmulator) -> None:
    group = await mautic.point_groups.create({"name": "G"})
    contact = await mautic.contacts.create({"email": "o@example.com"})
    scores = mautic.contacts.point_group_scores(contact.id)
    await scores.plus(group.id, 2, extra_headers={"X-Why": "bonus"}, timeout=5)
    assert emulator.requests[-1].headers["X-Why"] == "bonus"
    await scores.list(extra_query={"a": "b"})
    assert emulator.requests[-1].query["a"] == "b"


async def test_retries_resend_the_extra_headers(
    mautic: MauticClient, emulator: MauticEmulator, fake_sleep: FakeSleep
) -> None:
    made = await mautic.point_groups.create({"name": "A"})
    emulator.faults.add("GET", f"/api/points/groups/{made.id}", status=503, times=2)
    emulator.requests.clear()
    got = await mautic.point_groups.get(made.id, extra_headers={"X-Trace": "again"})
    assert got.id == made.id
    assert len(fake_sleep.delays) == 2
    assert [r.headers.get("X-Trace") for r in emulator.requests] == ["again"] * 3


async def test_a_per_call_timeout_applies(mautic: MauticClient, emulator: MauticEmulator) -> None:
    made = await mautic.point_groups.create({"name": "A"})
    emulator.faults.add("GET", f"/api/points/groups/{made.id}", delay=1.0)
    with pytest.raises(APITimeoutError):
        await mautic.with_options(max_retries=0).point_groups.get(made.id, timeout=0.05)


@pytest.mark.parametrize("name", ["Authorization", "content-type", "AUTHORIZATION"])
async def test_extra_headers_may_not_replace_auth_or_content_type(
    mautic: MauticClient, emulator: MauticEmulator, name: str
) -> None:
    before = len(emulator.requests)
    with pytest.raises(ValueError, match=f"extra_headers may not set '{name}'"):
        await mautic.point_groups.get(1, extra_headers={name: "x"})
    with pytest.raises(ValueError, match="may not set"):
        await mautic.point_groups.with_raw_response.list(extra_headers={name: "x"})
    with pytest.raises(ValueError, match="may not set"):
        async for _ in mautic.point_groups.iterate(extra_headers={name: "x"}):
            pass
    assert len(emulator.requests) == before  # nothing was sent
