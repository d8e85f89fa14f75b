"""The ``mautic-async`` command line (also ``python -m mautic_async``).

Commands for every point-group operation and a contact's group scores, ``sync FILE``
for bulk jobs, and ``demo``, which runs the whole API against the embedded emulator.
Output is JSON (``--format table`` for people); errors are one line on stderr and the
exit status tells their kind:

====  ==========================================================================
code  meaning
====  ==========================================================================
0     success
1     ``sync`` finished with failed items, or an error of no kind below
2     usage: bad arguments, missing URL or credentials
3     invalid input: Mautic's 400/422, or a value refused before sending
4     credentials refused: 401, 403, OAuth2 token endpoint refusals
5     not found: 404
6     rate limited: 429
7     Mautic unreachable or failing: connection errors, timeouts, 5xx, garbled answers
====  ==========================================================================

>>> from mautic_async.cli import main
>>> main(["demo"])  # doctest: +SKIP
0
"""

from ._commands import COMMANDS, Command, build_parser
from ._errors import ExitCode
from ._main import main

__all__ = ["COMMANDS", "Command", "ExitCode", "build_parser", "main"]
