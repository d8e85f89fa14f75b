"""The command table: every ``mautic-async`` command, its arguments and what it runs.

Each :class:`Command` names a coroutine that takes the client and the parsed
arguments and returns a result (a model, a page, a list, an async iterator or a sync
report); printing it is :class:`~._output.Output`'s job. Arguments shared by several
commands are added by the same small functions, so they read the same everywhere.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, NoReturn, cast

import attrs

from .._version import __version__
from ..client import MauticClient
from ..models import PointGroupFields
from ..resources.contacts import ContactPointGroupScores, ScoreOperator
from ._bulk import load_items, progress_bar
from ._connect import add_connection_options
from ._errors import ExitCode, UsageError
from ._scores_sync import scores_sync, scores_sync_options

__all__ = ["COMMANDS", "Command", "build_parser"]

Handler = Callable[[MauticClient, argparse.Namespace], Awaitable[Any]]
Adder = Callable[[argparse.ArgumentParser], None]

#: Table columns (wire keys; dots reach into nested objects).
GROUP_COLUMNS = ("id", "name", "isPublished", "description")
SCORE_COLUMNS = ("group.id", "group.name", "score")


@attrs.frozen
class Command:
    """One command.

    Attributes:
        name: what is typed; it may have two words (``"scores plus"``).
        help: one line for ``--help``.
        run: the coroutine that runs it: ``run(client, args)`` returns the result.
        arguments: functions that add its arguments to its parser.
        columns: the table columns of ``--format table`` (dots reach into objects).
    """

    name: str
    help: str
    run: Handler
    arguments: tuple[Adder, ...] = ()
    columns: tuple[str, ...] = GROUP_COLUMNS


class _Parser(argparse.ArgumentParser):
    """argparse, with abbreviations off (``--pass`` must not mean ``--password``) and
    errors raised as :class:`UsageError` so ``main`` prints them as one line."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{_mask_unrecognized(message)} (see: {self.prog} --help)")


def _mask_unrecognized(message: str) -> str:
    """Hide the value after an unknown option: ``--pasword hunter2`` is a mistyped
    ``--password`` whose value must not be echoed (``--pasword ***``)."""
    prefix = "unrecognized arguments: "
    if not message.startswith(prefix):
        return message
    shown, after_option = [], False
    for token in message[len(prefix) :].split(" "):
        if token.startswith("-"):
            name, equals, _value = token.partition("=")
            shown.append(name + ("=***" if equals else ""))
            after_option = not equals
        else:
            shown.append("***" if after_option else token)
            after_option = False
    return prefix + " ".join(shown)


# -- arguments ---------------------------------------------------------------------


def _group_id(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", type=int, metavar="ID", help="point group id")


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError("expected a JSON object")
    return value


def _write_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--name", help="the group's name")
    parser.add_argument("--description", help="its description ('' clears it)")
    published = parser.add_mutually_exclusive_group()
    for flag, value in (("--published", True), ("--unpublished", False)):
        published.add_argument(
            flag, dest="is_published", action="store_const", const=value, help=flag[2:]
        )
    parser.add_argument(
        "--json",
        type=_json_object,
        metavar="OBJECT",
        help="fields as a JSON object with camelCase keys, e.g. '{\"isPublished\": true}'; "
        "the options above override it",
    )


def _list_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--search", help='Mautic search: words match the name; "ids:1,2,3"')
    parser.add_argument("--start", type=int, help="offset of the first group")
    parser.add_argument("--limit", type=int, help="page size (Mautic: 30; 0 = every match)")
    parser.add_argument("--order-by", metavar="FIELD[,FIELD]", help="e.g. name or dateAdded,id")
    parser.add_argument("--order-by-dir", choices=("asc", "desc"), help="sort direction")
    parser.add_argument("--published-only", action="store_true", help="published groups only")
    parser.add_argument("--all", action="store_true", help="every page, streamed as it arrives")
    parser.add_argument(
        "--page-size", type=int, metavar="N", help="with --all: groups per request (100)"
    )
    parser.add_argument(
        "--stable",
        action="store_true",
        help="with --all: page by id, so groups created or deleted meanwhile are "
        "neither skipped nor repeated (no --order-by)",
    )


def _sync_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file",
        metavar="FILE",
        help="JSON list of groups (camelCase keys); .yaml/.yml with PyYAML; - for stdin",
    )
    parser.add_argument("--key", default="name", help="field that matches groups (name)")
    parser.add_argument(
        "--delete-missing", action="store_true", help="delete every group not in FILE"
    )


def _contact(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("contact", type=int, metavar="CONTACT", help="contact id")


def _group(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("group", type=int, metavar="GROUP", help="point group id")


def _adjust_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("value", type=int, metavar="VALUE", help="an integer")
    parser.add_argument("--event-name", help="written to the contact's points log")
    parser.add_argument("--action-name", help="written to the contact's points log")


# -- handlers ------------------------------------------------------------------------


def _unchecked(data: Mapping[str, Any]) -> PointGroupFields:
    """A user's JSON object as a write argument: its (camelCase) keys and values are
    checked by the resource at run time, not by the type checker."""
    return cast("PointGroupFields", data)


def _group_data(args: argparse.Namespace) -> dict[str, Any]:
    data = dict(args.json or {})
    for dest, key in (
        ("name", "name"),
        ("description", "description"),
        ("is_published", "isPublished"),
    ):
        value = getattr(args, dest)
        if value is not None:
            data[key] = value
    return data


def _changes(args: argparse.Namespace) -> dict[str, Any]:
    data = _group_data(args)
    if not data:
        raise UsageError(
            "nothing to change: pass --name, --description, --published, --unpublished or --json"
        )
    return data


async def _list(mautic: MauticClient, args: argparse.Namespace) -> Any:
    order_by = args.order_by.split(",") if args.order_by else None
    filters: Mapping[str, Any] = {
        "search": args.search,
        "order_by": order_by,
        "order_by_dir": args.order_by_dir,
        "published_only": args.published_only,
    }
    if not args.all:
        if args.page_size is not None or args.stable:
            raise UsageError("--page-size and --stable go with --all")
        return await mautic.point_groups.list(start=args.start, limit=args.limit, **filters)
    if args.start is not None or args.limit is not None:
        raise UsageError("--all reads every page: leave out --start and --limit (see --page-size)")
    return mautic.point_groups.iterate(
        page_size=100 if args.page_size is None else args.page_size, stable=args.stable, **filters
    )


async def _get(mautic: MauticClient, args: argparse.Namespace) -> Any:
    return await mautic.point_groups.get(args.id)


async def _create(mautic: MauticClient, args: argparse.Namespace) -> Any:
    return await mautic.point_groups.create(_unchecked(_group_data(args)))


async def _edit(mautic: MauticClient, args: argparse.Namespace) -> Any:
    return await mautic.point_groups.edit(args.id, _unchecked(_changes(args)))


async def _replace(mautic: MauticClient, args: argparse.Namespace) -> Any:
    return await mautic.point_groups.replace(args.id, _unchecked(_group_data(args)))


async def _delete(mautic: MauticClient, args: argparse.Namespace) -> Any:
    return await mautic.point_groups.delete(args.id)


async def _sync(mautic: MauticClient, args: argparse.Namespace) -> Any:
    items = load_items(args.file)
    with progress_bar(sys.stderr, "sync") as progress:
        return await mautic.point_groups.sync(
            [_unchecked(item) for item in items],
            key=args.key,
            delete_missing=args.delete_missing,
            progress=progress,
        )


def _scores(mautic: MauticClient, args: argparse.Namespace) -> ContactPointGroupScores:
    return mautic.contacts.point_group_scores(args.contact)


async def _scores_list(mautic: MauticClient, args: argparse.Namespace) -> Any:
    return await _scores(mautic, args).list()


async def _scores_get(mautic: MauticClient, args: argparse.Namespace) -> Any:
    return await _scores(mautic, args).get(args.group)


def _adjust(operator: ScoreOperator) -> Handler:
    async def adjust(mautic: MauticClient, args: argparse.Namespace) -> Any:
        return await _scores(mautic, args).adjust(
            args.group,
            operator,
            args.value,
            event_name=args.event_name,
            action_name=args.action_name,
        )

    return adjust


_OPERATORS: dict[ScoreOperator, str] = {
    "plus": "add VALUE to a contact's score in a group",
    "minus": "subtract VALUE from a contact's score in a group",
    "times": "multiply a contact's score in a group by VALUE",
    "divide": "divide a contact's score in a group by VALUE (must divide evenly)",
    "set": "set a contact's score in a group to VALUE",
}

#: Every command but ``demo``, in ``--help`` order.
COMMANDS: tuple[Command, ...] = (
    Command("list", "list point groups (a page, or all with --all)", _list, (_list_options,)),
    Command("get", "show one point group", _get, (_group_id,)),
    Command("create", "create a point group", _create, (_write_options,)),
    Command(
        "edit", "change the given fields of a group (PATCH)", _edit, (_group_id, _write_options)
    ),
    Command(
        "replace",
        "replace a group (PUT: fields left out are cleared; a missing id is created)",
        _replace,
        (_group_id, _write_options),
    ),
    Command("delete", "delete a point group", _delete, (_group_id,)),
    Command(
        "sync",
        "make Mautic hold exactly the groups in FILE, matched by --key; prints the report",
        _sync,
        (_sync_options,),
    ),
    Command(
        "scores list", "a contact's scores in every group", _scores_list, (_contact,), SCORE_COLUMNS
    ),
    Command(
        "scores get",
        "a contact's score in one group (null if none)",
        _scores_get,
        (_contact, _group),
    ),
    *(
        Command(f"scores {op}", text, _adjust(op), (_contact, _group, _adjust_options))
        for op, text in _OPERATORS.items()
    ),
    Command(
        "scores sync",
        "set every contact's group score to the one in a CSV (contact_id,group_id,score), "
        "skipping those already there; prints the report",
        scores_sync,
        (scores_sync_options,),
    ),
)

_GROUPS = {
    "scores": "a contact's point-group scores: list, get, plus, minus, times, divide, set; "
    "sync for many"
}

_EPILOG = """\
Settings come from the flags or the environment: MAUTIC_URL, MAUTIC_USERNAME and
MAUTIC_PASSWORD (Basic auth), or MAUTIC_CLIENT_ID and MAUTIC_CLIENT_SECRET (OAuth2
client credentials). Output is JSON; --format table prints a table.

exit codes:
""" + "\n".join(f"  {code.value}  {code.description}" for code in ExitCode)


def _common_options(default: Any) -> _Parser:
    parent = _Parser(add_help=False)
    parent.add_argument(
        "--format",
        choices=("json", "table"),
        default=default if default is argparse.SUPPRESS else "json",
        help="output format (json)",
    )
    add_connection_options(parent, default)
    return parent


def build_parser() -> argparse.ArgumentParser:
    """The ``mautic-async`` argument parser, built from :data:`COMMANDS`."""
    parser = _Parser(
        prog="mautic-async",
        description="Mautic point groups and contact scores from the command line.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_common_options(None)],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = _common_options(argparse.SUPPRESS)
    top = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    nested: dict[str, Any] = {}
    for command in COMMANDS:
        *group, name = command.name.split()
        where = top
        if group:
            (group_name,) = group
            if group_name not in nested:
                group_parser = top.add_parser(group_name, help=_GROUPS[group_name])
                nested[group_name] = group_parser.add_subparsers(
                    dest=f"{group_name}_command", required=True, metavar="OPERATION"
                )
            where = nested[group_name]
        sub = where.add_parser(name, help=command.help, description=command.help, parents=[common])
        for add in command.arguments:
            add(sub)
        sub.set_defaults(spec=command)
    demo = top.add_parser(
        "demo",
        help="walk through the whole API against the embedded emulator (needs no Mautic)",
        description="Start the embedded Mautic emulator and use every operation on it.",
    )
    demo.set_defaults(spec=None)
    return parser
