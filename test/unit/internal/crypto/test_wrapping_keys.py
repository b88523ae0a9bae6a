"""Unit tests for aws_encryption_sdk.internal.crypto.wrapping_keys (and the crypto package re-export)."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from aws_encryption_sdk.exceptions import (
    DataKeyUnwrapError,
    DecryptKeyError,
    EncryptKeyError,
    IncorrectMasterKeyError,
    InvalidDataKeyError,
)
from aws_encryption_sdk.identifiers import EncryptionKeyType, WrappingAlgorithm
from aws_encryption_sdk.internal import crypto
from aws_encryption_sdk.internal.crypto import wrapping_keys
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.internal.structures import EncryptedData

AES_ALGORITHMS = {
    WrappingAlgorithm.AES_128_GCM_IV12_TAG16_NO_PADDING: 16,
    WrappingAlgorithm.AES_192_GCM_IV12_TAG16_NO_PADDING: 24,
    WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING: 32,
}
RSA_ALGORITHMS = [
    WrappingAlgorithm.RSA_PKCS1,
    WrappingAlgorithm.RSA_OAEP_SHA1_MGF1,
    WrappingAlgorithm.RSA_OAEP_SHA256_MGF1,
    WrappingAlgorithm.RSA_OAEP_SHA384_MGF1,
    WrappingAlgorithm.RSA_OAEP_SHA512_MGF1,
]
EXAMPLE_KEY = bytes(range(32))
EXAMPLE_CONTEXT = {"purpose": "example"}
EXAMPLE_A_EDK = "c78f7bca2b0eed446248da4cb5bd067f455cae26d8eebfb242b3fe957f252460ed49b3540b3ac42750fffae5eed60d01"
EXAMPLE_D_EDK = "c78f7bca2b0eed446248da4cb5bd067f455cae26d8eebfb242b3fe957f2524605a61ad26da0f13edd5a1d1282ce1d6a0"
CONTEXTS = st.dictionaries(st.text(min_size=1, max_size=10), st.text(max_size=10), max_size=4)


class PinnedIvWrappingKey(WrappingKey):
    """The examples' wrapping key with the wrapping IV pinned to 12 x 0x77."""

    def _generate_iv(self) -> bytes:
        return b"\x77" * 12


def _pem_private(key: rsa.RSAPrivateKey, password: bytes | None = None) -> bytes:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    )
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def _pem_public(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def test_crypto_package_reexports_wrapping_key_and_submodules() -> None:
    assert crypto.WrappingKey is wrapping_keys.WrappingKey
    for name in ("authentication", "data_keys", "elliptic_curve", "encryption", "iv", "wrapping_keys"):
        assert getattr(crypto, name).__name__ == f"aws_encryption_sdk.internal.crypto.{name}"
    assert set(crypto.__all__) >= {"WrappingKey", "wrapping_keys", "iv"}


@pytest.mark.parametrize(
    ("context", "expected"), [(EXAMPLE_CONTEXT, EXAMPLE_A_EDK), ({}, EXAMPLE_D_EDK)], ids=["example-A", "example-D"]
)
def test_aes_wrapping_reproduces_example_encrypted_data_key(context: dict[str, str], expected: str) -> None:
    wrapping_key = PinnedIvWrappingKey(
        WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING, EXAMPLE_KEY, EncryptionKeyType.SYMMETRIC
    )

    wrapped = wrapping_key.encrypt(b"\x42" * 32, context)

    assert wrapped.iv == b"\x77" * 12
    assert ((wrapped.ciphertext or b"") + (wrapped.tag or b"")).hex() == expected
    assert wrapping_key.decrypt(wrapped, context) == b"\x42" * 32


@settings(max_examples=60, deadline=None)
@given(
    algorithm=st.sampled_from(sorted(AES_ALGORITHMS, key=lambda algorithm: algorithm.name)),
    key_material=st.binary(min_size=32, max_size=32),
    data_key=st.binary(min_size=16, max_size=32),
    context=CONTEXTS,
)
def test_aes_wrapping_round_trips(
    algorithm: WrappingAlgorithm, key_material: bytes, data_key: bytes, context: dict[str, str]
) -> None:
    wrapping_key = WrappingKey(algorithm, key_material[: AES_ALGORITHMS[algorithm]], EncryptionKeyType.SYMMETRIC)

    wrapped = wrapping_key.encrypt(data_key, context)

    assert wrapped.iv is not None and len(wrapped.iv) == 12
    assert wrapped.tag is not None and len(wrapped.tag) == 16
    assert len(wrapped.ciphertext) == len(data_key)
    assert wrapping_key.decrypt(wrapped, dict(reversed(list(context.items())))) == data_key


def test_aes_wrapping_uses_a_fresh_random_iv_each_time() -> None:
    wrapping_key = WrappingKey(
        WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING, EXAMPLE_KEY, EncryptionKeyType.SYMMETRIC
    )

    first = wrapping_key.encrypt(b"\x42" * 32, {})
    second = wrapping_key.encrypt(b"\x42" * 32, {})

    assert first.iv != second.iv
    assert first.ciphertext != second.ciphertext


@pytest.mark.parametrize(
    ("key", "context"),
    [(bytes(range(1, 33)), EXAMPLE_CONTEXT), (EXAMPLE_KEY, {"purpose": "other"}), (EXAMPLE_KEY, {})],
    ids=["wrong-key", "wrong-context-value", "missing-context"],
)
def test_aes_unwrap_with_wrong_key_or_context_raises_data_key_unwrap_error(key: bytes, context: dict[str, str]) -> None:
    algorithm = WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING
    wrapped = WrappingKey(algorithm, EXAMPLE_KEY, EncryptionKeyType.SYMMETRIC).encrypt(b"\x42" * 32, EXAMPLE_CONTEXT)

    with pytest.raises(DataKeyUnwrapError, match="wrapping key or the encryption context does not match") as failure:
        WrappingKey(algorithm, key, EncryptionKeyType.SYMMETRIC).decrypt(wrapped, context)

    assert isinstance(failure.value, DecryptKeyError)
    assert isinstance(failure.value, InvalidTag)


@pytest.mark.parametrize(
    ("algorithm", "key_length"),
    [
        (WrappingAlgorithm.AES_128_GCM_IV12_TAG16_NO_PADDING, 32),
        (WrappingAlgorithm.AES_192_GCM_IV12_TAG16_NO_PADDING, 16),
        (WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING, 16),
        (WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING, 0),
        (WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING, 33),
    ],
)
def test_aes_key_length_must_match_wrapping_algorithm(algorithm: WrappingAlgorithm, key_length: int) -> None:
    expected = AES_ALGORITHMS[algorithm]

    with pytest.raises(InvalidDataKeyError, match=f"needs a {expected}-byte wrapping key, got {key_length} bytes"):
        WrappingKey(algorithm, b"\x01" * key_length, EncryptionKeyType.SYMMETRIC)


@pytest.mark.parametrize("algorithm", RSA_ALGORITHMS, ids=lambda algorithm: algorithm.name)
def test_rsa_private_key_wraps_with_its_public_half_and_unwraps(
    rsa_private_key: rsa.RSAPrivateKey, algorithm: WrappingAlgorithm
) -> None:
    wrapping_key = WrappingKey(algorithm, _pem_private(rsa_private_key), EncryptionKeyType.PRIVATE)

    wrapped = wrapping_key.encrypt(b"\x42" * 32, EXAMPLE_CONTEXT)

    assert wrapped.iv is None and wrapped.tag is None
    assert len(wrapped.ciphertext) == 256
    assert rsa_private_key.decrypt(wrapped.ciphertext, algorithm.padding) == b"\x42" * 32
    assert wrapping_key.decrypt(wrapped, {}) == b"\x42" * 32


@pytest.mark.parametrize("algorithm", RSA_ALGORITHMS, ids=lambda algorithm: algorithm.name)
def test_rsa_public_key_wraps_for_its_private_key_but_cannot_unwrap(
    rsa_private_key: rsa.RSAPrivateKey, algorithm: WrappingAlgorithm
) -> None:
    public = WrappingKey(algorithm, _pem_public(rsa_private_key), EncryptionKeyType.PUBLIC)
    private = WrappingKey(algorithm, _pem_private(rsa_private_key), EncryptionKeyType.PRIVATE)

    wrapped = public.encrypt(b"\x24" * 16, {})

    assert private.decrypt(wrapped, {}) == b"\x24" * 16
    with pytest.raises(IncorrectMasterKeyError, match=r"^Public key cannot decrypt$"):
        public.decrypt(wrapped, {})


def test_rsa_unwrap_with_another_key_raises_incorrect_master_key_error(
    rsa_private_key: rsa.RSAPrivateKey, other_rsa_private_key: rsa.RSAPrivateKey
) -> None:
    algorithm = WrappingAlgorithm.RSA_OAEP_SHA256_MGF1
    wrapped = WrappingKey(algorithm, _pem_private(rsa_private_key), EncryptionKeyType.PRIVATE).encrypt(b"k" * 32, {})
    other = WrappingKey(algorithm, _pem_private(other_rsa_private_key), EncryptionKeyType.PRIVATE)

    with pytest.raises(IncorrectMasterKeyError, match=r"^_wrapping_key cannot decrypt provided ciphertext$") as failure:
        other.decrypt(wrapped, {})

    assert isinstance(failure.value.__cause__, ValueError)


@pytest.mark.parametrize("ciphertext", [b"", b"\x00" * 256, b"\x01" * 300])
def test_rsa_unwrap_of_garbage_raises_incorrect_master_key_error(
    rsa_private_key: rsa.RSAPrivateKey, ciphertext: bytes
) -> None:
    wrapping_key = WrappingKey(
        WrappingAlgorithm.RSA_OAEP_SHA1_MGF1, _pem_private(rsa_private_key), EncryptionKeyType.PRIVATE
    )

    with pytest.raises(IncorrectMasterKeyError, match="cannot decrypt provided ciphertext"):
        wrapping_key.decrypt(EncryptedData(None, ciphertext, None), {})


def test_rsa_wrap_of_data_key_too_long_for_padding_raises_encrypt_key_error(
    rsa_private_key: rsa.RSAPrivateKey,
) -> None:
    wrapping_key = WrappingKey(
        WrappingAlgorithm.RSA_OAEP_SHA512_MGF1, _pem_public(rsa_private_key), EncryptionKeyType.PUBLIC
    )

    with pytest.raises(EncryptKeyError, match="2048-bit RSA key with RSA_OAEP_SHA512_MGF1 cannot encrypt a 200-byte"):
        wrapping_key.encrypt(b"\x00" * 200, {})


def test_encrypted_pem_private_key_loads_with_password(rsa_private_key: rsa.RSAPrivateKey) -> None:
    pem = _pem_private(rsa_private_key, password=b"secret")
    wrapping_key = WrappingKey(WrappingAlgorithm.RSA_PKCS1, pem, EncryptionKeyType.PRIVATE, password=b"secret")

    assert wrapping_key.decrypt(wrapping_key.encrypt(b"\x42" * 24, {}), {}) == b"\x42" * 24
    with pytest.raises(InvalidDataKeyError, match="PEM private key") as failure:
        WrappingKey(WrappingAlgorithm.RSA_PKCS1, pem, EncryptionKeyType.PRIVATE, b"wrong")
    assert failure.value.__cause__ is not None
    with pytest.raises(InvalidDataKeyError, match="PEM private key"):
        WrappingKey(WrappingAlgorithm.RSA_PKCS1, pem, EncryptionKeyType.PRIVATE)


@pytest.mark.parametrize(
    ("key_type", "message"),
    [(EncryptionKeyType.PRIVATE, "PEM private key"), (EncryptionKeyType.PUBLIC, "PEM public key")],
)
def test_unloadable_pem_raises_invalid_data_key_error_with_cause(key_type: EncryptionKeyType, message: str) -> None:
    with pytest.raises(InvalidDataKeyError, match=message) as failure:
        WrappingKey(WrappingAlgorithm.RSA_OAEP_SHA256_MGF1, b"-----BEGIN nonsense-----", key_type)

    assert isinstance(failure.value.__cause__, ValueError)


def test_non_rsa_pem_key_is_refused_for_rsa_wrapping() -> None:
    ec_pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )

    with pytest.raises(InvalidDataKeyError, match="need an RSA private key, got"):
        WrappingKey(WrappingAlgorithm.RSA_PKCS1, ec_pem, EncryptionKeyType.PRIVATE)


@pytest.mark.parametrize("key_type", ["PRIVATE", 2, None])
def test_unknown_wrapping_key_type_raises_invalid_data_key_error(key_type: object) -> None:
    with pytest.raises(InvalidDataKeyError, match=r"^Invalid wrapping_key_type: "):
        WrappingKey(WrappingAlgorithm.RSA_PKCS1, b"key", key_type)  # type: ignore[arg-type]


def test_symmetric_key_type_with_rsa_algorithm_and_vice_versa_are_refused(
    rsa_private_key: rsa.RSAPrivateKey,
) -> None:
    with pytest.raises(InvalidDataKeyError, match="RSA_PKCS1 cannot use a SYMMETRIC wrapping key"):
        WrappingKey(WrappingAlgorithm.RSA_PKCS1, EXAMPLE_KEY, EncryptionKeyType.SYMMETRIC)
    with pytest.raises(InvalidDataKeyError, match="AES_256_GCM_IV12_TAG16_NO_PADDING cannot use a PRIVATE"):
        WrappingKey(
            WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
            _pem_private(rsa_private_key),
            EncryptionKeyType.PRIVATE,
        )


def test_non_bytes_wrapping_key_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="wrapping_key must be bytes"):
        WrappingKey(
            WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
            "a" * 32,  # type: ignore[arg-type]
            EncryptionKeyType.SYMMETRIC,
        )


def test_positional_construction_exposes_algorithm_and_key_type() -> None:
    wrapping_key = WrappingKey(
        WrappingAlgorithm.AES_128_GCM_IV12_TAG16_NO_PADDING, b"\x05" * 16, EncryptionKeyType.SYMMETRIC, None
    )

    assert wrapping_key.wrapping_algorithm is WrappingAlgorithm.AES_128_GCM_IV12_TAG16_NO_PADDING
    assert wrapping_key.wrapping_key_type is EncryptionKeyType.SYMMETRIC
    assert wrapping_key._wrapping_key == b"\x05" * 16
    assert len(wrapping_key._generate_iv()) == 12
