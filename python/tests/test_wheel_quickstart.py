"""The built wheel, installed into a fresh virtual environment, runs the README quickstart as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from conftest import Vault

PY = Path(__file__).resolve().parents[1]


def quickstart() -> str:
    readme = (PY / "README.md").read_text("utf8")
    marker = readme.index("<!-- quickstart -->")
    block = re.search(r"```python\n(.*?)```", readme[marker:], re.S)
    assert block is not None
    return block.group(1)


def test_wheel_in_a_fresh_venv_runs_the_readme_quickstart(vault: Vault) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        dist = Path(tmp, "dist")
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(dist), str(PY)],
            check=True,
        )
        wheels = list(dist.glob("sessionvault-*.whl"))
        assert len(wheels) == 1
        venv = Path(tmp, "venv")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = venv / "bin" / "pip"
        subprocess.run([str(pip), "install", "-q", "--disable-pip-version-check", str(wheels[0])], check=True)
        script = Path(tmp, "quickstart.py")
        script.write_text(quickstart(), "utf8")
        env = {**os.environ, "SESSIONVAULT_URL": vault.url, "SESSIONVAULT_TOKEN": vault.token}
        env.pop("PYTHONPATH", None)
        out = subprocess.run(
            [str(venv / "bin" / "python"), str(script)], env=env, cwd=tmp, capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == "{'cart': ['book']}"
        # py.typed ships, so users' type checkers see the annotations.
        site = subprocess.run(
            [
                str(venv / "bin" / "python"),
                "-c",
                "import sessionvault, os; print(os.path.dirname(sessionvault.__file__))",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert Path(site, "py.typed").exists()
        assert "site-packages" in site
