"""Every message we write decrypts in a reader written from the specification alone.

Other AWS Encryption SDKs cannot run here, so :mod:`.independent_reader` stands in for them: it
shares no code with the SDK and checks everything the specification asks of a message. Messages
are written through the public API with raw AES and raw RSA master keys, across all suites, body
shapes, encryption contexts and several wrapped keys. The negative tests show that the reader
really checks: it rejects the spec's worked examples with any byte changed and our messages with
any byte changed, so the positive results cannot pass vacuously.
"""

from __future__ import annotations

import functools

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from aws_encryption_sdk import EncryptionSDKClient
from aws_encryption_sdk.identifiers import AlgorithmSuite, CommitmentPolicy, EncryptionKeyType, WrappingAlgorithm
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.key_providers.base import MasterKeyProvider
from aws_encryption_sdk.key_providers.raw import RawMasterKey

from ..worked_examples import WORKED_EXAMPLES
from .independent_reader import (
    PUBLIC_KEY_NAME,
    IndependentReaderError,
    RawAesKey,
    RawRsaKey,
    decrypt,
    decrypt_message,
    parse_header,
    rsa_padding,
)
from .independent_reader import WrappingKey as ReaderKey
from .raw_keys import key_set, rsa_private_pem

SUITES = list(AlgorithmSuite)
SUITE_IDS = [f"{suite.algorithm_id:04x}" for suite in SUITES]
AES_WRAPPING = {
    16: WrappingAlgorithm.AES_128_GCM_IV12_TAG16_NO_PADDING,
    24: WrappingAlgorithm.AES_192_GCM_IV12_TAG16_NO_PADDING,
    32: WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
}
RSA_WRAPPING = {
    "PKCS1": WrappingAlgorithm.RSA_PKCS1,
    "OAEP-SHA1": WrappingAlgorithm.RSA_OAEP_SHA1_MGF1,
    "OAEP-SHA256": WrappingAlgorithm.RSA_OAEP_SHA256_MGF1,
    "OAEP-SHA384": WrappingAlgorithm.RSA_OAEP_SHA384_MGF1,
    "OAEP-SHA512": WrappingAlgorithm.RSA_OAEP_SHA512_MGF1,
}
WRAPPERS = [f"AES-{8 * size}" for size in AES_WRAPPING] + [f"RSA-{scheme}" for scheme in RSA_WRAPPING]
#: (frame length, plaintext length): empty, one byte, exactly one frame, several frames plus a
#: partial one, an exact multiple of the frame length; frame length 0 is the non-framed body.
SHAPES = [
    (0, 0),
    (0, 1),
    (0, 5000),
    (1, 0),
    (1, 1),
    (1, 5),
    (7, 0),
    (7, 1),
    (7, 7),
    (7, 23),
    (7, 28),
    (4096, 0),
    (4096, 1),
    (4096, 4096),
    (4096, 3 * 4096 + 5),
    (4096, 2 * 4096),
]
CONTEXTS = {
    "empty": {},
    "ascii": {"purpose": "interop", "a": "", "ab": "prefix of a longer key"},
    "non-ascii": {
        "clé": "valeur ü",
        "ключ": "значение",
        "键": "值",
        "\U0001f511": "\U0001f600 above U+FFFF",
        "\uffff": "sorts before U+10000 in UTF-8",
        "Z": "ascii among them",
    },
}


@functools.cache
def _rsa_private_key() -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(rsa_private_pem(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def _aes_material(size: int) -> bytes:
    return bytes(range(0x40, 0x40 + size))


def aes_pair(size: int, name: bytes = b"aes-key", namespace: str = "raw-aes") -> tuple[RawMasterKey, RawAesKey]:
    """Our raw AES master key of ``size`` bytes and the reader's copy of the same key."""
    material = _aes_material(size)
    master_key = RawMasterKey(
        provider_id=namespace,
        key_id=name,
        wrapping_key=WrappingKey(
            wrapping_algorithm=AES_WRAPPING[size],
            wrapping_key=material,
            wrapping_key_type=EncryptionKeyType.SYMMETRIC,
        ),
    )
    return master_key, RawAesKey(namespace, name, material)


def rsa_pair(scheme: str, name: bytes = b"rsa-key", namespace: str = "raw-rsa") -> tuple[RawMasterKey, RawRsaKey]:
    """Our raw RSA master key with padding ``scheme`` and the reader's copy (the same 2048-bit key)."""
    master_key = RawMasterKey(
        provider_id=namespace,
        key_id=name,
        wrapping_key=WrappingKey(
            wrapping_algorithm=RSA_WRAPPING[scheme],
            wrapping_key=rsa_private_pem(),
            wrapping_key_type=EncryptionKeyType.PRIVATE,
        ),
    )
    return master_key, RawRsaKey(namespace, name, _rsa_private_key(), rsa_padding(scheme))


def wrapper_pair(wrapper: str) -> tuple[RawMasterKey, ReaderKey]:
    """The key pair a ``WRAPPERS`` entry names."""
    kind, _, detail = wrapper.partition("-")
    if kind == "AES":
        return aes_pair(int(detail) // 8)
    return rsa_pair(detail)


def encrypt(
    suite: AlgorithmSuite,
    plaintext: bytes,
    provider: MasterKeyProvider,
    frame_length: int = 4096,
    context: dict[str, str] | None = None,
) -> bytes:
    """Encrypt with our public API under the commitment policy the suite needs."""
    policy = (
        CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
        if suite.is_committing()
        else CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT
    )
    ciphertext, _ = EncryptionSDKClient(commitment_policy=policy).encrypt(
        source=plaintext,
        key_provider=provider,
        algorithm=suite,
        frame_length=frame_length,
        encryption_context=context or {},
    )
    return ciphertext


def plaintext_of(length: int) -> bytes:
    """A plaintext whose bytes depend on their position, so reordered frames would show."""
    return bytes((i * 7 + 3) % 256 for i in range(length))


def caller_context(context: dict[str, str]) -> dict[str, str]:
    """The encryption context without the entry the SDK adds for signed suites."""
    return {key: value for key, value in context.items() if key != PUBLIC_KEY_NAME}


@pytest.mark.parametrize("name", sorted(WORKED_EXAMPLES))
def test_reader_decrypts_the_spec_worked_examples(name: str) -> None:
    key = RawAesKey("static-aes", b"key1", bytes(range(32)))
    expected = {"A": b"A" * 128 + b"BC", "B": b"hello", "C": b"hi", "D": b"", "E": b"hello", "F": b"hello"}
    assert decrypt(WORKED_EXAMPLES[name], key) == expected[name]


@pytest.mark.parametrize(("frame_length", "plaintext_length"), SHAPES, ids=str)
@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_every_suite_and_body_shape_decrypts_independently(
    suite: AlgorithmSuite, frame_length: int, plaintext_length: int
) -> None:
    master_key, reader_key = aes_pair(32)
    plaintext = plaintext_of(plaintext_length)
    found = decrypt_message(encrypt(suite, plaintext, master_key, frame_length), [reader_key])
    assert found.plaintext == plaintext
    assert found.header.suite.suite_id == suite.algorithm_id
    assert found.header.version == (2 if suite.is_committing() else 1)
    assert found.header.framed == (frame_length != 0)
    assert found.header.frame_length == frame_length
    if frame_length:
        assert found.frame_count == plaintext_length // frame_length + 1
    else:
        assert found.frame_count == 0


@pytest.mark.parametrize("frame_length", [0, 7], ids=["non-framed", "framed-7"])
@pytest.mark.parametrize("wrapper", WRAPPERS)
@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_every_suite_and_wrapping_key_decrypts_independently(
    suite: AlgorithmSuite, wrapper: str, frame_length: int
) -> None:
    master_key, reader_key = wrapper_pair(wrapper)
    plaintext = plaintext_of(23)
    context = {"wrapper": wrapper}
    found = decrypt_message(encrypt(suite, plaintext, master_key, frame_length, context), [reader_key])
    assert found.plaintext == plaintext
    assert caller_context(found.header.encryption_context) == context
    (edk,) = found.header.encrypted_data_keys
    assert (edk.provider_id, edk.provider_info.startswith(reader_key.name)) == (reader_key.namespace, True)


@pytest.mark.parametrize("context_name", sorted(CONTEXTS))
@pytest.mark.parametrize("suite", SUITES, ids=SUITE_IDS)
def test_encryption_contexts_decrypt_independently(suite: AlgorithmSuite, context_name: str) -> None:
    context = CONTEXTS[context_name]
    master_key, reader_key = aes_pair(24)
    plaintext = plaintext_of(300)
    found = decrypt_message(encrypt(suite, plaintext, master_key, 128, context), [reader_key])
    assert found.plaintext == plaintext
    assert caller_context(found.header.encryption_context) == context
    assert (PUBLIC_KEY_NAME in found.header.encryption_context) == suite.is_signing()


MULTI_KEY_SUITES = [
    AlgorithmSuite.AES_128_GCM_IV12_TAG16,
    AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,
    AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
    AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384,
]


def _three_keys() -> list[tuple[RawMasterKey, ReaderKey]]:
    return [
        aes_pair(32, b"first"),
        rsa_pair("OAEP-SHA256", b"second"),
        aes_pair(16, "ключ-второй".encode(), namespace="raw-aés-ключ"),
    ]


@pytest.mark.parametrize(
    ("count", "held"),
    [(2, 0), (2, 1), (3, 0), (3, 1), (3, 2)],
    ids=["2-keys-hold-1st", "2-keys-hold-2nd", "3-keys-hold-1st", "3-keys-hold-2nd", "3-keys-hold-3rd"],
)
@pytest.mark.parametrize("suite", MULTI_KEY_SUITES, ids=lambda s: f"{s.algorithm_id:04x}")
def test_reader_finds_the_one_wrapped_key_it_holds(suite: AlgorithmSuite, count: int, held: int) -> None:
    pairs = _three_keys()[:count]
    plaintext = plaintext_of(1000)
    message = encrypt(suite, plaintext, key_set(*(pair[0] for pair in pairs)), 256, {"keys": str(count)})
    found = decrypt_message(message, [pairs[held][1]])
    assert found.plaintext == plaintext
    assert len(found.header.encrypted_data_keys) == count


@pytest.mark.parametrize("suite", MULTI_KEY_SUITES, ids=lambda s: f"{s.algorithm_id:04x}")
def test_reader_skips_a_same_named_key_with_other_material(suite: AlgorithmSuite) -> None:
    pairs = _three_keys()
    plaintext = plaintext_of(50)
    message = encrypt(suite, plaintext, key_set(*(pair[0] for pair in pairs)), 0, {"decoy": "yes"})
    decoy = RawAesKey("raw-aes", b"first", bytes(32))
    assert decrypt(message, decoy, pairs[2][1]) == plaintext
    with pytest.raises(IndependentReaderError, match="raw AES unwrap failed authentication"):
        decrypt(message, decoy)


CONTEXT_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=8)


@settings(max_examples=60, deadline=None)
@given(
    suite=st.sampled_from(SUITES),
    wrapper=st.sampled_from(WRAPPERS),
    frame_length=st.sampled_from([0, 1, 2, 7, 128, 4096]) | st.integers(min_value=1, max_value=600),
    plaintext=st.binary(max_size=3000),
    context=st.dictionaries(CONTEXT_TEXT.filter(lambda k: not k.startswith("aws-crypto-")), CONTEXT_TEXT, max_size=4),
)
def test_any_message_we_write_decrypts_independently(
    suite: AlgorithmSuite, wrapper: str, frame_length: int, plaintext: bytes, context: dict[str, str]
) -> None:
    master_key, reader_key = wrapper_pair(wrapper)
    found = decrypt_message(encrypt(suite, plaintext, master_key, frame_length, context), [reader_key])
    assert found.plaintext == plaintext
    assert caller_context(found.header.encryption_context) == context


# --- the reader is real: it rejects what it should ------------------------------------------------


def _flipped(message: bytes, index: int) -> bytes:
    return message[:index] + bytes([message[index] ^ 0x01]) + message[index + 1 :]


@pytest.mark.parametrize("name", sorted(WORKED_EXAMPLES))
def test_reader_rejects_every_single_byte_change_of_the_worked_examples(name: str) -> None:
    key = RawAesKey("static-aes", b"key1", bytes(range(32)))
    message = WORKED_EXAMPLES[name]
    for index in range(len(message)):
        with pytest.raises(IndependentReaderError):
            decrypt(_flipped(message, index), key)


@pytest.mark.parametrize(
    ("suite", "frame_length", "wrapper"),
    [
        (AlgorithmSuite.AES_128_GCM_IV12_TAG16_HKDF_SHA256, 7, "AES-128"),
        (AlgorithmSuite.AES_192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384, 0, "RSA-OAEP-SHA1"),
        (AlgorithmSuite.AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256, 4096, "RSA-PKCS1"),
        (AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, 7, "AES-256"),
    ],
    ids=["0114-framed", "0346-non-framed", "0214-framed", "0578-framed"],
)
def test_reader_rejects_every_single_byte_change_of_our_messages(
    suite: AlgorithmSuite, frame_length: int, wrapper: str
) -> None:
    master_key, reader_key = wrapper_pair(wrapper)
    message = encrypt(suite, plaintext_of(20), master_key, frame_length, {"flip": "every byte"})
    assert decrypt(message, reader_key) == plaintext_of(20)
    for index in range(len(message)):
        with pytest.raises(IndependentReaderError):
            decrypt(_flipped(message, index), reader_key)


@pytest.fixture(scope="module")
def signed_committed() -> tuple[bytes, RawAesKey]:
    """A 0x0578 message with three frames (7-byte frames, 20 bytes of plaintext) and its key."""
    master_key, reader_key = aes_pair(32)
    message = encrypt(
        AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, plaintext_of(20), master_key, 7, {"a": "b"}
    )
    return message, reader_key


@pytest.mark.parametrize(
    ("where", "error"),
    [
        ("body", "frame 1 failed authentication"),
        ("final frame", "frame 3 failed authentication"),
        ("header", "header failed authentication"),
        ("header tag", "header failed authentication"),
        ("commitment", "key commitment in the header does not match"),
        ("signature", "footer signature does not verify"),
    ],
)
def test_reader_names_the_check_a_flipped_byte_fails(
    signed_committed: tuple[bytes, RawAesKey], where: str, error: str
) -> None:
    message, key = signed_committed
    _, body_start = parse_header(message)
    offsets = {
        "body": body_start + 4 + 12,  # first byte of frame 1's content
        "final frame": len(message) - 2 - 103 - 16 - 1,  # last content byte of the final frame
        "header": body_start - 16 - 32 - 1,  # last byte of the frame length field
        "header tag": body_start - 1,
        "commitment": body_start - 16 - 1,
        "signature": len(message) - 10,
    }
    with pytest.raises(IndependentReaderError, match=error):
        decrypt(_flipped(message, offsets[where]), key)


def test_reader_rejects_truncation_extension_and_the_wrong_key(signed_committed: tuple[bytes, RawAesKey]) -> None:
    message, key = signed_committed
    with pytest.raises(IndependentReaderError, match="message ends inside"):
        decrypt(message[:-1], key)
    with pytest.raises(IndependentReaderError, match="follow the end of the message"):
        decrypt(message + b"\x00", key)
    with pytest.raises(IndependentReaderError, match="none of 1 encrypted data keys decrypted"):
        decrypt(message, RawAesKey(key.namespace, key.name, bytes(32)))
    with pytest.raises(IndependentReaderError, match="no key matched"):
        decrypt(message, RawAesKey(key.namespace, b"other-name", key.key))
