"""The interoperability corpus: messages written by the original library, decrypted by ours.

Each entry of ``test/vectors/dev-corpus`` is judged by the corpus's own checker
(``test/vectors/check_vectors.py``): positive entries must decrypt to their plaintext through
every listed API, negative ones must fail with an exception from ``aws_encryption_sdk.exceptions``.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
CORPUS = VECTORS / "dev-corpus"


def _load_checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_vectors", VECTORS / "check_vectors.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CHECKER = _load_checker()
CORPUS_DATA = CHECKER.Corpus.load(str(CORPUS))


@pytest.mark.parametrize("name", sorted(CORPUS_DATA.tests))
def test_corpus_entry_gives_expected_outcome(name: str) -> None:
    spec: dict[str, Any] = CORPUS_DATA.tests[name]
    result = CHECKER.run_vector(CORPUS_DATA, name, spec, timeout=30)
    assert result.passed, f"{result.kind}: {result.detail}"


def test_corpus_covers_every_suite_and_both_outcomes() -> None:
    suites = {spec.get("x-vector", {}).get("algorithm") for spec in CORPUS_DATA.tests.values()}
    outcomes = {next(iter(spec["result"])) for spec in CORPUS_DATA.tests.values()}
    assert len(suites - {None}) == 11
    assert outcomes == {"output", "error"}


def test_check_vectors_script_reports_no_failure() -> None:
    completed = subprocess.run(
        [sys.executable, str(VECTORS / "check_vectors.py"), str(CORPUS)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    last_line = completed.stdout.strip().splitlines()[-1]
    assert last_line.endswith(" 0 failed"), completed.stdout[-3000:]
    assert completed.returncode == 0
