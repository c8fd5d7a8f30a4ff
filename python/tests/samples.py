"""The Python samples of the docs pages and the README: extracted, run as written against a real
vault, and (``server`` blocks) served and driven through a cookie jar."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from backend_protocol import check_quickstart
from conftest import Vault
from sessionvault import Client

ROOT = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^```python([^\n]*)\n(.*?)^```", re.S | re.M)


@dataclass(frozen=True)
class Sample:
    source: str  # page, relative to the repository
    line: int
    flags: frozenset[str]
    code: str

    @property
    def label(self) -> str:
        return f"{self.source}:{self.line}"


def samples_of(path: Path) -> list[Sample]:
    text = path.read_text("utf8")
    return [
        Sample(
            str(path.relative_to(ROOT)),
            text.count("\n", 0, m.start()) + 1,
            frozenset(m.group(1).split()),
            m.group(2),
        )
        for m in FENCE.finditer(text)
    ]


def expected_output(code: str) -> list[str]:
    """``# => text`` comments: output the sample must print, in this order."""
    return [m.group(1).strip() for m in re.finditer(r"# => (.+)$", code, re.M)]


def _env(vault: Vault, **extra: str) -> dict[str, str]:
    env = {**os.environ, "SESSIONVAULT_URL": vault.url, "SESSIONVAULT_TOKEN": vault.token, **extra}
    env.pop("PYTHONPATH", None)
    return env


def run_script(python: str, sample: Sample, vault: Vault, workdir: Path) -> None:
    file = workdir / f"sample_{sample.line}.py"
    file.write_text(sample.code, "utf8")
    out = subprocess.run(
        [python, str(file)], env=_env(vault), cwd=workdir, capture_output=True, text=True, timeout=120, check=False
    )
    assert out.returncode == 0, f"{sample.label} failed:\n{out.stdout}\n{out.stderr}"
    at = 0
    for marker in expected_output(sample.code):
        found = out.stdout.find(marker, at)
        assert found >= 0, f"expected {marker!r} in the output of {sample.label}:\n{out.stdout}"
        at = found + len(marker)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_and_check(python: str, sample: Sample, vault: Vault, workdir: Path) -> None:
    file = workdir / "app.py"
    file.write_text(sample.code, "utf8")
    port = _free_port()
    log = (workdir / f"app_{sample.line}.log").open("w")
    app = subprocess.Popen(
        [python, str(file)], env=_env(vault, PORT=str(port)), cwd=workdir, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert app.poll() is None, f"{sample.label} exited:\n{(workdir / log.name).read_text()}"
            try:
                httpx.get(f"{url}/me", timeout=1.0)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, f"{sample.label} did not listen on {url}"
                time.sleep(0.1)
        with Client(vault.url, vault.token) as c:
            check_quickstart(url, c)
    finally:
        app.terminate()
        app.wait(timeout=10)
        log.close()


def run_sample(python: str, sample: Sample, vault: Vault, workdir: Path) -> None:
    if "server" in sample.flags:
        serve_and_check(python, sample, vault, workdir)
    else:
        run_script(python, sample, vault, workdir)
