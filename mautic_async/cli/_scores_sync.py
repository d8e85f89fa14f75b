"""``scores sync FILE.csv``: stream a CSV of target scores into the bulk score sync."""

from __future__ import annotations

import argparse
import contextlib
import csv
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from ..client import MauticClient
from ..score_sync import ScoreProgressCallback, ScoreSyncReport
from ._bulk import _optional
from ._errors import UsageError

__all__ = ["COLUMNS", "read_rows", "scores_sync", "scores_sync_options"]

COLUMNS = ("contact_id", "group_id", "score")


class HeaderError(UsageError):
    """The CSV does not start with the expected header (its column names are shown as
    they must be written, not translated into CLI words)."""

    verbatim = True


def _int(text: str) -> int | str:
    try:
        return int(text.strip())
    except ValueError:
        return text  # kept as text: the sync reports the row failed, naming the value


def read_rows(stream: TextIO, name: str) -> Iterator[tuple[Any, Any, Any]]:
    """Rows of a CSV with the header ``contact_id,group_id,score``, one at a time
    (the file is never read whole)."""
    reader = csv.reader(stream)
    try:
        header = next(reader, None)
        # A spreadsheet's "CSV UTF-8" starts with a byte-order mark (read from stdin,
        # which is not opened as utf-8-sig).
        if header:
            header[0] = header[0].removeprefix("\ufeff")
        if header is None or tuple(h.strip().lower() for h in header) != COLUMNS:
            raise HeaderError(f"{name}: the first line must be the header {','.join(COLUMNS)}")
        for row in reader:
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) != 3:
                # The row as a whole: the sync reports it failed for its shape, not
                # for a contact_id that is really a list of cells.
                yield row  # type: ignore[misc]
                continue
            yield (_int(row[0]), _int(row[1]), _int(row[2]))
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"{name}: not UTF-8 text after line {reader.line_num} ({exc.reason})"
        ) from None


@contextlib.contextmanager
def _progress(stream: TextIO) -> Iterator[ScoreProgressCallback | None]:
    """A tqdm bar on a terminal (total unknown for a streamed file), else nothing."""
    isatty = getattr(stream, "isatty", None)
    tqdm = _optional("tqdm") if isatty is not None and isatty() else None
    if tqdm is None:
        yield None
        return
    bar = tqdm.tqdm(total=None, desc="scores", unit="row", file=stream, leave=True)

    def progress(done: int, total: int | None) -> None:
        bar.update(done - bar.n)

    try:
        yield progress
    finally:
        bar.close()


def _open(path: str) -> TextIO:
    try:
        return open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None


def scores_sync_options(parser: argparse.ArgumentParser) -> None:
    """``FILE`` and ``--dry-run``."""
    parser.add_argument(
        "file", metavar="FILE", help="CSV with the header contact_id,group_id,score; - for stdin"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="read current scores and report; change nothing"
    )


async def scores_sync(mautic: MauticClient, args: argparse.Namespace) -> ScoreSyncReport:
    """Run the bulk score sync over the rows of ``args.file``."""
    with contextlib.ExitStack() as stack:
        stream = sys.stdin if args.file == "-" else stack.enter_context(_open(args.file))
        rows = read_rows(stream, args.file)
        next_row = next(rows, None)  # check the header before anything is sent
        progress = stack.enter_context(_progress(sys.stderr))

        def all_rows() -> Iterator[tuple[Any, Any, Any]]:
            if next_row is not None:
                yield next_row
            yield from rows

        return await mautic.contacts.sync_group_scores(
            all_rows(), dry_run=args.dry_run, progress=progress
        )
