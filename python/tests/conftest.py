"""A real vault for the tests: the server's CLI from the built packages/server dist."""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conformance_engine import load_cases

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Vault:
    url: str
    token: str
    proc: subprocess.Popen[str] | None = field(default=None, repr=False)

    def stop(self) -> None:
        """Stops the vault process (an outage); the URL then refuses connections."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def _node() -> str:
    pinned = ROOT / "node_modules" / "node" / "bin" / "node"
    return str(pinned) if pinned.exists() else "node"


@contextmanager
def start_vault(token: str | None = None) -> Iterator[Vault]:
    """A throwaway vault on a free port, started with the same CLI users run (`sessionvault start`)."""
    token = token or str(load_cases()["vault"]["token"])
    data = tempfile.mkdtemp(prefix="sessionvault-py-")
    env = {
        **os.environ,
        "SESSIONVAULT_ACCESS_TOKENS": f"conformance:{token}",
        "SESSIONVAULT_MASTER_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "SESSIONVAULT_SQLITE_PATH": f"{data}/vault.db",
        "SESSIONVAULT_DURABILITY": "process",
    }
    bin_js = ROOT / "packages" / "server" / "bin" / "sessionvault.js"
    proc = subprocess.Popen(
        [_node(), str(bin_js), "start", "--port", "0", "--host", "127.0.0.1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = ""
    assert proc.stdout is not None
    for line in proc.stdout:
        try:
            parsed = json.loads(line)
        except ValueError:
            continue
        if parsed.get("msg") == "listening":
            url = parsed["url"]
            break
    if not url:
        proc.kill()
        raise RuntimeError("the vault did not start")
    # Keep reading its log so a full pipe never blocks it.
    out = proc.stdout
    drain = threading.Thread(target=lambda: [None for _ in out], daemon=True)
    drain.start()
    vault = Vault(url, token, proc)
    try:
        yield vault
    finally:
        vault.stop()
        drain.join(timeout=10)


@pytest.fixture(scope="session")
def vault() -> Iterator[Vault]:
    with start_vault() as v:
        yield v
