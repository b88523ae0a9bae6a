"""Encrypt with an RSA public key, decrypt with the private key.

With an RSA key pair the writer needs only the public key: it wraps each message's data key with
RSA-OAEP, and only the holder of the private key can unwrap it. That suits many writers sending to
one reader. Both sides must agree on the provider id and key id, which are written into the message
and matched on decryption.

The private key here is stored PEM-encoded and encrypted with a password, as it would be on disk.
"""

from __future__ import annotations

import attrs
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

import aws_encryption_sdk
from aws_encryption_sdk import CommitmentPolicy
from aws_encryption_sdk.identifiers import EncryptionKeyType, WrappingAlgorithm
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.key_providers.raw import RawMasterKey

PROVIDER_ID = "example-rsa"
KEY_ID = b"reports-2024"
WRAPPING_ALGORITHM = WrappingAlgorithm.RSA_OAEP_SHA256_MGF1


@attrs.frozen
class PemKeyPair:
    """An RSA key pair as PEM bytes.

    :param public_pem: the public key (SubjectPublicKeyInfo)
    :param private_pem: the private key (PKCS #8, encrypted with ``password``)
    :param password: the password protecting ``private_pem``
    """

    public_pem: bytes
    private_pem: bytes
    password: bytes


def generate_key_pair(password: bytes, key_size: int = 3072) -> PemKeyPair:
    """Generate an RSA key pair and serialize it to PEM.

    :param password: the password to encrypt the private key with
    :param key_size: the RSA modulus size in bits
    :returns: the PEM-encoded key pair
    """
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    private_pem = private_key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.BestAvailableEncryption(password),
    )
    public_pem = private_key.public_key().public_bytes(
        encoding=serialization.Encoding.PEM, format=serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return PemKeyPair(public_pem=public_pem, private_pem=private_pem, password=password)


def encrypting_master_key(public_pem: bytes) -> RawMasterKey:
    """Build the master key a writer uses: it holds only the public key.

    :param public_pem: the PEM-encoded public key
    :returns: a master key that can encrypt but not decrypt
    """
    wrapping_key = WrappingKey(
        wrapping_algorithm=WRAPPING_ALGORITHM, wrapping_key=public_pem, wrapping_key_type=EncryptionKeyType.PUBLIC
    )
    return RawMasterKey(provider_id=PROVIDER_ID, key_id=KEY_ID, wrapping_key=wrapping_key)


def decrypting_master_key(key_pair: PemKeyPair) -> RawMasterKey:
    """Build the master key the reader uses: it holds the private key.

    :param key_pair: the key pair, whose private half is used
    :returns: a master key that can decrypt
    """
    wrapping_key = WrappingKey(
        wrapping_algorithm=WRAPPING_ALGORITHM,
        wrapping_key=key_pair.private_pem,
        wrapping_key_type=EncryptionKeyType.PRIVATE,
        password=key_pair.password,
    )
    return RawMasterKey(provider_id=PROVIDER_ID, key_id=KEY_ID, wrapping_key=wrapping_key)


def run(key_pair: PemKeyPair, plaintext: bytes = b"for the key holder's eyes only") -> bytes:
    """Encrypt with the public key, decrypt with the private key; return the ciphertext.

    :param key_pair: the RSA key pair
    :param plaintext: the data to protect
    :returns: the encrypted message
    """
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    ciphertext, _header = client.encrypt(source=plaintext, key_provider=encrypting_master_key(key_pair.public_pem))
    decrypted, _header = client.decrypt(source=ciphertext, key_provider=decrypting_master_key(key_pair))
    assert decrypted == plaintext
    return ciphertext


if __name__ == "__main__":
    run(generate_key_pair(b"correct horse battery staple"))
    print("the public key encrypted and the private key decrypted")
