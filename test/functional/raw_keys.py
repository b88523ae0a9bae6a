"""Raw master keys shared by the functional tests (built once per process)."""

from __future__ import annotations

import functools

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from aws_encryption_sdk.exceptions import InvalidKeyIdError
from aws_encryption_sdk.identifiers import EncryptionKeyType, WrappingAlgorithm
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.key_providers.raw import RawMasterKey, RawMasterKeyProvider


def aes_master_key(key_id: bytes = b"aes-key", key: bytes = b"\x11" * 32, provider_id: str = "raw-aes") -> RawMasterKey:
    """A raw AES-256 master key."""
    return RawMasterKey(
        provider_id=provider_id,
        key_id=key_id,
        wrapping_key=WrappingKey(
            wrapping_algorithm=WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
            wrapping_key=key,
            wrapping_key_type=EncryptionKeyType.SYMMETRIC,
        ),
    )


@functools.cache
def rsa_private_pem() -> bytes:
    """A 2048-bit RSA private key in PEM (generated once per process)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def rsa_master_key(key_id: bytes = b"rsa-key", provider_id: str = "raw-rsa") -> RawMasterKey:
    """A raw RSA-OAEP-SHA256 master key holding the private key."""
    return RawMasterKey(
        provider_id=provider_id,
        key_id=key_id,
        wrapping_key=WrappingKey(
            wrapping_algorithm=WrappingAlgorithm.RSA_OAEP_SHA256_MGF1,
            wrapping_key=rsa_private_pem(),
            wrapping_key_type=EncryptionKeyType.PRIVATE,
        ),
    )


class _Keys(RawMasterKeyProvider):
    """A provider that only holds the master keys added to it."""

    provider_id = "test-key-set"

    def _get_raw_key(self, key_id: bytes) -> WrappingKey:
        raise InvalidKeyIdError(f"this test provider makes no keys (asked for {key_id!r})")


def key_set(*master_keys: RawMasterKey) -> RawMasterKeyProvider:
    """A provider whose members are ``master_keys``, in order (the first generates the data key)."""
    provider = _Keys()
    provider.add_master_key_providers_from_list(master_keys)
    return provider
