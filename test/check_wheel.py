"""Packaging check (run by ``tox -e pkg``): the wheel ships ``py.typed`` and every public module path."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

PUBLIC_MODULES = [
    "aws_encryption_sdk/__init__.py",
    "aws_encryption_sdk/compatability.py",
    "aws_encryption_sdk/exceptions.py",
    "aws_encryption_sdk/identifiers.py",
    "aws_encryption_sdk/structures.py",
    "aws_encryption_sdk/streaming_client.py",
    "aws_encryption_sdk/caches/__init__.py",
    "aws_encryption_sdk/caches/base.py",
    "aws_encryption_sdk/caches/local.py",
    "aws_encryption_sdk/caches/null.py",
    "aws_encryption_sdk/key_providers/__init__.py",
    "aws_encryption_sdk/key_providers/base.py",
    "aws_encryption_sdk/key_providers/kms.py",
    "aws_encryption_sdk/key_providers/raw.py",
    "aws_encryption_sdk/materials_managers/__init__.py",
    "aws_encryption_sdk/materials_managers/base.py",
    "aws_encryption_sdk/materials_managers/caching.py",
    "aws_encryption_sdk/materials_managers/default.py",
    "aws_encryption_sdk/internal/__init__.py",
    "aws_encryption_sdk/internal/arn.py",
    "aws_encryption_sdk/internal/defaults.py",
    "aws_encryption_sdk/internal/deprecation.py",
    "aws_encryption_sdk/internal/str_ops.py",
    "aws_encryption_sdk/internal/structures.py",
    "aws_encryption_sdk/internal/crypto/__init__.py",
    "aws_encryption_sdk/internal/crypto/authentication.py",
    "aws_encryption_sdk/internal/crypto/data_keys.py",
    "aws_encryption_sdk/internal/crypto/elliptic_curve.py",
    "aws_encryption_sdk/internal/crypto/encryption.py",
    "aws_encryption_sdk/internal/crypto/iv.py",
    "aws_encryption_sdk/internal/crypto/wrapping_keys.py",
    "aws_encryption_sdk/internal/formatting/__init__.py",
    "aws_encryption_sdk/internal/formatting/deserialize.py",
    "aws_encryption_sdk/internal/formatting/encryption_context.py",
    "aws_encryption_sdk/internal/formatting/serialize.py",
    "aws_encryption_sdk/internal/utils/__init__.py",
    "aws_encryption_sdk/internal/utils/commitment.py",
    "aws_encryption_sdk/internal/utils/signature.py",
    "aws_encryption_sdk/internal/utils/streams.py",
    "aws_encryption_sdk/py.typed",
]


def main(dist: str) -> int:
    """Check the one wheel in ``dist``; print what is missing and return non-zero if anything is."""
    wheels = sorted(Path(dist).glob("*.whl"))
    if len(wheels) != 1:
        print(f"expected one wheel in {dist}, found {wheels}")
        return 1
    names = set(zipfile.ZipFile(wheels[0]).namelist())
    missing = [module for module in PUBLIC_MODULES if module not in names]
    for module in missing:
        print(f"missing from {wheels[0].name}: {module}")
    print(f"{wheels[0].name}: {len(PUBLIC_MODULES) - len(missing)} of {len(PUBLIC_MODULES)} required files present")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
