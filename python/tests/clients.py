"""Both clients behind one synchronous face, so every client test runs for Client and AsyncClient."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal, cast

from sessionvault import AsyncClient, Client

Kind = Literal["sync", "async"]
KINDS: list[Kind] = ["sync", "async"]


class SyncOverAsync:
    """An AsyncClient whose coroutine methods are run to completion on a private event loop."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client
        self._loop = asyncio.new_event_loop()

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            result = attr(*args, **kwargs)
            return self._loop.run_until_complete(result) if inspect.isawaitable(result) else result

        return call

    def close(self) -> None:
        self._loop.run_until_complete(self._client.aclose())
        self._loop.close()

    def __repr__(self) -> str:
        return repr(self._client)


def make(kind: Kind, url: str, token: str, **options: Any) -> Client:
    if kind == "sync":
        return Client(url, token, **options)
    return cast(Client, SyncOverAsync(AsyncClient(url, token, **options)))


@contextmanager
def opened(kind: Kind, url: str, token: str, **options: Any) -> Iterator[Client]:
    client = make(kind, url, token, **options)
    try:
        yield client
    finally:
        client.close()
