"""The Sphinx site builds with warnings as errors (nitpicky), and its doctests pass."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "doc"


@pytest.mark.parametrize("builder", ["html", "doctest"])
def test_sphinx_site_builds_without_warnings(builder: str, tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "sphinx", "-n", "-W", "--keep-going", "-q", "-b", builder, str(DOC), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
