"""``sync FILE`` and the batch commands: reading items from JSON, YAML or CSV, and the
progress bar on a terminal."""

from __future__ import annotations

import contextlib
import csv
import functools
import importlib
import io
import json
import sys
import typing
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol, TextIO

import attrs

from .._converter import camel
from ..sync import ProgressCallback
from ._errors import UsageError

__all__ = ["load_items", "progress_bar"]

YAML_SUFFIXES = (".yaml", ".yml")
CSV_SUFFIX = ".csv"


class _Bar(Protocol):
    """The part of ``tqdm.tqdm`` used here."""

    total: float | None
    n: float

    def update(self, n: float = 1) -> bool | None: ...
    def close(self) -> None: ...


def _optional(module: str) -> Any:
    """An optional dependency (the ``cli`` extra), or ``None`` when not installed.

    Imported by name so the package neither needs it nor its type stubs.
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def load_items(
    path: str, stdin: TextIO | None = None, data_class: type[Any] | None = None
) -> list[Mapping[str, Any]]:
    """The items in ``path`` (``-`` for stdin): a JSON list of objects with Mautic's
    camelCase keys, the same in YAML for ``.yaml``/``.yml`` files, or a ``.csv`` file
    whose header row names the keys (see :func:`csv_items`; ``data_class`` types its
    cells).

    Raises :class:`UsageError` when the file cannot be read or YAML support is not
    installed, and ``ValueError`` when its content is not a list of objects.
    """
    if path.lower().endswith(CSV_SUFFIX):
        return csv_items(_read(path, stdin), path, data_class)
    is_yaml = path.lower().endswith(YAML_SUFFIXES)
    yaml = _optional("yaml") if is_yaml else None
    if is_yaml and yaml is None:
        raise UsageError(
            f"{path}: reading YAML needs PyYAML: pip install 'mautic-async[cli]' "
            "(or convert the file to JSON)"
        )
    text = _read(path, stdin)
    if yaml is not None:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ValueError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from None
    else:
        try:
            data = json.loads(text)
        except ValueError as exc:  # json.JSONDecodeError
            raise ValueError(f"{path}: not valid JSON: {exc}") from None
    if not isinstance(data, list) or not all(isinstance(item, Mapping) for item in data):
        raise ValueError(f'{path}: expected a list of objects, e.g. [{{"name": "Group A"}}]')
    return data


def _read(path: str, stdin: TextIO | None) -> str:
    try:
        return (stdin or sys.stdin).read() if path == "-" else Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None


def csv_items(text: str, path: str, data_class: type[Any] | None) -> list[Mapping[str, Any]]:
    """The rows of a CSV with a header row of keys (``name,description,isPublished``),
    one object per row. An empty cell leaves its key out. A cell is read as the field
    of ``data_class`` it fills: text as is, ``true``/``false`` (or ``yes``/``no``,
    ``1``/``0``) for a boolean, an integer for a number or ``id``, JSON for lists and
    objects (``[1, 2]``); a key the class does not know is read as JSON where it
    parses, else as text. ``ValueError`` names the line and column of a bad cell.
    """
    reader = csv.DictReader(io.StringIO(text, newline=""))
    kinds = _kinds(data_class) if data_class is not None else {}  # type: ignore[arg-type]
    items: list[Mapping[str, Any]] = []
    for row in reader:
        item: dict[str, Any] = {}
        for key, cell in row.items():
            if key is None or cell is None:
                raise FileContentError(
                    f"{path} line {reader.line_num}: more or fewer cells than the header"
                )
            if cell.strip() == "":
                continue
            try:
                item[key.strip()] = _cell(kinds.get(camel(key.strip()), "any"), cell)
            except ValueError as exc:
                raise FileContentError(
                    f"{path} line {reader.line_num}, column {key}: {exc}"
                ) from None
        if item:  # a row of empty cells is no item
            items.append(item)
    return items


class FileContentError(ValueError):
    """A cell of the user's file that cannot be read; shown as written (its column
    names are the file's, not to be translated into CLI flags)."""

    verbatim = True


_BOOLS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def _cell(kind: str, cell: str) -> Any:
    if kind == "str":
        return cell
    text = cell.strip()
    if kind == "bool":
        if text.lower() not in _BOOLS:
            raise ValueError(f"{cell!r} is not true or false")
        return _BOOLS[text.lower()]
    if kind == "int":
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"{cell!r} is not an integer") from None
    try:
        return json.loads(text)
    except ValueError:
        if kind == "json":
            raise ValueError(
                f"{cell!r} is not JSON (lists and objects are written as JSON)"
            ) from None
        return cell


@functools.cache
def _kinds(data_class: type[Any]) -> dict[str, str]:
    """Wire key -> how a CSV cell for it is read: ``str``, ``bool``, ``int`` or ``json``."""
    kinds = {"id": "int"}
    for field in attrs.fields(attrs.resolve_types(data_class)):
        args = set(typing.get_args(field.type) or (field.type,))
        if str in args:
            kind = "str"
        elif bool in args:
            kind = "bool"
        elif int in args:
            kind = "int"
        else:
            kind = "json"
        kinds[camel(field.name)] = kind
    return kinds


@contextlib.contextmanager
def progress_bar(stream: TextIO, description: str) -> Iterator[ProgressCallback | None]:
    """A ``progress(done, total)`` callback drawing a tqdm bar on ``stream``, or ``None``
    when ``stream`` is not a terminal or tqdm is not installed: a piped run stays clean.
    """
    isatty = getattr(stream, "isatty", None)
    tqdm = _optional("tqdm") if isatty is not None and isatty() else None
    if tqdm is None:
        yield None
        return
    bar: _Bar = tqdm.tqdm(total=0, desc=description, unit="item", file=stream, leave=True)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    try:
        yield progress
    finally:
        bar.close()
