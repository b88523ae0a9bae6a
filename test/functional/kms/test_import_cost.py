"""Importing the SDK (and the KMS module) must not import boto3 or botocore."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _import_lines(statement: str) -> list[str]:
    """Run ``statement`` in a fresh interpreter with ``-X importtime`` and return its import log."""
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in completed.stderr.splitlines() if line.startswith("import time:")]


@pytest.mark.parametrize(
    "statement",
    [
        "import aws_encryption_sdk",
        "import aws_encryption_sdk.key_providers.kms",
        "from aws_encryption_sdk.key_providers.kms import StrictAwsKmsMasterKeyProvider, DiscoveryFilter",
        "from aws_encryption_sdk.key_providers.kms import *",
    ],
)
def test_import_does_not_load_boto3_or_botocore(statement: str) -> None:
    lines = _import_lines(statement)

    assert any("aws_encryption_sdk" in line for line in lines)
    assert [line for line in lines if "boto3" in line or "botocore" in line] == []


def test_building_a_provider_is_what_loads_botocore() -> None:
    lines = _import_lines(
        "import aws_encryption_sdk; aws_encryption_sdk.DiscoveryAwsKmsMasterKeyProvider(region_names=['us-east-1'])"
    )

    assert any("botocore" in line for line in lines)
