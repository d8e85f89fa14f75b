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
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from html import unescape
from typing import Any, Protocol

from ._entities import ColumnKind, Row
from ._php import PhpArray, alnum, php_empty, special_chars, str_getcsv
from ._responses import ServerError

__all__ = ["IdRange", "IndexedRows", "ListQuery", "select_rows"]

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


Comparator = Callable[[Any], "int | None"]


def _comparator(kind: ColumnKind, param: Any) -> Comparator:
    """How MySQL compares a column ``cell`` with the bound ``param``: -1, 0 or 1, None
    for NULL. The parameter is converted once here, not once per row."""
    if param is None:
        return lambda cell: None
    if kind in ("int", "bool"):
        number = _mysql_number(param)

        def numeric(cell: Any) -> int | None:
            if cell is None:
                return None
            left = float(cell)
            return int(left > number) - int(left < number)

        return numeric
    if kind == "datetime":
        stamp = _to_timestamp(param)
        if stamp is None:
            return lambda cell: None
        moment: float = stamp

        def temporal(cell: Any) -> int | None:
            if cell is None:
                return None
            left = float(cell)
            return int(left > moment) - int(left < moment)

        return temporal
    folded = _fold(str(param))

    def textual(cell: Any) -> int | None:
        if cell is None:
            return None
        left = _fold(str(cell))
        return int(left > folded) - int(left < folded)

    return textual


def _like_matcher(kind: ColumnKind, pattern: Any, *, negate: bool = False) -> Callable[[Any], bool]:
    """``cell LIKE pattern`` (or ``NOT LIKE``), with the pattern compiled once."""
    if pattern is None:
        return lambda cell: False
    regex = re.compile(
        "".join(
            ".*" if tok == "%" else "." if tok == "_" else re.escape(tok[-1])
            for tok in re.findall(r"\\.|.", _fold(str(pattern)), re.DOTALL)
        ),
        re.DOTALL,
    )

    def like(cell: Any) -> bool:
        if cell is None:
            return False
        return (regex.fullmatch(_fold(_as_text(kind, cell))) is not None) != negate

    return like


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
    matches = _like_matcher("string", pattern, negate=negate)

    def test(row: Row) -> bool:
        return matches(row[column])

    return test


@dataclass(frozen=True)
class IdRange:
    """A ``where`` clause on ``id`` that is exactly a range of ids (``eq``, ``gt``,
    ``gte``, ``lt``, ``lte``, ``between``): a predicate like any other, which a table
    with an id index answers by ``bisect`` instead of a scan."""

    low: float | None = None
    low_open: bool = False
    high: float | None = None
    high_open: bool = False

    def __call__(self, row: Row) -> bool:
        cell = row["id"]
        if cell is None:
            return False
        value = float(cell)
        if self.low is not None and (value <= self.low if self.low_open else value < self.low):
            return False
        return self.high is None or (value < self.high if self.high_open else value <= self.high)

    def positions(self, ids: Sequence[int]) -> tuple[int, int]:
        """``ids[start:stop]`` is what this range keeps of the ascending ``ids``."""
        start, stop = 0, len(ids)
        if self.low is not None:
            start = (bisect_right if self.low_open else bisect_left)(ids, self.low)
        if self.high is not None:
            stop = (bisect_left if self.high_open else bisect_right)(ids, self.high)
        return start, max(start, stop)


_ID_RANGES: dict[str, Callable[[float], IdRange]] = {
    "eq": lambda n: IdRange(n, False, n, False),
    "gt": lambda n: IdRange(low=n, low_open=True),
    "gte": lambda n: IdRange(low=n),
    "lt": lambda n: IdRange(high=n, high_open=True),
    "lte": lambda n: IdRange(high=n),
}


class IndexedRows(Protocol):
    """A table's rows with its primary key index (``_state.Rows``)."""

    @property
    def ids(self) -> Sequence[int]:
        """Every id, ascending."""

    def fetch(self, ids: Iterable[int]) -> list[Row]:
        """The rows of ``ids``."""


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
            if field == "id" and not negate and low is not None and high is not None:
                return IdRange(_mysql_number(low), False, _mysql_number(high), False)
            above, below = _comparator(kind, low), _comparator(kind, high)

            def between(r: Row) -> bool:
                lo, hi = above(r[field]), below(r[field])
                if lo is None or hi is None:
                    return False
                return (lo >= 0 and hi <= 0) != negate

            return between
        if expr in ("isEmpty", "isNotEmpty"):
            empty = _comparator(kind, "")
            if expr == "isEmpty":
                return lambda r: r[field] is None or empty(r[field]) == 0
            return lambda r: r[field] is not None and empty(r[field]) != 0
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
                tests = [_comparator(kind, item) for item in items]

                def member(r: Row) -> bool:
                    results = [test(r[field]) for test in tests]
                    if negate:
                        return all(c is not None and c != 0 for c in results)
                    return any(c == 0 for c in results)

                return member
        if expr in ("like", "notLike"):
            matches = _like_matcher(kind, value, negate=expr == "notLike")
            return lambda r: matches(r[field])
        if field == "id" and expr in _ID_RANGES and value is not None:
            return _ID_RANGES[expr](_mysql_number(value))
        test = _COMPARE[expr]
        compared = _comparator(kind, value)

        def compare(r: Row) -> bool:
            result = compared(r[field])
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


def select_rows(
    rows: Sequence[Row] | IndexedRows, query: PhpArray, lister: ListQuery
) -> tuple[int, list[Row]]:
    """Filter, count, sort and page ``rows`` for a list request; returns ``(total, page)``.

    ``rows`` is a table's indexed rows (then pages cost O(page + log n) where the query
    allows, see :func:`_select_indexed`) or a plain sequence in id order (scanned).

    * ``published`` is read with PHP truthiness (``published=false`` is truthy!) and is
      **ignored when ``where`` is non-empty** (5.x ``buildWhereClause`` quirk).
    * ``where`` values are HTML-escaped first (``A & B`` becomes ``A &#38; B``), as 5.x
      passes them through ``InputHelper::cleanArray``; ``in``/``notIn`` decode them again.
    * ``total`` counts every matching row; ``start`` applies only with a non-empty
      ``limit``; ``limit=0`` or ``limit=`` returns all rows.
    * ``minimal`` is applied by the caller when serializing (it drops the detail
      fields of points, triggers and insights); ``select`` is not emulated (ignored).
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

    if not isinstance(rows, Sequence):
        return _select_indexed(rows, predicates, sort_keys, offset, page_size, lister)
    matched = [row for row in rows if all(p(row) for p in predicates)]
    matched = lister.sort(matched, sort_keys)
    page = matched if page_size is None else matched[offset : offset + page_size]
    return len(matched), page


def _select_indexed(
    rows: IndexedRows,
    predicates: Sequence[Predicate],
    sort_keys: Sequence[tuple[str, bool]],
    offset: int,
    page_size: int | None,
    lister: ListQuery,
) -> tuple[int, list[Row]]:
    """:func:`select_rows` on a table with an id index, reading as few rows as it can.

    Top-level ``id`` ranges narrow the ids by ``bisect``. When the order is by id (or
    the natural order, which is by id) and nothing else filters, ``total`` is the size
    of that range and only the page's rows are read: O(page + log n) for a keyset page
    (``id > last``) or an offset page. Any other filter is tested on the rows of the
    range; any other order sorts the matches, as before.
    """
    ids = rows.ids
    start, stop = 0, len(ids)
    rest: list[Predicate] = []
    for predicate in predicates:
        if isinstance(predicate, IdRange):
            low, high = predicate.positions(ids)
            start, stop = max(start, low), min(stop, high)
        else:
            rest.append(predicate)
    stop = max(start, stop)
    by_id = not sort_keys or sort_keys[0][0] == "id"
    descending = bool(sort_keys) and sort_keys[0][1]
    if by_id and not rest:
        total = stop - start
        first = min(offset, total)
        last = total if page_size is None else min(offset + page_size, total)
        if descending:
            return total, rows.fetch(reversed(ids[stop - last : stop - first]))
        return total, rows.fetch(ids[start + first : start + last])
    window = ids[start:stop]
    if by_id and descending:
        window = window[::-1]
    if len(rest) == 1:
        (only,) = rest
        matched = [row for row in rows.fetch(window) if only(row)]
    else:
        matched = [row for row in rows.fetch(window) if all(p(row) for p in rest)]
    if not by_id:
        matched = lister.sort(matched, sort_keys)
    page = matched if page_size is None else matched[offset : offset + page_size]
    return len(matched), page
