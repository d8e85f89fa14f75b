"""List parameters of GET /api/points/groups (spec section 3)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from mautic_async.testing import MauticEmulator

from ._helpers import GENERIC_500_BODY, Api


@pytest.fixture
def seeded(emu: MauticEmulator) -> MauticEmulator:
    """Five groups: ids 1..5."""
    emu.add_point_group("Alpha", "first")
    emu.add_point_group("beta", None, is_published=False)
    emu.add_point_group("Gamma & Co", "third")
    emu.add_point_group("alphabet", "fourth")
    emu.add_point_group("Épsilon", "")
    return emu


async def ids(api: Api, query: str) -> tuple[int, list[int]]:
    reply = await api("GET", "/api/points/groups?" + query)
    assert reply.status == 200, reply.raw
    return reply.json["total"], [g["id"] for g in reply.json["pointGroups"]]


async def status(api: Api, query: str) -> int:
    reply = await api("GET", "/api/points/groups?" + query)
    if reply.status == 500:
        assert reply.json == GENERIC_500_BODY
        assert "Mautic-Version" not in reply.headers
    return reply.status


@pytest.mark.usefixtures("seeded")
async def test_search_matches_name_case_insensitively(api: Api) -> None:
    assert await ids(api, "search=ALPHA") == (2, [1, 4])
    assert await ids(api, "search=first") == (0, [])  # description is not searched
    assert await ids(api, "search=epsilon") == (1, [5])  # accent-insensitive collation
    assert await ids(api, "search=" + "alpha%25bet") == (1, [4])  # % used as given
    assert await ids(api, "search=!alpha") == (3, [2, 3, 5])
    assert await ids(api, "search=beta OR gamma") == (2, [2, 3])


@pytest.mark.usefixtures("seeded")
async def test_search_ids_command_and_unknown_commands(api: Api) -> None:
    assert await ids(api, "search=ids:1,3,99") == (2, [1, 3])
    assert await ids(api, "search=is:published") == (0, [])


@pytest.mark.usefixtures("seeded")
async def test_limit_start_and_total(api: Api) -> None:
    assert await ids(api, "limit=2") == (5, [1, 2])
    assert await ids(api, "limit=2&start=2") == (5, [3, 4])
    assert await ids(api, "start=2") == (5, [3, 4, 5])  # default limit 30 applies
    assert await ids(api, "limit=0&start=3") == (5, [1, 2, 3, 4, 5])  # start needs a limit
    assert await ids(api, "limit=") == (5, [1, 2, 3, 4, 5])
    assert await status(api, "limit=-1") == 500
    assert await status(api, "limit=abc") == 500


async def test_default_limit_is_30(api: Api, emu: MauticEmulator) -> None:
    for n in range(35):
        emu.add_point_group(f"G{n}")
    total, found = await ids(api, "")
    assert (total, len(found)) == (35, 30)


@pytest.mark.usefixtures("seeded")
async def test_order_by_and_direction(api: Api) -> None:
    assert (await ids(api, "orderBy=name"))[1] == [1, 4, 2, 5, 3]
    assert (await ids(api, "orderBy=name&orderByDir=desc"))[1] == [3, 5, 2, 4, 1]
    assert (await ids(api, "orderBy=isPublished,id&orderByDir=DESC"))[1] == [5, 4, 3, 1, 2]
    assert (await ids(api, "orderBy=pl.description"))[1] == [2, 5, 1, 4, 3]
    assert await status(api, "orderBy=nope") == 500
    assert await status(api, "orderBy=x.name") == 500
    assert await status(api, "orderBy=name&orderByDir=sideways") == 500


@pytest.mark.usefixtures("seeded")
async def test_order_array_overrides_order_by(api: Api) -> None:
    query = "orderBy=id&order[0][col]=name&order[0][dir]=desc"
    assert (await ids(api, query))[1] == [3, 5, 2, 4, 1]
    assert await status(api, "order[0][dir]=asc") == 500


@pytest.mark.usefixtures("seeded")
async def test_published_filter_and_where_quirk(api: Api) -> None:
    assert await ids(api, "published=1") == (4, [1, 3, 4, 5])
    assert await ids(api, "published=0") == (5, [1, 2, 3, 4, 5])
    assert await ids(api, "publishedOnly=1") == (5, [1, 2, 3, 4, 5])
    # a non-empty where disables the forced published filter
    where = "where[0][col]=id&where[0][expr]=lte&where[0][val]=2"
    assert await ids(api, "published=1&" + where) == (2, [1, 2])
    # minimal has no visible effect
    full = await api("GET", "/api/points/groups")
    minimal = await api("GET", "/api/points/groups?minimal=1")
    assert minimal.json == full.json


def where(*clauses: dict[str, str]) -> str:
    pairs = [
        (f"where[{i}][{key}]", value)
        for i, clause in enumerate(clauses)
        for key, value in clause.items()
    ]
    return urlencode(pairs)


@pytest.mark.usefixtures("seeded")
async def test_where_comparisons(api: Api) -> None:
    cases = [
        ({"col": "id", "expr": "eq", "val": "2"}, [2]),
        ({"col": "id", "expr": "neq", "val": "2"}, [1, 3, 4, 5]),
        ({"col": "id", "expr": "lt", "val": "2"}, [1]),
        ({"col": "id", "expr": "lte", "val": "2"}, [1, 2]),
        ({"col": "id", "expr": "gt", "val": "4"}, [5]),
        ({"col": "id", "expr": "gte", "val": "4"}, [4, 5]),
        ({"column": "name", "expr": "eq", "value": "ALPHA"}, [1]),
        ({"col": "name", "expr": "like", "val": "alpha%"}, [1, 4]),
        ({"col": "name", "expr": "notLike", "val": "%a"}, [3, 4, 5]),
        ({"col": "id", "expr": "in", "val": "1,3,9"}, [1, 3]),
        ({"col": "id", "expr": "notIn", "val": "1,3"}, [2, 4, 5]),
        ({"col": "id", "expr": "in", "val": "4"}, [4]),
        ({"col": "description", "expr": "isNull"}, [2]),
        ({"col": "description", "expr": "isNotNull"}, [1, 3, 4, 5]),
        ({"col": "isPublished", "expr": "eq", "val": "0"}, [2]),
        ({"col": "pl.name", "expr": "like", "val": "%ta"}, [2]),
        ({"col": "id", "expr": "frobnicate", "val": "1"}, [1, 2, 3, 4, 5]),
    ]
    for clause, expected in cases:
        assert (await ids(api, where(clause)))[1] == expected, clause


@pytest.mark.usefixtures("seeded")
async def test_where_between_empty_and_composites(api: Api) -> None:
    between = "where[0][col]=id&where[0][expr]=between&where[0][val][]=2&where[0][val][]=4"
    assert (await ids(api, between))[1] == [2, 3, 4]
    assert (await ids(api, between.replace("=between", "=notBetween")))[1] == [1, 5]
    assert (await ids(api, "where[0][col]=id&where[0][expr]=between&where[0][val]=2"))[1] == [
        1,
        2,
        3,
        4,
        5,
    ]
    # group 5 was seeded directly with description "" (not null), group 2 with null
    assert (await ids(api, where({"col": "description", "expr": "isEmpty"})))[1] == [2, 5]
    assert (await ids(api, where({"col": "description", "expr": "isNotEmpty"})))[1] == [1, 3, 4]
    or_x = (
        "where[0][expr]=orX&where[0][val][0][col]=id&where[0][val][0][expr]=eq"
        "&where[0][val][0][val]=1&where[0][val][1][col]=id&where[0][val][1][expr]=eq"
        "&where[0][val][1][val]=5"
    )
    assert (await ids(api, or_x))[1] == [1, 5]
    and_x = or_x.replace("orX", "andX")
    assert (await ids(api, and_x))[1] == []


@pytest.mark.usefixtures("seeded")
async def test_where_values_are_html_escaped_except_in(api: Api) -> None:
    assert (await ids(api, where({"col": "name", "expr": "eq", "val": "Gamma & Co"})))[1] == []
    assert (await ids(api, where({"col": "name", "expr": "eq", "val": "Gamma &#38; Co"})))[1] == []
    assert (await ids(api, where({"col": "name", "expr": "in", "val": "Gamma & Co,x"})))[1] == [3]
    assert (await ids(api, where({"col": "name", "expr": "like", "val": "%&%"})))[1] == []


@pytest.mark.usefixtures("seeded")
async def test_where_errors_are_500(api: Api) -> None:
    assert await status(api, where({"col": "id", "val": "1"})) == 500
    assert await status(api, where({"expr": "eq", "val": "1"})) == 500
    assert await status(api, where({"col": "nope", "expr": "eq", "val": "1"})) == 500
    assert await status(api, "where=abc") == 500
    assert await status(api, "where[0][col]=id&where[0][expr]=eq&where[0][val][]=1") == 500


@pytest.mark.usefixtures("seeded")
async def test_where_internal_entries_are_dropped(api: Api) -> None:
    query = "where[0][col]=id&where[0][expr]=eq&where[0][val]=1&where[0][internal]=1"
    assert await ids(api, query) == (5, [1, 2, 3, 4, 5])


@pytest.mark.usefixtures("seeded")
async def test_non_scalar_parameters_fail(api: Api) -> None:
    assert await status(api, "limit[]=1") == 500
    assert await status(api, "search[]=a") == 500
