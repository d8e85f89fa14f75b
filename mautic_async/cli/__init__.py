"""The ``mautic-async`` command line (also ``python -m mautic_async``).

Nouns ``groups``, ``points``, ``triggers`` and ``insights`` with the verbs ``list``,
``get``, ``create``, ``edit``, ``replace``, ``delete`` and ``sync`` (batch forms:
``create --file``, ``edit --file``, ``delete --ids``); ``scores`` for a contact's group
scores; ``contacts points`` for main points; and ``demo``, which runs the whole API
against the embedded emulator. The top-level verbs are aliases of ``groups <verb>``.
Output is JSON (``--format table`` for people); errors are one line on stderr, the
server's message first. The exit status tells their kind, the same for every command
(:class:`ExitCode`; ``--help`` and the README list the same):

- 0: success
- 1: a batch command, sync or scores sync finished with failed items or rows,
  --delete-missing was not confirmed, or an error of no kind below
- 2: usage: an unknown flag, a missing or malformed argument, missing URL or
  credentials, an unreadable file, a CSV without the contact_id,group_id,score header,
  --delete-missing off a terminal without --yes
- 3: invalid input: a value refused before sending (an id of 0, a bad --order-by, bad
  file content) or by Mautic (400/422)
- 4: credentials refused: 401, 403, OAuth2 token endpoint refusals
- 5: not found: 404
- 6: rate limited: 429
- 7: Mautic unreachable or failing: connection, timeout, TLS, 5xx, garbled, undecodable
  or oversized answer, paging that never ends

>>> from mautic_async.cli import main
>>> main(["demo"])  # doctest: +SKIP
0
"""

from ._commands import COMMANDS, Command, build_parser
from ._connect import auth_from_env
from ._errors import ExitCode
from ._main import main

__all__ = ["COMMANDS", "Command", "ExitCode", "auth_from_env", "build_parser", "main"]
