"""Logic written once for both clients: a generator yields :class:`Call` plans and receives their
results (or has their errors thrown in); a driver runs it on a Client or an AsyncClient."""

from __future__ import annotations

from collections.abc import Awaitable, Generator
from typing import Any, TypeVar

from ._transport import Call
from .client import AsyncClient, Client
from .errors import VaultError

T = TypeVar("T")
Steps = Generator[Call[Any], Any, T]


def run_sync(client: Client, steps: Steps[T]) -> T:
    try:
        call = next(steps)
        while True:
            try:
                result = client._run(call)
            except VaultError as error:
                call = steps.throw(error)
            else:
                call = steps.send(result)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


async def run_async(client: AsyncClient, steps: Steps[T]) -> T:
    try:
        call = next(steps)
        while True:
            try:
                result = await client._run(call)
            except VaultError as error:
                call = steps.throw(error)
            else:
                call = steps.send(result)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


def run(client: Client | AsyncClient, steps: Steps[T]) -> T | Awaitable[T]:
    """The result for a Client; an awaitable of it for an AsyncClient."""
    if isinstance(client, AsyncClient):
        return run_async(client, steps)
    return run_sync(client, steps)
