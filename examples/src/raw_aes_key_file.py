"""Use an AES key kept in a file, through a small raw master key provider.

A raw master key wraps data keys with key material you manage yourself, with no key service
involved. Here each key lives in its own file (32 random bytes) in a key directory, and the
provider's key id is the file name. Keep such files out of reach: anyone who reads one can
decrypt every message written under it.

A raw provider only uses master keys you add with ``add_master_key``, for decryption too, and the
provider id plus key id of the writer must match those of the reader.
"""

from __future__ import annotations

import os
from pathlib import Path

import attrs

import aws_encryption_sdk
from aws_encryption_sdk import CommitmentPolicy
from aws_encryption_sdk.identifiers import EncryptionKeyType, WrappingAlgorithm
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.key_providers.base import MasterKeyProviderConfig
from aws_encryption_sdk.key_providers.raw import RawMasterKeyProvider

#: Length of an AES-256 key in bytes.
KEY_LENGTH = 32


@attrs.define(slots=False)
class KeyDirectoryConfig(MasterKeyProviderConfig):
    """Configuration of :class:`KeyFileProvider`.

    :param key_directory: the directory holding one key file per key id
    """

    key_directory: Path = attrs.field(converter=Path, validator=attrs.validators.instance_of(Path))


class KeyFileProvider(RawMasterKeyProvider):
    """Raw master key provider whose AES-256 keys are files named by their key ids."""

    provider_id = "example-key-files"
    _config_class = KeyDirectoryConfig
    config: KeyDirectoryConfig

    def _get_raw_key(self, key_id: bytes) -> WrappingKey:
        """Load the wrapping key stored in the file named ``key_id``.

        :param key_id: the key id, which is also the file name
        :returns: the AES-GCM wrapping key
        """
        key_bytes = (self.config.key_directory / key_id.decode("utf-8")).read_bytes()
        return WrappingKey(
            wrapping_algorithm=WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
            wrapping_key=key_bytes,
            wrapping_key_type=EncryptionKeyType.SYMMETRIC,
        )


def write_new_key_file(path: Path) -> None:
    """Create a key file holding a fresh random AES-256 key, readable by its owner only.

    :param path: where to create the file (it must not exist yet)
    """
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as key_file:
        key_file.write(os.urandom(KEY_LENGTH))


def provider_for(key_file: Path) -> KeyFileProvider:
    """Build a provider holding the one master key stored in ``key_file``.

    :param key_file: the key file
    :returns: the provider
    """
    provider = KeyFileProvider(key_directory=key_file.parent)
    provider.add_master_key(key_file.name)
    return provider


def run(key_file: Path, plaintext: bytes = b"protected by a key on disk") -> bytes:
    """Encrypt and decrypt with the key in ``key_file`` (created first if missing); return the ciphertext.

    :param key_file: the key file
    :param plaintext: the data to protect
    :returns: the encrypted message
    """
    if not key_file.exists():
        write_new_key_file(key_file)
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)

    ciphertext, _header = client.encrypt(source=plaintext, key_provider=provider_for(key_file))
    # A separate provider, as a reader elsewhere would build it, loads the same file again.
    decrypted, _header = client.decrypt(source=ciphertext, key_provider=provider_for(key_file))
    assert decrypted == plaintext
    return ciphertext


if __name__ == "__main__":
    import sys

    run(Path(sys.argv[1]))
    print("encrypted and decrypted with the key file", sys.argv[1])
