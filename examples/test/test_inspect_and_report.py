"""Runs the header inspection and decrypted-by example."""

from __future__ import annotations

import pytest

from examples.src import inspect_and_report


def test_example_reports_the_decrypting_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert inspect_and_report.run() == "example"
    printed = capsys.readouterr().out
    assert "header claims suite AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384" in printed
    assert "decrypted by example/b'reports-key'" in printed
