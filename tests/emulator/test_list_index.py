"""List pages use the id index: keyset and offset pages read only their rows."""

from __future__ import annotations

import random

from mautic_async.testing import MauticEmulator
from mautic_async.testing._php import parse_php_pairs
from mautic_async.testing._query import ListQuery, select_rows
from mautic_async.testing._routes_point_groups import POINT_GROUP
from mautic_async.testing._state import Rows, Store

from ._helpers import Api

KEYSET = (  # what iterate(stable=True) asks for
    "limit={limit}&orderBy=id&orderByDir=asc"
    "&where[0][col]=id&where[0][expr]=gt&where[0][val]={last}"
)


def rows_read(emu: MauticEmulator) -> int:
    return emu._ctx.store.table(POINT_GROUP.multi).rows.reads


async def page(api: Api, emu: MauticEmulator, query: str) -> tuple[int, list[int], int]:
    """``(total, ids, rows the emulator examined)`` of one list request."""
    before = rows_read(emu)
    reply = await api("GET", "/api/points/groups?" + query)
    assert reply.status == 200, reply.raw
    found = [g["id"] for g in reply.json["pointGroups"]]
    return reply.json["total"], found, rows_read(emu) - before


async def test_keyset_and_offset_pages_read_only_their_rows(api: Api, emu: MauticEmulator) -> None:
    for n in range(2000):
        emu.add_point_group(f"G{n}", is_published=n % 2 == 0)
    total, found, read = await page(api, emu, KEYSET.format(limit=10, last=1500))
    assert (total, found, read) == (500, list(range(1501, 1511)), 10)
    total, found, read = await page(api, emu, "start=1000&limit=20")
    assert (total, found, read) == (2000, list(range(1001, 1021)), 20)
    total, found, read = await page(api, emu, "start=5&limit=3&orderBy=id&orderByDir=DESC")
    assert (total, found, read) == (2000, [1995, 1994, 1993], 3)
    between = (
        "limit=5&where[0][col]=id&where[0][expr]=between&where[0][val][0]=7&where[0][val][1]=9"
    )
    assert await page(api, emu, between) == (3, [7, 8, 9], 3)
    # other filters must look at rows: only those of the id range, or all of them
    published = (
        KEYSET.format(limit=10, last=1500)
        + "&where[1][col]=isPublished&where[1][expr]=eq&where[1][val]=1"
    )
    total, found, read = await page(api, emu, published)
    assert (total, found, read) == (250, list(range(1501, 1521, 2)), 500)
    total, found, read = await page(api, emu, "limit=10&search=G19")
    assert (total, read) == (111, 2000)


async def test_index_follows_deletes_and_put_creates(api: Api, emu: MauticEmulator) -> None:
    for n in range(10):
        emu.add_point_group(f"G{n}")
    assert (await api("DELETE", "/api/points/groups/4/delete")).status == 200
    assert (await api("DELETE", "/api/points/groups/batch/delete?ids=6,7")).status == 200
    created = await api("PUT", "/api/points/groups/99/edit", json={"name": "new"})
    assert (created.status, created.json["pointGroup"]["id"]) == (201, 11)
    _, found, _ = await page(api, emu, KEYSET.format(limit=4, last=2))
    assert found == [3, 5, 8, 9]
    _, found, _ = await page(api, emu, KEYSET.format(limit=4, last=9))
    assert found == [10, 11]
    assert await page(api, emu, "limit=0") == (8, [1, 2, 3, 5, 8, 9, 10, 11], 8)
    assert list(emu.point_groups) == [1, 2, 3, 5, 8, 9, 10, 11]


def test_rows_keep_ids_sorted_whatever_the_insert_order() -> None:
    rows = Rows()
    for key in (5, 2, 9, 7):
        rows[key] = {"id": key}
    rows[5] = {"id": 5, "name": "replaced"}
    assert (rows.ids, list(rows), len(rows)) == ([2, 5, 7, 9], [2, 5, 7, 9], 4)
    del rows[7]
    assert rows.pop(2)["id"] == 2
    assert (rows.ids, 9 in rows, 7 in rows) == ([5, 9], True, False)
    assert rows.fetch([9, 5]) == [{"id": 9}, {"id": 5, "name": "replaced"}]
    assert rows.reads == 2
    rows.clear()
    assert (rows.ids, len(rows)) == ([], 0)


def test_indexed_and_scanned_selection_agree() -> None:
    """The index is only a shortcut: every query gives what a full scan gives."""
    rng = random.Random(12)
    store = Store()
    table = store.table(POINT_GROUP.multi)
    for n in range(120):
        row = POINT_GROUP.new_row()
        row.update(name=rng.choice(["Alpha", "beta", "Épsilon", f"g{n}"]), isPublished=n % 3 > 0)
        table.insert(row)
    for gone in rng.sample(range(1, 121), 30):
        store.delete(POINT_GROUP.multi, gone)
    lister = ListQuery(POINT_GROUP.columns, POINT_GROUP.alias, POINT_GROUP.catch_all)
    values = ["0", "7", "50.5", "abc", "", "-1", "1e2", "120", "200"]
    for _ in range(1500):
        pairs: list[tuple[str, str]] = []
        for k in range(rng.choice([0, 1, 1, 2])):
            expr = rng.choice(["eq", "neq", "gt", "gte", "lt", "lte", "in", "between"])
            column = rng.choice(["id", "pl.id", "name", "isPublished"])
            pairs += [(f"where[{k}][col]", column), (f"where[{k}][expr]", expr)]
            if expr == "between":
                pairs += [(f"where[{k}][val][{i}]", rng.choice(values)) for i in (0, 1)]
            else:
                pairs.append((f"where[{k}][val]", ",".join(rng.sample(values, rng.choice([1, 2])))))
        if rng.random() < 0.3:
            pairs.append(("published", "1"))
        pairs.append(("orderBy", rng.choice(["", "id", "name", "id,name"])))
        pairs.append(("orderByDir", rng.choice(["ASC", "DESC"])))
        pairs += [
            ("limit", rng.choice(["", "0", "3", "30"])),
            ("start", rng.choice(["0", "4", "95"])),
        ]
        query = parse_php_pairs(pairs)
        indexed = select_rows(table.rows, query, lister)
        scanned = select_rows(list(table), query, lister)
        assert indexed == scanned, pairs


async def test_filters_on_dates_and_booleans_compile_once(api: Api, emu: MauticEmulator) -> None:
    emu.clock.set(1_700_000_000)
    emu.add_point_group("Old", None)
    emu.clock.advance(3600)
    emu.add_point_group("New", is_published=False)
    after = "where[0][col]=dateAdded&where[0][expr]=gt&where[0][val]=2023-11-14 22:30:00"
    assert (await page(api, emu, after))[:2] == (1, [2])
    never = "where[0][col]=dateAdded&where[0][expr]=lt&where[0][val]=not a date"
    assert (await page(api, emu, never))[:2] == (0, [])
    like = "where[0][col]=isPublished&where[0][expr]=like&where[0][val]=0"
    assert (await page(api, emu, like))[:2] == (1, [2])
    empty = "where[0][col]=description&where[0][expr]=isEmpty"
    assert (await page(api, emu, empty))[:2] == (2, [1, 2])
    null_like = "where[0][col]=description&where[0][expr]=notLike&where[0][val]=%25"
    assert (await page(api, emu, null_like))[:2] == (0, [])
