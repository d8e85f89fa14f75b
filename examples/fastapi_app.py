"""A small FastAPI app over Mautic: list and create point groups, adjust scores.

The pattern: **one** ``MauticClient`` for the app's whole life, created in the
lifespan and handed to handlers through a dependency, so every request shares its
connection pool, its OAuth2 token and its concurrency limit. Tests swap it with
``app.dependency_overrides[get_mautic]``. Mautic's errors become sensible HTTP
answers in one exception handler.

Runs against the embedded Mautic emulator when MAUTIC_URL is not set::

    pip install 'mautic-async[examples]'
    uvicorn fastapi_app:app --app-dir examples        # or: python examples/fastapi_app.py
    curl -X POST localhost:8000/point-groups -H 'content-type: application/json' \\
        -d '{"name": "Readers"}'
    curl localhost:8000/point-groups

Against a real Mautic, set the environment variables the ``mautic-async`` command
reads first: ``MAUTIC_URL``, then either ``MAUTIC_USERNAME`` and ``MAUTIC_PASSWORD``
(Basic auth) or ``MAUTIC_CLIENT_ID`` and ``MAUTIC_CLIENT_SECRET`` (OAuth2 client
credentials).
"""

import contextlib
import logging
import math
import os
from collections.abc import AsyncIterator, Sequence
from typing import Annotated, Literal

from fastapi import BackgroundTasks, Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from mautic_async import (
    APIConnectionError,
    APITimeoutError,
    Auth,
    AuthenticationError,
    BasicAuth,
    MauticClient,
    MauticError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ValidationError,
)
from mautic_async.cli import auth_from_env

logger = logging.getLogger("fastapi_app")


@contextlib.asynccontextmanager
async def mautic_site() -> AsyncIterator[tuple[str, Auth]]:
    """The Mautic to talk to: $MAUTIC_URL with the credentials the CLI would use (Basic
    or OAuth2, see the module docs), or an emulator started just for this run."""
    url = os.environ.get("MAUTIC_URL")
    if url:
        yield url, auth_from_env()
        return
    from mautic_async.testing import MauticEmulator

    async with MauticEmulator(basic_auth={"admin": "secret"}) as emulator:
        logger.warning("no MAUTIC_URL set: using the embedded emulator at %s", emulator.url)
        yield emulator.url, BasicAuth("admin", "secret")


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """One client for the app's lifetime, closed at shutdown."""
    async with mautic_site() as (url, auth), MauticClient(url, auth=auth) as mautic:
        app.state.mautic = mautic
        yield


def get_mautic(request: Request) -> MauticClient:
    """The dependency: the app's client (tests override it)."""
    mautic: MauticClient = request.app.state.mautic
    return mautic


Mautic = Annotated[MauticClient, Depends(get_mautic)]

app = FastAPI(title="Mautic point groups", lifespan=lifespan)


# -- what goes in and out --------------------------------------------------------


class PointGroupIn(BaseModel):
    name: str = Field(min_length=1, max_length=255)
    description: str | None = None
    is_published: bool = True

    @field_validator("name")
    @classmethod
    def not_blank(cls, name: str) -> str:
        """A blank name is the caller's mistake: a 422 naming the field (Mautic would
        refuse it, and the library refuses it before sending)."""
        if not name.strip():
            raise ValueError("must not be blank")
        return name


class PointGroupOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)  # built from the library's models

    id: int
    name: str
    description: str | None = None
    is_published: bool | None = None


class PointGroupPage(BaseModel):
    total: int
    items: list[PointGroupOut]


class ScoreChange(BaseModel):
    operator: Literal["plus", "minus", "times", "divide", "set"]
    value: int


class ScoreOut(BaseModel):
    contact_id: int
    group_id: int
    score: int


# -- endpoints ---------------------------------------------------------------------


@app.get("/point-groups")
async def list_point_groups(
    mautic: Mautic,
    search: str | None = None,
    published_only: bool = False,
    start: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 30,
) -> PointGroupPage:
    page = await mautic.point_groups.list(
        search=search, published_only=published_only, start=start, limit=limit
    )
    items = [PointGroupOut.model_validate(group) for group in page]
    return PointGroupPage(total=page.total, items=items)


@app.post("/point-groups", status_code=201)
async def create_point_group(group: PointGroupIn, mautic: Mautic) -> PointGroupOut:
    created = await mautic.point_groups.create(
        {"name": group.name, "description": group.description, "is_published": group.is_published}
    )
    return PointGroupOut.model_validate(created)


#: Mautic ids are positive: 0 or less is a 422 naming the parameter, never a 500.
Id = Annotated[int, Path(ge=1)]


@app.post("/contacts/{contact_id}/point-groups/{group_id}/score")
async def adjust_score(
    contact_id: Id, group_id: Id, change: ScoreChange, mautic: Mautic
) -> ScoreOut:
    scores = mautic.contacts.point_group_scores(contact_id)
    try:
        result = await scores.adjust(group_id, change.operator, change.value)
    except ValueError as exc:  # refused before sending: divide by 0, a bad id
        raise HTTPException(422, str(exc)) from None
    return ScoreOut(contact_id=contact_id, group_id=group_id, score=result.score or 0)


async def sync_groups(mautic: MauticClient, names: Sequence[str]) -> None:
    report = await mautic.point_groups.sync([{"name": name} for name in names])
    logger.info("background sync: %s", report.counts())


@app.post("/point-groups/sync", status_code=202)
async def sync_point_groups(
    names: list[str], mautic: Mautic, background: BackgroundTasks
) -> dict[str, int]:
    """Make sure these groups exist, after the response is sent. The background task
    gets the app-lifetime client: a per-request client would be closed by then."""
    background.add_task(sync_groups, mautic, names)
    return {"accepted": len(names)}


# -- Mautic's errors as HTTP answers ---------------------------------------------------


@app.exception_handler(MauticError)
async def mautic_error(request: Request, exc: MauticError) -> JSONResponse:
    """404 stays 404, refused input is 422, anything wrong between us and Mautic is
    a 502/503/504: the caller did nothing wrong."""
    if isinstance(exc, NotFoundError):
        return JSONResponse({"detail": exc.message}, status_code=404)
    if isinstance(exc, ValidationError):
        return JSONResponse({"detail": exc.message, "errors": exc.details}, status_code=422)
    logger.warning("Mautic call failed: %s", exc)
    if isinstance(exc, (AuthenticationError, PermissionDeniedError)):
        return JSONResponse({"detail": "Mautic refused our credentials"}, status_code=502)
    if isinstance(exc, RateLimitError):
        retry_after = str(math.ceil(exc.retry_after or 60))
        return JSONResponse(
            {"detail": "Mautic's rate limit is used up; try again later"},
            status_code=503,
            headers={"Retry-After": retry_after},
        )
    if isinstance(exc, APITimeoutError):
        return JSONResponse({"detail": "Mautic did not answer in time"}, status_code=504)
    if isinstance(exc, APIConnectionError):
        return JSONResponse({"detail": "Mautic is unreachable"}, status_code=502)
    return JSONResponse({"detail": "Mautic failed to answer properly"}, status_code=502)


if __name__ == "__main__":
    try:
        import uvicorn  # type: ignore[import-not-found,unused-ignore]  # an optional extra
    except ImportError:
        raise SystemExit("serving needs uvicorn: pip install 'mautic-async[examples]'") from None
    uvicorn.run(app, host="127.0.0.1", port=8000)
