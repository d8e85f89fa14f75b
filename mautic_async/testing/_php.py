"""PHP semantics the emulator reproduces: arrays, ``parse_str``, ``json_encode``, filters.

Mautic runs on PHP, and several observable behaviours come straight from PHP itself:
how ``a[b][]=c`` query keys nest, when ``json_encode`` emits a JSON array rather than
an object, which strings are "empty" or "truthy", and how input filters rewrite values.
Request data is therefore held as *PHP arrays*: ordered ``dict`` objects whose keys are
``int`` or ``str`` (numeric string keys become ints, as in PHP). :func:`json_encode`
turns a dict whose keys are exactly ``0..n-1`` in order back into a JSON array.
"""

from __future__ import annotations

import csv
import html
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "PhpArray",
    "alnum",
    "filter_bool",
    "is_list_array",
    "json_encode",
    "parse_php_pairs",
    "php_empty",
    "php_key",
    "special_chars",
    "str_getcsv",
    "strip_tags",
    "to_php",
]

PhpArray = dict[int | str, Any]
"""A PHP array: an ordered mapping with int or str keys."""

_INT_KEY = re.compile(r"(?:0|-?[1-9][0-9]*)\Z")
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def php_key(key: object) -> int | str:
    """Normalise an array key like PHP does (``"5"`` becomes ``5``, ``"05"`` stays)."""
    if isinstance(key, bool):
        return int(key)
    if isinstance(key, int):
        return key
    if isinstance(key, float):
        return int(key)
    if key is None:
        return ""
    text = str(key)
    if _INT_KEY.match(text) and _INT64_MIN <= int(text) <= _INT64_MAX:
        return int(text)
    return text


def to_php(value: Any) -> Any:
    """Convert ``json.loads`` output into PHP arrays (``json_decode($s, true)``)."""
    if isinstance(value, list):
        return {index: to_php(item) for index, item in enumerate(value)}
    if isinstance(value, dict):
        return {php_key(key): to_php(item) for key, item in value.items()}
    return value


def is_list_array(array: Mapping[Any, Any]) -> bool:
    """True when ``json_encode`` would emit this array as a JSON list."""
    return all(key == index for index, key in enumerate(array))


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _from_php(value: Any) -> Any:
    """PHP arrays as ``json.dumps`` input: list-like arrays as lists, keys as strings.

    Responses are made of plain dicts with string keys and scalar values (a list page
    holds hundreds), so those take a path without a call per value or an ABC check,
    and are not copied at all when nothing in them needs converting; the JSON is the
    same as the general path's.
    """
    cls = value.__class__
    if cls in _SCALARS:
        return value
    if cls is dict and value and next(iter(value)).__class__ is str:  # never a JSON list
        scalars = _SCALARS
        for key, item in value.items():
            if key.__class__ is not str or item.__class__ not in scalars:
                break
        else:
            return value  # already as json.dumps needs it (a serialized row): no copy
        return {
            (key if key.__class__ is str else str(key)): (
                item if item.__class__ in scalars else _from_php(item)
            )
            for key, item in value.items()
        }
    if isinstance(value, Mapping):
        if is_list_array(value):
            return [_from_php(item) for item in value.values()]
        return {str(key): _from_php(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_from_php(item) for item in value]
    return value


_ESCAPE_PAIR = re.compile(r"\\.")
_HEX = {"<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "'": "\\u0027"}
_HEX_CHARS = re.compile("[<>&']")


def json_encode(value: Any, *, hex_flags: bool = False) -> bytes:
    """Encode like PHP's ``json_encode`` (compact, ``\\/`` and ``\\uXXXX`` escapes).

    Decision (documented, not a spec item): both encoders Mautic uses escape ``/`` as
    ``\\/`` and non-ASCII as ``\\uXXXX``, because neither sets ``JSON_UNESCAPED_SLASHES``
    or ``JSON_UNESCAPED_UNICODE``. Controller responses go through JMS Serializer
    (options ``JSON_PRESERVE_ZERO_FRACTION`` only). Symfony ``JsonResponse``, used by
    ``ApiSubscriber`` for security errors and by ``ExceptionController`` for uncaught
    errors, adds ``JSON_HEX_TAG|JSON_HEX_APOS|JSON_HEX_AMP|JSON_HEX_QUOT``: pass
    ``hex_flags=True`` for those, so ``Mautic's`` goes out as ``Mautic\\u0027s``. The
    decoded JSON is the same either way.
    """
    text = json.dumps(_from_php(value), separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    if hex_flags:
        # Only string literals contain backslashes, so escape pairs can be scanned safely.
        text = _ESCAPE_PAIR.sub(lambda m: "\\u0022" if m.group(0) == '\\"' else m.group(0), text)
        text = _HEX_CHARS.sub(lambda m: _HEX[m.group(0)], text)
    return text.replace("/", "\\/").encode("ascii")


def _parse_key(raw: str) -> tuple[str, list[str]] | None:
    """Split ``a[b][]`` into ``("a", ["b", ""])`` following ``php_register_variable_ex``."""
    raw = raw.lstrip(" ")
    pos = raw.find("[")
    base = raw if pos < 0 else raw[:pos]
    base = base.replace(" ", "_").replace(".", "_")
    indices: list[str] = []
    if pos >= 0:
        if raw.find("]", pos + 1) < 0:
            # An unterminated first bracket is not an index: PHP turns it into "_".
            base = base + "_" + raw[pos + 1 :]
        else:
            while pos < len(raw) and raw[pos] == "[":
                close = raw.find("]", pos + 1)
                if close < 0:
                    break
                indices.append(raw[pos + 1 : close])
                pos = close + 1
    return (base, indices) if base else None


def _next_index(array: PhpArray) -> int:
    ints = [key for key in array if isinstance(key, int)]
    return max(max(ints) + 1, 0) if ints else 0


MAX_INPUT_NESTING_LEVEL = 64
"""PHP's default ``max_input_nesting_level``."""


def parse_php_pairs(pairs: Iterable[tuple[str, str]]) -> PhpArray:
    """Build a PHP array from decoded ``(key, value)`` pairs, like ``parse_str``.

    A key with more than ``max_input_nesting_level`` (64) brackets removes its whole
    variable, as PHP does, so no query or form can nest without bound.
    """
    result: PhpArray = {}
    for raw_key, value in pairs:
        parsed = _parse_key(raw_key)
        if parsed is None:
            continue
        base, indices = parsed
        if len(indices) > MAX_INPUT_NESTING_LEVEL:
            # php_register_variable_ex drops the pair and the variable built so far.
            result.pop(php_key(base), None)
            continue
        keys: list[str] = [base, *indices]
        current = result
        for position, key in enumerate(keys):
            resolved = _next_index(current) if position and key == "" else php_key(key)
            if position == len(keys) - 1:
                current[resolved] = value
                break
            child = current.get(resolved)
            if not isinstance(child, dict):
                child = {}
                current[resolved] = child
            current = child
    return result


def php_empty(value: Any) -> bool:
    """PHP's ``empty()``: null, false, 0, 0.0, ``""``, ``"0"`` and ``[]`` are empty."""
    if value is None or value is False:
        return True
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value == 0
    if isinstance(value, str):
        return value in ("", "0")
    if isinstance(value, Mapping | list | tuple):
        return len(value) == 0
    return False


def filter_bool(value: Any) -> bool:
    """``(bool) filter_var($v, FILTER_VALIDATE_BOOLEAN, FILTER_NULL_ON_FAILURE)``.

    ``true``, ``1``, ``"1"``, ``"true"``, ``"on"`` and ``"yes"`` (any case) are true;
    every other value, including unknown words, is false.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value == 1
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "on", "yes"}
    return False


_SPECIAL = {ord(c): f"&#{ord(c)};" for c in "'\"<>&"} | {i: f"&#{i};" for i in range(32)}


def special_chars(value: Any) -> Any:
    """``filter_var($v, FILTER_SANITIZE_SPECIAL_CHARS)`` applied recursively.

    PHP writes numeric entities (``&`` becomes ``&#38;``), so ``html.escape`` (which
    writes ``&amp;``) cannot be used here.
    """
    if isinstance(value, dict):
        return {key: special_chars(item) for key, item in value.items()}
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    return str(value).translate(_SPECIAL)


def alnum(value: str, allowed: str = "") -> str:
    """``InputHelper::alphanum``: drop everything but ``[0-9a-zA-Z]`` and ``allowed``."""
    return re.sub(f"[^0-9a-zA-Z{re.escape(allowed)}]+", "", value).strip()


def str_getcsv(value: str) -> list[str | None]:
    """``str_getcsv($v, ',', '"')``; an empty string gives ``[null]`` as in PHP."""
    row = next(csv.reader([value], delimiter=",", quotechar='"'), [])
    return list(row) if row else [None]


_TAG = re.compile(r"<[^>]*>")


def strip_tags(value: str) -> str:
    """Decode entities, then remove tags (Joomla ``InputFilter::clean`` default mask)."""
    return _TAG.sub("", html.unescape(value))
