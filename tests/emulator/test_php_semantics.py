"""PHP behaviours the emulator relies on, and the emulator's independence."""

from __future__ import annotations

import ast
import json
import random
from collections.abc import Mapping
from pathlib import Path

from mautic_async.testing._php import (
    filter_bool,
    json_encode,
    parse_php_pairs,
    php_empty,
    special_chars,
    to_php,
)

PACKAGE = Path(__file__).resolve().parents[2] / "mautic_async" / "testing"


def test_parse_str_brackets() -> None:
    pairs = [
        ("where[0][col]", "id"),
        ("where[0][expr]", "in"),
        ("ids[]", "1"),
        ("ids[]", "2"),
        ("a.b c", "x"),
        ("a[b", "y"),
        ("[x]", "ignored"),
        ("s", "1"),
        ("s[k]", "2"),
    ]
    assert parse_php_pairs(pairs) == {
        "where": {0: {"col": "id", "expr": "in"}},
        "ids": {0: "1", 1: "2"},
        "a_b_c": "x",
        "a_b": "y",
        "s": {"k": "2"},
    }


def test_json_encode_like_php() -> None:
    assert json_encode({0: "a", 1: "b"}) == b'["a","b"]'
    assert json_encode({1: "a"}) == b'{"1":"a"}'
    assert json_encode({}) == b"[]"
    assert json_encode({"u": "é/x"}) == b'{"u":"\\u00e9\\/x"}'
    hexed = json_encode({"m": "<a href='x'>&\"\\"}, hex_flags=True)
    assert hexed == b'{"m":"\\u003Ca href=\\u0027x\\u0027\\u003E\\u0026\\u0022\\\\"}'
    assert to_php([{"0": 1}]) == {0: {0: 1}}


def test_php_truthiness_and_filters() -> None:
    assert [php_empty(v) for v in ("", "0", "0.0", "false", 0, [], None)] == [
        True,
        True,
        False,
        False,
        True,
        True,
        True,
    ]
    assert [filter_bool(v) for v in ("yes", "On", "1", True, 1, "no", "2", "maybe")] == [
        True,
        True,
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    assert special_chars("A & B <'\"\n>") == "A &#38; B &#60;&#39;&#34;&#10;&#62;"


def test_emulator_imports_only_stdlib_and_aiohttp() -> None:
    """The emulator must stay independent of the client it checks."""
    allowed_third_party = {"aiohttp", "multidict", "pytest", "pytest_asyncio"}
    for source in PACKAGE.glob("*.py"):
        tree = ast.parse(source.read_text(), filename=str(source))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top == "mautic_async":
                    assert name.startswith("mautic_async.testing"), (source.name, name)
                else:
                    assert top in allowed_third_party or top in _stdlib(), (source.name, name)


def _stdlib() -> frozenset[str]:
    import sys

    return frozenset(sys.stdlib_module_names)


def _reference_from_php(value: object) -> object:
    """The general conversion, as it was before the fast path for flat rows."""
    if isinstance(value, Mapping):
        if all(key == index for index, key in enumerate(value)):
            return [_reference_from_php(item) for item in value.values()]
        return {str(key): _reference_from_php(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_reference_from_php(item) for item in value]
    return value


def test_json_encode_fast_path_writes_what_the_general_conversion_writes() -> None:
    """Flat rows skip the per-value walk; the bytes must not change for any shape."""
    samples: list[object] = [
        {"id": 1, "name": "a/b", "isPublished": True, "score": 1.5, "x": None},
        {"name": "x", 3: "int key after a str key", "nested": {0: "a", 1: "b"}},
        {"name": "x", "empty": {}, "list": [{0: 1}, (2, 3)], "deep": {"k": {2: "v"}}},
        {0: "list-like", 1: {"name": "row"}},
        {"total": 2, "pointGroups": [{"id": 1, "name": "é"}, {"id": 2, "name": "<b>"}]},
        {"k": True, "t": (1, 2)},
        {},
        [],
        "scalar",
    ]
    rng = random.Random(12)
    leaves: list[object] = ["s", "ü/", 0, 7, 2.5, True, False, None]
    for _ in range(300):
        row: dict[int | str, object] = {}
        for _ in range(rng.randint(1, 6)):
            key: int | str = rng.choice(["a", "b", "c", 0, 1, 2, "0"])
            row[key] = rng.choice([*leaves, {0: "x"}, {"n": 1}, {}, [1, "y"]])
        samples.append(row)
    for sample in samples:
        expected = json.dumps(
            _reference_from_php(sample), separators=(",", ":"), ensure_ascii=True
        ).replace("/", "\\/")
        assert json_encode(sample) == expected.encode("ascii"), sample
