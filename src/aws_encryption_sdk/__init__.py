"""AWS Encryption SDK for Python (bootstrap placeholder; the client lands with the streaming engine)."""

from __future__ import annotations

from aws_encryption_sdk.identifiers import __version__

__all__ = ["__version__"]
