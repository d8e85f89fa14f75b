"""Authentication strategies, applied by the client to each request.

An :class:`Auth` gives the client an ``Authorization`` header value for each request
and says, when Mautic answers 401, whether the request is worth replaying once with
fresh credentials. OAuth2 strategies fetch tokens through a :data:`TokenEndpoint` the
client supplies, which talks to ``{base_url}/oauth/v2/token`` outside the normal
request path (no auth header, no retry loop, so no recursion).

None of these classes ever shows a secret: not in ``repr``, not in errors, not in logs.

::

    BasicAuth("admin", "secret")
    OAuth2ClientCredentials("1_abc", "secret")
    OAuth2Token("1_abc", "secret", access_token=..., refresh_token=..., on_refresh=save)
"""

from __future__ import annotations

import abc
import asyncio
import base64
import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import attrs

from ._converter import StructureError, register_verbatim, structure
from .errors import APITimeoutError, UnexpectedResponseError, register_secrets
from .stores import StoredToken, TokenStore

__all__ = [
    "Auth",
    "BasicAuth",
    "OAuth2ClientCredentials",
    "OAuth2Token",
    "TokenEndpoint",
    "TokenResponse",
]

logger = logging.getLogger("mautic_async")

#: Posts a form to Mautic's token endpoint and returns the decoded JSON answer, or
#: raises :class:`~mautic_async.errors.OAuthError`. The client provides it.
TokenEndpoint = Callable[[Mapping[str, str]], Awaitable[Any]]

Clock = Callable[[], float]

TOKEN_PATH = "/oauth/v2/token"


@register_verbatim
@attrs.frozen
class TokenResponse:
    """What Mautic's token endpoint returns on success.

    Both tokens are hidden from ``repr``.

    Attributes:
        access_token: the bearer token to send.
        expires_in: its lifetime in seconds, as Mautic said (``None``: not said).
        token_type: ``"bearer"``.
        scope: the granted scope, if Mautic names one.
        refresh_token: ``None`` for client-credentials tokens (Mautic issues none).
    """

    access_token: str = attrs.field(repr=False)
    expires_in: int | None = None
    token_type: str | None = None
    scope: str | None = None
    refresh_token: str | None = attrs.field(default=None, repr=False)


class Auth(abc.ABC):
    """How the client authenticates. Subclass it for a scheme of your own."""

    @abc.abstractmethod
    async def authorization(self, token_endpoint: TokenEndpoint) -> str:
        """The ``Authorization`` header value for the next request."""

    async def on_unauthorized(self, used: str) -> bool:
        """Mautic answered 401 to a request sent with ``used``.

        Return ``True`` to have the client replay the request once (after, say,
        dropping a token the server no longer accepts); the default gives up.
        """
        return False


class BasicAuth(Auth):
    """HTTP Basic with a Mautic user's username (or email) and password.

    Mautic must have "Enable HTTP basic auth" switched on in its API settings, or it
    answers 403. A 401 is never replayed: the password will not get better.
    """

    __slots__ = ("_header", "_password", "username")

    def __init__(self, username: str, password: str) -> None:
        if not isinstance(username, str) or not isinstance(password, str):
            raise TypeError("username and password must be str")
        if not username or not password:
            empty = "username" if not username else "password"
            raise ValueError(f"BasicAuth: {empty} must not be empty")
        if ":" in username:
            raise ValueError("a Basic auth username cannot contain ':'")
        self.username = username
        self._password = password
        raw = f"{username}:{password}".encode()
        self._header = "Basic " + base64.b64encode(raw).decode("ascii")
        register_secrets(self)

    def _credentials(self) -> tuple[str, ...]:
        # What errors mask (see errors.mask): the password and the header's base64.
        return (self._password, self._header.removeprefix("Basic "))

    async def authorization(self, token_endpoint: TokenEndpoint) -> str:
        return self._header

    def __repr__(self) -> str:
        return f"BasicAuth(username={self.username!r}, password='***')"


def static_authorization(auth: Auth | None) -> str | None:
    """The ``Authorization`` value ``auth`` always gives, when the client may use it
    without awaiting ``auth.authorization()`` on every request: a :class:`BasicAuth`
    whose ``authorization`` is not overridden. ``None`` otherwise (tokens change)."""
    if isinstance(auth, BasicAuth) and type(auth).authorization is BasicAuth.authorization:
        return auth._header
    return None


class _TokenCache:
    """A bearer token and the monotonic time after which it should not be used."""

    __slots__ = ("header", "refresh_at")

    def __init__(self, access_token: str, expires_in: float | None, clock: Clock, margin: float):
        self.header = "Bearer " + access_token
        if expires_in is None:
            self.refresh_at: float | None = None  # use until Mautic says 401
        else:
            # Refresh a little early, but never more than half a short lifetime early.
            self.refresh_at = clock() + expires_in - min(margin, expires_in / 2)

    def fresh(self, clock: Clock) -> bool:
        return self.refresh_at is None or clock() < self.refresh_at


def _token_timeout(limit: float | None) -> APITimeoutError:
    return APITimeoutError(
        f"no OAuth2 token within the client's timeout ({limit} s)",
        method="POST",
        path=TOKEN_PATH,
        request_sent=True,
    )


def _being_cancelled() -> bool:
    """Whether the current task has been asked to stop (always ``True`` before Python
    3.11, which cannot tell: a cancellation is then never swallowed)."""
    cancelling = getattr(asyncio.current_task(), "cancelling", None)
    return cancelling is None or bool(cancelling())


class _OAuth2Base(Auth):
    """Token caching shared by the OAuth2 strategies.

    A token fetch is single-flight with one shared outcome: however many coroutines
    find the token stale at once, the first one fetches and all the others wait for
    its result, and get the same token or the same error. So a token endpoint that is
    down costs one fetch's retries, not one per waiter; a caller that arrives after a
    failed fetch starts the next one. A waiter that is cancelled or times out leaves
    the fetch running for the others; if the fetching caller is cancelled, the
    waiters notice and one of them fetches anew (nobody wedges). Every caller waits
    at most the client's timeout (``token_endpoint.wait_timeout``, when the endpoint
    has one) and then gets :class:`~mautic_async.APITimeoutError`.
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        refresh_margin: float = 60.0,
        clock: Clock = time.monotonic,
    ) -> None:
        if not isinstance(client_id, str) or not isinstance(client_secret, str):
            raise TypeError("client_id and client_secret must be str")
        if not client_id or not client_secret:
            empty = "client_id" if not client_id else "client_secret"
            raise ValueError(f"{type(self).__name__}: {empty} must not be empty")
        self.client_id = client_id
        self._client_secret = client_secret
        self._refresh_margin = refresh_margin
        self._clock = clock
        self._token: _TokenCache | None = None
        self._flight: asyncio.Future[_TokenCache] | None = None  # the fetch's outcome
        self._store: TokenStore | None = None  # a shared store, set by the client
        self._scope = ""
        self._failed: str | None = None  # the last header Mautic answered 401 to
        #: Tokens this object held before the current ones, still masked in errors.
        self._former: tuple[str, ...] = ()
        register_secrets(self)
        #: How many token fetches this strategy has made (for tests and metrics); each
        #: is one attempt of the client's token request, with its few retries.
        self.token_requests = 0

    async def authorization(self, token_endpoint: TokenEndpoint) -> str:
        token = self._token
        if token is not None and token.fresh(self._clock):
            return token.header
        limit: float | None = getattr(token_endpoint, "wait_timeout", None)
        loop = asyncio.get_running_loop()
        deadline = None if limit is None else loop.time() + limit
        while True:
            token = self._token
            if token is not None and token.fresh(self._clock):
                return token.header
            remaining = None if deadline is None else max(0.0, deadline - loop.time())
            flight = self._flight
            try:
                if flight is None:
                    return (await self._lead(token_endpoint, remaining, limit)).header
                token = await asyncio.wait_for(asyncio.shield(flight), remaining)
                return token.header
            except asyncio.TimeoutError:
                raise _token_timeout(limit) from None
            except asyncio.CancelledError:
                if flight is not None and flight.cancelled() and not _being_cancelled():
                    continue  # the fetch's caller was cancelled, not this one: fetch anew
                raise

    async def _lead(
        self, token_endpoint: TokenEndpoint, remaining: float | None, limit: float | None
    ) -> _TokenCache:
        """Fetch a token as this attempt's one fetch, and publish the outcome to
        every caller waiting on it."""
        flight: asyncio.Future[_TokenCache] = asyncio.get_running_loop().create_future()
        self._flight = flight
        try:
            try:
                token = await asyncio.wait_for(self._refresh(token_endpoint), remaining)
            except asyncio.TimeoutError:
                raise _token_timeout(limit) from None
        except Exception as exc:
            flight.set_exception(exc)
            flight.exception()  # retrieved: a flight nobody waited on logs nothing
            raise
        except BaseException:  # cancelled: waiters notice and one of them fetches anew
            flight.cancel()
            raise
        else:
            flight.set_result(token)
            return token
        finally:
            if self._flight is flight:
                self._flight = None

    def use_token_store(self, store: TokenStore, scope: str) -> None:
        """Keep the token in ``store`` under ``scope`` (the client calls this with its
        ``token_store=``): the single-flight fetch above then runs through the store,
        so every process sharing it uses one token and fetches it once."""
        if self._store is not None and (self._store is not store or self._scope != scope):
            raise ValueError(
                "this auth already uses another token store or Mautic site: "
                "give each client its own auth object"
            )
        self._store, self._scope = store, scope

    def _credentials(self) -> tuple[str, ...]:
        # What errors mask (see errors.mask): the client secret and every token held.
        token = self._token
        access = token.header.removeprefix("Bearer ") if token is not None else ""
        return (self._client_secret, access, *self._former)

    def _retire(self, secret: str | None) -> None:
        """Keep masking a replaced token for a while (a server may echo it late)."""
        if secret and secret not in self._former:
            self._former = (secret, *self._former)[:4]

    async def _refresh(self, token_endpoint: TokenEndpoint) -> _TokenCache:
        if self._store is not None:
            return await self._refresh_shared(self._store, token_endpoint)
        self.token_requests += 1
        answer = await self._fetch(token_endpoint)
        token = _TokenCache(
            answer.access_token, answer.expires_in, self._clock, self._refresh_margin
        )
        if self._token is not None and self._token.header != token.header:
            self._retire(self._token.header.removeprefix("Bearer "))
        self._token = token
        logger.debug("obtained an OAuth2 access token for client %s", self.client_id)
        return token

    async def _refresh_shared(
        self, store: TokenStore, token_endpoint: TokenEndpoint
    ) -> _TokenCache:
        """This process's one fetch, through the shared store: take the token another
        process stored if it is usable, else fetch one under the store's lock."""
        failed = self._failed

        def usable(stored: StoredToken) -> bool:
            return stored.fresh() and "Bearer " + stored.access_token != failed

        async def fetch(refresh_token: str | None) -> StoredToken:
            if refresh_token is not None:
                self._use_refresh_token(refresh_token)
            self.token_requests += 1
            answer = await self._fetch(token_endpoint)
            # Stored with the wall-clock time to stop using it (a little before
            # Mautic's expiry), which every process can read the same way.
            use_until = None
            if answer.expires_in is not None:
                margin = min(self._refresh_margin, answer.expires_in / 2)
                use_until = time.time() + answer.expires_in - margin
            return StoredToken(answer.access_token, use_until, answer.refresh_token)

        stored = await store.refresh(self._scope, fetch, usable)
        left = None if stored.expires_at is None else stored.expires_at - time.time()
        token = _TokenCache(stored.access_token, left, self._clock, 0.0)
        if self._token is not None and self._token.header != token.header:
            self._retire(self._token.header.removeprefix("Bearer "))
        self._token = token
        return token

    def _use_refresh_token(self, refresh_token: str) -> None:
        """Take the (rotated) refresh token another process stored."""

    async def on_unauthorized(self, used: str) -> bool:
        # Drop the token only if it is still the one that failed: another coroutine
        # (or, with a shared store, another process) may already have replaced it,
        # and that new one must not be thrown away.
        if self._token is not None and self._token.header == used:
            self._retire(used.removeprefix("Bearer "))  # still masked if echoed later
            self._token = None
        if self._store is not None:
            self._failed = used
            await self._store.clear_if(self._scope, used.removeprefix("Bearer "))
        return True

    async def _request(self, token_endpoint: TokenEndpoint, form: dict[str, str]) -> TokenResponse:
        form = {"client_id": self.client_id, "client_secret": self._client_secret, **form}
        payload = await token_endpoint(form)
        try:
            return structure(payload, TokenResponse)
        except StructureError as exc:
            raise UnexpectedResponseError(
                f"the token endpoint's answer has no usable access token ({exc})",
                method="POST",
                path=TOKEN_PATH,
                status=200,
                body="(not shown: it may hold a token)",
            ) from None

    @abc.abstractmethod
    async def _fetch(self, token_endpoint: TokenEndpoint) -> TokenResponse: ...

    def __repr__(self) -> str:
        return f"{type(self).__name__}(client_id={self.client_id!r}, client_secret='***')"


class OAuth2ClientCredentials(_OAuth2Base):
    """OAuth2 client credentials: server-to-server, no user, no browser.

    Tokens are fetched on first use, cached until ``refresh_margin`` seconds before
    they expire (Mautic's default lifetime is 3600 s), and fetched again after a 401.
    The client must have the client-credentials grant, which Mautic gives to clients
    an administrator creates.

    >>> auth = OAuth2ClientCredentials("3_4x5…", "secret")
    """

    async def _fetch(self, token_endpoint: TokenEndpoint) -> TokenResponse:
        return await self._request(token_endpoint, {"grant_type": "client_credentials"})


RefreshCallback = Callable[[TokenResponse], Awaitable[None] | None]


class OAuth2Token(_OAuth2Base):
    """An OAuth2 access token and refresh token obtained elsewhere (authorization code).

    When the access token expires (``expires_in`` seconds from now, if given) or
    Mautic answers 401, the pair is refreshed with ``grant_type=refresh_token``.
    Mautic rotates refresh tokens: the old one stops working once used, so the new
    pair is passed to ``on_refresh`` (sync or async) for you to store. If
    ``on_refresh`` raises, the new pair stays in use in this process and the error
    propagates, so a failure to store it is never silent.

    >>> async def save(token: TokenResponse) -> None:
    ...     await db.store(token.access_token, token.refresh_token)
    >>> auth = OAuth2Token("3_4x5…", "secret", access_token=a, refresh_token=r,
    ...                    expires_in=3600, on_refresh=save)
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        access_token: str | None = None,
        refresh_token: str,
        expires_in: float | None = None,
        on_refresh: RefreshCallback | None = None,
        refresh_margin: float = 60.0,
        clock: Clock = time.monotonic,
    ) -> None:
        super().__init__(client_id, client_secret, refresh_margin=refresh_margin, clock=clock)
        if not refresh_token or not isinstance(refresh_token, str):
            raise ValueError("OAuth2Token: refresh_token must be a non-empty str")
        if access_token is not None and (not isinstance(access_token, str) or not access_token):
            raise ValueError("OAuth2Token: access_token must be a non-empty str or None")
        self._refresh_token = refresh_token
        self._on_refresh = on_refresh
        if access_token:
            self._token = _TokenCache(access_token, expires_in, clock, refresh_margin)

    def _use_refresh_token(self, refresh_token: str) -> None:
        if refresh_token != self._refresh_token:
            self._retire(self._refresh_token)
        self._refresh_token = refresh_token

    def _credentials(self) -> tuple[str, ...]:
        return (*super()._credentials(), getattr(self, "_refresh_token", ""))

    async def _fetch(self, token_endpoint: TokenEndpoint) -> TokenResponse:
        answer = await self._request(
            token_endpoint, {"grant_type": "refresh_token", "refresh_token": self._refresh_token}
        )
        if answer.refresh_token:
            if answer.refresh_token != self._refresh_token:
                self._retire(self._refresh_token)
            self._refresh_token = answer.refresh_token
        if self._on_refresh is not None:
            # Take the new token into use before the callback runs, so that a failing
            # callback loses nothing in this process.
            if self._token is not None:
                self._retire(self._token.header.removeprefix("Bearer "))
            self._token = _TokenCache(
                answer.access_token, answer.expires_in, self._clock, self._refresh_margin
            )
            outcome = self._on_refresh(answer)
            if inspect.isawaitable(outcome):
                await outcome
        return answer
