"""``main(argv) -> int``: parse, connect, run one command, print, map errors to codes."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import os
import sys
from collections.abc import Mapping, Sequence

from ..errors import MauticError
from ..score_sync import ScoreSyncReport
from ..sync import SyncReport
from ._batch import BatchReport
from ._commands import Command, build_parser
from ._connect import make_client, secrets_in
from ._demo import run_demo
from ._errors import Cancelled, ExitCode, UsageError, error_line, exit_code_for
from ._output import Output

__all__ = ["main"]

PROG = "mautic-async"


async def _run(command: Command, args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    output = Output(sys.stdout, args.format)
    async with make_client(args, environ) as mautic:
        result = await command.run(mautic, args)
        await output.show(result, command.columns)
    if isinstance(result, (SyncReport, BatchReport, ScoreSyncReport)) and not result.ok:
        return ExitCode.FAILED
    return ExitCode.OK


def _utf8(*streams: object) -> None:
    """Write UTF-8 whatever the locale says (``LANG=C``, a Windows console): names in
    any script must print, never fail with UnicodeEncodeError or come out escaped."""
    for stream in streams:
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``mautic-async`` with ``argv`` (default: ``sys.argv[1:]``) and return the
    exit status (see :class:`~mautic_async.cli.ExitCode`).

    Results go to stdout; errors to stderr as one line ``mautic-async: error: ...``,
    with every secret from the command line or environment masked.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    _utf8(sys.stdout, sys.stderr)
    environ = os.environ
    secrets = secrets_in(argv, environ)
    try:
        args = build_parser().parse_args(argv)
        if args.spec is None:
            asyncio.run(run_demo(sys.stdout))
            return ExitCode.OK
        return asyncio.run(_run(args.spec, args, environ))
    except SystemExit as exc:  # --help and --version print, then exit 0
        return exc.code if isinstance(exc.code, int) else ExitCode.FAILED
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly
        # Point stdout at devnull, or Python's final flush fails noisily on exit.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return ExitCode.FAILED
    except (UsageError, Cancelled, MauticError, ValueError, TypeError) as exc:
        # ValueError and TypeError: the library refusing input before sending it.
        sys.stdout.flush()
        print(f"{PROG}: error: {error_line(exc, secrets)}", file=sys.stderr)
        return exit_code_for(exc)
