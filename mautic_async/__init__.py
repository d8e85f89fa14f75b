"""mautic_async: an async client for Mautic's REST API.

>>> from mautic_async import MauticClient, BasicAuth
>>> async with MauticClient("https://mautic.example.com",
...                         auth=BasicAuth("admin", "secret")) as mautic:
...     group = await mautic.point_groups.create({"name": "Group A"})
...     print(group.id, group.name.upper())
"""

from ._protocol import APIRequest
from ._response import APIResponse
from ._retry import RetryPolicy
from ._unset import UNSET, Unset
from ._version import __version__
from .auth import Auth, BasicAuth, OAuth2ClientCredentials, OAuth2Token, TokenResponse
from .client import DEFAULT_TIMEOUT, MauticClient
from .errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    ClientClosedError,
    ErrorItem,
    MauticError,
    NotFoundError,
    OAuthError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    ServerError,
    UnexpectedResponseError,
    ValidationError,
)
from .models import (
    BatchItem,
    BatchResult,
    Contact,
    GroupScore,
    Page,
    PointGroup,
    PointGroupData,
    PointGroupFields,
    Published,
    ScoreGroup,
)
from .resources import (
    ContactPointGroupScores,
    Contacts,
    PointGroups,
    Resource,
    ResourceWithRawResponse,
)
from .sync import ProgressCallback, SyncItem, SyncReport

__all__ = [
    "DEFAULT_TIMEOUT",
    "UNSET",
    "APIConnectionError",
    "APIError",
    "APIRequest",
    "APIResponse",
    "APIStatusError",
    "APITimeoutError",
    "Auth",
    "AuthenticationError",
    "BasicAuth",
    "BatchItem",
    "BatchResult",
    "ClientClosedError",
    "Contact",
    "ContactPointGroupScores",
    "Contacts",
    "ErrorItem",
    "GroupScore",
    "MauticClient",
    "MauticError",
    "NotFoundError",
    "OAuth2ClientCredentials",
    "OAuth2Token",
    "OAuthError",
    "Page",
    "PaginationError",
    "PermissionDeniedError",
    "PointGroup",
    "PointGroupData",
    "PointGroupFields",
    "PointGroups",
    "ProgressCallback",
    "Published",
    "RateLimitError",
    "Resource",
    "ResourceWithRawResponse",
    "ResponseTooLargeError",
    "RetryPolicy",
    "ScoreGroup",
    "ServerError",
    "SyncItem",
    "SyncReport",
    "TokenResponse",
    "UnexpectedResponseError",
    "Unset",
    "ValidationError",
    "__version__",
]
