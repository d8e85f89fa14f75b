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
from typing import Any, Literal, NoReturn, TextIO

import attrs

from .._version import __version__
from ..client import MauticClient
from ..resources.contacts import ContactPointGroupScores, PointsOperator, ScoreOperator
from ._batch import changed_by_mautic, run_batch, run_delete_batch
from ._bulk import load_items, progress_bar
from ._connect import add_connection_options
from ._errors import Cancelled, ExitCode, UsageError
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


# -- nouns ---------------------------------------------------------------------------


@attrs.frozen
class Option:
    """A write flag of one noun: ``--delta N`` sets wire key ``delta``."""

    flag: str
    key: str
    type: Callable[[str], Any]
    help: str
    append: bool = False


@attrs.frozen
class Noun:
    """An entity the CLI manages with the same verbs (list, get, create, ...)."""

    name: str
    attr: str  # the MauticClient attribute: "point_groups"
    what: str  # "point group"
    plural: str  # "point groups"
    columns: tuple[str, ...]
    options: tuple[Option, ...] = ()


NOUNS: tuple[Noun, ...] = (
    Noun("groups", "point_groups", "point group", "point groups", GROUP_COLUMNS),
    Noun(
        "points",
        "points",
        "point action",
        "point actions",
        ("id", "name", "type", "delta", "isPublished"),
        (
            Option("--type", "type", str, "action type (see Mautic's point action types)"),
            Option("--delta", "delta", int, "points it gives"),
            Option("--group", "group", int, "point group id (write-only: Mautic never shows it)"),
        ),
    ),
    Noun(
        "triggers",
        "point_triggers",
        "point trigger",
        "point triggers",
        ("id", "name", "points", "isPublished", "events"),
        (
            Option("--points", "points", int, "the threshold"),
            Option("--color", "color", str, "hex colour without #"),
            Option("--group", "group", int, "point group id (write-only: Mautic never shows it)"),
        ),
    ),
    Noun(
        "insights",
        "point_insights",
        "point insight",
        "point insights (Mautic 7)",
        ("id", "name", "customField", "pointGroups"),
        (
            Option("--custom-field", "customField", str, "alias of a text contact field"),
            Option("--group", "pointGroups", int, "a point group id (repeat for more)", True),
        ),
    ),
)


def _resource(mautic: MauticClient, noun: Noun) -> Any:
    return getattr(mautic, noun.attr)


# -- arguments ---------------------------------------------------------------------


def _id_of(noun: Noun, batch: str = "") -> Adder:
    """The ``ID`` argument; optional where ``batch`` names the flag that replaces it."""

    def add(parser: argparse.ArgumentParser) -> None:
        if batch:
            parser.add_argument(
                "id", type=int, nargs="?", metavar="ID", help=f"{noun.what} id (or {batch})"
            )
        else:
            parser.add_argument("id", type=int, metavar="ID", help=f"{noun.what} id")

    return add


def _file_of(noun: Noun, verb: str) -> Adder:
    def add(parser: argparse.ArgumentParser) -> None:
        extra = " each with its id" if verb == "edit" else ""
        parser.add_argument(
            "--file",
            metavar="FILE",
            help=f"{verb} many: a JSON or YAML list of {noun.plural}{extra} (camelCase keys), "
            "or a CSV with a header row of keys; - for stdin. Prints each item's outcome",
        )

    return add


def _ids_list(text: str) -> list[int]:
    try:
        return [int(part) for part in text.replace(",", " ").split()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected ids such as 1,2,3, got {text!r}") from None


def _ids_of(noun: Noun) -> Adder:
    def add(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--ids",
            type=_ids_list,
            metavar="ID,ID,...",
            help=f"delete many {noun.plural}; prints each id's outcome",
        )

    return add


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError("expected a JSON object")
    return value


def _write_options_of(noun: Noun) -> Adder:
    def add(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--name", help=f"the {noun.what}'s name")
        parser.add_argument("--description", help="its description ('' clears it)")
        published = parser.add_mutually_exclusive_group()
        for flag, value in (("--published", True), ("--unpublished", False)):
            published.add_argument(
                flag, dest="is_published", action="store_const", const=value, help=flag[2:]
            )
        for option in noun.options:
            parser.add_argument(
                option.flag,
                dest=f"opt_{option.key}",
                metavar="N" if option.type is int else option.flag[2:].upper().replace("-", "_"),
                type=option.type,
                action="append" if option.append else "store",
                help=option.help,
            )
        parser.add_argument(
            "--json",
            type=_json_object,
            metavar="OBJECT",
            help="fields as a JSON object with camelCase keys, e.g. '{\"isPublished\": true}'; "
            "the options above override it",
        )

    return add


def _list_options_of(noun: Noun) -> Adder:
    def add(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--search", help='Mautic search: words match the name; "ids:1,2,3"')
        parser.add_argument("--start", type=int, help=f"offset of the first {noun.what}")
        parser.add_argument("--limit", type=int, help="page size (Mautic: 30; 0 = every match)")
        parser.add_argument("--order-by", metavar="FIELD[,FIELD]", help="e.g. name or dateAdded,id")
        parser.add_argument("--order-by-dir", choices=("asc", "desc"), help="sort direction")
        parser.add_argument("--published-only", action="store_true", help="published only")
        parser.add_argument("--all", action="store_true", help="every page, streamed as it arrives")
        parser.add_argument(
            "--page-size", type=int, metavar="N", help="with --all: items per request (100)"
        )
        parser.add_argument(
            "--stable",
            action="store_true",
            help="with --all: page by id, so items created or deleted meanwhile are "
            "neither skipped nor repeated (no --order-by)",
        )

    return add


def _sync_options_of(noun: Noun) -> Adder:
    def add(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "file",
            metavar="FILE",
            help=f"JSON list of {noun.plural} (camelCase keys); .yaml/.yml with PyYAML; .csv "
            "with a header row of keys; - for JSON on stdin",
        )
        parser.add_argument("--key", default="name", help="field that matches items (name)")
        parser.add_argument(
            "--delete-missing",
            action="store_true",
            help=f"delete every {noun.what} not in FILE: shows how many, then asks (--yes "
            "skips the question; off a terminal it is required)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="read Mautic and print what would be created, updated and deleted; send no write",
        )
        parser.add_argument(
            "--yes", action="store_true", help="confirm --delete-missing without asking"
        )

    return add


def _contact(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("contact", type=int, metavar="CONTACT", help="contact id")


def _group(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("group", type=int, metavar="GROUP", help="point group id")


def _log_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--event-name", help="written to the contact's points log")
    parser.add_argument("--action-name", help="written to the contact's points log")


def _adjust_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("value", type=int, metavar="VALUE", help="an integer")
    _log_options(parser)


def _main_points_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("contact", type=int, metavar="ID", help="contact id")
    parser.add_argument("points", type=int, metavar="N", help="points (an integer)")
    _log_options(parser)


# -- handlers ------------------------------------------------------------------------


def _data(noun: Noun, args: argparse.Namespace) -> dict[str, Any]:
    data = dict(args.json or {})
    for dest, key in (
        ("name", "name"),
        ("description", "description"),
        ("is_published", "isPublished"),
    ):
        value = getattr(args, dest)
        if value is not None:
            data[key] = value
    for option in noun.options:
        value = getattr(args, f"opt_{option.key}")
        if value is not None:
            data[option.key] = value
    return data


def _changes(noun: Noun, args: argparse.Namespace) -> dict[str, Any]:
    data = _data(noun, args)
    if not data:
        flags = ", ".join(["--name", "--description", *(o.flag for o in noun.options)])
        raise UsageError(f"nothing to change: pass {flags}, --published, --unpublished or --json")
    return data


def _list(noun: Noun) -> Handler:
    async def run(mautic: MauticClient, args: argparse.Namespace) -> Any:
        order_by = args.order_by.split(",") if args.order_by else None
        filters: Mapping[str, Any] = {
            "search": args.search,
            "order_by": order_by,
            "order_by_dir": args.order_by_dir,
            "published_only": args.published_only,
        }
        resource = _resource(mautic, noun)
        if not args.all:
            if args.page_size is not None or args.stable:
                raise UsageError("--page-size and --stable go with --all")
            return await resource.list(start=args.start, limit=args.limit, **filters)
        if args.start is not None or args.limit is not None:
            raise UsageError(
                "--all reads every page: leave out --start and --limit (see --page-size)"
            )
        return resource.iterate(
            page_size=100 if args.page_size is None else args.page_size,
            stable=args.stable,
            **filters,
        )

    return run


def _get(noun: Noun) -> Handler:
    async def run(mautic: MauticClient, args: argparse.Namespace) -> Any:
        return await _resource(mautic, noun).get(args.id)

    return run


def _note_changes(sent: Mapping[str, Any], entity: Any) -> None:
    for note in changed_by_mautic(sent, entity):
        print(f"mautic-async: note: {note}", file=sys.stderr)


async def _from_file(
    noun: Noun, verb: Literal["create", "edit"], mautic: MauticClient, args: argparse.Namespace
) -> Any:
    if _data(noun, args):
        raise UsageError("--file gives every field: leave out the field flags and --json")
    if verb == "edit" and args.id is not None:
        raise UsageError("edit --file: each item names its id; leave out ID")
    resource = _resource(mautic, noun)
    items = load_items(args.file, data_class=resource.data_class)
    return await run_batch(resource, verb, items, sys.stderr)


def _create(noun: Noun) -> Handler:
    async def run(mautic: MauticClient, args: argparse.Namespace) -> Any:
        if args.file is not None:
            return await _from_file(noun, "create", mautic, args)
        data = _data(noun, args)
        created = await _resource(mautic, noun).create(data)
        _note_changes(data, created)
        return created

    return run


def _edit(noun: Noun) -> Handler:
    async def run(mautic: MauticClient, args: argparse.Namespace) -> Any:
        if args.file is not None:
            return await _from_file(noun, "edit", mautic, args)
        if args.id is None:
            raise UsageError("edit needs ID (or --file for many)")
        data = _changes(noun, args)
        edited = await _resource(mautic, noun).edit(args.id, data)
        _note_changes(data, edited)
        return edited

    return run


def _replace(noun: Noun) -> Handler:
    async def run(mautic: MauticClient, args: argparse.Namespace) -> Any:
        data = _data(noun, args)
        replaced = await _resource(mautic, noun).replace(args.id, data)
        new_id = getattr(replaced, "id", None)
        if new_id != args.id:  # PUT on a missing id creates
            print(
                f"mautic-async: warning: there was no {noun.what} {args.id}, so Mautic "
                f"created a new one with id {new_id}",
                file=sys.stderr,
            )
        _note_changes(data, replaced)
        return replaced

    return run


def _delete(noun: Noun) -> Handler:
    async def run(mautic: MauticClient, args: argparse.Namespace) -> Any:
        if args.ids is not None:
            if args.id is not None:
                raise UsageError("give ID or --ids, not both")
            return await run_delete_batch(_resource(mautic, noun), args.ids)
        if args.id is None:
            raise UsageError("delete needs ID (or --ids for many)")
        return await _resource(mautic, noun).delete(args.id)

    return run


def _sync(noun: Noun) -> Handler:
    async def run(mautic: MauticClient, args: argparse.Namespace) -> Any:
        resource = _resource(mautic, noun)
        items = load_items(args.file, data_class=resource.data_class)
        if args.dry_run or args.delete_missing:
            # A dry run reads and plans only: it is also how the deletions are counted.
            plan = await resource.sync(
                items, key=args.key, delete_missing=args.delete_missing, dry_run=True
            )
            if args.dry_run:
                return plan
            confirm_deletions(noun.what, [item.key for item in plan.deleted], args)
        with progress_bar(sys.stderr, "sync") as progress:
            return await resource.sync(
                items, key=args.key, delete_missing=args.delete_missing, progress=progress
            )

    return run


def confirm_deletions(
    what: str,
    keys: list[Any],
    args: argparse.Namespace,
    stdin: TextIO | None = None,
    stderr: TextIO | None = None,
) -> None:
    """Show how many entities ``--delete-missing`` would delete, then go ahead with
    ``--yes``, ask on a terminal, or refuse (:class:`UsageError`) off one.

    Off a terminal ``--yes`` is needed even when nothing would be deleted today, so a
    scheduled job behaves the same whatever Mautic holds. Raises :class:`Cancelled`
    when the answer is not yes.
    """
    stdin = stdin or sys.stdin
    stderr = stderr or sys.stderr
    shown = ", ".join(repr(key) for key in keys[:10]) + (", ..." if len(keys) > 10 else "")
    stderr.write(
        f"--delete-missing: {len(keys)} {what}(s) in Mautic are not in {args.file}"
        f"{': ' + shown if keys else ''}\n"
    )
    if args.yes:
        return
    isatty = getattr(stdin, "isatty", None)
    if args.file == "-" or isatty is None or not isatty():  # no one to ask
        raise UsageError(
            f"--delete-missing would delete {len(keys)} {what}(s): pass --yes to confirm "
            "(nobody to ask: standard input is not a terminal)"
        )
    if not keys:
        return
    stderr.write(f"Delete {len(keys)} {what}(s)? [y/N] ")
    stderr.flush()
    if stdin.readline().strip().lower() not in ("y", "yes"):
        raise Cancelled("cancelled: nothing was changed")


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


@attrs.frozen
class PointsChange:
    """What ``contacts points add|subtract`` prints: the change, and the contact's main
    points read back afterwards (Mautic's answer to the change has no contact)."""

    contact_id: int
    operator: str
    delta: int
    points: int | None


def _main_points(operator: PointsOperator) -> Handler:
    async def adjust(mautic: MauticClient, args: argparse.Namespace) -> Any:
        await mautic.contacts.adjust_points(
            args.contact,
            operator,
            args.points,
            event_name=args.event_name,
            action_name=args.action_name,
        )
        contact = await mautic.contacts.get(args.contact)
        return PointsChange(args.contact, operator, args.points, contact.points)

    return adjust


_OPERATORS: dict[ScoreOperator, str] = {
    "plus": "add VALUE to a contact's score in a group",
    "minus": "subtract VALUE from a contact's score in a group",
    "times": "multiply a contact's score in a group by VALUE",
    "divide": "divide a contact's score in a group by VALUE (must divide evenly)",
    "set": "set a contact's score in a group to VALUE",
}


def _noun_commands(noun: Noun, prefix: str) -> tuple[Command, ...]:
    """The seven verbs for one noun; ``prefix`` is ``"points "`` (or ``""`` for the
    top-level aliases of ``groups``)."""
    id_ = _id_of(noun)
    write = _write_options_of(noun)
    return (
        Command(
            f"{prefix}list",
            f"list {noun.plural} (a page, or all with --all)",
            _list(noun),
            (_list_options_of(noun),),
            noun.columns,
        ),
        Command(f"{prefix}get", f"show one {noun.what}", _get(noun), (id_,), noun.columns),
        Command(
            f"{prefix}create",
            f"create a {noun.what} (--file: many)",
            _create(noun),
            (write, _file_of(noun, "create")),
            noun.columns,
        ),
        Command(
            f"{prefix}edit",
            f"change the given fields of a {noun.what} (PATCH; --file: many)",
            _edit(noun),
            (_id_of(noun, "--file"), write, _file_of(noun, "edit")),
            noun.columns,
        ),
        Command(
            f"{prefix}replace",
            f"replace a {noun.what} (PUT: fields left out are cleared; a missing id is created)",
            _replace(noun),
            (id_, write),
            noun.columns,
        ),
        Command(
            f"{prefix}delete",
            f"delete a {noun.what} (--ids: many)",
            _delete(noun),
            (_id_of(noun, "--ids"), _ids_of(noun)),
            noun.columns,
        ),
        Command(
            f"{prefix}sync",
            f"make Mautic hold exactly the {noun.plural} in FILE, matched by --key; "
            "prints the report",
            _sync(noun),
            (_sync_options_of(noun),),
            noun.columns,
        ),
    )


#: Every command but ``demo``, in ``--help`` order.
COMMANDS: tuple[Command, ...] = (
    # Today's top-level verbs stay, as aliases of `groups <verb>`, so scripts keep working.
    *_noun_commands(NOUNS[0], ""),
    *(command for noun in NOUNS for command in _noun_commands(noun, f"{noun.name} ")),
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
    Command(
        "contacts points add",
        "add N to a contact's main points; prints the points after",
        _main_points("plus"),
        (_main_points_options,),
        ("contactId", "operator", "delta", "points"),
    ),
    Command(
        "contacts points subtract",
        "subtract N from a contact's main points; prints the points after",
        _main_points("minus"),
        (_main_points_options,),
        ("contactId", "operator", "delta", "points"),
    ),
)

_GROUPS = {
    "scores": "a contact's point-group scores: list, get, plus, minus, times, divide, set; "
    "sync for many",
    **{
        noun.name: f"{noun.plural}: list, get, create, edit, replace, delete, sync"
        for noun in NOUNS
    },
    "contacts": "contacts: points",
    "contacts points": "a contact's main points: add, subtract",
}

_EPILOG = """\
Settings come from the flags or the environment: MAUTIC_URL, MAUTIC_USERNAME and
MAUTIC_PASSWORD (Basic auth), or MAUTIC_CLIENT_ID and MAUTIC_CLIENT_SECRET (OAuth2
client credentials); MAUTIC_CA_BUNDLE for a private CA. The connection flags and
--format go before the command, between noun and verb, or after the verb; the last
one given wins. Output is JSON; --format table prints a table.

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
        description="Mautic point groups, point actions, triggers, insights and contact "
        "points from the command line.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_common_options(None)],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = _common_options(argparse.SUPPRESS)
    top = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    nested: dict[str, Any] = {}
    for command in COMMANDS:
        *path, name = command.name.split()
        where = top
        for depth in range(len(path)):
            group_name = " ".join(path[: depth + 1])
            if group_name not in nested:
                # The connection flags at every level: `groups --url U list` works too.
                group_parser = where.add_parser(
                    path[depth],
                    help=_GROUPS[group_name],
                    description=_GROUPS[group_name],
                    epilog=_EPILOG,
                    formatter_class=argparse.RawDescriptionHelpFormatter,
                    parents=[common],
                )
                nested[group_name] = group_parser.add_subparsers(
                    dest=f"{group_name.replace(' ', '_')}_command",
                    required=True,
                    metavar="OPERATION",
                )
            where = nested[group_name]
        sub = where.add_parser(
            name,
            help=command.help,
            description=command.help,
            epilog=_EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
            parents=[common],
        )
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
