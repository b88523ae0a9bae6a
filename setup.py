"""Packaging for the AWS Encryption SDK for Python (drop-in reimplementation)."""

from __future__ import annotations

import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
VERSION = re.search(
    r'^__version__ = "([^"]+)"', (HERE / "src/aws_encryption_sdk/identifiers.py").read_text(encoding="utf-8"), re.M
).group(1)

setup(
    name="aws-encryption-sdk",
    version=VERSION,
    description="AWS Encryption SDK implementation for Python",
    long_description=(HERE / "README.rst").read_text(encoding="utf-8"),
    long_description_content_type="text/x-rst",
    license="Apache-2.0",
    packages=find_packages("src"),
    package_dir={"": "src"},
    package_data={"aws_encryption_sdk": ["py.typed"]},
    include_package_data=True,
    python_requires=">=3.11",
    install_requires=["cryptography>=43.0.0", "boto3>=1.26.0", "attrs>=23.1.0"],
    extras_require={
        "demo": ["moto[kms]>=5.0"],
        "test": [
            "pytest>=8",
            "hypothesis>=6.100",
            "moto[kms,server]>=5.0",
            "sphinx==9.0.4",
        ],
    },
    classifiers=[
        "Development Status :: 5 - Production/Stable",
        "Intended Audience :: Developers",
        "License :: OSI Approved :: Apache Software License",
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Programming Language :: Python :: 3.13",
        "Topic :: Security :: Cryptography",
        "Typing :: Typed",
    ],
)
