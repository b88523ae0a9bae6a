"""Runs the raw RSA key pair example."""

from __future__ import annotations

import pytest

import aws_encryption_sdk
from aws_encryption_sdk.exceptions import DecryptKeyError, InvalidDataKeyError
from aws_encryption_sdk.structures import MasterKeyInfo
from examples.src import raw_rsa_key_pair
from examples.src.raw_rsa_key_pair import PemKeyPair


@pytest.fixture(scope="module")
def key_pair() -> PemKeyPair:
    return raw_rsa_key_pair.generate_key_pair(b"test password", key_size=2048)


def test_public_key_encrypts_and_private_key_decrypts(key_pair: PemKeyPair) -> None:
    ciphertext = raw_rsa_key_pair.run(key_pair, b"to the key holder")

    header = aws_encryption_sdk.read_unauthenticated_header(ciphertext)
    assert header.encrypted_data_keys == (MasterKeyInfo(raw_rsa_key_pair.PROVIDER_ID, raw_rsa_key_pair.KEY_ID),)


def test_private_key_pem_is_password_protected(key_pair: PemKeyPair) -> None:
    assert key_pair.private_pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    with pytest.raises(InvalidDataKeyError):
        raw_rsa_key_pair.decrypting_master_key(
            PemKeyPair(public_pem=key_pair.public_pem, private_pem=key_pair.private_pem, password=b"wrong")
        )


def test_the_public_key_alone_cannot_decrypt(key_pair: PemKeyPair) -> None:
    ciphertext = raw_rsa_key_pair.run(key_pair)
    public_only = raw_rsa_key_pair.encrypting_master_key(key_pair.public_pem)

    with pytest.raises(DecryptKeyError):
        aws_encryption_sdk.EncryptionSDKClient().decrypt(source=ciphertext, key_provider=public_only)


def test_the_private_key_of_another_pair_cannot_decrypt(key_pair: PemKeyPair) -> None:
    ciphertext = raw_rsa_key_pair.run(key_pair)
    other_pair = raw_rsa_key_pair.generate_key_pair(b"other", key_size=2048)

    with pytest.raises(DecryptKeyError):
        aws_encryption_sdk.EncryptionSDKClient().decrypt(
            source=ciphertext, key_provider=raw_rsa_key_pair.decrypting_master_key(other_pair)
        )
