"""Exit codes, and turning any failure into one line on stderr."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable

from ..errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
    ValidationError,
)

__all__ = ["Cancelled", "ExitCode", "UsageError", "error_line", "exit_code_for"]


class ExitCode(enum.IntEnum):
    """What the exit status of ``mautic-async`` says about how it ended."""

    OK = 0
    FAILED = 1
    USAGE = 2
    INVALID = 3
    AUTH = 4
    NOT_FOUND = 5
    RATE_LIMITED = 6
    UNAVAILABLE = 7

    @property
    def description(self) -> str:
        """One line for ``--help`` and the docs."""
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    ExitCode.OK: "success",
    ExitCode.FAILED: (
        "a batch command, sync or scores sync finished with failed items or rows, "
        "--delete-missing was not confirmed, or an error of no kind below"
    ),
    ExitCode.USAGE: (
        "usage: an unknown flag, a missing or malformed argument, missing URL or "
        "credentials, an unreadable file, a CSV without the contact_id,group_id,score "
        "header, --delete-missing off a terminal without --yes"
    ),
    ExitCode.INVALID: (
        "invalid input: a value refused before sending (an id of 0, a bad --order-by, "
        "bad file content) or by Mautic (400/422)"
    ),
    ExitCode.AUTH: "credentials refused: 401, 403, OAuth2 token endpoint refusals",
    ExitCode.NOT_FOUND: "not found: 404",
    ExitCode.RATE_LIMITED: "rate limited: 429",
    ExitCode.UNAVAILABLE: (
        "Mautic unreachable or failing: connection, timeout, TLS, 5xx, garbled, undecodable "
        "or oversized answer, paging that never ends"
    ),
}


class UsageError(Exception):
    """A command line the CLI cannot run (exit code 2)."""


class Cancelled(Exception):
    """The user answered no to a question (exit code 1); nothing was changed."""


#: First match wins, so subclasses come before their bases.
_CODES: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], ExitCode], ...] = (
    (UsageError, ExitCode.USAGE),
    ((ValidationError, ValueError, TypeError), ExitCode.INVALID),
    ((AuthenticationError, PermissionDeniedError), ExitCode.AUTH),
    (NotFoundError, ExitCode.NOT_FOUND),
    (RateLimitError, ExitCode.RATE_LIMITED),
    # UnexpectedResponseError covers PaginationError and ResponseTooLargeError.
    ((ServerError, APIConnectionError, UnexpectedResponseError), ExitCode.UNAVAILABLE),
)


def exit_code_for(exc: BaseException) -> ExitCode:
    """The exit code for an error the CLI reports (see :class:`ExitCode`); any other
    :class:`~mautic_async.MauticError` (a 409, a closed client) is ``FAILED``."""
    for kind, code in _CODES:
        if isinstance(exc, kind):
            return code
    return ExitCode.FAILED


def error_line(exc: BaseException, secrets: Iterable[str] = ()) -> str:
    """``exc`` as one line of text, with every secret in ``secrets`` masked.

    The library's errors never carry credentials; masking is a second line of defence
    for messages built from what was typed on the command line.
    """
    # Only our own refusals speak Python; what a server said is shown as it said it,
    # and so is a refusal marked verbatim (e.g. a file's column names).
    if isinstance(exc, APIError):
        text = _server_first(exc)
    else:
        text = str(exc) if getattr(exc, "verbatim", False) else _cli_words(str(exc))
    text = text or "failed"
    if isinstance(exc, RateLimitError) and exc.retry_after is not None:
        text += f" (retry after {exc.retry_after:.0f} s)"
    text = " ".join(text.split())
    return redact(text, secrets)


#: The library's Python words in messages, and what a CLI user types instead.
_CLI_WORDS: tuple[tuple[str, str], ...] = (
    (r"\ballow_insecure_http=True\b", "--allow-insecure-http"),
    (r"\ballow_insecure_http\b", "--allow-insecure-http"),
    (r"\b(?:is_published|isPublished)\b", "--published/--unpublished"),
    (r"\border_by_dir\b", "--order-by-dir"),
    (r"\border_by\b", "--order-by"),
    (r"\bpage_size\b", "--page-size"),
    (r"\bpublished_only\b", "--published-only"),
    (r"\bevent_name\b", "--event-name"),
    (r"\baction_name\b", "--action-name"),
    (r"\bgroup_id\b", "GROUP"),
    (r"\bcontact_id\b", "CONTACT"),
    (r"^value: ", "VALUE: "),
    (r"\bPointGroupData\b", "a point group"),
    (r"\b(?:this )?MauticClient\b", "the connection"),
)
#: A safe method changes nothing, so "may have taken effect" is never true of it.
_SAFE = ("GET", "HEAD")
_MAY_HAVE = re.compile(r";? ?(?:the request )?may (?:still )?have taken effect")


def _server_first(exc: APIError) -> str:
    """The server's message first, then which call it answered: ``Item was not
    found. (the server answered 404 to GET /api/points/groups/9)``."""
    message = exc.message
    if exc.method.upper() in _SAFE:
        message = _MAY_HAVE.sub("", message)
    if exc.status is None:
        where = f"{exc.method} {exc.path}"
    else:
        where = f"the server answered {exc.status} to {exc.method} {exc.path}"
    text = f"{message} ({where})"
    snippet = getattr(exc, "body_snippet", None)
    if isinstance(exc, UnexpectedResponseError) and snippet:
        text += f"; its answer starts: {snippet!r}"
    return text


def _cli_words(text: str) -> str:
    for pattern, words in _CLI_WORDS:
        text = re.sub(pattern, words, text)
    return text


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace each secret that stands on its own (not inside a longer word, so a
    one-letter password does not mangle every message) with ``***``."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = re.sub(rf"(?<![^\W_]){re.escape(secret)}(?![^\W_])", "***", text)
    return text
