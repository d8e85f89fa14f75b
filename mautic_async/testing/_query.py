"""List parameters of ``GET /api/<entity>`` (spec section 3), evaluated like MySQL.

Reproduces ``FetchCommonApiController::getEntitiesAction`` and
``CommonRepository::buildClauses``: ``search`` (with the ``ids:`` command), ``start`` /
``limit``, ``orderBy`` / ``orderByDir``, ``order[]``, ``published``, ``where[]``.
Anything Doctrine or MySQL would reject raises :class:`ServerError` (an uncaught 500).

Comparisons follow MySQL with the default ``utf8mb4_unicode_ci`` collation: strings
compare case- and accent-insensitively ignoring trailing spaces, numbers against
strings compare numerically (``'abc'`` is 0), and anything compared with NULL is false.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from html import unescape
from typing import Any

from ._entities import ColumnKind, Row
from ._php import PhpArray, alnum, php_empty, special_chars, str_getcsv
from ._responses import ServerError

__all__ = ["ListQuery", "select_rows"]

Predicate = Callable[[Row], bool]

DEFAULT_PAGE_LIMIT = 30
_COLUMN_VALUE = {"eq", "neq", "lt", "lte", "gt", "gte", "like", "notLike", "in", "notIn"}
_JUST_COLUMN = {"isNull", "isNotNull", "isEmpty", "isNotEmpty"}
_COMPARE: dict[str, Callable[[int], bool]] = {
    "eq": lambda c: c == 0,
    "neq": lambda c: c != 0,
    "lt": lambda c: c < 0,
    "lte": lambda c: c <= 0,
    "gt": lambda c: c > 0,
    "gte": lambda c: c >= 0,
}


def _fold(text: str) -> str:
    """Collation key of ``utf8mb4_unicode_ci``: case, accents and trailing spaces ignored."""
    decomposed = unicodedata.normalize("NFKD", text.rstrip(" "))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


_NUMERIC_PREFIX = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _mysql_number(value: Any) -> float:
    """MySQL's string-to-number conversion: the longest numeric prefix, else 0."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    match = _NUMERIC_PREFIX.match(str(value))
    return float(match.group(0)) if match else 0.0


def _to_timestamp(value: Any) -> float | None:
    try:
        parsed = datetime.fromisoformat(str(value).strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.timestamp()


def _as_text(kind: ColumnKind, cell: Any) -> str:
    if kind == "datetime":
        return datetime.fromtimestamp(cell, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    if kind == "bool":
        return "1" if cell else "0"
    return str(cell)


def _compare(kind: ColumnKind, cell: Any, param: Any) -> int | None:
    """-1, 0 or 1 as MySQL compares column ``cell`` with bound ``param``; None for NULL."""
    if cell is None or param is None:
        return None
    left: Any
    right: Any
    if kind in ("int", "bool"):
        left, right = float(cell), _mysql_number(param)
    elif kind == "datetime":
        right = _to_timestamp(param)
        if right is None:
            return None
        left = float(cell)
    else:
        left, right = _fold(str(cell)), _fold(str(param))
    return int(left > right) - int(left < right)


def _like(kind: ColumnKind, cell: Any, pattern: Any, *, negate: bool = False) -> bool:
    if cell is None or pattern is None:
        return False
    regex = "".join(
        ".*" if tok == "%" else "." if tok == "_" else re.escape(tok[-1])
        for tok in re.findall(r"\\.|.", _fold(str(pattern)), re.DOTALL)
    )
    matched = re.fullmatch(regex, _fold(_as_text(kind, cell)), re.DOTALL) is not None
    return matched != negate


def _combine(parts: Sequence[Predicate], *, any_of: bool) -> Predicate:
    def combined(row: Row) -> bool:
        results = (part(row) for part in parts)
        return any(results) if any_of else all(results)

    return combined


def _id_in(ids: set[int], *, negate: bool) -> Predicate:
    def test(row: Row) -> bool:
        return (row["id"] in ids) != negate

    return test


def _like_on(column: str, pattern: str, *, negate: bool) -> Predicate:
    def test(row: Row) -> bool:
        return _like("string", row[column], pattern, negate=negate)

    return test


@dataclass(frozen=True)
class ListQuery:
    """Resolves columns of one entity and builds predicates and sort keys."""

    columns: Mapping[str, ColumnKind]
    alias: str
    catch_all: str

    def column(self, raw: Any) -> str:
        """A DQL field from a request: alphanumerics, ``_`` and ``.`` kept, alias checked.

        UNVERIFIED choice: an unknown field or alias fails when Doctrine parses the
        query, answered with the generic 500 (field names are case-sensitive).
        """
        if isinstance(raw, Mapping) or raw is None:
            raise ServerError(500)
        name = alnum(str(raw), "_.")
        alias, dot, field = name.rpartition(".")
        if dot and alias != self.alias:
            raise ServerError(500)
        if field not in self.columns:
            raise ServerError(500)
        return field

    # -- where[] ---------------------------------------------------------------
    def where(self, clauses: Mapping[Any, Any]) -> list[Predicate]:
        """``buildWhereClauseFromArray``: one predicate per effective clause (ANDed)."""
        predicates: list[Predicate] = []
        for clause in clauses.values():
            if not isinstance(clause, Mapping):
                raise ServerError(500)
            expr = clause.get("expr")
            if expr in ("andX", "orX"):
                nested = clause.get("val")
                if not isinstance(nested, Mapping):
                    raise ServerError(500)
                parts = self.where(nested)
                if parts:  # an empty composite adds nothing
                    predicates.append(_combine(parts, any_of=expr == "orX"))
                continue
            predicate = self._clause(clause)
            if predicate is not None:
                predicates.append(predicate)
        return predicates

    def _clause(self, clause: Mapping[Any, Any]) -> Predicate | None:
        """One ``{col|column, expr, val|value}`` clause (``validateWhereClause`` first).

        A missing ``expr`` or ``col`` and an unknown column are 500s (exception, DQL
        error); an unknown ``expr`` is ignored; ``between`` without exactly two values
        is ignored. UNVERIFIED choice: an array ``val`` for a scalar expression is a 500
        (Doctrine binds it as a list, which breaks the SQL or raises a TypeError).
        """
        if php_empty(clause.get("expr")):
            raise ServerError(500)  # InvalidArgumentException: "expr" is missing
        if php_empty(clause.get("col")) and php_empty(clause.get("column")):
            raise ServerError(500)  # InvalidArgumentException: "col" is missing
        expr = alnum(str(clause["expr"])) if not isinstance(clause["expr"], Mapping) else ""
        raw_col = clause.get("column") if clause.get("column") is not None else clause.get("col")
        field = self.column(raw_col)
        kind = self.columns[field]
        value = clause.get("value") if clause.get("value") is not None else clause.get("val", "")

        if expr in ("between", "notBetween"):
            if not isinstance(value, Mapping) or len(value) != 2:
                return None
            low, high = value.get(0), value.get(1)
            negate = expr == "notBetween"

            def between(r: Row) -> bool:
                lo, hi = _compare(kind, r[field], low), _compare(kind, r[field], high)
                if lo is None or hi is None:
                    return False
                return (lo >= 0 and hi <= 0) != negate

            return between
        if expr in ("isEmpty", "isNotEmpty"):
            if expr == "isEmpty":
                return lambda r: r[field] is None or _compare(kind, r[field], "") == 0
            return lambda r: r[field] is not None and _compare(kind, r[field], "") != 0
        if expr == "isNull":
            return lambda r: r[field] is None
        if expr == "isNotNull":
            return lambda r: r[field] is not None
        if expr not in _COLUMN_VALUE:
            return None  # unknown expressions are silently ignored
        if isinstance(value, Mapping):
            raise ServerError(500)  # array bound to a scalar placeholder / TypeError
        if expr in ("in", "notIn"):
            # in/notIn decode the HTML-escaped value first, then split it as CSV;
            # a single value becomes eq/neq.
            items = str_getcsv(unescape(str(value)))
            if len(items) == 1:
                expr, value = ("eq" if expr == "in" else "neq"), items[0]
            else:
                negate = expr == "notIn"

                def member(r: Row) -> bool:
                    results = [_compare(kind, r[field], item) for item in items]
                    if negate:
                        return all(c is not None and c != 0 for c in results)
                    return any(c == 0 for c in results)

                return member
        if expr in ("like", "notLike"):
            return lambda r: _like(kind, r[field], value, negate=expr == "notLike")
        test = _COMPARE[expr]

        def compare(r: Row) -> bool:
            result = _compare(kind, r[field], value)
            return result is not None and test(result)

        return compare

    # -- search ----------------------------------------------------------------
    def search(self, text: str) -> Predicate | None:
        """``SearchStringHelper`` subset: words, quoted phrases, ``!``, ``OR``, ``ids:``.

        UNVERIFIED choices: every term is matched as ``LIKE %term%`` on the catch-all
        column unless it already contains ``%``; terms are ANDed, or ORed when the
        second term is preceded by ``OR`` (the type of the second filter decides the
        whole group, as in ``addAdvancedSearchWhereClause``); ``ids:1,2`` is the only
        command; any other ``command:value`` is matched literally (exact ``LIKE``).
        """
        terms: list[Predicate] = []
        kinds: list[str] = []
        pending = "and"
        pattern = r'(!?)(?:([^\s:"]+):)?("[^"]*"?|\S+)'
        for negate, command, raw in re.findall(pattern, text):
            if not command and not negate and raw.upper() in ("OR", "AND"):
                pending = raw.lower()
                continue
            value = raw.strip('"')
            if command.lower() == "ids":
                ids = {int(_mysql_number(part)) for part in value.split(",")}
                terms.append(_id_in(ids, negate=bool(negate)))
            elif command:
                terms.append(_like_on(self.catch_all, f"{command}:{value}", negate=False))
            elif value:
                like = value if "%" in value else f"%{value}%"
                terms.append(_like_on(self.catch_all, like, negate=bool(negate)))
            else:
                continue
            kinds.append(pending)
            pending = "and"
        if not terms:
            return None
        return _combine(terms, any_of=(kinds[1] if len(kinds) > 1 else kinds[0]) == "or")

    # -- ordering --------------------------------------------------------------
    def order(
        self, order_by: str, direction: str, order: Mapping[Any, Any]
    ) -> list[tuple[str, bool]]:
        """Sort columns as ``(field, descending)``; ``order[]`` overrides ``orderBy``."""
        if order:
            result: list[tuple[str, bool]] = []
            for clause in order.values():
                if not isinstance(clause, Mapping) or php_empty(clause.get("col")):
                    raise ServerError(500)
                raw_dir = clause.get("dir")
                dir_text = "ASC" if php_empty(raw_dir) else alnum(str(raw_dir).upper())
                result.append((self.column(clause["col"]), self._descending(dir_text)))
            return result
        if order_by in ("", "0"):
            return []  # GroupRepository has no default order: natural (id) order
        descending = self._descending(alnum(direction))
        return [(self.column(part.strip()), descending) for part in order_by.split(",")]

    @staticmethod
    def _descending(direction: str) -> bool:
        """DQL accepts ASC/DESC in any case, and no direction at all.

        UNVERIFIED choice: any other word is a DQL syntax error, answered with a 500.
        """
        if direction.upper() not in ("", "ASC", "DESC"):
            raise ServerError(500)
        return direction.upper() == "DESC"

    def sort(self, rows: list[Row], keys: Sequence[tuple[str, bool]]) -> list[Row]:
        """Stable multi-column sort; NULL sorts first ascending (MySQL)."""
        for field, descending in reversed(keys):
            kind = self.columns[field]

            def key(r: Row, f: str = field, k: ColumnKind = kind) -> tuple[int, Any]:
                cell = r[f]
                if cell is None:
                    return (0, 0)
                return (1, _fold(str(cell)) if k == "string" else float(cell))

            rows = sorted(rows, key=key, reverse=descending)
        return rows


def _scalar(query: PhpArray, name: str, default: str) -> str:
    value = query.get(name, default)
    if isinstance(value, Mapping):
        raise ServerError(500)  # a PHP array where a string is expected: TypeError
    return str(value)


def _non_negative(text: str) -> int:
    """UNVERIFIED choice: a ``start``/``limit`` that is not a plain non-negative integer
    makes the query fail (negative LIMIT/OFFSET is a SQL error), answered with a 500."""
    if not re.fullmatch(r"\d+", text):
        raise ServerError(500)
    return int(text)


def _clean_array(value: Any) -> PhpArray:
    """``InputHelper::cleanArray``: special characters escaped, scalars wrapped."""
    if php_empty(value):
        return {}
    cleaned = special_chars(value)
    return cleaned if isinstance(cleaned, dict) else {0: cleaned}


def _without_internal(clauses: PhpArray) -> PhpArray:
    """``sanitizeWhereClauseArrayFromRequest``: entries with ``internal`` are dropped."""
    kept: PhpArray = {}
    for key, clause in clauses.items():
        if isinstance(clause, Mapping) and "internal" in clause:
            continue
        if isinstance(clause, Mapping) and clause.get("expr") in ("andX", "orX"):
            nested = clause.get("val")
            if isinstance(nested, dict):
                clause = {**clause, "val": _without_internal(nested)}
        kept[key] = clause
    return kept


def select_rows(rows: Sequence[Row], query: PhpArray, lister: ListQuery) -> tuple[int, list[Row]]:
    """Filter, count, sort and page ``rows`` for a list request; returns ``(total, page)``.

    * ``published`` is read with PHP truthiness (``published=false`` is truthy!) and is
      **ignored when ``where`` is non-empty** (5.x ``buildWhereClause`` quirk).
    * ``where`` values are HTML-escaped first (``A & B`` becomes ``A &#38; B``), as 5.x
      passes them through ``InputHelper::cleanArray``; ``in``/``notIn`` decode them again.
    * ``total`` counts every matching row; ``start`` applies only with a non-empty
      ``limit``; ``limit=0`` or ``limit=`` returns all rows.
    * ``minimal`` has no visible effect and ``select`` is not emulated (ignored).
    """
    search = _scalar(query, "search", "")
    start = _scalar(query, "start", "0")
    limit = _scalar(query, "limit", str(DEFAULT_PAGE_LIMIT))
    order_by = _scalar(query, "orderBy", "")
    direction = _scalar(query, "orderByDir", "ASC")
    where = _without_internal(_clean_array(query.get("where")))
    order = _clean_array(query.get("order"))

    predicates = lister.where(where)
    if not where and not php_empty(query.get("published", 0)):
        predicates.append(lambda r: r["isPublished"] is True)
    searched = lister.search(search)
    if searched is not None:
        predicates.append(searched)
    sort_keys = lister.order(order_by, direction, order)
    page_size = None if php_empty(limit) else _non_negative(limit)
    offset = _non_negative(start or "0") if page_size is not None else 0

    matched = [row for row in rows if all(p(row) for p in predicates)]
    matched = lister.sort(matched, sort_keys)
    page = matched if page_size is None else matched[offset : offset + page_size]
    return len(matched), page
