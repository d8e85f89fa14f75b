"""``sync FILE``: reading the desired items, and the progress bar on a terminal."""

from __future__ import annotations

import contextlib
import importlib
import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol, TextIO

from ..sync import ProgressCallback
from ._errors import UsageError

__all__ = ["load_items", "progress_bar"]

YAML_SUFFIXES = (".yaml", ".yml")


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


def load_items(path: str, stdin: TextIO | None = None) -> list[Mapping[str, Any]]:
    """The desired items in ``path`` (``-`` for stdin): a JSON list of objects with
    Mautic's camelCase keys, or the same in YAML for ``.yaml``/``.yml`` files.

    Raises :class:`UsageError` when the file cannot be read or YAML support is not
    installed, and ``ValueError`` when its content is not a list of objects.
    """
    is_yaml = path.lower().endswith(YAML_SUFFIXES)
    yaml = _optional("yaml") if is_yaml else None
    if is_yaml and yaml is None:
        raise UsageError(
            f"{path}: reading YAML needs PyYAML: pip install 'mautic-async[cli]' "
            "(or convert the file to JSON)"
        )
    try:
        text = (stdin or sys.stdin).read() if path == "-" else Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
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
