"""Fixtures for the AWS KMS tests: dummy credentials, moto's in-process mock and key helpers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from _moto_kms import MotoKms
from moto import mock_aws


@pytest.fixture(autouse=True)
def aws_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Dummy credentials and no region, profile or config file from the machine running the tests."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    for name in ("AWS_DEFAULT_REGION", "AWS_REGION", "AWS_PROFILE", "MOTO_ACCOUNT_ID"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def default_region(monkeypatch: pytest.MonkeyPatch) -> str:
    """Make ``us-west-2`` the region that new botocore sessions and boto3 clients default to."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-west-2")
    return "us-west-2"


@pytest.fixture
def moto() -> Iterator[MotoKms]:
    """Run the test against moto's in-process AWS mock."""
    with mock_aws():
        yield MotoKms()
