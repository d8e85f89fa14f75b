"""When to try a request again, and how long to wait first. Pure: no I/O, no clock.

Mautic has no idempotency keys, so whether a failed request may be sent again depends
on its method and on whether it can have taken effect:

======== =================================================================================
Method   Sent again after an unknown outcome (timeout, dropped connection, 500/502/504)?
======== =================================================================================
GET      Yes: reading twice changes nothing.
PATCH    Yes: an edit sets the same fields to the same values again; the result is the
         same entity, and Mautic only stamps ``dateModified`` when something changed.
POST     No: a repeated create makes a second entity, a repeated score adjustment
         adds twice.
PUT      No: PUT on an id that is missing *creates* an entity with a new id, so a
         repeat can create two.
DELETE   No: the repeat finds nothing and answers 404, misreporting a delete that
         worked as a failure.
======== =================================================================================

Every method is sent again when the request provably did not take effect: the
connection could not be opened, or Mautic answered 429 (its rate limiter runs before
the controller) or 503. ``retry_unsafe=True`` extends the "yes" column to every method
for callers who would rather risk a duplicate than an error.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import attrs

from .errors import APIConnectionError, APIError, APIStatusError

__all__ = ["RetryPolicy"]

#: Statuses worth another attempt at all (408 and 5xx gateway/overload answers).
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
#: Statuses that say the request was not processed, so even writes may be repeated.
NOT_PROCESSED_STATUSES = frozenset({429, 503})
#: Methods whose repetition cannot duplicate or misreport work (see the table above).
REPEATABLE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PATCH"})


@attrs.frozen
class RetryPolicy:
    """How many times, and after how long, a failed request is tried again.

    Attributes:
        max_retries: attempts after the first; ``0`` disables retries.
        backoff_base / backoff_max: the exponential backoff (0.5, 1, 2, 4, 8 s…).
        jitter: the fraction of each backoff delay taken off at random, so many
            clients that failed together do not come back together.
        max_retry_after: the longest wait the server may ask for (``Retry-After``,
            Mautic's ``X-RateLimit-Reset``) that we will sleep through; past it the
            error is raised with its ``retry_after`` so the caller can reschedule.
        retry_unsafe: also repeat writes whose outcome is unknown (may duplicate).
    """

    max_retries: int = attrs.field(default=2, validator=attrs.validators.ge(0))
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    jitter: float = 0.25
    max_retry_after: float = 60.0
    retry_unsafe: bool = False

    def backoff(self, retries_taken: int, rand: Callable[[], float] = random.random) -> float:
        """The delay before retry number ``retries_taken + 1``."""
        delay = min(self.backoff_base * 2.0**retries_taken, self.backoff_max)
        return delay * (1.0 - self.jitter * rand())

    def delay(
        self,
        method: str,
        error: APIError,
        retries_taken: int,
        rand: Callable[[], float] = random.random,
    ) -> float | None:
        """Seconds to wait before trying ``method`` again after ``error``, or ``None``
        to give up and raise ``error``."""
        if retries_taken >= self.max_retries:
            return None
        repeatable = self.retry_unsafe or method in REPEATABLE_METHODS
        if isinstance(error, APIConnectionError):
            if not error.transient:
                return None
            if repeatable or not error.request_sent:
                return self.backoff(retries_taken, rand)
            return None
        if not isinstance(error, APIStatusError) or error.status not in RETRYABLE_STATUSES:
            return None
        if not repeatable and error.status not in NOT_PROCESSED_STATUSES:
            return None
        if error.retry_after is not None:
            if error.retry_after > self.max_retry_after:
                return None
            return error.retry_after
        return self.backoff(retries_taken, rand)
