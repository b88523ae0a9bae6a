"""The README's main job (``python -m aws_encryption_sdk``) runs and reports both round trips."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_main_job_round_trips_a_file_with_raw_and_kms_keys(tmp_path: Path) -> None:
    data = tmp_path / "notes.txt"
    data.write_bytes(b"main job input\n" * 1000)
    completed = subprocess.run(
        [sys.executable, "-m", "aws_encryption_sdk", str(data), "--out-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    out = completed.stdout
    assert "decrypted -> notes.txt.decrypted: identical to the original" in out
    assert "byte string round trip: b'a byte string'" in out
    assert "encryption context : {'but adds': 'some authentication', 'not really': 'a secret'}" in out
    assert out.count("wrapped by         : arn:aws:kms:") == 2
    assert "decrypted with a discovery provider: identical" in out
    assert (tmp_path / "notes.txt.kms.decrypted").read_bytes() == data.read_bytes()
