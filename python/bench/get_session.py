"""get_session through the sessionvault Client vs the same request with raw httpx.

Same vault, same session, concurrency 1, interleaved rounds; prints the ratio
(goal: <= 1.15x). Run: python/.venv/bin/python python/bench/get_session.py
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from sessionvault import Client

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "10"))
CALLS = int(os.environ.get("BENCH_CALLS", "300"))


def start_vault(token: str) -> tuple[subprocess.Popen[str], str]:
    data = tempfile.mkdtemp(prefix="sessionvault-bench-")
    env = {
        **os.environ,
        "SESSIONVAULT_ACCESS_TOKENS": f"bench:{token}",
        "SESSIONVAULT_MASTER_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "SESSIONVAULT_SQLITE_PATH": f"{data}/vault.db",
        "SESSIONVAULT_DURABILITY": "process",
        "SESSIONVAULT_LOG_LEVEL": "warn",
    }
    node = ROOT / "node_modules" / "node" / "bin" / "node"
    args = [str(node), str(ROOT / "packages/server/bin/sessionvault.js"), "start", "--port", "0"]
    env["SESSIONVAULT_LOG_LEVEL"] = "info"
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if '"listening"' in line:
            return proc, str(json.loads(line)["url"])
    raise RuntimeError("the vault did not start")


def main() -> None:
    token = secrets.token_urlsafe(24)
    proc, url = start_vault(token)
    try:
        sid = f"bench-{secrets.token_hex(8)}"
        client = Client(url, token)
        client.upsert_session(sid, {"user": 1, "cart": ["a", "b"]}, slidingtime="1h")
        raw = httpx.Client(timeout=5.0)
        headers = {"x-bunker-token": token, "content-type": "application/json"}
        body = json.dumps({"sessionuuid": sid}).encode()

        def via_client() -> None:
            assert client.get_session(sid) is not None

        def via_httpx() -> None:
            r = raw.post(f"{url}/v2/SessionGet", content=body, headers=headers)
            assert r.status_code == 200 and "sessiondata" in r.json()

        for f in (via_client, via_httpx):
            for _ in range(100):
                f()
        ratios, c_us, h_us = [], [], []
        for _ in range(ROUNDS):
            times = {}
            for name, f in (("client", via_client), ("httpx", via_httpx)):
                t0 = time.perf_counter()
                for _ in range(CALLS):
                    f()
                times[name] = (time.perf_counter() - t0) / CALLS * 1e6
            c_us.append(times["client"])
            h_us.append(times["httpx"])
            ratios.append(times["client"] / times["httpx"])
        print(f"raw httpx:          {statistics.median(h_us):8.1f} us/call (median of {ROUNDS} rounds x {CALLS})")
        print(f"sessionvault.Client:{statistics.median(c_us):8.1f} us/call")
        print(f"ratio client/httpx: {statistics.median(ratios):.3f}x (goal <= 1.15x)")
        client.close()
        raw.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
