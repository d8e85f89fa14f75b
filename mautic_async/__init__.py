"""mautic_async: an async client for Mautic's REST API.

>>> from mautic_async import MauticClient, BasicAuth
>>> async with MauticClient("https://mautic.example.com",
...                         auth=BasicAuth("admin", "secret")) as mautic:
...     group = await mautic.point_groups.create({"name": "Group A"})
"""

from ._protocol import APIRequest
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
    CreatedWithoutFieldsError,
    EndpointUnavailableError,
    ErrorItem,
    EventsNotDeletedError,
    MauticError,
    NotFoundError,
    OAuthError,
    PermissionDeniedError,
    RateLimitError,
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
)
from .models_points import (
    Point,
    PointData,
    PointInsight,
    PointInsightData,
    PointTrigger,
    PointTriggerData,
    TriggerEvent,
    TriggerEventData,
)
from .resources import (
    ContactPointGroupScores,
    Contacts,
    PointGroups,
    PointInsights,
    Points,
    PointTriggers,
    Resource,
)
from .sync import ProgressCallback, SyncItem, SyncReport

__all__ = [
    "DEFAULT_TIMEOUT",
    "UNSET",
    "APIConnectionError",
    "APIError",
    "APIRequest",
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
    "CreatedWithoutFieldsError",
    "EndpointUnavailableError",
    "ErrorItem",
    "EventsNotDeletedError",
    "GroupScore",
    "MauticClient",
    "MauticError",
    "NotFoundError",
    "OAuth2ClientCredentials",
    "OAuth2Token",
    "OAuthError",
    "Page",
    "PermissionDeniedError",
    "Point",
    "PointData",
    "PointGroup",
    "PointGroupData",
    "PointGroups",
    "PointInsight",
    "PointInsightData",
    "PointInsights",
    "PointTrigger",
    "PointTriggerData",
    "PointTriggers",
    "Points",
    "ProgressCallback",
    "RateLimitError",
    "Resource",
    "RetryPolicy",
    "ServerError",
    "SyncItem",
    "SyncReport",
    "TokenResponse",
    "TriggerEvent",
    "TriggerEventData",
    "UnexpectedResponseError",
    "Unset",
    "ValidationError",
    "__version__",
]
