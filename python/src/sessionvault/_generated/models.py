# generated — do not edit. Source: openapi/sessionvault.yaml; regenerate with python/scripts/generate.sh

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict


class OkResponse(TypedDict):
    status: NotRequired[str]


class ErrorResponse(TypedDict):
    status: NotRequired[str]
    message: str


class RequestMetadata(TypedDict):
    pass


SessionUuid = str


class SessionData(TypedDict):
    pass


UserToken = str


Mode = Literal['token', 'login', 'email', 'phone', 'custom']


Identity = str


Duration = str


SlidingTime = Duration


FinalTime = Duration | int | str


Version = int


class SessionUpsertRequest(TypedDict):
    sessionuuid: SessionUuid
    sessiondata: SessionData
    slidingtime: NotRequired[SlidingTime]
    finaltime: NotRequired[FinalTime]
    usertoken: NotRequired[UserToken | str]
    expectversion: NotRequired[int]
    request_metadata: NotRequired[RequestMetadata]


class SessionRefRequest(TypedDict):
    sessionuuid: SessionUuid
    request_metadata: NotRequired[RequestMetadata]


class SessionTouchRequest(TypedDict):
    sessionuuid: SessionUuid
    slidingtime: NotRequired[SlidingTime]
    request_metadata: NotRequired[RequestMetadata]


UnsetItem = str


class SessionPatchRequest(TypedDict):
    sessionuuid: SessionUuid
    set: NotRequired[SessionData]
    unset: NotRequired[list[UnsetItem]]
    create: NotRequired[bool]
    slidingtime: NotRequired[SlidingTime]
    finaltime: NotRequired[FinalTime]
    usertoken: NotRequired[UserToken | str]
    expectversion: NotRequired[int]
    request_metadata: NotRequired[RequestMetadata]


class SessionWriteResponse(TypedDict):
    status: NotRequired[str]
    version: NotRequired[Version]


class SessionMeta(TypedDict):
    version: Version
    created: int
    lastused: int
    expires: NotRequired[int | None]
    usertoken: NotRequired[str | None]


class SessionGetResponse(SessionMeta):
    status: NotRequired[str]
    sessiondata: SessionData


class SessionTouchResponse(TypedDict):
    status: NotRequired[str]
    expires: NotRequired[int | None]


class SessionListUserSessionsRequest(TypedDict):
    mode: Mode
    identity: Identity
    offset: NotRequired[int]
    limit: NotRequired[int]
    request_metadata: NotRequired[RequestMetadata]


class SessionRow(SessionMeta):
    sessionuuid: SessionUuid
    sessiondata: SessionData


class SessionListUserSessionsResponse(TypedDict):
    status: NotRequired[str]
    rows: list[SessionRow]
    total: NotRequired[int]


class SessionRevokeUserRequest(TypedDict):
    mode: Mode
    identity: Identity
    keep: NotRequired[list[SessionUuid]]
    request_metadata: NotRequired[RequestMetadata]


class SessionRevokeUserResponse(TypedDict):
    status: NotRequired[str]
    deleted: int


class Profile(TypedDict):
    login: NotRequired[str]
    email: NotRequired[str]
    phone: NotRequired[str]
    custom: NotRequired[str]


class UserCreateRequest(TypedDict):
    profile: Profile
    slidingtime: NotRequired[SlidingTime]
    finaltime: NotRequired[FinalTime]
    request_metadata: NotRequired[RequestMetadata]


class UserCreateResponse(TypedDict):
    status: NotRequired[str]
    token: UserToken


class UserRefRequest(TypedDict):
    mode: Mode
    identity: Identity
    request_metadata: NotRequired[RequestMetadata]


class UserGetResponse(TypedDict):
    status: NotRequired[str]
    token: UserToken
    profile: Profile


class ProfilePatch(TypedDict):
    login: NotRequired[str | None]
    email: NotRequired[str | None]
    phone: NotRequired[str | None]
    custom: NotRequired[str | None]


class UserUpdateRequest(TypedDict):
    mode: Mode
    identity: Identity
    profile: ProfilePatch
    request_metadata: NotRequired[RequestMetadata]


TokenType = Literal['creditcard', 'email', 'phone', 'ssn', 'string']


TokenRecord = str


class TokenCreateRequest(TypedDict):
    tokentype: TokenType
    record: TokenRecord
    unique: NotRequired[bool]
    baselookup: NotRequired[bool]
    slidingtime: NotRequired[SlidingTime]
    finaltime: NotRequired[FinalTime]
    request_metadata: NotRequired[RequestMetadata]


class TokenCreateResponse(TypedDict):
    status: NotRequired[str]
    tokenuuid: str
    tokenbase: str


class TokenRefRequest(TypedDict):
    token: str
    request_metadata: NotRequired[RequestMetadata]


class TokenGetResponse(TypedDict):
    status: NotRequired[str]
    record: TokenRecord
    tokentype: TokenType


class Record(TypedDict):
    tokentype: TokenType
    record: TokenRecord


class TokenCreateBulkRequest(TypedDict):
    records: list[Record]
    unique: NotRequired[bool]
    baselookup: NotRequired[bool]
    slidingtime: NotRequired[SlidingTime]
    finaltime: NotRequired[FinalTime]
    request_metadata: NotRequired[RequestMetadata]


class CreatedItem(TypedDict):
    tokenuuid: str
    tokenbase: str
    tokentype: TokenType


class TokenCreateBulkResponse(TypedDict):
    status: NotRequired[str]
    created: list[CreatedItem]


class V1SessionResponse(TypedDict):
    status: NotRequired[str]
    session: NotRequired[str]
    when: NotRequired[int]
    data: NotRequired[SessionData]


class V1UserTokenResponse(TypedDict):
    status: NotRequired[str]
    token: UserToken


class V1UserGetResponse(TypedDict):
    status: NotRequired[str]
    token: UserToken
    data: Profile


class V1UserDeleteResponse(TypedDict):
    status: NotRequired[str]
    result: NotRequired[str]


class Row(TypedDict):
    session: str
    when: NotRequired[int]
    data: SessionData


class V1SessionListResponse(TypedDict):
    status: NotRequired[str]
    total: int
    rows: list[Row]
