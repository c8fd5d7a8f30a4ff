"""Every Python block of the docs site's Python pages runs here as written, against a real vault:
scripts must exit 0 and print their ``# =>`` lines; ``server`` blocks are served and driven
through a cookie jar with the quickstart protocol."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest
from samples import ROOT, Sample, run_sample, samples_of

from conftest import Vault

PAGES = sorted((ROOT / "docs" / "languages").glob("python*.md"))
SAMPLES = [s for page in PAGES for s in samples_of(page)]


def test_every_python_page_has_samples_and_is_in_the_site() -> None:
    names = {p.name for p in PAGES}
    assert names == {"python.md", "python-django.md", "python-flask.md", "python-fastapi.md"}
    for page in PAGES:
        assert [s for s in SAMPLES if s.source.endswith(page.name)], page.name
    assert sum("server" in s.flags for s in SAMPLES) == 4
    # The sidebar is built from docs/languages (docs/.vitepress/config.mts): the pages are in the nav.
    config = (ROOT / "docs" / ".vitepress" / "config.mts").read_text("utf8")
    assert '{ title: "Languages", dir: "languages" }' in config


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.label)
def test_docs_sample_runs_as_written(vault: Vault, sample: Sample) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run_sample(sys.executable, sample, vault, Path(tmp))


def test_docs_samples_pass_mypy_strict() -> None:
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        for sample in SAMPLES:
            name = Path(sample.source).stem.replace("-", "_")
            Path(tmp, f"{name}_{sample.line}.py").write_text(sample.code, "utf8")
        out = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--no-incremental", tmp],
            capture_output=True,
            text=True,
            check=False,
        )
    assert out.returncode == 0, out.stdout + out.stderr
